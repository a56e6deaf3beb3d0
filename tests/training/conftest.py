import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import school_year_start
from tests.factories import SchoolYearFactory, TeacherFactory
from training.models import Enrolment, Programme, Session

TODAY = timezone.localdate()
YEAR = school_year_start(TODAY)


@pytest.fixture
def school_year(school):
    return SchoolYearFactory(district=school.district, start_year=YEAR)


@pytest.fixture
def other_year(other_school):
    return SchoolYearFactory(district=other_school.district, start_year=YEAR)


def make_programme(school, **kwargs) -> Programme:
    values = {
        "school": school,
        "district": school.district if school else None,
        "title": "2025学年校本培训：大单元教学",
        "kind": Programme.Kind.SCHOOL_BASED,
        "start_date": datetime.date(YEAR, 9, 1),
        "end_date": datetime.date(YEAR + 1, 8, 31),
        "hours_per_session": Decimal("3"),
        "school_based": True,
    }
    values.update(kwargs)
    return Programme.objects.create(**values)


def make_session(programme, day=None, **kwargs) -> Session:
    values = {
        "programme": programme,
        "date": day or TODAY,
        "starts_at": datetime.time(14, 0),
        "ends_at": datetime.time(16, 30),
        "theme": "大单元教学设计",
        "content": "单元目标与评价任务",
        "speaker_name": "王教授",
        "hours": programme.hours_per_session,
        "published_at": timezone.now(),
    }
    values.update(kwargs)
    return Session.objects.create(**values)


@pytest.fixture
def programme(school, school_year):
    return make_programme(school)


@pytest.fixture
def session(programme):
    return make_session(programme)


@pytest.fixture
def trainee(school, teacher_user, programme):
    """The `teacher` login's teacher, enrolled in the programme."""
    teacher = teacher_user.teacher
    Enrolment.objects.create(programme=programme, teacher=teacher, origin="named")
    return teacher


@pytest.fixture
def trainees(school, programme):
    teachers = [TeacherFactory(school=school, name=f"学员{i}") for i in range(3)]
    for t in teachers:
        Enrolment.objects.create(programme=programme, teacher=t, origin="named")
    return teachers
