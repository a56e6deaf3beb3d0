import pytest
from django.urls import reverse

from core.models import Job, Role
from tests.factories import DesignationFactory, SchoolFactory, TeacherFactory, user_with_role

URL = reverse("assessment:district")


def _school_with_data(district):
    school = SchoolFactory(district=district)
    teacher = TeacherFactory(school=school)
    DesignationFactory(teacher=teacher, first_year=2026, last_year=2027)
    TeacherFactory(school=school)
    return school


def test_the_district_office_sees_its_schools_side_by_side(school, district_office, login):
    _school_with_data(school.district)
    response = login(district_office).get(URL)
    assert response.status_code == 200
    assert school.name in response.text
    assert f"/teachers/?school={school.pk}" in response.text
    assert f"/backbone/roster/?school={school.pk}" in response.text


def test_school_staff_get_404(principal, training_office, login):
    assert login(principal).get(URL).status_code == 404
    assert login(training_office).get(URL).status_code == 404


def test_another_district_office_does_not_see_our_schools(school, other_school, login):
    other_office = user_with_role(Role.DISTRICT_OFFICE, district=other_school.district)
    response = login(other_office).get(URL)
    assert response.status_code == 200
    assert other_school.name in response.text and school.name not in response.text
    assert login(other_office).get(URL, {"district": school.district.pk}).status_code == 404


def test_the_overview_query_count_does_not_grow_with_schools(
    school, district_office, login, count_queries
):
    for _ in range(2):
        _school_with_data(school.district)
    client = login(district_office)
    few = count_queries(client, URL)
    for _ in range(4):
        _school_with_data(school.district)
    assert count_queries(client, URL) == few


def test_the_overview_exports_to_xlsx(
    school, district_office, login, django_capture_on_commit_callbacks
):
    import openpyxl

    _school_with_data(school.district)
    client = login(district_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessment:district_export"))
    job = Job.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    ws = openpyxl.load_workbook(job.file).active
    assert ws.max_row == 3  # header and two schools


@pytest.mark.parametrize("who", ["principal", "teacher_user"])
def test_only_the_district_office_may_export(who, request, login):
    user = request.getfixturevalue(who)
    assert login(user).post(reverse("assessment:district_export")).status_code == 404
