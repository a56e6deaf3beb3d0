"""The session calendar: an organiser's published sessions, a teacher's enrolled ones, month
by month, and a teacher's sessions as an .ics file."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from tests.factories import UserFactory, user_with_role
from training.models import Enrolment

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
URL = reverse("training:calendar")


def _month(day: datetime.date) -> str:
    return f"{day:%Y-%m}"


@pytest.fixture
def month_sessions(programme, other_school, other_year):
    day = TODAY.replace(day=10) if TODAY.day != 10 else TODAY.replace(day=11)
    published = make_session(programme, day, theme="大单元教学设计")
    draft = make_session(programme, day, theme="未发布的场次", published_at=None)
    foreign = make_session(make_programme(other_school), day, theme="河西中学的讲座")
    return published, draft, foreign


def test_the_organiser_and_a_reader_see_the_published_sessions_of_the_month(
    client, training_office, committee_member, outsider, month_sessions
):
    published, _draft, _foreign = month_sessions
    for user in (training_office, committee_member):
        client.force_login(user)
        page = client.get(URL, {"month": _month(published.date)}).content.decode()
        assert "大单元教学设计" in page
        assert "未发布的场次" not in page and "河西中学的讲座" not in page
        assert reverse("training:register", args=[published.pk]) in page
    client.force_login(outsider)
    page = client.get(URL, {"month": _month(published.date)}).content.decode()
    assert "河西中学的讲座" in page and "大单元教学设计" not in page


def test_another_month_shows_its_own_sessions(client, training_office, month_sessions, programme):
    published = month_sessions[0]
    client.force_login(training_office)
    next_month = (published.date.replace(day=28) + datetime.timedelta(days=5)).replace(day=3)
    assert "大单元教学设计" not in client.get(URL, {"month": _month(next_month)}).content.decode()


def test_a_teacher_sees_the_sessions_they_are_enrolled_in(
    client, school, teacher_user, trainee, month_sessions
):
    published = month_sessions[0]
    other_programme = make_programme(school, title="另一项目")
    make_session(other_programme, published.date, theme="没报名的场次")
    client.force_login(teacher_user)
    page = client.get(URL, {"month": _month(published.date)}).content.decode()
    assert "大单元教学设计" in page and "没报名的场次" not in page
    Enrolment.objects.filter(teacher=trainee).update(status="withdrawn")
    assert "大单元教学设计" not in client.get(URL, {"month": _month(published.date)}).text


def test_someone_without_a_school_role_or_teacher_gets_404(client):
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404
    assert client.get(reverse("training:calendar_ics")).status_code == 404


def test_the_calendar_costs_the_same_queries_for_more_sessions(
    client, training_office, teacher_user, trainee, programme, count_queries
):
    day = TODAY.replace(day=5)
    for i in range(3):
        make_session(programme, day + datetime.timedelta(days=i), theme=f"第{i}场")
    query = {"month": _month(day)}
    client.force_login(training_office)
    office_few = count_queries(client, URL, query)
    client.force_login(teacher_user)
    teacher_few = count_queries(client, URL, query)
    for i in range(20):
        make_session(programme, day + datetime.timedelta(days=i % 20), theme=f"加场{i}")
    client.force_login(training_office)
    assert count_queries(client, URL, query) == office_few
    client.force_login(teacher_user)
    assert count_queries(client, URL, query) == teacher_few


def test_a_teacher_downloads_their_sessions_as_ics(client, teacher_user, trainee, programme):
    make_session(programme, TODAY, theme="阅读, 写作; 与反思", place="报告厅")
    make_session(make_programme(programme.school, title="其他"), TODAY, theme="别人的场次")
    client.force_login(teacher_user)
    response = client.get(reverse("training:calendar_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "SUMMARY:阅读\\, 写作\\; 与反思" in text and "LOCATION:报告厅" in text
    assert "别人的场次" not in text


def test_a_district_office_sees_its_schools_sessions(client, school, school_year, month_sessions):
    district = user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="qu")
    client.force_login(district)
    page = client.get(URL, {"month": _month(month_sessions[0].date)}).content.decode()
    assert "大单元教学设计" in page and "河西中学的讲座" not in page
