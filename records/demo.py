"""Demo records: several teachers of the primary school (the `teacher` login's first) log a
realistic year and a half of work: open classes, observations, papers, a research project,
talks, training, reading notes, a study trip and a self-development plan. Most of last year is
verified; this year has records verified, awaiting verification, returned with a reason and
still in draft, and training hours near the 72/24 mark. No files are attached.

A teacher who already has records is left alone, so running the step again adds nothing."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.demo import Demo, demo_step
from core.models import School, User
from teachers.models import Teacher

from .models import (
    AuditEntry,
    Lecture,
    Level,
    Observation,
    OpenClass,
    Paper,
    ReadingNote,
    Record,
    ResearchProject,
    SelfDevelopmentPlan,
    Status,
    StudyTrip,
    Training,
)
from .services.workflow import record_create_trusted

DEMO_TEACHERS = 8
TZ = datetime.timezone(datetime.timedelta(hours=8))

TOPICS = {
    "语文": ["《落花生》", "《草船借箭》", "《圆明园的毁灭》", "《桂林山水》", "《秋天的雨》",
             "《四季之美》", "《鸟的天堂》", "《将相和》", "《搭船的鸟》", "《少年中国说》"],
    "数学": ["《分数的初步认识》", "《圆的面积》", "《鸡兔同笼》", "《平行四边形的面积》",
             "《确定位置》", "《百分数的意义》", "《三角形的内角和》", "《认识人民币》"],
    "英语": ["Unit 3 At the zoo", "Unit 5 My clothes", "Unit 2 Ways to go to school",
             "Unit 4 Then and now", "Unit 6 Meet my family"],
    "科学": ["《水的三态变化》", "《简单电路》", "《植物的一生》", "《声音的产生》",
             "《地球的运动》"],
}  # fmt: skip
GENERIC_TOPICS = ["《{s}课堂教学展示》", "《{s}综合实践活动》", "《{s}大单元复习课》"]
THEMES = [
    "大单元整体教学设计的实践研究",
    "“双减”背景下作业设计的优化",
    "核心素养导向的课堂提问策略",
    "学习任务群视域下的阅读教学",
    "基于课堂观察的学生深度学习",
]
PLACES = ["三楼录播教室", "学术报告厅", "多功能厅", "四年级（2）班教室", "五年级（1）班教室"]
OUTREACH_SCHOOLS = ["鼓楼区洪山中心小学", "闽侯县南屿中心小学", "永泰县城关小学"]
PAPER_TITLES = [
    "核心素养视域下小学{s}大单元教学的实践与思考",
    "“双减”背景下小学{s}分层作业设计探究",
    "基于学习任务群的小学{s}课堂教学案例",
    "信息技术与小学{s}教学深度融合的策略研究",
    "小学{s}课堂追问的有效性研究",
]
VENUES = ["《福建教育》", "《小学教学参考》", "《福州教育研究》", "鼓楼区教育教学论文评选",
          "福州市基础教育教学成果评选"]  # fmt: skip
LECTURES = [
    ("如何上好一节家常课", Lecture.Audience.GRADE_GROUP),
    ("大单元教学设计的几点思考", Lecture.Audience.WHOLE_STAFF),
    ("新课标背景下的作业设计", Lecture.Audience.FORUM),
    ("青年教师如何做好教学反思", Lecture.Audience.WHOLE_STAFF),
    ("从一节课看课堂评价的变化", Lecture.Audience.DISTRICT),
]
SCHOOL_TRAININGS = [
    "校本培训：新课程标准解读", "校本培训：课堂观察量表的使用", "校本培训：班主任工作经验交流",
    "校本培训：信息技术2.0应用能力提升", "校本培训：师德师风专题学习", "校本培训：教学案例撰写",
    "校本培训：作业设计工作坊", "校本培训：心理健康教育",
]  # fmt: skip
OTHER_TRAININGS = [
    ("鼓楼区小学骨干教师研修班", Level.DISTRICT),
    ("福州市中小学教师暑期全员培训", Level.MUNICIPAL),
    ("国家中小学智慧教育平台寒假研修", Level.NATIONAL),
    ("福建省中小学骨干教师网络研修", Level.PROVINCIAL),
    ("鼓楼区新课标专题培训", Level.DISTRICT),
]
BOOKS = ["《给教师的建议》", "《教学勇气》", "《静悄悄的革命》", "《第56号教室的奇迹》",
         "《学习的本质》", "《追求理解的教学设计》", "《可见的学习》",
         "《课程的逻辑》"]  # fmt: skip
REFLECTION = (
    "读{book}，印象最深的是把学生放在课堂中央。对照自己的课堂，提问多、等待少，"
    "学生真正思考的时间不够。下阶段准备在每节课设计一个核心问题，并留出独立思考和小组交流的时间，"
    "课后用学生的作业和访谈检验效果。"
)
TRIPS = [
    ("上海市静安区教育学院附属学校", "参加长三角小学{s}课堂教学观摩研讨会"),
    ("杭州市天长小学", "学习“基于学习任务群”的教学改革经验"),
    ("南京市琅琊路小学", "参加全国小学{s}教学改革研讨活动"),
]
OUTSIDERS = [("陈晓燕", "福州市实验小学"), ("林海峰", "福州教育学院附属第一小学"),
             ("黄丽华", "鼓楼区第二中心小学")]  # fmt: skip
RETURN_REASONS = [
    "内容过于简单，请补充教学环节的评析和自己的思考。",
    "请补充发表刊物的刊号和期数后再提交。",
    "日期与学校活动安排不一致，请核对后重新提交。",
    "请写明培训的主办单位，并补充培训证书。",
]


@dataclass(frozen=True)
class HoursPlan:
    """Verified training hours (total, school-based) in the previous and current school
    year, and hours still awaiting verification this year."""

    previous: tuple[str, str]
    current: tuple[str, str]
    pending: str = "0"


# The teacher login first: close to the mark, with hours awaiting verification. Then one
# teacher short of school-based hours only, one half an hour short, one exactly on the mark.
HOURS_PLANS = [
    HoursPlan(previous=("76", "28"), current=("60", "24"), pending="12"),
    HoursPlan(previous=("80", "30"), current=("72", "22")),
    HoursPlan(previous=("66", "24"), current=("71.5", "24")),
    HoursPlan(previous=("74", "26"), current=("72", "24")),
    HoursPlan(previous=("72", "24"), current=("40", "12"), pending="6"),
    HoursPlan(previous=("90", "32"), current=("48", "18")),
    HoursPlan(previous=("72", "20"), current=("30", "9")),
    HoursPlan(previous=("78", "24"), current=("36", "15"), pending="8"),
]


def _demo_teachers(school: School) -> list[Teacher]:
    """The teacher login's teacher, then backbone teachers, then others, all on staff."""
    active = Teacher.objects.filter(school=school, is_active=True)
    chosen = list(active.filter(user__username="teacher"))
    backbone = active.filter(designations__isnull=False).exclude(user__username="teacher")
    chosen += [t for t in backbone.distinct().order_by("staff_no") if t not in chosen]
    chosen += [t for t in active.order_by("staff_no")[: DEMO_TEACHERS * 2] if t not in chosen]
    return chosen[:DEMO_TEACHERS]


class RecordSeeder:
    """One teacher's records over the previous and the current school year."""

    def __init__(self, *, demo: Demo, teacher: Teacher, plan: HoursPlan, office):
        self.demo, self.teacher, self.plan, self.office = demo, teacher, plan, office
        self.rng = random.Random(f"records-{teacher.staff_no}")
        self.is_login = teacher.user_id is not None
        self.colleagues = list(
            Teacher.objects.filter(school=teacher.school, is_active=True)
            .exclude(pk=teacher.pk)
            .order_by("staff_no")
        )
        current = demo.current_year
        previous = demo.school_years[1]
        self.today = demo.today
        self.periods = {
            "previous": (previous.start_date, previous.semesters.order_by("-number")[0].end_date),
            "current": (current.start_date, max(current.start_date, demo.today)),
        }
        self.reasons = iter(self.rng.sample(RETURN_REASONS, len(RETURN_REASONS)))

    # -- dates and statuses --------------------------------------------------------------------
    def day(self, period: str, *, share: float | None = None) -> datetime.date:
        start, end = self.periods[period]
        span = (end - start).days
        share = self.rng.random() if share is None else share
        day = start + datetime.timedelta(days=int(span * share))
        return day - datetime.timedelta(days=2) if day.weekday() == 6 else day  # not Sundays

    def status_for(self, period: str, day: datetime.date) -> str:
        if period == "previous":
            return Status.VERIFIED if self.rng.random() < 0.92 else Status.ARCHIVED
        age = (self.today - day).days
        roll = self.rng.random()
        if age > 30:
            return Status.VERIFIED if roll < 0.75 else Status.SUBMITTED
        return Status.SUBMITTED if roll < 0.55 else Status.DRAFT

    def moment(self, day: datetime.date, hours: int) -> datetime.datetime:
        when = datetime.datetime.combine(day, datetime.time(16, 0), tzinfo=TZ)
        when += datetime.timedelta(hours=hours)
        return min(when, timezone.now())

    # -- saving ------------------------------------------------------------------------------
    def save(self, record: Record, status: str, *, reason: str = "") -> Record:
        record.teacher = self.teacher
        record_create_trusted(record=record, actor=self.teacher.user)
        AuditEntry.objects.filter(record_id=record.pk).update(at=self.moment(record.date, 0))
        if status == Status.DRAFT:
            return record
        submitted = self.moment(record.date, 20)
        fields = {"status": status, "submitted_at": submitted}
        trail = [(AuditEntry.Action.SUBMITTED, self.teacher.user, submitted, "")]
        if status in (Status.VERIFIED, Status.ARCHIVED):
            verified = self.moment(record.date, 70)
            fields.update(verified_at=verified, verified_by=self.office)
            trail.append((AuditEntry.Action.VERIFIED, self.office, verified, ""))
        if status == Status.ARCHIVED:
            fields["archived_at"] = self.moment(record.date, 200)
            trail.append((AuditEntry.Action.ARCHIVED, self.office, fields["archived_at"], ""))
        if status == Status.RETURNED:
            reason = reason or next(self.reasons, RETURN_REASONS[0])
            fields["return_reason"] = reason
            returned = self.moment(record.date, 50)
            trail.append((AuditEntry.Action.RETURNED, self.office, returned, reason))
        Record.objects.filter(pk=record.pk).update(**fields)
        for action, actor, at, note in trail:
            entry = AuditEntry.objects.create(
                record_id=record.pk, actor=actor, action=action, note=note
            )
            AuditEntry.objects.filter(pk=entry.pk).update(at=at)
        return record

    # -- the kinds -----------------------------------------------------------------------------
    @property
    def subject(self) -> str:
        return self.teacher.subject

    def topic(self) -> str:
        topics = TOPICS.get(self.subject) or [t.format(s=self.subject) for t in GENERIC_TOPICS]
        return self.rng.choice(topics)

    def open_class(self, day, status, *, kind=OpenClass.ClassKind.RESEARCH, level=Level.SCHOOL):
        outreach = kind == OpenClass.ClassKind.OUTREACH
        return self.save(
            OpenClass(
                date=day,
                starts_at=datetime.datetime.combine(
                    day, datetime.time(self.rng.choice([8, 9, 10, 14])), tzinfo=TZ
                ),
                class_kind=kind,
                level=level,
                place="学校报告厅" if outreach else self.rng.choice(PLACES),
                host_school=self.rng.choice(OUTREACH_SCHOOLS) if outreach else "",
                subject=self.subject,
                grade_class=(self.teacher.grades.split("、")[0] or "四年级") + "（2）班",
                topic=self.topic(),
                research_theme=self.rng.choice(THEMES),
                prize="二等奖" if kind == OpenClass.ClassKind.COMPETITION else "",
            ),
            status,
        )

    def observation(self, day, status, *, reason=""):
        if self.rng.random() < 0.75 and self.colleagues:
            observed = self.rng.choice(self.colleagues)
            who = {"observed_teacher": observed, "subject": observed.subject}
        else:
            name, school = self.rng.choice(OUTSIDERS)
            who = {"observed_name": name, "observed_school": school, "subject": self.subject}
        return self.save(
            Observation(
                date=day,
                class_name=self.rng.choice(["三年级（1）班", "四年级（3）班", "五年级（2）班"]),
                notes="教学目标清晰，情境导入自然；小组合作时学生参与度高。"
                "建议：追问可以更深入，给学生更多表达的时间。",
                rating=self.rng.choice([3, 4, 4, 5]),
                **who,
            ),
            status,
            reason=reason,
        )

    def paper(self, day, status, *, progress=Paper.Progress.WRITTEN, reason=""):
        awarded = progress == Paper.Progress.AWARDED
        return self.save(
            Paper(
                date=day,
                result_kind=self.rng.choice([Paper.ResultKind.PAPER, Paper.ResultKind.CASE]),
                paper_title=self.rng.choice(PAPER_TITLES).format(s=self.subject),
                progress=progress,
                venue=self.rng.choice(VENUES) if progress != Paper.Progress.WRITTEN else "",
                award_level=self.rng.choice([Level.DISTRICT, Level.MUNICIPAL]) if awarded else None,
                prize=self.rng.choice(list(Paper.Prize.values[:3])) if awarded else "",
            ),
            status,
            reason=reason,
        )

    def project(self, day, status, *, role=ResearchProject.Role.LEADER, level=Level.DISTRICT):
        record = self.save(
            ResearchProject(
                date=day,
                project_title=f"小学{self.subject}作业设计的实践研究",
                level=level,
                role=role,
                other_members="",
                stage=ResearchProject.Stage.APPROVED,
                approved_on=day,
                semester_plan="第一阶段：文献学习与现状调查；第二阶段：设计分层作业并在两个班试用。",
                process_records="9月：组建课题组，完成调查问卷；10月：收集学生作业样本并分析。",
                stage_summary="",
                outcome="",
            ),
            status,
        )
        record.members.set(self.rng.sample(self.colleagues, min(2, len(self.colleagues))))
        return record

    def lecture(self, day, status):
        topic, audience = self.rng.choice(LECTURES)
        return self.save(
            Lecture(date=day, topic=topic, audience=audience, attendees=self.rng.randint(12, 80)),
            status,
        )

    def training(self, day, status, *, hours, school_based, reason=""):
        if school_based:
            course, level = self.rng.choice(SCHOOL_TRAININGS), Level.SCHOOL
        else:
            course, level = self.rng.choice(OTHER_TRAININGS)
        days = 0 if hours <= 8 else min(4, int(hours // 8))
        return self.save(
            Training(
                date=day,
                end_date=day + datetime.timedelta(days=days),
                course=course,
                organiser_level=level,
                hours=hours,
                school_based=school_based,
            ),
            status,
            reason=reason,
        )

    def reading(self, day, status):
        book = self.rng.choice(BOOKS)
        return self.save(
            ReadingNote(
                date=day.replace(day=1), book=book, reflection=REFLECTION.format(book=book)
            ),
            status,
        )

    def study_trip(self, day, status, *, follow_up=None):
        destination, purpose = self.rng.choice(TRIPS)
        return self.save(
            StudyTrip(
                date=day,
                end_date=day + datetime.timedelta(days=2),
                destination=destination,
                purpose=purpose.format(s=self.subject),
                report="三天听了八节课、两场专家报告。最大的收获是课堂上“学为中心”的具体做法，"
                "回校后在组内做了汇报，并上了一节汇报课。",
                follow_up=follow_up,
            ),
            status,
        )

    def plan_record(self, day, status, *, first_year):
        return self.save(
            SelfDevelopmentPlan(
                date=day,
                first_year=first_year,
                last_year=first_year + 2,
                review="从教以来一直担任班主任和语文教学工作，教学成绩稳定，多次承担校级公开课。",
                self_assessment="课堂组织能力较强；教育科研和论文写作是短板。",
                long_term_goals="三年内成为区级骨干教师，形成自己的教学风格。",
                short_term_goals="本学年上一节区级公开课，完成一篇区级获奖论文。",
                measures="每学期读一本教育专著；每周听课两节；参加区级课题研究。",
            ),
            status,
        )

    # -- a year of work --------------------------------------------------------------------
    def hours(self, period: str, total: Decimal, school_based: Decimal, status=Status.VERIFIED):
        """Training sessions adding up to exactly ``total`` hours, ``school_based`` of them
        school-based."""
        for amount, based in ((school_based, True), (total - school_based, False)):
            sizes = [Decimal(3), Decimal(4), Decimal(2)] if based else [Decimal(6), Decimal(12)]
            left = amount
            while left > 0:
                size = min(left, self.rng.choice(sizes))
                if 0 < left - size < 1:  # no half-hour leftover as a session of its own
                    size = left
                day = self.day(period, share=self.session_share(period, status))
                self.training(day, status, hours=size, school_based=based)
                left -= size

    def session_share(self, period: str, status: str) -> float | None:
        """Where in the period a session falls: awaiting verification means recent, this
        year's verified sessions are the older ones."""
        if status == Status.SUBMITTED:
            return self.rng.uniform(0.8, 1.0)
        if period == "current":
            return self.rng.uniform(0.0, 0.6)
        return None

    def previous_year(self) -> None:
        total, based = (Decimal(v) for v in self.plan.previous)
        self.hours("previous", total, based)
        talk = self.lecture(self.day("previous", share=0.7), Status.VERIFIED)
        self.open_class(self.day("previous", share=0.3), Status.VERIFIED, level=Level.DISTRICT)
        report = self.open_class(
            self.day("previous", share=0.55), Status.VERIFIED, kind=OpenClass.ClassKind.REPORT
        )
        for _ in range(self.rng.randint(4, 7)):
            self.observation(self.day("previous"), self.status_for("previous", self.today))
        self.paper(
            self.day("previous", share=0.8), Status.VERIFIED, progress=Paper.Progress.AWARDED
        )
        for share in (0.1, 0.35, 0.6, 0.9):
            self.reading(self.day("previous", share=share), Status.VERIFIED)
        self.study_trip(
            self.day("previous", share=0.45),
            Status.VERIFIED,
            follow_up=self.rng.choice([talk, report]),
        )
        if self.is_login:
            self.project(self.day("previous", share=0.15), Status.VERIFIED)
            self.plan_record(
                self.day("previous", share=0.05),
                Status.VERIFIED,
                first_year=self.demo.school_years[1].start_year,
            )

    def current_year(self) -> None:
        total, based = (Decimal(v) for v in self.plan.current)
        self.hours("current", total, based)
        if Decimal(self.plan.pending):
            pending = Decimal(self.plan.pending)
            self.hours("current", pending, min(pending, Decimal(3)), status=Status.SUBMITTED)
        self.training(
            self.day("current", share=0.5), Status.RETURNED, hours=Decimal(8), school_based=False
        )
        self.training(self.day("current", share=0.98), Status.DRAFT, hours=3, school_based=True)
        early = self.day("current", share=0.2)
        self.open_class(early, Status.VERIFIED, kind=OpenClass.ClassKind.DEMONSTRATION)
        # An upcoming open class, on the calendar for colleagues to sign up.
        upcoming = self.today + datetime.timedelta(days=self.rng.randint(3, 20))
        kind = self.rng.choice([OpenClass.ClassKind.RESEARCH, OpenClass.ClassKind.OUTREACH])
        self.open_class(upcoming, Status.SUBMITTED, kind=kind)
        for _ in range(self.rng.randint(2, 5)):
            day = self.day("current")
            self.observation(day, self.status_for("current", day))
        self.observation(self.day("current", share=0.6), Status.RETURNED)
        published = Paper.Progress.PUBLISHED
        self.paper(self.day("current", share=0.4), Status.RETURNED, progress=published)
        self.paper(self.day("current", share=0.95), Status.DRAFT)
        self.lecture(self.day("current", share=0.7), Status.SUBMITTED)
        for share in (0.05, 0.4, 0.75):
            day = self.day("current", share=share)
            self.reading(day, self.status_for("current", day))
        if self.is_login:
            self.project(
                self.day("current", share=0.3),
                Status.SUBMITTED,
                role=ResearchProject.Role.MEMBER,
                level=Level.SCHOOL,
            )
        elif self.rng.random() < 0.5:
            self.plan_record(
                self.day("current", share=0.9),
                Status.DRAFT,
                first_year=self.demo.current_year.start_year,
            )


@demo_step
def seed_records(demo: Demo) -> None:
    school = demo.schools[School.Kind.PRIMARY]
    office = User.objects.filter(username="office").first()
    created = 0
    for index, teacher in enumerate(_demo_teachers(school)):
        if Record.objects.filter(teacher=teacher).exists():
            continue
        seeder = RecordSeeder(
            demo=demo,
            teacher=teacher,
            plan=HOURS_PLANS[index % len(HOURS_PLANS)],
            office=office,
        )
        seeder.previous_year()
        seeder.current_year()
        created += 1
    demo.log(f"{school.name}: professional records for {created} teachers")
