"""Demo group work: the `teacher` login's teaching-research group at the primary school, its
head with a login of their own (`grouphead`), this semester's plan (the weekly slot and a
week-by-week schedule), the weeks already past held with their register and minutes (one
left out, so the plan shows a week not held), today's activity open for the QR sign-in, and
two units of collective preparation: one agreed and adapted, one in discussion.

Teachers whose hours records.demo typed in by hand (the teacher login aside) are marked on
leave, so their 72/24 meters stay just around the mark. A plan that already exists is left
alone, so running the step again adds nothing."""

import datetime

from core.demo import Demo, demo_step, ensure_role, ensure_user
from core.models import Role, School, Semester, User
from records.models import Training
from teachers.models import Post, Teacher
from training.ledger import attendance_record
from training.models import Attendance

from .models import SemesterPlan
from .selectors import group_members
from .services import planning, preparation

WEEKS = [
    # (week, kind, theme, minutes)
    (1, "planning", "制定本学期教研计划，确定研究专题",
     "讨论通过本学期计划；专题定为“整本书阅读的课堂推进”。"),
    (3, "collective_prep", "集体备课：第三单元",
     "主备人说单元目标与课时安排，组内逐课研讨，形成共案初稿。"),
    (5, "presentation", "说课：《草船借箭》",
     "两位老师说课，大家就教学目标与评价任务提出修改意见。"),
    (7, "seminar", "专题研讨：整本书阅读的课堂推进",
     "交流各年级阅读单，确定下阶段每周一节阅读交流课。"),
    (9, "evaluation", "研究课评课", None),  # not held: the plan shows it
    (11, "polishing", "磨课：区赛课准备", "第二轮试教后，调整小组合作环节的时间分配。"),
    (13, "same_lesson", "同课异构：《景阳冈》", "两种设计对比：以问题链推进和以任务单推进。"),
    (16, "evaluation", "研究课评课与反思", "评课并整理本学期研究课资料。"),
    (18, "summary", "学期教研工作总结", "总结本学期计划完成情况，提出下学期设想。"),
]  # fmt: skip
SLOT = (datetime.time(15, 40), datetime.time(17, 10))


def _head(group, demo: Demo, school: School):
    teachers = group_members(group).select_related("user")
    head = next((t for t in teachers if Post.GROUP_HEAD in t.posts), None) or teachers.first()
    if head.user_id is None:
        existing = User.objects.filter(username="grouphead").first()
        if existing is not None and hasattr(existing, "teacher"):
            head = existing.teacher
        else:
            head.user = ensure_user("grouphead", display_name=head.name, email=head.email)
            head.save(update_fields=["user", "updated_at"])
    ensure_role(head.user, Role.TEACHER, school=school, district=None)
    group.heads.add(head.user)
    if head.user.username == "grouphead":
        demo.add_login(head.user, Role.TEACHER, school)
    return head


def _semester(demo: Demo) -> Semester | None:
    semesters = Semester.objects.filter(school_year=demo.current_year).order_by("number")
    return (
        semesters.filter(start_date__lte=demo.today, end_date__gte=demo.today).first()
        or semesters.filter(start_date__gt=demo.today).first()
        or semesters.last()
    )


def _register(activity, members, head_user, on_leave: set[int], index: int) -> None:
    for n, teacher in enumerate(members):
        if teacher.pk in on_leave:
            status, reason = Attendance.Status.LEAVE, "外出教研"
        elif (n + index) % 9 == 4:
            status, reason = Attendance.Status.LATE, ""
        else:
            status, reason = Attendance.Status.PRESENT, ""
        attendance_record(
            session=activity.session, teacher=teacher, status=status, reason=reason,
            method=Attendance.Method.REGISTER, by=head_user,
        )  # fmt: skip


def _activities(plan, head, members, on_leave, today) -> None:
    for index, (number, kind, theme, minutes) in enumerate(WEEKS):
        if number > plan.week_count:
            continue
        week = planning.week_set(plan=plan, week=number, theme=theme, kind=kind, by=head.user)
        if not plan.semester.start_date <= week.date <= today or minutes is None:
            continue
        activity = planning.activity_save(
            plan=plan, week=week, kind=kind, theme=theme, content=f"{theme}：组内研讨。",
            date=week.date, starts_at=SLOT[0], ends_at=SLOT[1], place=plan.place, host=head,
            by=head.user,
        )  # fmt: skip
        _register(activity, members, head.user, on_leave, index)
        planning.activity_minutes_save(
            activity=activity, minutes=minutes, follow_up="各备课组按研讨结果调整下周教案。",
            by=head.user,
        )  # fmt: skip
    if plan.semester.start_date <= today <= plan.semester.end_date:
        planning.activity_save(
            plan=plan, week=None, kind="seminar", theme="阅读交流课观摩与研讨",
            content="观摩一节阅读交流课，围绕提问设计研讨。", date=today,
            starts_at=datetime.time(7, 30), ends_at=datetime.time(22, 30), place=plan.place,
            host=head, by=head.user,
        )  # fmt: skip


def _units(plan, head, login, today) -> None:
    taught = min(today, plan.semester.start_date + datetime.timedelta(days=30))
    preparer = login if login is not None and login != head else head
    agreed = preparation.unit_create(
        plan=plan, title="第三单元《草船借箭》", main_preparer=preparer,
        activity=plan.activities.filter(kind="collective_prep").first(), by=head.user,
    )  # fmt: skip
    draft = "教学目标：1. 会认本课生字；2. 按起因、经过、结果讲述故事；3. 体会诸葛亮的神机妙算。"
    preparation.unit_draft_save(unit=agreed, draft=draft, by=preparer.user)
    preparation.unit_comment(unit=agreed, text="第二课时可以加一个复述的小组活动。", by=head.user)
    preparation.unit_agree(unit=agreed, common_plan="", by=head.user)
    for teacher in {head, preparer}:
        preparation.adaptation_save(
            unit=agreed, class_name="五(1)班" if teacher == head else "五(3)班",
            text="按共案，复述环节改为同桌互讲。", taught_on=taught,
            reflection="复述环节学生参与度高，时间略紧。", by=teacher.user,
        )  # fmt: skip
    discussed = preparation.unit_create(
        plan=plan, title="第六单元《景阳冈》", main_preparer=head, activity=None, by=head.user
    )
    preparation.unit_draft_save(
        unit=discussed, draft="以问题链推进：武松为什么要上景阳冈？", by=head.user
    )
    if preparer != head:
        preparation.unit_comment(unit=discussed, text="问题链可以再少一问。", by=preparer.user)


@demo_step
def seed_groups(demo: Demo) -> None:
    school = demo.schools[School.Kind.PRIMARY]
    login = Teacher.objects.filter(school=school, user__username="teacher").first()
    group = login.group if login and login.group_id else school.groups.first()
    semester = _semester(demo)
    if group is None or semester is None:
        return
    if SemesterPlan.objects.filter(group=group, semester=semester).exists():
        return
    head = _head(group, demo, school)
    office = User.objects.filter(username="office").first() or head.user
    plan = planning.plan_create(
        group=group, semester=semester, weekday=2, starts_at=SLOT[0], ends_at=SLOT[1],
        place="三楼语文教研室", aims="围绕“整本书阅读的课堂推进”开展研究课与集体备课。",
        by=office,
    )  # fmt: skip
    members = list(group_members(group))
    typed_in = set(
        Training.objects.filter(year=demo.current_year.start_year, source="")
        .exclude(teacher=login)
        .values_list("teacher_id", flat=True)
    )
    _activities(plan, head, members, typed_in, demo.today)
    _units(plan, head, login if login in members else None, demo.today)
    demo.log(
        f"{school.name}: {group.name}, semester plan with {plan.activities.count()} activities"
    )
