import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Job, Role, RoleAssignment
from tests.factories import (
    AnnualGradeFactory,
    DesignationFactory,
    SchoolFactory,
    SchoolYearFactory,
    TeacherFactory,
    tier,
    user_with_role,
)

YEAR = 2026  # priority for this school year reads the grades of 2025
PRIORITY = reverse("honours:priority")
PAY = reverse("honours:pay")


@pytest.fixture
def backbone(school, other_school):
    district = school.district
    high = TeacherFactory(school=school, staff_no="P01", name="区级老师")
    DesignationFactory(teacher=high, tier=tier(district, "district"), first_year=2025)
    excellent = TeacherFactory(school=school, staff_no="P02", name="优秀骨干")
    DesignationFactory(teacher=excellent)
    AnnualGradeFactory(teacher=excellent, year=2025, grade=4)
    travelled = TeacherFactory(school=school, staff_no="P03", name="常出门老师")
    DesignationFactory(teacher=travelled)
    AnnualGradeFactory(teacher=travelled, year=2025, grade=3)
    from records.models import StudyTrip

    StudyTrip.objects.create(
        teacher=travelled, date="2025-11-01", year=2025, semester=1, status="verified",
        title="赴杭州学习", destination="杭州", end_date="2025-11-03", purpose="跟岗学习",
    )  # fmt: skip
    homebody = TeacherFactory(school=school, staff_no="P04", name="少出门老师")
    DesignationFactory(teacher=homebody)
    AnnualGradeFactory(teacher=homebody, year=2025, grade=3)
    TeacherFactory(school=school, staff_no="P05", name="普通老师")  # no designation
    stranger = TeacherFactory(school=other_school, name="外校骨干")
    DesignationFactory(teacher=stranger)
    return {"high": high, "excellent": excellent}


def names(response, table_id):
    html = response.content.decode()
    body = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    return body


def test_study_trip_priority_by_tier_grade_and_fewest_trips(login, training_office, backbone):
    response = login(training_office).get(
        PRIORITY, {"kind": "trips", "year": YEAR}, HTTP_ACCEPT_LANGUAGE="en"
    )
    order = [r.teacher.name for r in response.context["rows"]]
    assert order == ["区级老师", "优秀骨干", "少出门老师", "常出门老师"]
    body = names(response, "priority")
    assert "外校骨干" not in body and "普通老师" not in body
    assert "1 study trip in the last two school years" in body
    assert "Annual assessment 2025–2026: Excellent (优秀)" in body
    assert "District-level backbone" in body or "区级骨干教师" in body


def test_further_study_priority_shows_the_reasons_in_chinese(login, principal, backbone):
    response = login(principal).get(PRIORITY, {"kind": "study", "year": YEAR})
    assert response.status_code == 200
    assert "区级骨干教师" in names(response, "priority")


def test_pay_lists_every_teacher_with_grade_and_duties(login, principal, backbone):
    response = login(principal).get(PAY, {"year": 2025}, HTTP_ACCEPT_LANGUAGE="en")
    rows = {r.teacher.name: r for r in response.context["rows"]}
    assert "外校骨干" not in rows
    assert rows["优秀骨干"].grade_label == "Excellent (优秀)"
    assert rows["普通老师"].duty_text == "No backbone duties owed"


@pytest.mark.parametrize("page", [PRIORITY, PAY])
def test_pages_refused_to_teachers_and_the_committee(login, teacher_user, committee_member, page):
    assert login(teacher_user).get(page).status_code == 404
    assert login(committee_member).get(page).status_code == 404


@pytest.mark.parametrize("page", [PRIORITY, PAY])
def test_query_counts_stay_flat(login, count_queries, school, training_office, page):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    client = login(training_office)

    def add(n):
        for _i in range(n):
            t = TeacherFactory(school=school)
            DesignationFactory(teacher=t)
            AnnualGradeFactory(teacher=t, year=2025, grade=3)

    add(3)
    few = count_queries(client, page, {"year": YEAR})
    add(12)
    assert count_queries(client, page, {"year": YEAR}) == few


def test_pay_export_with_roles_in_two_schools_holds_only_the_managed_one(
    client, school, backbone, django_capture_on_commit_callbacks
):
    """Principal at one school and teacher at another: the file holds the first only."""
    second = SchoolFactory(district=school.district, name="城关第二小学")
    TeacherFactory(school=second, name="二小老师")
    user = user_with_role(Role.PRINCIPAL, school=school, username="twohats")
    RoleAssignment.objects.create(user=user, role=Role.TEACHER, school=second)
    client.force_login(user)
    page = client.get(PAY, {"year": 2025}).content.decode()
    assert "二小老师" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("honours:pay_export"), {"query": "year=2025"})
    job = Job.objects.get(kind="honours_pay_export")
    assert job.status == Job.Status.DONE, job.error
    rows = list(load_workbook(job.file.path).active.iter_rows(min_row=2, values_only=True))
    assert {r[2] for r in rows} == {"区级老师", "优秀骨干", "常出门老师", "少出门老师", "普通老师"}


def test_pay_export_for_the_district_or_a_school_of_another_district(
    client, school, other_school, backbone, django_capture_on_commit_callbacks
):
    """District office of one district and principal in another: the file follows the owner
    chosen."""
    user = user_with_role(Role.DISTRICT_OFFICE, district=school.district, username="both")
    RoleAssignment.objects.create(user=user, role=Role.PRINCIPAL, school=other_school)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("honours:pay_export"),
            {"query": "year=2025", "owner": f"school={other_school.pk}"},
        )
    job = Job.objects.get(kind="honours_pay_export")
    rows = list(load_workbook(job.file.path).active.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == ["外校骨干"]
