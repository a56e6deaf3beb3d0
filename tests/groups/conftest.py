"""A school with two teaching-research groups, each with a head, members and a plain teacher
outside both; the current semester of its district; and a school of another district."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from core.models import Role, Semester, TeachingGroup, school_year_start
from groups.services import planning
from tests.factories import SchoolYearFactory, TeacherFactory, user_with_role

TODAY = timezone.localdate()
YEAR = school_year_start(TODAY)


def teacher_with_login(school, name, group=None, username=None):
    extra = {"username": username} if username else {}
    user = user_with_role(Role.TEACHER, school=school, **extra)
    return TeacherFactory(school=school, user=user, name=name, group=group)


@dataclass
class World:
    school: Any
    group: Any
    other_group: Any
    head: Any  # a teacher, the head of ``group``
    other_head: Any  # the head of ``other_group``
    members: list
    plain: Any  # a teacher of the school in neither group
    semester: Any

    @property
    def head_user(self):
        return self.head.user


@pytest.fixture
def world(school):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    group = TeachingGroup.objects.create(school=school, name="语文组")
    other = TeachingGroup.objects.create(school=school, name="数学组")
    head = teacher_with_login(school, "周组长", group, "head")
    other_head = teacher_with_login(school, "吴组长", other, "other-head")
    members = [head] + [teacher_with_login(school, n, group) for n in ("钱老师", "孙老师")]
    plain = teacher_with_login(school, "郑老师", None, "plain")
    group.heads.add(head.user)
    other.heads.add(other_head.user)
    semester = Semester.objects.filter(
        school_year__district=school.district, start_date__lte=TODAY, end_date__gte=TODAY
    ).first() or Semester.objects.get(school_year__district=school.district, number=1,
                                      school_year__start_year=YEAR)  # fmt: skip
    return World(school, group, other, head, other_head, members, plain, semester)


@pytest.fixture
def plan(world):
    return planning.plan_create(
        group=world.group,
        semester=world.semester,
        weekday=2,
        starts_at=datetime.time(15, 30),
        ends_at=datetime.time(17, 0),
        place="三楼会议室",
        by=world.head_user,
    )


def activity_today(plan, by, **extra):
    values = {
        "week": None,
        "kind": "seminar",
        "theme": "整本书阅读教学研讨",
        "content": "交流各年级整本书阅读的做法",
        "date": TODAY,
        "starts_at": datetime.time(15, 30),
        "ends_at": datetime.time(17, 0),
        "place": "三楼会议室",
    }
    values.update(extra)
    values.setdefault("host", plan.group.teachers.filter(name="周组长").first())
    return planning.activity_save(plan=plan, by=by, **values)
