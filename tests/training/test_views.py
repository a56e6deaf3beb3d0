import datetime

import pytest
from django.urls import reverse

from records.hours import hours_for
from tests.factories import TeacherFactory
from training.models import Attendance, Enrolment, Programme

from .conftest import YEAR, make_programme, make_session

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_schools_programmes_and_the_districts_but_not_others(
    login, programme, other_school, other_year, principal, district_office, outsider
):
    make_programme(other_school, title="河西读书班")
    make_programme(None, district=programme.district, title="区骨干教师培训班")
    url = reverse("training:programmes")
    page = login(principal).get(url).content.decode()
    assert programme.title in page and "区骨干教师培训班" in page and "河西读书班" not in page
    page = login(district_office).get(url).content.decode()
    assert programme.title in page and "河西读书班" not in page
    page = login(outsider).get(url).content.decode()
    assert "河西读书班" in page and programme.title not in page


def test_the_list_makes_as_many_queries_for_many_programmes(
    login, school, school_year, training_office, count_queries
):
    client = login(training_office)
    make_programme(school)
    few = count_queries(client, reverse("training:programmes"))
    for i in range(15):
        p = make_programme(school, title=f"项目{i}")
        make_session(p)
        Enrolment.objects.create(programme=p, teacher=TeacherFactory(school=school), origin="named")
    assert count_queries(client, reverse("training:programmes")) == few


def test_the_detail_makes_as_many_queries_for_many_trainees(
    login, programme, training_office, count_queries
):
    client = login(training_office)
    url = reverse("training:programme", args=[programme.pk])
    make_session(programme)
    Enrolment.objects.create(
        programme=programme, teacher=TeacherFactory(school=programme.school), origin="named"
    )
    few = count_queries(client, url)
    for _ in range(20):
        Enrolment.objects.create(
            programme=programme, teacher=TeacherFactory(school=programme.school), origin="named"
        )
    make_session(programme)
    assert count_queries(client, url) == few


def test_a_teacher_and_another_school_do_not_reach_the_programme(
    login, programme, teacher_user, outsider
):
    url = reverse("training:programme", args=[programme.pk])
    assert login(outsider).get(url).status_code == 404
    assert login(teacher_user).get(reverse("training:programmes")).status_code == 404


def test_the_office_creates_a_programme_with_a_date_error_in_chinese(
    login, school, school_year, training_office
):
    client = login(training_office)
    data = {
        "organiser": f"s{school.pk}", "kind": "school_based", "title": "青年教师成长营",
        "audience": "all_staff", "start_date": f"{YEAR}-10-01", "end_date": f"{YEAR + 1}-10-01",
        "hours_per_session": "3", "school_based": "on", "absence_share": "0.33",
    }  # fmt: skip
    response = client.post(reverse("training:programme_new"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert not Programme.objects.exists()
    assert "end_date" in response.context["form"].errors
    data["end_date"] = f"{YEAR + 1}-06-30"
    response = client.post(reverse("training:programme_new"), data)
    programme = Programme.objects.get()
    assert response.status_code == 302 and programme.school == school


def test_a_committee_member_reads_but_cannot_edit(login, programme, committee_member):
    client = login(committee_member)
    assert client.get(reverse("training:programme", args=[programme.pk])).status_code == 200
    assert client.get(reverse("training:programme_edit", args=[programme.pk])).status_code == 403
    assert client.post(reverse("training:programme_new"), {}).status_code == 403


def test_the_phone_register_marks_a_line_with_htmx_and_credits_hours(
    login, session, trainee, training_office
):
    client = login(training_office)
    url = reverse("training:register", args=[session.pk])
    page = client.get(url)
    assert trainee.name in page.content.decode()
    response = client.post(
        url, {"teacher": trainee.pk, "status": "present"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert hours_for(teacher=trainee, year=YEAR).total == 3
    client.post(url, {"teacher": trainee.pk, "status": "present"}, HTTP_HX_REQUEST="true")
    assert Attendance.objects.count() == 1 and hours_for(teacher=trainee, year=YEAR).total == 3


def test_the_register_refuses_a_readonly_user_and_a_bad_teacher(
    login, session, trainee, committee_member, training_office, other_school
):
    url = reverse("training:register", args=[session.pk])
    assert login(committee_member).get(url).status_code == 200
    assert (
        login(committee_member).post(url, {"teacher": trainee.pk, "status": "present"}).status_code
        == 403
    )
    stranger = TeacherFactory(school=other_school)
    response = login(training_office).post(url, {"teacher": stranger.pk, "status": "present"})
    assert response.status_code == 302 and not Attendance.objects.exists()
    response = login(training_office).post(url, {"teacher": "x", "status": "bogus"})
    assert response.status_code == 302


def test_the_register_of_a_future_session_is_not_open(login, programme, trainee, training_office):
    later = make_session(programme, day=datetime.date.today() + datetime.timedelta(days=3))
    url = reverse("training:register", args=[later.pk])
    login(training_office).post(url, {"teacher": trainee.pk, "status": "present"})
    assert not Attendance.objects.exists()


def test_a_district_session_register_shows_a_school_only_its_own_trainees(
    login, school, school_year, principal, district_office
):
    neighbour = TeacherFactory(school__district=school.district, name="邻校老师")
    mine = TeacherFactory(school=school, name="本校老师")
    programme = make_programme(None, district=school.district, school_based=False)
    for t in (neighbour, mine):
        Enrolment.objects.create(programme=programme, teacher=t, origin="named")
    session = make_session(programme)
    url = reverse("training:register", args=[session.pk])
    page = login(principal).get(url).content.decode()
    assert "本校老师" in page and "邻校老师" not in page
    page = login(district_office).get(url).content.decode()
    assert "本校老师" in page and "邻校老师" in page


def test_a_school_nominates_to_a_district_programme_from_its_page(
    login, school, school_year, training_office
):
    programme = make_programme(None, district=school.district, quota_per_school=1)
    teacher = TeacherFactory(school=school, name="被推荐老师")
    client = login(training_office)
    page = client.get(reverse("training:programme", args=[programme.pk]))
    assert page.context["can_nominate"] and "被推荐老师" in page.content.decode()
    client.post(
        reverse("training:programme_enrol", args=[programme.pk]), {"teachers": [teacher.pk]}
    )
    assert programme.enrolments.get().teacher == teacher
    response = client.post(
        reverse("training:programme_enrol", args=[programme.pk]), {"by": "audience"}
    )
    assert response.status_code == 403
