from django.urls import reverse

from core.models import Holiday, SchoolYear
from tests.factories import SchoolYearFactory

GOOD = {
    "start_year": 2027, "start_date": "2027-09-01", "end_date": "2028-08-31",
    "first_start": "2027-09-01", "first_end": "2028-01-21",
    "second_start": "2028-02-21", "second_end": "2028-07-09",
}  # fmt: skip


def test_district_office_adds_a_school_year_with_its_semesters(login, district_office, school):
    response = login(district_office).post(reverse("school_year_new"), GOOD)
    assert response.status_code == 302
    year = SchoolYear.objects.get(district=school.district, start_year=2027)
    assert [(s.number, str(s.start_date)) for s in year.semesters.all()] == [
        (1, "2027-09-01"),
        (2, "2028-02-21"),
    ]


def test_overlapping_semesters_are_refused_with_a_field_error(login, district_office):
    data = {**GOOD, "second_start": "2028-01-10"}
    response = login(district_office).post(reverse("school_year_new"), data)
    assert response.status_code == 200
    assert "second_start" in response.context["form"].errors
    assert not SchoolYear.objects.exists()


def test_the_same_year_twice_is_refused(login, district_office, school):
    SchoolYearFactory(district=school.district, start_year=2027)
    response = login(district_office).post(reverse("school_year_new"), GOOD)
    assert response.status_code == 200
    assert "start_year" in response.context["form"].errors
    assert SchoolYear.objects.count() == 1


def test_principals_read_their_districts_years_but_cannot_edit(login, principal, outsider, school):
    year = SchoolYearFactory(district=school.district, start_year=2025)
    assert "2025–2026" in login(principal).get(reverse("school_years")).content.decode()
    assert login(principal).get(reverse("school_year_edit", args=[year.pk])).status_code == 403
    assert "2025–2026" not in login(outsider).get(reverse("school_years")).content.decode()


def test_district_office_records_holidays_and_principals_only_read_them(
    login, district_office, principal, outsider, school
):
    client = login(district_office)
    data = {"name": "国庆节", "start_date": "2026-10-01", "end_date": "2026-10-07"}
    assert client.post(reverse("school_years"), data).status_code == 302
    holiday = Holiday.objects.get()
    assert holiday.district == school.district
    bad = {"name": "春节", "start_date": "2027-02-10", "end_date": "2027-02-01"}
    response = client.post(reverse("school_years"), bad)
    assert response.status_code == 200 and "end_date" in response.context["holiday_form"].errors
    assert "国庆节" in login(principal).get(reverse("school_years")).content.decode()
    assert login(principal).post(reverse("school_years"), data).status_code == 403
    assert "国庆节" not in login(outsider).get(reverse("school_years")).content.decode()
    assert login(outsider).post(reverse("holiday_remove", args=[holiday.pk])).status_code == 404
    login(district_office).post(reverse("holiday_remove", args=[holiday.pk]))
    assert not Holiday.objects.exists()
