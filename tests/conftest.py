import pytest

from core.models import Role
from tests.factories import SchoolFactory, TeacherFactory, user_with_role


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached numbers (the district overview's) must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def school(db):
    return SchoolFactory(code="A001", name="城关第一小学")


@pytest.fixture
def other_school(db):
    """A school of another district: nobody at `school` may see it."""
    return SchoolFactory(code="B001", name="河西中学")


@pytest.fixture
def principal(school):
    return user_with_role(Role.PRINCIPAL, school=school, username="principal")


@pytest.fixture
def training_office(school):
    return user_with_role(Role.TRAINING_OFFICE, school=school, username="office")


@pytest.fixture
def committee_member(school):
    return user_with_role(Role.COMMITTEE, school=school, username="committee")


@pytest.fixture
def district_office(school):
    return user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="district")


@pytest.fixture
def outsider(other_school):
    """A principal of another school in another district."""
    return user_with_role(Role.PRINCIPAL, school=other_school, username="outsider")


@pytest.fixture
def teacher_user(school):
    user = user_with_role(Role.TEACHER, school=school, username="teacher")
    TeacherFactory(school=school, user=user, name="李老师", staff_no="L001")
    return user


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def count_queries():
    """The number of SQL queries one GET makes (after a warm-up request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def _count(client, url, data=None):
        client.get(url, data)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, data)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    return _count
