"""Enrolment by application: teachers of the audience apply from My training, the organiser
approves or declines with a reason, capacity and the district quota hold, nothing twice."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Role
from tests.factories import SchoolFactory, TeacherFactory, user_with_role
from training.applications import application_decide, application_submit, open_programmes
from training.models import Application, Enrolment

from .conftest import YEAR, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_programme(school, school_year):
    return make_programme(school, open_for_application=True, capacity=2)


@pytest.fixture
def applicant(teacher_user):
    return teacher_user.teacher


def test_a_teacher_applies_once_from_my_training(client, teacher_user, applicant, open_programme):
    client.force_login(teacher_user)
    page = client.get(reverse("training:mine")).content.decode()
    url = reverse("training:apply", args=[open_programme.pk])
    assert open_programme.title in page and url in page
    for _ in range(2):  # a double click
        assert client.post(url, {"note": "想系统学习大单元教学"}).status_code == 302
    application = Application.objects.get()
    assert (application.teacher, application.status) == (applicant, "pending")
    assert application.note == "想系统学习大单元教学"
    page = client.get(reverse("training:mine")).content.decode()
    assert reverse("training:apply", args=[open_programme.pk]) not in page  # applied: no form
    assert not Enrolment.objects.exists()  # nobody is enrolled before the organiser approves


def test_only_the_audience_of_a_programme_open_for_application_may_apply(
    client, school, other_school, teacher_user, applicant, programme, open_programme
):
    client.force_login(teacher_user)
    # Not open for application, or of another school: it does not exist for the teacher.
    assert client.post(reverse("training:apply", args=[programme.pk])).status_code == 404
    foreign = make_programme(other_school, open_for_application=True)
    assert client.post(reverse("training:apply", args=[foreign.pk])).status_code == 404
    named = make_programme(school, open_for_application=True, audience="named")
    assert client.post(reverse("training:apply", args=[named.pk])).status_code == 404
    assert [p.pk for p in open_programmes(teacher=applicant)] == [open_programme.pk]
    assert not Application.objects.exists()


def test_the_organiser_approves_and_declines_with_a_reason(
    client, school, training_office, open_programme
):
    a, b = (TeacherFactory(school=school, name=n) for n in ("张三", "李四"))
    first = application_submit(programme=open_programme, teacher=a, note="")
    second = application_submit(programme=open_programme, teacher=b, note="")
    client.force_login(training_office)
    page = client.get(reverse("training:programme", args=[open_programme.pk])).content.decode()
    assert "张三" in page and "李四" in page
    url = reverse("training:application_decide", args=[first.pk])
    for _ in range(2):  # approving twice enrols once
        client.post(url, {"decision": "approve"})
    assert Enrolment.objects.get().teacher == a
    assert Enrolment.objects.get().origin == "application"
    decline = reverse("training:application_decide", args=[second.pk])
    client.post(decline, {"decision": "decline"})  # no reason: refused
    assert Application.objects.get(pk=second.pk).status == "pending"
    client.post(decline, {"decision": "decline", "reason": "本期名额已满，请报下一期"})
    second.refresh_from_db()
    assert (second.status, second.decision_reason, second.decided_by) == (
        "declined", "本期名额已满，请报下一期", training_office,
    )  # fmt: skip
    assert Enrolment.objects.count() == 1


def test_capacity_holds_when_approving(school, training_office, open_programme):
    teachers = [TeacherFactory(school=school) for _ in range(3)]
    apps = [application_submit(programme=open_programme, teacher=t) for t in teachers]
    for app in apps[:2]:
        application_decide(application=app, approve=True, by=training_office)
    with pytest.raises(ValidationError):
        application_decide(application=apps[2], approve=True, by=training_office)
    assert Application.objects.get(pk=apps[2].pk).status == "pending"
    assert Enrolment.objects.count() == 2


def test_readers_and_other_schools_cannot_decide(
    client, school, committee_member, outsider, open_programme
):
    teacher = TeacherFactory(school=school)
    application = application_submit(programme=open_programme, teacher=teacher)
    url = reverse("training:application_decide", args=[application.pk])
    client.force_login(committee_member)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"decision": "approve"}).status_code == 404
    with pytest.raises(PermissionDenied):
        application_decide(application=application, approve=True, by=committee_member)
    assert not Enrolment.objects.exists()


def test_a_district_programme_each_school_approves_within_its_quota(
    client, school, school_year, district_office
):
    neighbour = SchoolFactory(district=school.district, code="A002", name="城关第二小学")
    office_a = user_with_role(Role.TRAINING_OFFICE, school=school, username="office-a")
    office_b = user_with_role(Role.TRAINING_OFFICE, school=neighbour, username="office-b")
    programme = make_programme(
        None, district=school.district, open_for_application=True, quota_per_school=1,
        title="区级骨干教师培训班",
    )  # fmt: skip
    ours = [TeacherFactory(school=school, name=f"城一{i}") for i in range(2)]
    theirs = TeacherFactory(school=neighbour, name="城二教师")
    apps = {t.pk: application_submit(programme=programme, teacher=t) for t in [*ours, theirs]}
    # Each school sees and decides its own teachers' applications; the district sees all.
    client.force_login(office_a)
    page = client.get(reverse("training:programme", args=[programme.pk])).content.decode()
    assert "城一0" in page and "城二教师" not in page
    theirs_url = reverse("training:application_decide", args=[apps[theirs.pk].pk])
    assert client.post(theirs_url, {"decision": "approve"}).status_code == 404
    application_decide(application=apps[ours[0].pk], approve=True, by=office_a)
    with pytest.raises(ValidationError):  # the quota: one place per school
        application_decide(application=apps[ours[1].pk], approve=True, by=office_a)
    application_decide(application=apps[theirs.pk], approve=True, by=office_b)
    client.force_login(district_office)
    page = client.get(reverse("training:programme", args=[programme.pk])).content.decode()
    assert "城一1" in page and "城二教师" in page
    assert Enrolment.objects.filter(programme=programme).count() == 2


def test_the_pages_cost_the_same_queries_for_more_applications(
    client, school, training_office, teacher_user, open_programme, count_queries
):
    open_programme.capacity = None
    open_programme.save()
    for i in range(3):
        application_submit(programme=open_programme, teacher=TeacherFactory(school=school))
        make_programme(school, open_for_application=True, title=f"读书班{i}")
    client.force_login(training_office)
    detail = reverse("training:programme", args=[open_programme.pk])
    few = count_queries(client, detail)
    client.force_login(teacher_user)
    mine_few = count_queries(client, reverse("training:mine"))
    for i in range(12):
        application_submit(programme=open_programme, teacher=TeacherFactory(school=school))
        make_programme(school, open_for_application=True, title=f"沙龙{i}",
                       start_date=datetime.date(YEAR, 10, 1))  # fmt: skip
    client.force_login(training_office)
    assert count_queries(client, detail) == few
    client.force_login(teacher_user)
    assert count_queries(client, reverse("training:mine")) == mine_few
