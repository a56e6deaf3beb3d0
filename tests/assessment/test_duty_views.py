import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import DutyKind, DutyTemplate
from assessment.services.duties import duty_templates_ensure_defaults
from core.models import Job
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolYearFactory,
    TeacherFactory,
    TeachingGroupFactory,
    tier,
)

YEAR = 2025
GRID = reverse("assessment:duties_grid")


@pytest.fixture
def setup(school, other_school):
    for s in (school, other_school):
        SchoolYearFactory(district=s.district, start_year=YEAR)
        duty_templates_ensure_defaults(district=s.district, year=YEAR)
    behind = TeacherFactory(school=school, name="落后老师")
    DesignationFactory(teacher=behind)
    ahead = TeacherFactory(school=school, name="领先老师")
    DesignationFactory(teacher=ahead)
    OpenClassFactory(teacher=ahead, status="verified")
    TeacherFactory(school=school, name="普通老师")  # no designation: not on the grid
    stranger = TeacherFactory(school=other_school, name="外校老师")
    DesignationFactory(teacher=stranger)
    return {"behind": behind, "ahead": ahead, "stranger": stranger}


# -- grid -----------------------------------------------------------------------------------
def test_grid_lists_own_backbone_teachers_riskiest_first(login, training_office, setup):
    response = login(training_office).get(GRID, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "外校老师" not in html
    assert "普通老师" not in html
    assert html.index("落后老师") < html.index("领先老师")
    growth = reverse("records:teacher_growth", args=[setup["ahead"].pk])
    assert growth in html
    rows = response.context["grid"].rows
    assert [r.teacher.name for r in rows] == ["落后老师", "领先老师"]
    open_class = [k for k, _label in response.context["grid"].kinds].index(DutyKind.OPEN_CLASS)
    assert rows[1].cells[open_class].done == 1


@pytest.mark.parametrize("who", ["committee_member", "district_office", "principal"])
def test_readers_see_the_grid(request, login, setup, who):
    user = request.getfixturevalue(who)
    response = login(user).get(GRID, {"year": YEAR})
    assert response.status_code == 200
    assert len(response.context["grid"].rows) == 2


def test_teachers_get_404_and_outsiders_see_nothing_of_the_school(
    login, teacher_user, outsider, setup
):
    assert login(teacher_user).get(GRID).status_code == 404
    response = login(outsider).get(GRID, {"year": YEAR})
    assert [r.teacher.name for r in response.context["grid"].rows] == ["外校老师"]


def test_grid_filters_by_tier_and_group(school, login, training_office, setup):
    group = TeachingGroupFactory(school=school)
    setup["ahead"].group = group
    setup["ahead"].save()
    client = login(training_office)
    rows = client.get(GRID, {"year": YEAR, "group": group.pk}).context["grid"].rows
    assert [r.teacher.name for r in rows] == ["领先老师"]
    district_tier = tier(school.district, "district")
    rows = client.get(GRID, {"year": YEAR, "tier": district_tier.pk}).context["grid"].rows
    assert rows == []


def test_grid_htmx_returns_the_results_only(login, training_office, setup):
    response = login(training_office).get(GRID, {"year": YEAR}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="results"' in html
    assert "<html" not in html


def test_grid_query_count_does_not_grow_with_teachers(
    school, login, training_office, count_queries, setup
):
    def add(n):
        for _ in range(n):
            t = TeacherFactory(school=school)
            DesignationFactory(teacher=t)
            OpenClassFactory(teacher=t, status="verified")

    client = login(training_office)
    add(3)
    five = count_queries(client, GRID, {"year": YEAR})
    add(25)
    assert count_queries(client, GRID, {"year": YEAR}) == five


def test_export_runs_as_a_job_in_the_users_scope(
    login, training_office, setup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(training_office).post(
            reverse("assessment:duties_export"), {"query": f"year={YEAR}"}
        )
    job = Job.objects.get(kind="duties_export")
    job.refresh_from_db()
    assert response.url == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE
    ws = load_workbook(job.file.path).active
    names = [row[2] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ["落后老师", "领先老师"]


def test_export_is_refused_to_teachers(login, teacher_user):
    assert login(teacher_user).post(reverse("assessment:duties_export")).status_code == 404


# -- my duties ------------------------------------------------------------------------------
def test_my_duties_links_verified_records(school, login, teacher_user):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    teacher = teacher_user.teacher
    DesignationFactory(teacher=teacher)
    verified = OpenClassFactory(teacher=teacher, status="verified")
    pending = OpenClassFactory(teacher=teacher, status="submitted")
    response = login(teacher_user).get(reverse("assessment:my_duties"), {"year": YEAR})
    html = response.content.decode()
    assert reverse("records:detail", args=[verified.pk]) in html
    assert reverse("records:detail", args=[pending.pk]) in html
    assert response.context["duties"][0]["records"] == [verified.record_ptr]


def test_my_duties_is_404_without_a_teacher_record(login, training_office):
    assert login(training_office).get(reverse("assessment:my_duties")).status_code == 404


# -- editing duties -------------------------------------------------------------------------
def _lecture(school):
    return DutyTemplate.objects.get(
        school=None, tier=tier(school.district, "school"), kind=DutyKind.LECTURE
    )


def _edit_url(template, school=None):
    url = reverse("assessment:duty_template_edit", args=[template.pk])
    return f"{url}?school={school.pk}" if school else url


def _post_data(from_year, required=2):
    return {"required": required, "period": "year", "from_year": from_year, "note": ""}


def _next_year():
    from core.models import school_year_start

    return school_year_start(datetime.date.today()) + 1


def test_principal_changes_a_duty_for_the_school_only(school, login, principal, setup):
    lecture = _lecture(school)
    client = login(principal)
    assert client.get(reverse("assessment:duty_templates")).status_code == 200
    response = client.post(_edit_url(lecture, school), _post_data(_next_year()))
    assert response.status_code == 302
    own = DutyTemplate.objects.get(school=school, kind=DutyKind.LECTURE)
    assert (own.required, own.valid_from) == (2, _next_year())
    lecture.refresh_from_db()
    assert (lecture.required, lecture.valid_until) == (1, None)


def test_district_office_changes_the_default_from_a_year_on(school, login, district_office, setup):
    lecture = _lecture(school)
    response = login(district_office).post(_edit_url(lecture), _post_data(_next_year(), 3))
    assert response.status_code == 302
    lecture.refresh_from_db()
    assert lecture.valid_until == _next_year() - 1
    new = DutyTemplate.objects.get(school=None, kind=lecture.kind, tier=lecture.tier, required=3)
    assert new.valid_from == _next_year()


def test_readers_may_not_change_duties(school, login, committee_member, district_office, setup):
    lecture = _lecture(school)
    assert login(committee_member).get(_edit_url(lecture, school)).status_code == 403
    assert login(district_office).get(_edit_url(lecture, school)).status_code == 403


def test_outsiders_and_teachers_get_404(school, login, outsider, teacher_user, setup):
    lecture = _lecture(school)
    assert login(outsider).get(_edit_url(lecture, school)).status_code == 404
    assert login(outsider).post(_edit_url(lecture), _post_data(_next_year())).status_code == 404
    assert login(teacher_user).get(reverse("assessment:duty_templates")).status_code == 404


def test_duty_pages_render_for_editors_and_readers(
    school, login, principal, district_office, setup
):
    lecture = _lecture(school)
    client = login(principal)
    assert client.get(_edit_url(lecture, school)).status_code == 200
    page = client.get(reverse("assessment:duty_templates"))
    assert _edit_url(lecture, school) in page.content.decode()
    client = login(district_office)
    assert client.get(_edit_url(lecture)).status_code == 200
    page = client.get(reverse("assessment:duty_templates"), {"school": school.pk})
    assert page.status_code == 200
    assert not page.context["can_edit"]
