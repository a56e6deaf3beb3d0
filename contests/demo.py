"""Demo competitions, a lesson study and the shared library (`manage.py seed_demo`).

The primary school's young teachers' class competition of this school year is already judged
and published: the `teacher` login won a first prize, which is on their record by itself. The
`teacher` login polishes one lesson over two rounds (磨课), and verified cases and designs of
the school are in the shared library, two chosen for the year's collection.

Each part that exists already is left alone, so running the step again adds nothing."""

import datetime

from core.demo import Demo, demo_step
from core.models import School, User
from records.models import LessonStudy, OpenClass, Paper, Status
from records.services.lessonstudy import lesson_study_create, lesson_study_round_add

from . import judging
from .models import Category, Contest, Entry, SharedItem
from .services import contests as services
from .services.library import item_select, may_reach_district, shared_kind

TOPICS = ["《秋天的雨》", "《圆的认识》", "《植物妈妈有办法》", "《分数的初步认识》", "《观潮》"]


def _weekday_near(day: datetime.date, first: datetime.date) -> datetime.date:
    """A class competition is taught on a school day: the Friday before a weekend day, or
    the Monday after when that Friday is before ``first``."""
    if day.weekday() < 5:
        return day
    friday = day - datetime.timedelta(days=day.weekday() - 4)
    return friday if friday >= first else day + datetime.timedelta(days=7 - day.weekday())


def _contest(demo: Demo, school: School, office: User, judges: list[User]) -> None:
    year = demo.current_year.start_year
    title = f"{year}学年青年教师课堂教学比赛"
    if Contest.objects.filter(school=school, title=title).exists():
        return
    first = datetime.date(year, 9, 1)
    held_on = _weekday_near(max(first, demo.today - datetime.timedelta(days=7)), first)
    contest = services.contest_create(
        school=school, district=school.district, title=title,
        categories=[Category.CLASS, Category.DESIGN], rules="35周岁以下青年教师参加，每人一节课。",
        entry_opens=first, entry_closes=max(first, held_on - datetime.timedelta(days=7)),
        held_on=held_on, quota_per_school=None,
        criteria=[{"name": "教学设计", "weight": 30}, {"name": "课堂实施", "weight": 50},
                  {"name": "教学效果", "weight": 20}],
        judges=judges, by=office,
    )  # fmt: skip
    login = User.objects.filter(username="teacher").first()
    login_teacher = getattr(login, "teacher", None)
    others = list(
        school.teachers.filter(is_active=True, pk__in=demo.teacher_ids)
        .exclude(pk=getattr(login_teacher, "pk", None))
        .order_by("staff_no")[:4]
    )
    entrants = ([login_teacher] if login_teacher else []) + others
    for teacher, topic in zip(entrants, TOPICS, strict=False):
        # Entered while the window was open: the rows as the entry form made them then.
        Entry.objects.create(contest=contest, teacher=teacher, category=Category.CLASS,
                             title=topic, subject=teacher.subject, grade="三年级",
                             submitted_by=teacher.user or office)  # fmt: skip
    services.entries_close(contest=contest, by=office)
    items = judging.items_of(contest)
    for offset, judge in enumerate(judges):
        entries = judging.scored_entries(contest=contest, member=judge)
        values = {
            (e.pk, i.pk): 95 - 4 * position - offset
            for position, e in enumerate(entries)
            for i in items
        }
        judging.sheet_save(round=contest, member=judge, values=values)
        judging.sheet_send(round=contest, member=judge)
    services.scores_reveal(contest=contest, by=office)
    ranked = [r.entry for r in judging.results(contest=contest, seen=judging.visibility.EVERYTHING)]
    prizes = dict(zip([e.pk for e in ranked], ["first", "second", "third", "excellence"],
                      strict=False))  # fmt: skip
    services.prizes_set(contest=contest, prizes=prizes, by=office)
    services.results_publish(contest=contest, by=office)
    demo.log(f"{school.name}: class competition, {len(ranked)} entries, results published")


def _lesson_study(demo: Demo, school: School) -> None:
    login = User.objects.filter(username="teacher").first()
    teacher = getattr(login, "teacher", None)
    if teacher is None or LessonStudy.objects.filter(school=school, created_by=login).exists():
        return
    classes = list(
        OpenClass.objects.filter(teacher__school=school, status=Status.VERIFIED)
        .select_related("teacher")
        .order_by("date", "pk")[:3]
    )
    if len(classes) < 2:
        return
    study = lesson_study_create(school=school, kind=LessonStudy.Kind.SAME_LESSON,
                                lesson=classes[0].topic, subject=classes[0].subject,
                                grade="", theme="朗读与表达", by=login)  # fmt: skip
    for number, open_class in enumerate(classes, start=1):
        lesson_study_round_add(study=study, open_class=open_class, by=login,
                               note="初次执教" if number == 1 else "根据评课意见调整")  # fmt: skip
    demo.log(f"{school.name}: a lesson study over {len(classes)} open classes")


def _library(demo: Demo, school: School, office: User) -> None:
    if SharedItem.objects.filter(record__teacher__school=school).exists():
        return
    papers = (
        Paper.objects.filter(
            teacher__school=school, teacher__pk__in=demo.teacher_ids, status=Status.VERIFIED,
            result_kind__in=["case", "design", "courseware"],
        )
        .select_related("teacher")
        .order_by("-date", "pk")[:8]
    )  # fmt: skip
    shared = []
    for paper in papers:
        # As their authors shared them (most demo teachers have no login to do it with).
        reach = "district" if may_reach_district(paper) else "school"
        item, _new = SharedItem.objects.get_or_create(
            record=paper, defaults={"kind": shared_kind(paper), "reach": reach}
        )
        shared.append(item)
    for item in [i for i in shared if i.kind == "case"][:2]:
        item_select(item=item, selected=True, by=office)
    demo.log(f"{school.name}: {len(shared)} items in the shared library")


@demo_step
def seed_contests(demo: Demo) -> None:
    school = demo.schools[School.Kind.PRIMARY]
    office = User.objects.filter(username="office").first()
    judges = list(User.objects.filter(username__in=["committee", "principal"]).order_by("pk"))
    if office is None or not judges:
        return
    _contest(demo, school, office, judges)
    _lesson_study(demo, school)
    _library(demo, school, office)
