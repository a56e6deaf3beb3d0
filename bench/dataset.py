"""A large, realistic dataset for benchmarks: `manage.py seed_bench --schools 200 --teachers 20000
--years 5`.

Districts of twenty schools each, every school with its teaching-research and grade groups and
a roster built like the demo roster (teachers.demo.RosterBuilder, scaled to the school's size);
school years with semesters and holidays; designations with their history (expired,
superseded by a promotion, revoked) and the school-level selection rounds they came from;
the reserve pool and targets; annual grades; mentoring pairings with their weekly
observations and guidance sessions; every kind of professional record over the school years,
with training hours around the 72/24 mark; open-class sign-ups and evaluations; duty reports;
assessment rounds (last year's posted, this year's being scored). No attachments.

Everything is written with bulk inserts, school by school. Records are multi-table children
of ``Record``, which ``bulk_create`` refuses, so the parent rows are bulk-created first (the
database returns their ids) and the child rows are inserted next with the parent pointer set.
The random generator has a fixed seed: the same arguments give the same data.
"""

import datetime
import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from assessment.models import AnnualGrade, AssessmentTemplate, DutyReport, Grade
from backbone.models import (
    Candidate,
    Designation,
    ReserveEntry,
    SelectionRound,
    Target,
    Tier,
    term_end_date,
)
from core.demo import (
    DEMO_PASSWORD,
    SCHOOL_PLANS,
    SchoolPlan,
    ensure_school_year,
)
from core.models import (
    District,
    Holiday,
    Role,
    RoleAssignment,
    School,
    TeachingGroup,
    User,
    school_year_label,
    school_year_start,
)
from mentoring.models import GuidanceSession, Pairing
from records.models import (
    AuditEntry,
    Lecture,
    Level,
    Observation,
    OpenClass,
    OpenClassEvaluation,
    OpenClassSignup,
    Paper,
    ReadingNote,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    Status,
    StudyTrip,
    Training,
)
from scoring.models import Entrant, Item, Panel, PanelMember
from teachers.demo import RosterBuilder
from teachers.models import Teacher, Title

BENCH_PREFIX = "BENCH"
BENCH_SEED = 20261123
SCHOOLS_PER_DISTRICT = 20
TZ = datetime.timezone(datetime.timedelta(hours=8))
PROJECT_APPS = ("core", "teachers", "backbone", "records", "mentoring", "assessment")

AREAS = ("鼓楼区", "台江区", "仓山区", "晋安区", "马尾区", "长乐区", "福清市", "闽侯县", "连江县",
         "罗源县", "闽清县", "永泰县", "平潭县")  # fmt: skip
K = School.Kind
# Twenty schools of a district: half primary schools, then middle schools, kindergartens, a
# nine-year school and a township central school. The first school is a primary school.
KIND_CYCLE = (K.PRIMARY, K.MIDDLE, K.PRIMARY, K.KINDERGARTEN, K.PRIMARY, K.MIDDLE, K.PRIMARY,
              K.PRIMARY, K.MIDDLE, K.NINE_YEAR, K.PRIMARY, K.KINDERGARTEN, K.PRIMARY, K.MIDDLE,
              K.PRIMARY, K.CENTRAL, K.PRIMARY, K.MIDDLE, K.KINDERGARTEN, K.PRIMARY)  # fmt: skip
BASE_PLANS = {plan.kind: plan for plan in SCHOOL_PLANS}
BASE_PLANS[K.NINE_YEAR] = BASE_PLANS[K.CENTRAL] = BASE_PLANS[K.PRIMARY]
KIND_NAMES = {K.PRIMARY: "小学", K.MIDDLE: "中学", K.KINDERGARTEN: "幼儿园",
              K.NINE_YEAR: "九年一贯制学校", K.CENTRAL: "中心小学"}  # fmt: skip
KIND_LETTERS = {K.PRIMARY: "X", K.MIDDLE: "Z", K.KINDERGARTEN: "Y", K.NINE_YEAR: "J",
                K.CENTRAL: "C"}  # fmt: skip
TOWNS = ("洪山", "南屿", "城关", "上街", "青口", "江田", "潭头", "梅城")
BUREAUS = {"district": "{area}教育局", "municipal": "福州市教育局", "provincial": "福建省教育厅",
           "subject_leader": "{area}教育局", "teaching_expert": "福州市教育局",
           "famous_teacher": "福建省教育厅"}  # fmt: skip
# Share of a school's backbone teachers per tier, highest first (the rest: school tier).
TIER_SHARES = (("provincial", 0.03), ("municipal", 0.12), ("district", 0.30))
BACKBONE_SHARE = 0.25  # of a school's active teachers
GRADE_WEIGHTS = ((Grade.EXCELLENT, 25), (Grade.GOOD, 40), (Grade.QUALIFIED, 32),
                 (Grade.UNQUALIFIED, 3))  # fmt: skip
HOLIDAYS = (("国庆节", (10, 1), (10, 7), 0), ("元旦", (1, 1), (1, 1), 1),
            ("清明节", (4, 4), (4, 6), 1), ("劳动节", (5, 1), (5, 5), 1),
            ("端午节", (6, 1), (6, 1), 1))  # fmt: skip

SUBJECT_TOPICS = (
    "课堂教学展示",
    "大单元复习课",
    "综合实践活动",
    "新授课",
    "习题讲评课",
    "项目式学习",
)
THEMES = (
    "大单元整体教学设计的实践研究",
    "“双减”背景下作业设计的优化",
    "核心素养导向的课堂提问策略",
    "学习任务群视域下的阅读教学",
    "基于课堂观察的学生深度学习",
)
PLACES = ("三楼录播教室", "学术报告厅", "多功能厅", "四年级（2）班教室", "五年级（1）班教室")
PAPER_TITLES = ("核心素养视域下{s}大单元教学的实践与思考", "“双减”背景下{s}分层作业设计探究",
                "基于学习任务群的{s}课堂教学案例", "信息技术与{s}教学深度融合的策略研究",
                "{s}课堂追问的有效性研究", "{s}跨学科主题学习的设计与实施")  # fmt: skip
VENUES = ("《福建教育》", "《小学教学参考》", "《福州教育研究》", "区教育教学论文评选",
          "福州市基础教育教学成果评选")  # fmt: skip
LECTURES = (("如何上好一节家常课", Lecture.Audience.GRADE_GROUP),
            ("大单元教学设计的几点思考", Lecture.Audience.WHOLE_STAFF),
            ("新课标背景下的作业设计", Lecture.Audience.FORUM),
            ("青年教师如何做好教学反思", Lecture.Audience.WHOLE_STAFF),
            ("从一节课看课堂评价的变化", Lecture.Audience.DISTRICT))  # fmt: skip
SCHOOL_TRAININGS = ("校本培训：新课程标准解读", "校本培训：课堂观察量表的使用",
                    "校本培训：信息技术2.0应用能力提升", "校本培训：师德师风专题学习",
                    "校本培训：作业设计工作坊", "校本培训：心理健康教育")  # fmt: skip
OTHER_TRAININGS = (("区小学骨干教师研修班", Level.DISTRICT),
                   ("福州市中小学教师暑期全员培训", Level.MUNICIPAL),
                   ("国家中小学智慧教育平台寒假研修", Level.NATIONAL),
                   ("福建省中小学骨干教师网络研修", Level.PROVINCIAL),
                   ("区新课标专题培训", Level.DISTRICT))  # fmt: skip
BOOKS = (
    "《给教师的建议》",
    "《教学勇气》",
    "《静悄悄的革命》",
    "《第56号教室的奇迹》",
    "《学习的本质》",
    "《追求理解的教学设计》",
    "《可见的学习》",
    "《课程的逻辑》",
)
TRIPS = (("上海市静安区教育学院附属学校", "参加长三角{s}课堂教学观摩研讨会"),
         ("杭州市天长小学", "学习“基于学习任务群”的教学改革经验"),
         ("南京市琅琊路小学", "参加全国{s}教学改革研讨活动"))  # fmt: skip
OUTSIDERS = (("陈晓燕", "福州市实验小学"), ("林海峰", "福州教育学院附属第一小学"),
             ("黄丽华", "鼓楼区第二中心小学"))  # fmt: skip
RETURN_REASONS = ("内容过于简单，请补充教学环节的评析和自己的思考。",
                  "请补充发表刊物的刊号和期数后再提交。",
                  "日期与学校活动安排不一致，请核对后重新提交。",
                  "请写明培训的主办单位，并补充培训证书。")  # fmt: skip
OBSERVATION_NOTES = "教学目标清晰，情境导入自然；小组合作时学生参与度高。建议：追问可以更深入。"
REFLECTION = "读{book}，印象最深的是把学生放在课堂中央。下阶段准备在每节课设计一个核心问题。"
GOALS = "一年内站稳讲台：能独立完成单元教学设计，课堂组织有序；学期末上一节校级汇报课。"
MENTOR_DUTIES = "每周听徒弟的课不少于两节并及时评课；每月指导一次教学设计。"
APPRENTICE_DUTIES = "每周听师傅的课不少于一节，写好听课记录和反思；期末上一节汇报课。"
APPRAISAL = "一年来虚心好学，课堂从“讲得多”转向“学生说得多”，汇报课获得教研组好评。"
SESSION_NOTES = (
    (GuidanceSession.Kind.LESSON_PLAN, "一起修改下周公开课的教学设计。"),
    (GuidanceSession.Kind.DEBRIEF, "课后评课：时间把控好，板书清楚。"),
    (GuidanceSession.Kind.MATERIALS, "分析下一单元教材的编排意图。"),
    (GuidanceSession.Kind.REFLECTION, "谈了本学期的困惑，商量了时间安排。"),
)
DUTY_REPORT = "本学年履行骨干教师职责：上公开课、开设专题讲座、带教青年教师，完成培训学时。"


# -- the context ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BenchLogin:
    username: str
    role: str
    place: str


@dataclass
class Bench:
    """What the steps share, and what the command prints at the end."""

    today: datetime.date
    years: list[int]  # start years, oldest first; the last is the current school year
    code_prefix: str
    login_prefix: str
    log: Callable[[str], None]
    rng: random.Random
    password_hash: str
    districts: list[District] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    tiers: dict[int, dict[str, Tier]] = field(default_factory=dict)  # district id -> code -> tier
    staff: dict[int, dict[str, User]] = field(default_factory=dict)  # school id -> role -> user
    logins: list[BenchLogin] = field(default_factory=list)
    login_teacher: Teacher | None = None
    counts: Counter = field(default_factory=Counter)

    @property
    def current(self) -> int:
        return self.years[-1]

    def username(self, name: str) -> str:
        return f"{self.login_prefix}{name}"


def sizes_for(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` near-equal whole numbers."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def scaled(sizes: list[int], total: int) -> list[int]:
    """Sizes scaled to add up to ``total`` (largest remainders)."""
    whole = sum(sizes)
    exact = [s * total / whole for s in sizes]
    result = [int(x) for x in exact]
    order = sorted(range(len(sizes)), key=lambda i: exact[i] - result[i], reverse=True)
    for i in order[: total - sum(result)]:
        result[i] += 1
    return result


def numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def chunked(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- safety: refuse, or wipe with --reset ------------------------------------------------------
def existing_data(code_prefix: str = BENCH_PREFIX) -> tuple[bool, bool]:
    """(the benchmark dataset is there, other data is there)."""
    bench = District.objects.filter(code__startswith=code_prefix).exists()
    other = District.objects.exclude(code__startswith=code_prefix).exists()
    return bench, other


def wipe() -> None:
    """Empty every table of the project's apps (and sessions and the admin log). Only for a
    database that holds nothing but the benchmark dataset: the command checks that first."""
    tables = {"django_session", "django_admin_log"}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    existing = set(connection.introspection.table_names())
    statements = connection.ops.sql_flush(
        no_style(), sorted(tables & existing), reset_sequences=True, allow_cascade=True
    )
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgresql:  # checks still pending in this transaction would block TRUNCATE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        if postgresql:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# -- bulk inserts of multi-table children ------------------------------------------------------
PARENT_FIELDS = [f for f in Record._meta.concrete_fields if not f.primary_key]
TITLE_FIELDS = {
    OpenClass: "topic",
    Paper: "paper_title",
    ResearchProject: "project_title",
    Lecture: "topic",
    Training: "course",
    ReadingNote: "book",
    StudyTrip: "destination",
}
KINDS = {
    OpenClass: "open_class",
    Observation: "observation",
    Paper: "paper",
    ResearchProject: "project",
    Lecture: "lecture",
    Training: "training",
    ReadingNote: "reading",
    StudyTrip: "study_trip",
    SelfDevelopmentPlan: "plan",
}


def with_kind_and_title(record: Record) -> Record:
    """What each kind's save() would set: the kind and the title shown in lists."""
    model = type(record)
    record.kind = KINDS[model]
    if model is Observation:
        record.title = f"{record._observed_name} · {record.subject}"
    elif model is SelfDevelopmentPlan:
        first, last = school_year_label(record.first_year), school_year_label(record.last_year)
        record.title = f"{first} – {last}"
    else:
        record.title = getattr(record, TITLE_FIELDS[model])
    return record


def bulk_create_records(records: list[Record], batch_size: int = 2000) -> None:
    """Insert records of any kinds: parent rows with bulk_create (their ids come back), then
    each kind's child rows, pointing at their parent, in batches."""
    parents = [Record(**{f.attname: getattr(r, f.attname) for f in PARENT_FIELDS}) for r in records]
    Record.objects.bulk_create(parents, batch_size=batch_size)
    by_model: dict[type, list[Record]] = defaultdict(list)
    for record, parent in zip(records, parents, strict=True):
        record.pk = record.id = parent.pk  # the parent link is the child's primary key
        record.created_at, record.updated_at = parent.created_at, parent.updated_at
        by_model[type(record)].append(record)
    for model, rows in by_model.items():
        for row in rows:
            follow = getattr(row, "_follow_up", None)
            if follow is not None:
                row.follow_up_id = follow.pk
        fields = list(model._meta.local_concrete_fields)
        size = min(batch_size, connection.ops.bulk_batch_size(fields, rows) or batch_size)
        for batch in chunked(rows, size):
            model._base_manager._insert(batch, fields=fields, using=connection.alias)


# -- organisations --------------------------------------------------------------------------------
def seed_organisations(bench: Bench, n_schools: int) -> None:
    n_districts = math.ceil(n_schools / SCHOOLS_PER_DISTRICT)
    for d, size in enumerate(sizes_for(n_schools, n_districts)):
        area = AREAS[d] if d < len(AREAS) else f"第{numeral(d + 1)}区"
        district = District.objects.create(  # the default tiers and rules come with it
            code=f"{bench.code_prefix}{d + 1:02d}", name=f"{area}教育局"
        )
        district.area = area
        bench.districts.append(district)
        bench.tiers[district.pk] = {t.code: t for t in Tier.objects.filter(district=district)}
        for year in bench.years:
            ensure_school_year(district, year)
        Holiday.objects.bulk_create(
            Holiday(
                district=district,
                name=name,
                start_date=datetime.date(year + offset, *first),
                end_date=datetime.date(year + offset, *last),
            )
            for year in bench.years
            for name, first, last, offset in HOLIDAYS
        )
        numbers: Counter = Counter()
        schools = []
        for i in range(size):
            kind = KIND_CYCLE[i % len(KIND_CYCLE)]
            numbers[kind] += 1
            n = numbers[kind]
            if kind == K.CENTRAL:
                name = f"{area}{TOWNS[(n - 1) % len(TOWNS)]}中心小学"
            else:
                name = f"{area}第{numeral(n)}{KIND_NAMES[kind]}"
            code = f"{district.code}{KIND_LETTERS[kind]}{n:02d}"
            schools.append(School(district=district, code=code, name=name, kind=kind))
        School.objects.bulk_create(schools)
        for school in schools:
            school.district = district
        bench.schools.extend(schools)
        groups = []
        for school in schools:
            plan = BASE_PLANS[school.kind]
            groups += [
                TeachingGroup(school=school, kind=TeachingGroup.Kind.RESEARCH, name=g.name)
                for g in plan.groups
            ]
            groups += [
                TeachingGroup(school=school, kind=TeachingGroup.Kind.GRADE, name=name)
                for name in plan.grade_groups
            ]
        TeachingGroup.objects.bulk_create(groups)
    bench.log(f"{len(bench.districts)} districts, {len(bench.schools)} schools")


def seed_duty_and_assessment_templates(bench: Bench) -> None:
    from assessment.services.duties import duty_templates_ensure_defaults
    from assessment.services.templates import assessment_templates_ensure_defaults

    for district in bench.districts:
        for year in bench.years:
            duty_templates_ensure_defaults(district=district, year=year)
            assessment_templates_ensure_defaults(district=district, year=year)


# -- logins -----------------------------------------------------------------------------------
def seed_staff(bench: Bench) -> None:
    """A principal and a training-office login for every school; at the first school also a
    committee member, and a district-office login for the first district."""
    first = bench.schools[0]
    users, roles = [], []

    def add(username: str, display_name: str, role: str, *, school=None, district=None) -> User:
        user = User(username=username, display_name=display_name, password=bench.password_hash)
        users.append(user)
        roles.append((user, role, school, district))
        return user

    for school in bench.schools:
        if school is first:
            principal = add(bench.username("principal"), "王校长", Role.PRINCIPAL, school=school)
            office = add(
                bench.username("office"), "李主任（教科室）", Role.TRAINING_OFFICE, school=school
            )
            committee = add(
                bench.username("committee"), "陈老师（评选小组）", Role.COMMITTEE, school=school
            )
            bench.staff[school.pk] = {"committee": committee}
        else:
            slug = f"{bench.login_prefix}{school.code.lower()}"
            principal = add(
                f"{slug}-principal", f"{school.name}校长", Role.PRINCIPAL, school=school
            )
            office = add(
                f"{slug}-office", f"{school.name}教科室", Role.TRAINING_OFFICE, school=school
            )
        bench.staff.setdefault(school.pk, {}).update(principal=principal, office=office)
    add(
        bench.username("district"),
        f"{bench.districts[0].area}师训办",
        Role.DISTRICT_OFFICE,
        district=bench.districts[0],
    )
    User.objects.bulk_create(users)
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=role, school=school, district=district_)
        for user, role, school, district_ in roles
    )
    for username, role, place in (
        ("principal", Role.PRINCIPAL, first.name),
        ("office", Role.TRAINING_OFFICE, first.name),
        ("committee", Role.COMMITTEE, first.name),
        ("district", Role.DISTRICT_OFFICE, bench.districts[0].name),
    ):
        bench.logins.append(BenchLogin(bench.username(username), role, place))
    bench.log(f"{len(users)} staff logins")


# -- one school -------------------------------------------------------------------------------
class SchoolSeeder:
    """Everything of one school, built in memory and written with bulk inserts."""

    def __init__(self, bench: Bench, school: School, size: int):
        self.bench, self.school, self.size = bench, school, size
        self.rng = random.Random(f"{BENCH_SEED}-{school.code}")
        self.today = bench.today
        self.current = bench.current
        self.tiers = bench.tiers[school.district_id]
        self.office = bench.staff[school.pk]["office"]
        self.principal = bench.staff[school.pk]["principal"]
        self.area = school.district.area
        self.login: Teacher | None = None
        self.new_records: list[Record] = []
        self.projects: list[tuple[ResearchProject, list[Teacher]]] = []
        self.open_classes: list[OpenClass] = []

    # -- roster ---------------------------------------------------------------------------
    def plan(self) -> SchoolPlan:
        base = BASE_PLANS[self.school.kind]
        sizes = scaled([g.size for g in base.groups], self.size)
        return replace(
            base,
            code=self.school.code,
            name=self.school.name,
            groups=tuple(replace(g, size=s) for g, s in zip(base.groups, sizes, strict=True)),
            leavers=round(self.size * 0.03),
            middle_managers=min(base.middle_managers, self.size // 25),
        )

    def teachers(self) -> None:
        groups = {
            g.name: g
            for g in TeachingGroup.objects.filter(
                school=self.school, kind=TeachingGroup.Kind.RESEARCH
            )
        }
        roster = RosterBuilder(
            plan=self.plan(), school=self.school, groups=groups, current_year=self.current
        ).build()
        Teacher.objects.bulk_create(roster)
        self.roster = roster
        self.active = [t for t in roster if t.is_active]
        self.bench.counts["teachers"] += len(roster)

    def years_of(self, teacher: Teacher, year: int | None = None) -> int:
        return (year or self.current) - teacher.career_start.year

    def in_service(self, teacher: Teacher, year: int) -> bool:
        """Whether the teacher worked at the school during school year ``year``."""
        if teacher.career_start.year > year:
            return False
        return teacher.left_on is None or teacher.left_on > datetime.date(year, 9, 1)

    # -- designations ----------------------------------------------------------------------
    def designations(self) -> None:
        rng, current = self.rng, self.current
        pool = sorted(
            (t for t in self.active if t.title >= Title.SECOND and self.years_of(t) >= 5),
            key=lambda t: (-t.title, t.career_start, t.staff_no),
        )
        login = self.login
        if login is not None:
            # The teacher login holds the school tier, as most backbone teachers do.
            pool = [t for t in pool if t is not login]
            pool.insert(len(pool) // 2, login)
        count = min(len(pool), max(1, round(len(self.active) * BACKBONE_SHARE)))
        holders, rest = pool[:count], pool[count:]
        plan = []
        for code, share in TIER_SHARES:
            plan += [code] * round(count * share)
        plan = (plan + ["school"] * count)[:count]
        if login in holders:
            plan[holders.index(login)] = "school"
        current_rows, history = [], []
        self.holders: dict[int, Designation] = {}
        for teacher, code in zip(holders, plan, strict=True):
            tier = self.tiers[code]
            first = current - rng.randrange(tier.default_term_years)
            designation = self.designation(teacher, tier, first)
            current_rows.append(designation)
            self.holders[teacher.pk] = designation
            below = self.tier_below(tier)
            earlier = first - (below.default_term_years if below else 2)
            if below and rng.random() < 0.8 and self.in_service(teacher, earlier):
                # Promoted from the tier below, or that term simply ran out.
                promoted = rng.random() < 0.5
                old = self.designation(teacher, below, earlier)
                old.status = (
                    Designation.Status.SUPERSEDED if promoted else Designation.Status.EXPIRED
                )
                old.closed_on = (
                    datetime.date(first, 9, 1) if promoted else term_end_date(old.last_year)
                )
                old._promoted_to = designation if promoted else None
                if promoted:
                    designation.source = Designation.Source.PROMOTION
                    designation.round = None
                    designation._round_key = None
                history.append(old)
            elif code == "school" and rng.random() < 0.4 and self.in_service(teacher, first - 2):
                old = self.designation(teacher, tier, first - 2)
                old.status, old.closed_on = Designation.Status.EXPIRED, term_end_date(first - 1)
                history.append(old)
            if code in ("municipal", "provincial") and rng.random() < 0.5:
                honorary = rng.choice(["subject_leader", "teaching_expert", "famous_teacher"])
                history.append(self.designation(teacher, self.tiers[honorary], first))
        # Former backbone teachers: a term that ran out, now and then one revoked.
        for teacher in rest[3 : 3 + len(rest) // 5]:
            first = current - rng.randint(3, 5)
            if not self.in_service(teacher, first):
                continue
            old = self.designation(teacher, self.tiers["school"], first)
            if rng.random() < 0.15:
                old.status = Designation.Status.REVOKED
                old.closed_on = datetime.date(first + 1, 7, 10)
                old.closed_reason = "年度考核不合格，经学校研究决定撤销骨干教师称号。"
                old.closed_by = self.principal
            else:
                old.status, old.closed_on = Designation.Status.EXPIRED, term_end_date(old.last_year)
            history.append(old)
        self.rounds_for(current_rows + history)
        Designation.objects.bulk_create(current_rows)
        for old in history:
            target = getattr(old, "_promoted_to", None)
            old.promoted_to_id = target.pk if target else None
        Designation.objects.bulk_create(history)
        self.reserve = rest[:3]
        self.bench.counts["designations"] += len(current_rows) + len(history)

    def tier_below(self, tier: Tier) -> Tier | None:
        below = [
            t for t in self.tiers.values() if t.kind == Tier.Kind.TIER and t.level < tier.level
        ]
        return max(below, key=lambda t: t.level) if below else None

    def designation(self, teacher: Teacher, tier: Tier, first: int) -> Designation:
        by_school = tier.designated_by_school
        designation = Designation(
            teacher=teacher,
            tier=tier,
            is_honorary=tier.is_honorary,
            first_year=first,
            last_year=first + tier.default_term_years - 1,
            designated_by=self.school.name
            if by_school
            else BUREAUS[tier.code].format(area=self.area),
            certificate_no=f"{tier.code[:2].upper()}{first}{self.school.code[-3:]}{teacher.staff_no}",
            source=Designation.Source.ROUND if by_school else Designation.Source.EXTERNAL,
            designated_on=datetime.date(first, 10, 15),
        )
        designation._round_key = first if by_school else None
        return designation

    def rounds_for(self, designations: list[Designation]) -> None:
        """The confirmed school-level selection round behind each school-tier designation,
        with its candidates (the designated teachers and a few who were not)."""
        by_year = defaultdict(list)
        for d in designations:
            if getattr(d, "_round_key", None) is not None:
                by_year[d._round_key].append(d)
        tier = self.tiers["school"]
        rounds = {
            year: SelectionRound(
                school=self.school,
                tier=tier,
                title=f"{school_year_label(year)}学年校级骨干教师评选",
                year=year,
                term_years=tier.default_term_years,
                quota=len(rows),
                apply_from=datetime.date(year, 9, 10),
                apply_until=datetime.date(year, 9, 30),
                status=SelectionRound.Status.CONFIRMED,
                announce_from=datetime.date(year, 10, 8),
                announce_until=datetime.date(year, 10, 14),
                opened_by=self.office,
                confirmed_at=datetime.datetime(year, 10, 15, 10, tzinfo=TZ),
                confirmed_by=self.principal,
            )
            for year, rows in by_year.items()
        }
        panels = Panel.objects.bulk_create(
            Panel(school=self.school, revealed_at=timezone.now()) for _round in rounds.values()
        )
        for round, panel in zip(rounds.values(), panels, strict=True):
            round.panel = panel
        SelectionRound.objects.bulk_create(rounds.values())
        PanelMember.objects.bulk_create(PanelMember(panel=p, user=self.office) for p in panels)
        Item.objects.bulk_create(
            Item(panel=p, name=name, weight=weight, position=i)
            for p in panels
            for i, (name, weight) in enumerate(
                (("师德表现", 20), ("教学业绩", 50), ("教研能力", 30))
            )
        )
        candidates = []
        others = [t for t in self.active if t.pk not in {d.teacher_id for d in designations}]
        for year, rows in by_year.items():
            round = rounds[year]
            for d in rows:
                d.round = round
            chosen = {d.teacher_id for d in rows}
            losers = self.rng.sample(others, min(len(others), max(1, len(rows) // 3)))
            ranked = [d.teacher for d in rows] + [t for t in losers if t.pk not in chosen]
            for rank, teacher in enumerate(ranked, start=1):
                candidates.append(
                    Candidate(
                        round=round,
                        teacher=teacher,
                        source=self.rng.choice(list(Candidate.Source.values)),
                        is_eligible=True,
                        score=Decimal(95 - rank),
                        rank=rank,
                        proposed=teacher.pk in chosen,
                        added_by=self.office,
                    )
                )
        entrants = Entrant.objects.bulk_create(
            Entrant(panel_id=c.round.panel_id, user_id=c.teacher.user_id) for c in candidates
        )
        for candidate, entrant in zip(candidates, entrants, strict=True):
            candidate.entrant = entrant
        Candidate.objects.bulk_create(candidates)

    def reserve_and_targets(self) -> None:
        ReserveEntry.objects.bulk_create(
            ReserveEntry(
                teacher=t,
                tier=self.tiers["school"],
                reason="教学成绩突出，积极参加教研活动",
                marked_by=self.office,
            )
            for t in self.reserve
        )
        held = Counter(d.tier.code for d in self.holders.values())
        Target.objects.bulk_create(
            Target(
                school=self.school,
                tier=self.tiers[code],
                by_year=self.current + 1,
                count=held[code] + extra,
                created_by=self.principal,
            )
            for code, extra in (("school", 3), ("district", 2), ("municipal", 1))
        )

    # -- grades and duty reports ------------------------------------------------------------
    def grades(self) -> None:
        grades, weights = zip(*GRADE_WEIGHTS, strict=True)
        rows = [
            AnnualGrade(
                teacher=t,
                year=year,
                grade=self.rng.choices(grades, weights)[0],
                recorded_by=self.office,
            )
            for t in self.roster
            for year in self.bench.years[:-1]
            if self.in_service(t, year)
        ]
        AnnualGrade.objects.bulk_create(rows)
        last = self.current - 1
        flagged = [
            self.holders[g.teacher_id]
            for g in rows
            if g.year == last and g.grade == Grade.UNQUALIFIED and g.teacher_id in self.holders
        ]
        reason = f"在{school_year_label(last)}学年度考核中被评为不合格。"
        Designation.objects.filter(pk__in=[d.pk for d in flagged]).update(
            flagged_at=timezone.now(), flag_reason=reason
        )
        reports = [
            DutyReport(
                teacher_id=teacher_id,
                year=year,
                text=DUTY_REPORT,
                submitted_at=datetime.datetime(year + 1, 6, 25, 10, tzinfo=TZ),
            )
            for teacher_id, d in self.holders.items()
            for year in range(max(d.first_year, self.bench.years[0]), self.current)
            if self.rng.random() < 0.95
        ]
        DutyReport.objects.bulk_create(reports)
        self.bench.counts["annual grades"] += len(rows)

    # -- dates -------------------------------------------------------------------------------
    def period(self, year: int) -> tuple[datetime.date, datetime.date]:
        start, end = datetime.date(year, 9, 1), datetime.date(year + 1, 7, 10)
        return start, min(end, self.today)

    def day(self, year: int, share: float | None = None) -> datetime.date:
        start, end = self.period(year)
        share = self.rng.random() if share is None else share
        day = start + datetime.timedelta(days=int((end - start).days * share))
        return day - datetime.timedelta(days=2) if day.weekday() == 6 else day

    @staticmethod
    def semester(day: datetime.date) -> int | None:
        year = school_year_start(day)
        if datetime.date(year, 9, 1) <= day <= datetime.date(year + 1, 1, 20):
            return 1
        if datetime.date(year + 1, 2, 20) <= day <= datetime.date(year + 1, 7, 10):
            return 2
        return None

    def moment(self, day: datetime.date, hours: int) -> datetime.datetime:
        when = datetime.datetime.combine(day, datetime.time(16), tzinfo=TZ)
        return min(when + datetime.timedelta(hours=hours), timezone.now())

    def status_for(self, year: int, day: datetime.date) -> str:
        roll = self.rng.random()
        if year < self.current:
            return Status.VERIFIED if roll < 0.95 else Status.ARCHIVED
        if (self.today - day).days > 30:
            return (
                Status.VERIFIED
                if roll < 0.75
                else Status.SUBMITTED
                if roll < 0.95
                else Status.RETURNED
            )
        return Status.SUBMITTED if roll < 0.5 else Status.DRAFT if roll < 0.85 else Status.VERIFIED

    def stamp(self, record: Record, teacher: Teacher, status: str) -> Record:
        """Who, when and in which state, as the services would have left it."""
        record.teacher = teacher
        record.year = school_year_start(record.date)
        record.semester = self.semester(record.date)
        record.status = status
        if status != Status.DRAFT:
            record.submitted_at = self.moment(record.date, 20)
        if status in (Status.VERIFIED, Status.ARCHIVED):
            record.verified_at = self.moment(record.date, 70)
            record.verified_by = self.office
        if status == Status.ARCHIVED:
            record.archived_at = self.moment(record.date, 200)
        if status == Status.RETURNED:
            record.return_reason = self.rng.choice(RETURN_REASONS)
        return with_kind_and_title(record)

    # -- records -----------------------------------------------------------------------------
    def records(self) -> None:
        backbone = set(self.holders)
        self.upcoming_open_classes()
        for teacher in self.roster:
            for year in self.bench.years:
                if self.in_service(teacher, year):
                    self.teacher_year(teacher, year, teacher.pk in backbone)
        self.pairing_observations()
        bulk_create_records(self.new_records)
        members = ResearchProject.members.through
        members.objects.bulk_create(
            members(researchproject_id=p.pk, teacher_id=t.pk)
            for p, team in self.projects
            for t in team
        )
        self.audit()
        self.signups_and_evaluations()
        self.bench.counts["records"] += len(self.new_records)

    def add(self, record: Record, teacher: Teacher, year: int, status: str | None = None):
        status = status or self.status_for(year, record.date)
        self.new_records.append(self.stamp(record, teacher, status))
        return record

    def teacher_year(self, teacher: Teacher, year: int, backbone: bool) -> None:
        rng, s = self.rng, teacher.subject
        start, end = self.period(year)
        share = min(1.0, max(0.05, (end - start).days / 312))  # of the year gone by
        self.trainings(teacher, year, share)
        for _ in range(round(rng.randint(2, 4) * share + rng.random() * 0.5)):
            self.observation(teacher, year)
        if rng.random() < (0.95 if backbone else 0.5) * share:
            level = rng.choice([Level.DISTRICT, Level.MUNICIPAL]) if backbone else Level.SCHOOL
            kind = rng.choice(list(OpenClass.ClassKind.values[:5]))
            self.open_class(teacher, year, self.day(year), kind=kind, level=level)
        if rng.random() < (0.9 if backbone else 0.3) * share:
            progress = rng.choice(list(Paper.Progress.values))
            awarded = progress == Paper.Progress.AWARDED
            self.add(
                Paper(
                    date=self.day(year),
                    result_kind=rng.choice(list(Paper.ResultKind.values)),
                    paper_title=rng.choice(PAPER_TITLES).format(s=s),
                    progress=progress,
                    venue=rng.choice(VENUES) if progress != Paper.Progress.WRITTEN else "",
                    award_level=rng.choice([Level.DISTRICT, Level.MUNICIPAL]) if awarded else None,
                    prize=rng.choice(list(Paper.Prize.values[:3])) if awarded else "",
                ),
                teacher,
                year,
            )
        talk = None
        if rng.random() < (0.9 if backbone else 0.1) * share:
            topic, audience = rng.choice(LECTURES)
            talk = self.add(
                Lecture(
                    date=self.day(year),
                    topic=topic,
                    audience=audience,
                    attendees=rng.randint(12, 80),
                ),
                teacher,
                year,
            )
        for _ in range(round(rng.randint(1, 3) * share)):
            book = rng.choice(BOOKS)
            self.add(
                ReadingNote(
                    date=self.day(year), book=book, reflection=REFLECTION.format(book=book)
                ),
                teacher,
                year,
            )
        if backbone and rng.random() < 0.35 * share:
            self.project(teacher, year)
        if talk and rng.random() < 0.3:
            destination, purpose = rng.choice(TRIPS)
            day = self.day(year, share=0.3)
            trip = StudyTrip(
                date=day,
                end_date=day + datetime.timedelta(days=2),
                destination=destination,
                purpose=purpose.format(s=s),
                report="三天听了八节课、两场专家报告，回校后在组内做了汇报。",
            )
            trip._follow_up = talk
            self.add(trip, teacher, year)
        if backbone and year == self.holders[teacher.pk].first_year:
            self.add(
                SelfDevelopmentPlan(
                    date=self.day(year, share=0.05),
                    first_year=year,
                    last_year=self.holders[teacher.pk].last_year,
                    review="从教以来一直担任教学工作，教学成绩稳定，多次承担校级公开课。",
                    self_assessment="课堂组织能力较强；教育科研和论文写作是短板。",
                    long_term_goals="三年内成为更高一级的骨干教师，形成自己的教学风格。",
                    short_term_goals="本学年上一节区级公开课，完成一篇获奖论文。",
                    measures="每学期读一本教育专著；每周听课两节；参加区级课题研究。",
                ),
                teacher,
                year,
            )

    def trainings(self, teacher: Teacher, year: int, share: float) -> None:
        """Sessions adding up to about the 72/24 hours of a school year (less so far in the
        current one); a few teachers fall short."""
        rng = self.rng
        total = Decimal(rng.choice([60, 66, 72, 72, 76, 80, 88, 96])) * Decimal(str(share))
        school_based = min(total, Decimal(rng.choice([18, 24, 24, 28, 32])) * Decimal(str(share)))
        for amount, based in ((school_based, True), (total - school_based, False)):
            sizes = (6, 8, 12) if based else (12, 16, 24, 30)
            left = amount.quantize(Decimal("0.5"))
            while left > 0:
                size = min(left, Decimal(rng.choice(sizes)))
                if left - size < 3:
                    size = left
                day = self.day(year)
                if based:
                    course, level = rng.choice(SCHOOL_TRAININGS), Level.SCHOOL
                else:
                    course, level = rng.choice(OTHER_TRAININGS)
                self.add(
                    Training(
                        date=day,
                        end_date=day + datetime.timedelta(days=int(size // 8)),
                        course=course,
                        organiser_level=level,
                        hours=size,
                        school_based=based,
                    ),
                    teacher,
                    year,
                )
                left -= size

    def observation(self, teacher, year, *, observed=None, day=None, pairing=None, status=None):
        rng = self.rng
        if observed is None and rng.random() < 0.75 and len(self.active) > 1:
            observed = rng.choice(self.active)
            observed = observed if observed is not teacher else None
        record = Observation(
            date=day or self.day(year),
            subject=observed.subject if observed else teacher.subject,
            class_name=rng.choice(["三年级（1）班", "四年级（3）班", "五年级（2）班"]),
            notes=OBSERVATION_NOTES,
            rating=rng.choice([3, 4, 4, 5]),
            pairing=pairing,
        )
        if observed is not None:
            record.observed_teacher = observed
            record._observed_name = observed.name
        else:
            name, school = rng.choice(OUTSIDERS)
            record.observed_name, record.observed_school = name, school
            record._observed_name = name
        return self.add(record, teacher, year, status)

    def open_class(self, teacher, year, day, *, kind, level, status=None) -> OpenClass:
        record = OpenClass(
            date=day,
            starts_at=datetime.datetime.combine(
                day, datetime.time(self.rng.choice([8, 9, 10, 14])), tzinfo=TZ
            ),
            class_kind=kind,
            level=level,
            place=self.rng.choice(PLACES),
            subject=teacher.subject,
            grade_class=(teacher.grades.split("、")[0] or "四年级") + "（2）班",
            topic=f"《{teacher.subject}{self.rng.choice(SUBJECT_TOPICS)}》",
            research_theme=self.rng.choice(THEMES),
        )
        self.add(record, teacher, year, status)
        if year == self.current:
            self.open_classes.append(record)
        return record

    def project(self, teacher: Teacher, year: int) -> None:
        day = self.day(year, share=0.15)
        record = ResearchProject(
            date=day,
            project_title=f"{teacher.subject}作业设计的实践研究（{year}）",
            level=self.rng.choice([Level.SCHOOL, Level.DISTRICT, Level.MUNICIPAL]),
            role=ResearchProject.Role.LEADER,
            stage=self.rng.choice(list(ResearchProject.Stage.values)),
            approved_on=day,
            semester_plan="第一阶段：文献学习与现状调查；第二阶段：设计分层作业并试用。",
            process_records="9月：组建课题组；10月：收集学生作业样本并分析。",
        )
        self.add(record, teacher, year)
        others = [t for t in self.active if t is not teacher]
        self.projects.append((record, self.rng.sample(others, min(2, len(others)))))

    def upcoming_open_classes(self) -> None:
        """A few open classes in the coming weeks, on the calendar for colleagues."""
        hosts = [t for t in self.active if t.pk in self.holders][:3]
        for teacher in hosts:
            day = self.today + datetime.timedelta(days=self.rng.randint(3, 20))
            if day.weekday() >= 5:
                day -= datetime.timedelta(days=2)
            self.open_class(
                teacher,
                self.current,
                day,
                kind=OpenClass.ClassKind.RESEARCH,
                level=Level.SCHOOL,
                status=Status.SUBMITTED,
            )

    def audit(self) -> None:
        """The trail of this school year's records (older ones have none: they were entered
        before the audit trail, as happens when a school moves its paper files in)."""
        entries = []
        for record in self.new_records:
            if record.year != self.current:
                continue
            actor = record.teacher.user
            entries.append(AuditEntry(record_id=record.pk, actor=actor, action="created"))
            if record.status != Status.DRAFT:
                entries.append(AuditEntry(record_id=record.pk, actor=actor, action="submitted"))
            if record.status == Status.VERIFIED:
                entries.append(
                    AuditEntry(record_id=record.pk, actor=self.office, action="verified")
                )
            if record.status == Status.RETURNED:
                entries.append(
                    AuditEntry(
                        record_id=record.pk,
                        actor=self.office,
                        action="returned",
                        note=record.return_reason,
                    )
                )
        AuditEntry.objects.bulk_create(entries, batch_size=2000)

    def signups_and_evaluations(self) -> None:
        signups, evaluations = [], []
        for oc in self.open_classes:
            others = [t for t in self.active if t.pk != oc.teacher_id]
            observers = self.rng.sample(others, min(len(others), self.rng.randint(0, 4)))
            if oc.date > self.today:
                signups += [OpenClassSignup(open_class=oc, observer=t) for t in observers]
            elif oc.status == Status.VERIFIED:
                evaluations += [
                    OpenClassEvaluation(
                        open_class=oc,
                        observer=t,
                        design=self.rng.randint(3, 5),
                        delivery=self.rng.randint(3, 5),
                        engagement=self.rng.randint(3, 5),
                        effect=self.rng.randint(3, 5),
                        comments="教学目标清晰，学生参与度高；建议给学生更多表达的时间。",
                    )
                    for t in observers[:2]
                ]
        OpenClassSignup.objects.bulk_create(signups)
        OpenClassEvaluation.objects.bulk_create(evaluations)

    # -- mentoring ---------------------------------------------------------------------------
    def pairings(self) -> None:
        """Young teachers paired with backbone mentors: this year's pairings (active, one
        proposed), last year's and older ones completed."""
        rng, district = self.rng, self.school.district
        mentors = sorted(
            (t for t in self.active if t.pk in self.holders),
            key=lambda t: (-self.holders[t.pk].tier.level, t.staff_no),
        )
        self.pairing_rows: list[tuple[Pairing, float]] = []
        if not mentors:
            return
        rows = []
        for year in self.bench.years:
            young = [
                t
                for t in self.roster
                if t.pk not in self.holders
                and self.in_service(t, year)
                and self.years_of(t, year) < district.stage_innovation_from
            ]
            count = min(len(young), max(1, len(self.active) // 12))
            for i, apprentice in enumerate(rng.sample(young, count)):
                mentor = mentors[i % len(mentors)]
                start = datetime.date(year, 9, 1)
                end = datetime.date(year + 1, 8, 31)
                status = Pairing.Status.ACTIVE if year == self.current else Pairing.Status.COMPLETED
                if year == self.current and i == count - 1 and count > 1:
                    status = Pairing.Status.PROPOSED
                    start = self.today + datetime.timedelta(days=14)
                    end = start + datetime.timedelta(days=364)
                if not apprentice.is_active and status != Pairing.Status.COMPLETED:
                    continue
                approved = status != Pairing.Status.PROPOSED
                pairing = Pairing(
                    school=self.school,
                    mentor=mentor,
                    apprentice=apprentice,
                    origin=rng.choice(list(Pairing.Origin.values)),
                    status=status,
                    start_date=start,
                    end_date=end,
                    goals=GOALS,
                    mentor_duties=MENTOR_DUTIES,
                    apprentice_duties=APPRENTICE_DUTIES,
                    signed_on=start if approved else None,
                    requested_by=self.office,
                    approved_by=self.office if approved else None,
                    approved_at=datetime.datetime.combine(start, datetime.time(9), tzinfo=TZ)
                    if approved
                    else None,
                    final_appraisal=APPRAISAL if status == Pairing.Status.COMPLETED else "",
                )
                # How diligently they observe each other: most keep up, some fall behind.
                diligence = rng.choice([1.0, 1.0, 1.0, 0.9, 0.75, 0.5])
                rows.append(pairing)
                self.pairing_rows.append((pairing, diligence))
        Pairing.objects.bulk_create(rows)
        sessions = []
        for pairing, _diligence in self.pairing_rows:
            if pairing.status == Pairing.Status.PROPOSED:
                continue
            last = min(self.today, pairing.end_date)
            count = rng.randint(2, 4)
            span = max((last - pairing.start_date).days, 1)
            for index, (kind, notes) in enumerate(rng.sample(SESSION_NOTES, count)):
                day = pairing.start_date + datetime.timedelta(
                    days=span * (index + 1) // (count + 1)
                )
                sessions.append(
                    GuidanceSession(
                        pairing=pairing,
                        date=day,
                        kind=kind,
                        notes=notes,
                        private=kind == GuidanceSession.Kind.REFLECTION,
                        logged_by=self.office,
                        confirmed_by=self.office,
                        confirmed_at=self.moment(day, 24),
                    )
                )
        GuidanceSession.objects.bulk_create(sessions)
        self.bench.counts["pairings"] += len(rows)

    def pairing_observations(self) -> None:
        """Observations tagged with their pairing, week by week: the mentor observes the
        apprentice twice a week, the apprentice the mentor once, as diligent as the pair is.
        Pairings older than last year keep a handful only."""
        holidays = [
            (datetime.date(y + off, *first), datetime.date(y + off, *last))
            for y in self.bench.years
            for _name, first, last, off in HOLIDAYS
        ]

        def teaching_day(day: datetime.date) -> bool:
            return (
                day.weekday() < 5
                and self.semester(day) is not None
                and not any(a <= day <= b for a, b in holidays)
            )

        for pairing, diligence in self.pairing_rows:
            if pairing.status == Pairing.Status.PROPOSED:
                continue
            year = school_year_start(pairing.start_date)
            last = min(self.today, pairing.end_date)
            if year < self.current - 1:
                for _ in range(8):
                    day = self.day(year)
                    if teaching_day(day):
                        self.observation(
                            pairing.mentor, year, observed=pairing.apprentice, day=day,
                            pairing=pairing, status=Status.VERIFIED,
                        )  # fmt: skip
                continue
            monday = pairing.start_date - datetime.timedelta(days=pairing.start_date.weekday())
            while monday <= last:
                days = [monday + datetime.timedelta(days=i) for i in range(5)]
                days = [d for d in days if pairing.start_date <= d <= last and teaching_day(d)]
                for observer, observed, per_week in (
                    (pairing.mentor, pairing.apprentice, pairing.mentor_observations_per_week),
                    (pairing.apprentice, pairing.mentor, pairing.apprentice_observations_per_week),
                ):
                    required = math.ceil(per_week * len(days) / 5)
                    done = sum(self.rng.random() < diligence for _ in range(required))
                    for day in sorted(self.rng.sample(days, min(done, len(days)))):
                        age = (self.today - day).days
                        status = (
                            Status.VERIFIED
                            if age > 21 or self.rng.random() < 0.3
                            else Status.SUBMITTED
                        )
                        self.observation(
                            observer, year, observed=observed, day=day, pairing=pairing,
                            status=status,
                        )  # fmt: skip
                monday += datetime.timedelta(days=7)

    def run(self) -> None:
        with transaction.atomic():
            self.teachers()
            if self.school is self.bench.schools[0]:
                user = make_teacher_login(self.bench, self.school)
                self.login = next(t for t in self.roster if t.pk == user.teacher_id)
                self.login.user = user
            self.designations()
            self.reserve_and_targets()
            self.grades()
            self.pairings()
            self.records()


def make_teacher_login(bench: Bench, school: School) -> User:
    """The teacher login: a backbone-aged teacher of the first school (as in the demo data),
    or failing that the most experienced active teacher."""
    from teachers.demo import backbone_aged_teacher

    teacher = backbone_aged_teacher(school, bench.today) or (
        school.teachers.active().filter(title__gte=Title.SECOND).order_by("career_start").first()
        or school.teachers.active().order_by("career_start").first()
    )
    user = User.objects.create(
        username=bench.username("teacher"),
        display_name=teacher.name,
        email=teacher.email,
        password=bench.password_hash,
    )
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=school)
    Teacher.objects.filter(pk=teacher.pk).update(user=user)
    user.teacher_id = teacher.pk
    bench.login_teacher = teacher
    bench.logins.append(BenchLogin(user.username, Role.TEACHER, school.name))
    return user


# -- assessment rounds --------------------------------------------------------------------------
def seed_assessment_rounds(bench: Bench) -> None:
    """This year's annual round, being scored, in every school (through the services, so each
    entry has its prefilled facts); last year's round scored, finalised, posted and locked at
    the first school of each district."""
    from assessment.models import AssessmentRound
    from assessment.services import rounds as services

    first_schools = {s.district_id: s for s in reversed(bench.schools)}
    rng = random.Random(BENCH_SEED)
    made = 0
    for school in bench.schools:
        staff = bench.staff[school.pk]
        committee = [staff.get("committee") or staff["principal"], staff["office"]]
        years = [bench.current]
        if first_schools[school.district_id] is school:
            years.insert(0, bench.current - 1)
        for year in years:
            title = f"{school_year_label(year)}学年骨干教师年度考核"
            try:
                round = services.round_open(
                    school=school, kind=AssessmentTemplate.Kind.ANNUAL, year=year, title=title,
                    committee=committee, by=staff["office"],
                )  # fmt: skip
            except ValidationError as exc:  # a school without backbone teachers has no round
                bench.log(f"{school.name}: no assessment round ({exc})")
                continue
            made += 1
            entries = list(round.entries.order_by("teacher__staff_no"))
            components = list(round.template.components.all())
            scored = committee if year < bench.current else committee[:1]
            for member in scored:
                half = entries if year < bench.current else entries[: len(entries) // 2]
                values = {
                    (e.pk, c.pk): Decimal(str(round_half(c.max_score * rng.uniform(0.62, 0.99))))
                    for e in half
                    for c in components
                }
                services.score_sheet_save(round=round, member=member, values=values)
                if year < bench.current:
                    services.score_sheet_submit(round=round, member=member)
            if year < bench.current:
                services.round_finalise(round=round, by=staff["principal"])
                services.round_post(
                    round=round, by=staff["principal"],
                    notice_from=datetime.date(year + 1, 7, 1),
                    notice_until=datetime.date(year + 1, 7, 7),
                )  # fmt: skip
                AssessmentRound.objects.filter(pk=round.pk).update(
                    status=AssessmentRound.Status.LOCKED
                )
    bench.counts["assessment rounds"] += made


def round_half(value: float) -> float:
    return round(value * 2) / 2


def seed_district_targets(bench: Bench) -> None:
    Target.objects.bulk_create(
        Target(district=district, tier=bench.tiers[district.pk][code], by_year=bench.current + 2,
               count=count)
        for district in bench.districts
        for code, count in (("district", 120), ("municipal", 40), ("provincial", 8))
    )  # fmt: skip


# -- the whole run ----------------------------------------------------------------------------
def seed_bench(
    *,
    schools: int = 200,
    teachers: int = 20000,
    years: int = 5,
    code_prefix: str = BENCH_PREFIX,
    login_prefix: str = "",
    today: datetime.date | None = None,
    log: Callable[[str], None] | None = None,
) -> Bench:
    """Build the dataset; the caller has checked that the database has room for it."""
    if schools < 1 or teachers < schools or years < 1:
        raise ValueError("Need at least one school, a teacher per school and one school year.")
    today = today or timezone.localdate()
    current = school_year_start(today)
    bench = Bench(
        today=today,
        years=list(range(current - years + 1, current + 1)),
        code_prefix=code_prefix,
        login_prefix=login_prefix,
        log=log or (lambda message: None),
        rng=random.Random(BENCH_SEED),
        password_hash=make_password(DEMO_PASSWORD),
    )
    with transaction.atomic():
        seed_organisations(bench, schools)
        seed_duty_and_assessment_templates(bench)
        seed_staff(bench)
        seed_district_targets(bench)
    sizes = sizes_for(teachers, schools)
    for index, (school, size) in enumerate(zip(bench.schools, sizes, strict=True), start=1):
        SchoolSeeder(bench, school, size).run()
        if index % 10 == 0 or index == len(bench.schools):
            done = ", ".join(f"{v} {k}" for k, v in bench.counts.items())
            bench.log(f"{index}/{len(bench.schools)} schools: {done}")
    seed_assessment_rounds(bench)
    bench.log(f"{bench.counts['assessment rounds']} assessment rounds")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, so the planner sees the real sizes
    return bench


def summary_rows(bench: Bench) -> Iterable[tuple[str, str, str, str]]:
    roles = dict(Role.choices)
    yield ("username", "role", "where", "password")
    for login in bench.logins:
        yield (login.username, str(roles.get(login.role, login.role)), login.place, DEMO_PASSWORD)
