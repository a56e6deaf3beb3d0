import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.models import DutyTemplate
from assessment.services.duties import school_year_open
from backbone.models import Designation
from core.models import SchoolYear, Semester
from mentoring.models import Pairing
from tests.factories import DesignationFactory, TeacherFactory

TODAY = datetime.date(2026, 9, 2)
URL = reverse("assessment:open_school_year")


@pytest.fixture
def history(school):
    ended = DesignationFactory(
        teacher=TeacherFactory(school=school), first_year=2023, last_year=2025
    )
    running = DesignationFactory(
        teacher=TeacherFactory(school=school), first_year=2025, last_year=2027
    )
    pairing = Pairing.objects.create(
        school=school,
        mentor=running.teacher,
        apprentice=ended.teacher,
        origin="school",
        status="active",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2027, 7, 1),
        goals="g",
        mentor_duties="m",
        apprentice_duties="a",
    )
    return {"ended": ended, "running": running, "pairing": pairing}


def test_opening_a_year_sets_everything_up_once(school, history):
    report = school_year_open(district=school.district, start_year=2026, today=TODAY)
    year = SchoolYear.objects.get(district=school.district, start_year=2026)
    assert (year.start_date, year.end_date) == (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 8, 31),
    )
    semesters = list(
        Semester.objects.filter(school_year=year).values_list("start_date", "end_date")
    )
    assert semesters == [
        (datetime.date(2026, 9, 1), datetime.date(2027, 1, 20)),
        (datetime.date(2027, 2, 20), datetime.date(2027, 7, 10)),
    ]
    assert report.year_created and report.semesters_created == 2
    assert report.templates_created == 46 == report.templates_in_force  # 4 tiers, 2 stages
    assert report.designations_expired == 1
    assert report.pairings_kept == 1
    history["ended"].refresh_from_db()
    history["running"].refresh_from_db()
    assert history["ended"].status == Designation.Status.EXPIRED
    assert history["running"].status == Designation.Status.ACTIVE
    history["pairing"].refresh_from_db()
    assert history["pairing"].status == Pairing.Status.ACTIVE
    assert len(report.lines()) == 5

    templates = set(DutyTemplate.objects.values_list("pk", "valid_from", "valid_until"))
    again = school_year_open(district=school.district, start_year=2026, today=TODAY)
    assert not again.changed
    assert (again.semesters_created, again.templates_created, again.designations_expired) == (
        0,
        0,
        0,
    )
    assert set(DutyTemplate.objects.values_list("pk", "valid_from", "valid_until")) == templates
    assert SchoolYear.objects.filter(district=school.district).count() == 1


def test_templates_carry_forward_without_new_rows(school):
    school_year_open(district=school.district, start_year=2025, today=TODAY)
    report = school_year_open(district=school.district, start_year=2026, today=TODAY)
    assert report.templates_created == 0
    assert report.templates_in_force == 46


def test_command_opens_the_year_and_a_second_run_changes_nothing(school, history):
    out = StringIO()
    call_command("open_school_year", "2026-2027", school=school.code, stdout=out)
    assert SchoolYear.objects.filter(district=school.district, start_year=2026).exists()
    out = StringIO()
    call_command("open_school_year", "2026-2027", school=school.code, stdout=out)
    assert "Nothing to do" in out.getvalue() or "无需" in out.getvalue()
    assert SchoolYear.objects.filter(district=school.district).count() == 1


def test_command_rejects_bad_input(school):
    with pytest.raises(CommandError):
        call_command("open_school_year", "2026-2028", school=school.code)
    with pytest.raises(CommandError):
        call_command("open_school_year", "2026-2027", school="NOPE")


def test_page_opens_the_year_for_managers(school, login, training_office):
    client = login(training_office)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"start_year": 2026, "school": school.pk})
    assert response.status_code == 200
    assert response.context["report"].year_created
    response = client.post(URL, {"start_year": 2026, "school": school.pk})
    assert not response.context["report"].changed


def test_district_office_opens_the_year_for_the_district(school, login, district_office):
    response = login(district_office).post(
        URL, {"start_year": 2026, "district": school.district.pk}
    )
    assert response.context["report"].year_created


def test_page_scoping(school, other_school, login, committee_member, teacher_user, outsider):
    assert login(committee_member).get(URL).status_code == 403
    assert login(teacher_user).get(URL).status_code == 404
    response = login(outsider).post(URL, {"start_year": 2026, "school": school.pk})
    assert response.context["form"].errors
    assert not SchoolYear.objects.filter(district=school.district).exists()
