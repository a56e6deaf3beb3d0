"""Demo training: the primary school's school-based programme of this school year (all staff,
a session every few weeks; the past ones with their register, so the `teacher` login's ledger
already shows credited hours, and one today for trying the QR sign-in), and one district
backbone training class.

The teachers whose hours records.demo typed in by hand (all but the `teacher` login) are left
out of both, so the 72/24 meter keeps its spread of met and not met just around 72.

A programme that already exists is left alone, so running the step again adds nothing."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from backbone.models import Designation
from core.demo import Demo, demo_step
from core.models import School, User
from records.models import Training

from .enrolling import enrolments_create
from .ledger import attendance_record
from .models import Attendance, Programme, Session

SCHOOL_BASED_SESSIONS = [
    # (month, day, theme, speaker, content)
    (9, 24, "新课标解读：核心素养导向的教学", "王校长",
     "课程标准的结构与学业质量标准；对照本学科梳理教学目标。"),
    (10, 22, "大单元教学设计", "华东师大 李教授",
     "单元目标、评价任务与学习活动的一致性；以四年级语文第三单元为例。"),
    (11, 19, "作业设计与分层", "教科室 李主任",
     "基础性、拓展性与实践性作业；每组带一份本单元作业设计来研讨。"),
    (12, 17, "课堂观察与评课", "区教研员 陈老师", "观察量表的使用；分组观摩一节录像课并评课。"),
    (3, 18, "课题研究入门", "教科室 李主任", "从教学问题到研究问题；开题报告的写法。"),
    (4, 22, "信息技术与学科融合", "区教师进修学校 赵老师", "交互式课件与学习平台的课堂应用。"),
]  # fmt: skip
DISTRICT_SESSIONS = [
    (10, 29, "骨干教师的专业引领", "区教师进修学校 孙校长",
     "骨干教师的职责与示范引领；三年发展规划的制定。"),
    (5, 13, "课例研究与成果提炼", "市教科院 周研究员", "从课例到论文：研究成果的提炼与表达。"),
]  # fmt: skip
MODULES = "师德与课程理念\n教学设计与实施\n作业与评价\n教育科研\n信息技术应用"


def _day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year if month >= 9 else year + 1, month, day)


def _sessions(programme: Programme, plan, today: datetime.date, *, with_today: bool) -> None:
    for index, (month, day, theme, speaker, content) in enumerate(plan):
        date = _day(programme.year, month, day)
        if index == 0:  # early in the school year too, one session is already past
            week_ago = today - datetime.timedelta(days=7)
            date = min(date, max(programme.start_date, week_ago))
        if date == today:
            continue  # today's session is added below
        Session.objects.create(
            programme=programme, date=date, starts_at=datetime.time(15, 30),
            ends_at=datetime.time(17, 30), place="学术报告厅", speaker_name=speaker, theme=theme,
            content=content, hours=programme.hours_per_session, published_at=timezone.now(),
        )  # fmt: skip
    if with_today and programme.start_date <= today <= programme.end_date:
        Session.objects.create(
            programme=programme, date=today, starts_at=datetime.time(7, 30),
            ends_at=datetime.time(22, 30), place="阶梯教室", speaker_name="教科室 李主任",
            theme="校本教研工作坊：同课异构", content="两位老师同上一课，分组观课议课。",
            hours=programme.hours_per_session, published_at=timezone.now(),
        )  # fmt: skip


def _registers(programme: Programme, today: datetime.date, office, login_teacher, rng) -> int:
    lines = 0
    enrolled = [e.teacher for e in programme.enrolments.select_related("teacher")]
    for session in programme.sessions.filter(date__lt=today):
        for teacher in enrolled:
            roll = rng.random()
            if teacher == login_teacher or roll < 0.82:
                status, reason = Attendance.Status.PRESENT, ""
            elif roll < 0.88:
                status, reason = Attendance.Status.LATE, ""
            elif roll < 0.95:
                status, reason = Attendance.Status.LEAVE, rng.choice(["病假", "外出教研", "事假"])
            else:
                status, reason = Attendance.Status.ABSENT, ""
            attendance_record(
                session=session, teacher=teacher, status=status, reason=reason,
                method=Attendance.Method.REGISTER, by=office,
            )  # fmt: skip
            lines += 1
    return lines


@demo_step
def seed_training(demo: Demo) -> None:
    school = demo.schools[School.Kind.PRIMARY]
    year = demo.current_year.start_year
    office = User.objects.filter(username="office").first()
    district_user = User.objects.filter(username="district").first()
    login = User.objects.filter(username="teacher").first()
    login_teacher = getattr(login, "teacher", None) if login else None
    rng = random.Random(20260914)
    typed_in = set(
        Training.objects.filter(year=year, source="")
        .exclude(teacher=login_teacher)
        .values_list("teacher_id", flat=True)
    )

    title = f"{year}学年校本培训：新课标下的大单元教学"
    if not Programme.objects.filter(school=school, title=title).exists():
        programme = Programme.objects.create(
            school=school, district=school.district, title=title,
            kind=Programme.Kind.SCHOOL_BASED, audience=Programme.Audience.NAMED,
            modules=MODULES, start_date=datetime.date(year, 9, 1),
            end_date=datetime.date(year + 1, 7, 10), hours_per_session=Decimal(3),
            school_based=True, created_by=office,
            pass_rule="出勤不少于三分之二；每次培训后提交学习心得；学期末提交一份单元教学设计。",
        )  # fmt: skip
        teachers = school.teachers.filter(is_active=True).exclude(pk__in=typed_in)
        enrolments_create(
            programme=programme, teacher_ids=[t.pk for t in teachers], origin="audience"
        )
        _sessions(programme, SCHOOL_BASED_SESSIONS, demo.today, with_today=True)
        lines = _registers(programme, demo.today, office, login_teacher, rng)
        demo.log(f"{school.name}: school-based training, {lines} register lines")

    title = f"{year}学年鼓楼区骨干教师培训班"
    if not Programme.objects.filter(school=None, district=demo.district, title=title).exists():
        programme = Programme.objects.create(
            district=demo.district, title=title, kind=Programme.Kind.BACKBONE_CLASS,
            audience=Programme.Audience.NAMED, start_date=datetime.date(year, 9, 1),
            end_date=datetime.date(year + 1, 6, 30), hours_per_session=Decimal(4),
            school_based=False, capacity=40, created_by=district_user,
            pass_rule="出勤、理论考核、汇报课、课件、调研报告、论文答辩（合格证书）。",
        )  # fmt: skip
        backbone = sorted(
            set(
                Designation.objects.current(demo.today)
                .filter(teacher__school__district=demo.district, teacher__is_active=True)
                .values_list("teacher_id", flat=True)
            )
            - typed_in
        )
        enrolments_create(programme=programme, teacher_ids=backbone[:40], origin="named")
        _sessions(programme, DISTRICT_SESSIONS, demo.today, with_today=False)
        lines = _registers(programme, demo.today, district_user, login_teacher, rng)
        demo.log(f"{demo.district.name}: district backbone training class, {lines} register lines")


@demo_step
def seed_training_answers(demo: Demo) -> None:
    """Feedback on the past sessions and next year's training-needs survey (demo_outcomes)."""
    from .demo_outcomes import seed

    login = User.objects.filter(username="teacher").first()
    seed(
        demo,
        office=User.objects.filter(username="office").first(),
        login_teacher=getattr(login, "teacher", None) if login else None,
    )
