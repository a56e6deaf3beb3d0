"""Demo data for a trial installation (`manage.py seed_demo`).

`seed_demo_data()` runs the registered steps in order on one shared `Demo` context. Each step
is idempotent: it looks rows up by their natural keys and creates only what is missing, so
running the command again changes nothing. The data is built with a fixed random seed, so
every run (and every machine) gets the same teachers.

Other apps add their own steps in a `demo.py` module of their own, which `seed_demo_data()`
imports (like admin.py); steps run in the order of INSTALLED_APPS, core's first::

    from core.demo import Demo, demo_step

    @demo_step
    def seed_backbone_tiers(demo: Demo) -> None:
        ...  # demo.district, demo.schools["primary"], demo.current_year, demo.add_login(...)
"""

import datetime
import random
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from teachers.models import Education, Gender, Post, Teacher, Title
from teachers.stages import GrowthStage, career_start_range, stage_bounds

from .models import (
    District,
    Role,
    RoleAssignment,
    School,
    SchoolYear,
    Semester,
    TeachingGroup,
    User,
    school_year_start,
)

DEMO_PASSWORD = "gugan2026"
DEMO_SEED = 20260901


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str  # a Role value, or "superuser"
    school: School | None = None


@dataclass
class Demo:
    """What the steps share: the organisations made so far and the logins to print."""

    today: datetime.date
    log: Callable[[str], None] = lambda message: None
    district: District | None = None
    schools: dict[str, School] = field(default_factory=dict)  # by School.Kind
    school_years: list[SchoolYear] = field(default_factory=list)  # current first
    logins: list[DemoLogin] = field(default_factory=list)

    @property
    def current_year(self) -> SchoolYear:
        return self.school_years[0]

    def add_login(self, user: User, role: str, school: School | None = None) -> None:
        self.logins.append(DemoLogin(user.username, role, school))


DemoStep = Callable[[Demo], None]
DEMO_STEPS: list[DemoStep] = []


def demo_step(step: DemoStep) -> DemoStep:
    """Register a seeding step; it runs after the steps registered before it."""
    if step not in DEMO_STEPS:
        DEMO_STEPS.append(step)
    return step


@transaction.atomic
def seed_demo_data(*, log: Callable[[str], None] | None = None) -> Demo:
    autodiscover_modules("demo")
    demo = Demo(today=timezone.localdate(), log=log or (lambda message: None))
    for step in DEMO_STEPS:
        step(demo)
    return demo


# -- organisations ----------------------------------------------------------------------------

PRIMARY_GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级")
MIDDLE_GRADES = ("七年级", "八年级", "九年级")
KINDERGARTEN_GRADES = ("小班", "中班", "大班")


@dataclass(frozen=True)
class GroupPlan:
    """A teaching-research group: how many teachers, what they teach, how many lead a class."""

    name: str
    size: int
    subjects: tuple[str, ...]
    grades: tuple[str, ...]
    grades_each: int = 1  # grades one teacher teaches
    class_teacher_share: float = 0.0


@dataclass(frozen=True)
class SchoolPlan:
    kind: str
    code: str
    name: str
    staff_prefix: str
    female_share: float
    groups: tuple[GroupPlan, ...]
    grade_groups: dict[str, tuple[str, ...]]  # grade group name -> the grades it covers
    leavers: int
    middle_managers: int


P, M, K = PRIMARY_GRADES, MIDDLE_GRADES, KINDERGARTEN_GRADES

SCHOOL_PLANS = (
    SchoolPlan(
        kind=School.Kind.PRIMARY,
        code="GLXX01",
        name="鼓楼区实验小学",
        staff_prefix="X",
        female_share=0.78,
        groups=(
            GroupPlan("语文组", 18, ("语文",), P, class_teacher_share=0.7),
            GroupPlan("数学组", 15, ("数学",), P, class_teacher_share=0.5),
            GroupPlan("英语组", 8, ("英语",), P[2:], 2, class_teacher_share=0.15),
            GroupPlan("科学组", 6, ("科学",), P, 2),
            GroupPlan("艺体组", 10, ("音乐", "美术", "体育"), P, 3),
            GroupPlan("综合组", 8, ("道德与法治", "信息科技", "劳动", "心理健康"), P, 3),
        ),
        grade_groups={"低年级组": P[:2], "中年级组": P[2:4], "高年级组": P[4:]},
        leavers=3,
        middle_managers=3,
    ),
    SchoolPlan(
        kind=School.Kind.MIDDLE,
        code="GLZX01",
        name="鼓楼区第一中学",
        staff_prefix="Z",
        female_share=0.6,
        groups=(
            GroupPlan("语文组", 9, ("语文",), M, class_teacher_share=0.5),
            GroupPlan("数学组", 9, ("数学",), M, class_teacher_share=0.5),
            GroupPlan("英语组", 9, ("英语",), M, class_teacher_share=0.4),
            GroupPlan("物理组", 6, ("物理",), M[1:], class_teacher_share=0.3),
            GroupPlan("化学组", 5, ("化学",), M[2:], class_teacher_share=0.2),
            GroupPlan("生物组", 4, ("生物学",), M[:2], 2, class_teacher_share=0.2),
            GroupPlan("政史地组", 7, ("道德与法治", "历史", "地理"), M, 2, class_teacher_share=0.2),
            GroupPlan("艺体组", 6, ("音乐", "美术", "体育与健康"), M, 3),
        ),
        grade_groups={"七年级组": M[:1], "八年级组": M[1:2], "九年级组": M[2:]},
        leavers=2,
        middle_managers=3,
    ),
    SchoolPlan(
        kind=School.Kind.KINDERGARTEN,
        code="GLYE01",
        name="鼓楼区机关幼儿园",
        staff_prefix="Y",
        female_share=0.96,
        groups=(
            GroupPlan("小班组", 8, ("学前教育",), K[:1], class_teacher_share=0.75),
            GroupPlan("中班组", 8, ("学前教育",), K[1:2], class_teacher_share=0.75),
            GroupPlan("大班组", 8, ("学前教育",), K[2:], class_teacher_share=0.75),
            GroupPlan("艺术组", 6, ("音乐", "美术", "舞蹈"), K, 3),
        ),
        grade_groups={},
        leavers=1,
        middle_managers=1,
    ),
)


@demo_step
def seed_district(demo: Demo) -> None:
    demo.district, _ = District.objects.get_or_create(code="GL", defaults={"name": "鼓楼区教育局"})


@demo_step
def seed_schools(demo: Demo) -> None:
    for plan in SCHOOL_PLANS:
        school, _ = School.objects.get_or_create(
            code=plan.code,
            defaults={"district": demo.district, "name": plan.name, "kind": plan.kind},
        )
        demo.schools[plan.kind] = school
        for group in plan.groups:
            TeachingGroup.objects.get_or_create(
                school=school, kind=TeachingGroup.Kind.RESEARCH, name=group.name
            )
        for name in plan.grade_groups:
            TeachingGroup.objects.get_or_create(
                school=school, kind=TeachingGroup.Kind.GRADE, name=name
            )


@demo_step
def seed_school_years(demo: Demo) -> None:
    current = school_year_start(demo.today)
    demo.school_years = [ensure_school_year(demo.district, y) for y in (current, current - 1)]


def ensure_school_year(district: District, start_year: int) -> SchoolYear:
    year, _ = SchoolYear.objects.get_or_create(
        district=district,
        start_year=start_year,
        defaults={
            "start_date": datetime.date(start_year, 9, 1),
            "end_date": datetime.date(start_year + 1, 8, 31),
        },
    )
    semesters = {
        1: (datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 1, 20)),
        2: (datetime.date(start_year + 1, 2, 20), datetime.date(start_year + 1, 7, 10)),
    }
    for number, (start, end) in semesters.items():
        Semester.objects.get_or_create(
            school_year=year, number=number, defaults={"start_date": start, "end_date": end}
        )
    return year


# -- teachers ---------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶"
    "程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛"
)
# The most common surnames first and more often, as on a real staff list.
SURNAME_WEIGHTS = [12 if i < 5 else 5 if i < 20 else 2 for i in range(len(SURNAMES))]
FEMALE_CHARS = "丽静敏燕艳娟霞芳娜丹玲萍红玉兰英慧颖琳倩雪梅琴云洁婷佳欣悦怡晶莉蓉薇秀"
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林阳峰建国志文东"
SHARED_CHARS = "晓海新春思嘉子雨一小文亚晨"
MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "158", "159", "186", "188", "150", "177")

# Share of teachers per growth stage (after one of each, so every stage has teachers).
STAGE_WEIGHTS = {
    GrowthStage.ADAPTATION: 10,
    GrowthStage.STABLE: 15,
    GrowthStage.INNOVATION: 12,
    GrowthStage.YOUNG_BACKBONE: 28,
    GrowthStage.EXCELLENCE: 35,
}
MAX_YEARS_OF_TEACHING = 35
OLDEST_AGE, YOUNGEST_AGE = 61, 24  # born 1965–2002 in the 2026–2027 school year


def chinese_name(rng: random.Random, gender: str) -> str:
    own = FEMALE_CHARS if gender == Gender.FEMALE else MALE_CHARS
    pool = own * 3 + SHARED_CHARS
    given = rng.choice(own) if rng.random() < 0.35 else rng.choice(pool) + rng.choice(own)
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + given


def years_for_stage(rng: random.Random, stage: str, district: District) -> int:
    for name, low, high in stage_bounds(district):
        if name == stage:
            return rng.randint(low, (high or MAX_YEARS_OF_TEACHING + 1) - 1)
    raise ValueError(stage)


# Weights for 中专, 大专, 本科, 硕士, 博士: older teachers often came from normal schools (中专)
# and colleges (大专); kindergartens hire fewer graduates than schools.
EDUCATION_WEIGHTS = {
    (False, False): [2, 15, 63, 17, 3],
    (False, True): [10, 35, 50, 5, 0],
    (True, False): [5, 35, 55, 5, 0],
    (True, True): [20, 50, 30, 0, 0],
}


def education_for(rng: random.Random, years: int, kind: str) -> int:
    weights = EDUCATION_WEIGHTS[kind == School.Kind.KINDERGARTEN, years >= 20]
    return rng.choices(Education.values, weights)[0]


def title_for(rng: random.Random, years: int, education: int) -> int:
    if years < 2:
        return Title.NONE
    if years < 5:
        return Title.SECOND if education >= Education.BACHELOR else Title.THIRD
    if years < 10:
        early = education >= Education.MASTER or (years >= 7 and rng.random() < 0.6)
        return Title.FIRST if early else Title.SECOND
    if years < 20:
        return Title.FIRST if rng.random() < 0.85 else Title.SECOND
    return Title.SENIOR if rng.random() < 0.6 else Title.FIRST


def start_age_for(rng: random.Random, education: int) -> int:
    if education >= Education.MASTER:
        return 24
    if education == Education.BACHELOR:
        return rng.randint(22, 23)
    return rng.randint(21, 22)


def grades_for(rng: random.Random, group: GroupPlan) -> str:
    count = min(group.grades_each, len(group.grades))
    first = rng.randrange(len(group.grades) - count + 1)
    return "、".join(group.grades[first : first + count])


def email_for(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return f"{rng.randint(10**7, 10**10)}@qq.com"
    return f"gl{rng.randint(1000, 99999)}@163.com"


class RosterBuilder:
    """Builds one school's roster from its plan, deterministically."""

    def __init__(
        self,
        *,
        plan: SchoolPlan,
        school: School,
        groups: dict[str, TeachingGroup],
        current_year: int,
    ):
        self.plan, self.school, self.groups = plan, school, groups
        self.year = current_year  # the current school year, which the ages refer to
        self.rng = random.Random(f"{DEMO_SEED}-{plan.code}")
        self.names: set[str] = set()
        self.phones: set[str] = set()

    def build(self) -> list[Teacher]:
        teachers = []
        for group in self.plan.groups:
            for _ in range(group.size):
                # The first teachers cover every stage; the rest follow STAGE_WEIGHTS.
                stage = (
                    GrowthStage.values[len(teachers)]
                    if len(teachers) < len(GrowthStage.values)
                    else self.rng.choices(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()))[0]
                )
                teachers.append(self.teacher(len(teachers) + 1, group, stage))
        self.mark_leavers(teachers)
        self.assign_posts(teachers)
        return teachers

    def teacher(self, number: int, group: GroupPlan, stage: str) -> Teacher:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < self.plan.female_share else Gender.MALE
        years = years_for_stage(rng, stage, self.school.district)
        education = education_for(rng, years, self.plan.kind)
        start_year = self.year - years
        # Keep birth dates within the staff's age range even for the newest teachers.
        age = min(max(start_age_for(rng, education), YOUNGEST_AGE - years), OLDEST_AGE - years)
        subject = rng.choice(group.subjects)
        teaches_class = rng.random() < group.class_teacher_share
        return Teacher(
            school=self.school,
            staff_no=f"{self.plan.staff_prefix}{number:04d}",
            name=self.unique_name(gender),
            gender=gender,
            birth_date=datetime.date(start_year - age, rng.randint(1, 12), rng.randint(1, 28)),
            career_start=datetime.date(start_year, 9, 1),
            education=education,
            title=title_for(rng, years, education),
            subject=subject,
            grades=grades_for(rng, group),
            group=self.groups[group.name],
            posts=[Post.CLASS_TEACHER] if teaches_class else [],
            phone=self.unique_phone(),
            email=email_for(rng) if rng.random() < 0.4 else "",
        )

    def unique_name(self, gender: str) -> str:
        name = chinese_name(self.rng, gender)
        while name in self.names:
            name = chinese_name(self.rng, gender)
        self.names.add(name)
        return name

    def unique_phone(self) -> str:
        phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        while phone in self.phones:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        self.phones.add(phone)
        return phone

    def mark_leavers(self, teachers: list[Teacher]) -> None:
        # Not the teachers that cover the stages, and nobody who left in their first years.
        candidates = [t for t in teachers[len(GrowthStage.values) :] if self.years(t) >= 2]
        for teacher in self.rng.sample(candidates, self.plan.leavers):
            teacher.is_active = False
            teacher.left_on = datetime.date(self.year - self.rng.randint(0, 1), 7, 15)
            teacher.posts = []

    def assign_posts(self, teachers: list[Teacher]) -> None:
        active = [t for t in teachers if t.is_active]
        for group in self.plan.groups:
            members = [t for t in active if t.group.name == group.name]
            if members:
                head = max(members, key=lambda t: (t.title, self.years(t)))
                head.posts.append(Post.GROUP_HEAD)
        for grades in self.plan.grade_groups.values():
            class_teachers = [
                t
                for t in active
                if Post.CLASS_TEACHER in t.posts
                and self.years(t) >= 5
                and any(g in t.grades for g in grades)
                and Post.GRADE_HEAD not in t.posts
            ]
            if class_teachers:
                self.rng.choice(class_teachers).posts.append(Post.GRADE_HEAD)
        seniors = [t for t in active if t.title >= Title.FIRST]
        for teacher in self.rng.sample(seniors, self.plan.middle_managers):
            teacher.posts.append(Post.MIDDLE_MANAGER)
        self.give_professor_title(active)

    def give_professor_title(self, active: list[Teacher]) -> None:
        """One 正高级 teacher each at the primary and the middle school."""
        if self.plan.kind == School.Kind.KINDERGARTEN:
            return
        veterans = [t for t in active if t.title == Title.SENIOR and self.years(t) >= 25]
        if veterans:
            max(veterans, key=self.years).title = Title.PROFESSOR

    def years(self, teacher: Teacher) -> int:
        return self.year - teacher.career_start.year


@demo_step
def seed_teachers(demo: Demo) -> None:
    for plan in SCHOOL_PLANS:
        school = demo.schools[plan.kind]
        groups = {g.name: g for g in school.groups.filter(kind=TeachingGroup.Kind.RESEARCH)}
        roster = RosterBuilder(
            plan=plan, school=school, groups=groups, current_year=demo.current_year.start_year
        )
        existing = set(school.teachers.values_list("staff_no", flat=True))
        new = [t for t in roster.build() if t.staff_no not in existing]
        Teacher.objects.bulk_create(new)
        demo.log(f"{school.name}: {len(new)} teachers created, {len(existing)} already there")


# -- logins ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginPlan:
    username: str
    role: str
    school_kind: str | None  # None: the district office
    display_name: str


STAFF_LOGINS = (
    LoginPlan("district", Role.DISTRICT_OFFICE, None, "鼓楼区师训办"),
    LoginPlan("principal", Role.PRINCIPAL, School.Kind.PRIMARY, "王校长"),
    LoginPlan("office", Role.TRAINING_OFFICE, School.Kind.PRIMARY, "李主任（教科室）"),
    LoginPlan("committee", Role.COMMITTEE, School.Kind.PRIMARY, "陈老师（评选小组）"),
    LoginPlan("principal2", Role.PRINCIPAL, School.Kind.MIDDLE, "刘校长"),
)


def ensure_user(username: str, *, display_name: str, **extra) -> User:
    """The demo login, created with the demo password; an existing one is left as it is."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def ensure_role(user: User, role: str, *, school: School | None, district: District | None):
    if role == Role.DISTRICT_OFFICE:
        RoleAssignment.objects.get_or_create(user=user, role=role, district=district)
    else:
        RoleAssignment.objects.get_or_create(user=user, role=role, school=school)


@demo_step
def seed_staff_logins(demo: Demo) -> None:
    for plan in STAFF_LOGINS:
        school = demo.schools[plan.school_kind] if plan.school_kind else None
        user = ensure_user(plan.username, display_name=plan.display_name)
        ensure_role(user, plan.role, school=school, district=demo.district)
        demo.add_login(user, plan.role, school)


def backbone_aged_teacher(school: School, today: datetime.date) -> Teacher | None:
    """An active teacher in the young-backbone stage who meets the usual eligibility rules."""
    after, until = career_start_range(GrowthStage.YOUNG_BACKBONE, school.district, today)
    return (
        school.teachers.active()
        .filter(
            user__isnull=True,
            career_start__gt=after,
            career_start__lte=until,
            education__gte=Education.BACHELOR,
            title__gte=Title.FIRST,
        )
        .order_by("staff_no")
        .first()
    )


@demo_step
def seed_teacher_login(demo: Demo) -> None:
    school = demo.schools[School.Kind.PRIMARY]
    existing = User.objects.filter(username="teacher").first()
    teacher = Teacher.objects.filter(user=existing).first() if existing else None
    teacher = teacher or backbone_aged_teacher(school, demo.today)
    if teacher is None:
        raise CommandError(f"{school.name} has no backbone-aged teacher for the teacher login.")
    user = ensure_user("teacher", display_name=teacher.name, email=teacher.email)
    if teacher.user_id is None:
        teacher.user = user
        teacher.save(update_fields=["user", "updated_at"])
    ensure_role(user, Role.TEACHER, school=school, district=None)
    demo.add_login(user, Role.TEACHER, school)


@demo_step
def seed_admin(demo: Demo) -> None:
    user = ensure_user("admin", display_name="系统管理员", is_staff=True, is_superuser=True)
    demo.add_login(user, "superuser")


# -- the summary table ---------------------------------------------------------------------------


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(rows: Iterable[Iterable[str]]) -> str:
    """Rows as aligned columns, counting Chinese characters as two columns wide."""
    rows = [list(map(str, row)) for row in rows]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )
