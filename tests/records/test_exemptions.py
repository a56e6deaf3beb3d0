"""A teacher on long-cycle training exempted from the school-based hours of a school year:
records.hours decides, and the meter, the duties, the assessment's hours rule, the dossier,
the yearly review, the data export and training_ledger follow."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from assessment.duties import duty_counts, duty_statuses
from assessment.grading import Facts, hours_rule
from assessment.models import DutyKind, Grade
from assessment.services.duties import duty_templates_ensure_defaults
from assessment.services.facts import facts_for
from core.models import school_year_start
from documents.dossier.gathering import dossier_data
from documents.yearly import hour_buckets, yearly_report
from records.hours import hours_for, hours_for_teachers
from records.models import HoursExemption
from records.services.exemptions import hours_exemption_grant, hours_exemption_withdraw
from tests.factories import DesignationFactory, SchoolYearFactory, TeacherFactory, TrainingFactory

pytestmark = pytest.mark.django_db
YEAR = 2025  # the trainings of the factories
THIS_YEAR = school_year_start(timezone.localdate())


def _away(teacher, *, year=YEAR, by=None) -> HoursExemption:
    """72 hours, none school-based, and the exemption for the year."""
    TrainingFactory(teacher=teacher, status="verified", hours=72, school_based=False, year=year)
    return HoursExemption.objects.create(
        teacher=teacher, year=year, reason="赴华东师大脱产进修一年", granted_by=by
    )


def test_an_exempted_teacher_meets_the_hours_without_school_based(school):
    away, colleague = TeacherFactory(school=school), TeacherFactory(school=school)
    _away(away)
    TrainingFactory(teacher=colleague, status="verified", hours=72, school_based=False)
    hours = hours_for_teachers(teachers=[away, colleague], year=YEAR)
    assert hours[away.pk].met and hours[away.pk].required_school_based == 0
    assert hours[away.pk].school_based_exempt
    assert not hours[colleague.pk].met and hours[colleague.pk].school_based_short == 24
    # The total still applies; and only in the exempted year.
    assert hours_for(teacher=away, year=YEAR + 1).required_school_based == 24
    with translation.override("en"):
        assert "long-cycle" in hours[away.pk].exemption_text


def test_an_exemption_without_any_training_yet_still_shows(school):
    teacher = TeacherFactory(school=school)
    HoursExemption.objects.create(teacher=teacher, year=YEAR, reason="挂职锻炼")
    hours = hours_for(teacher=teacher, year=YEAR)
    assert hours.school_based_exempt and hours.total == 0 and not hours.met
    assert hours.shortfall == 72


def test_the_meter_costs_one_query_for_any_number_of_teachers(school, django_assert_num_queries):
    teachers = [TeacherFactory(school=school) for _ in range(6)]
    for t in teachers[:3]:
        _away(t)
    with django_assert_num_queries(1):
        hours = hours_for_teachers(teachers=teachers, year=YEAR)
    assert [hours[t.pk].met for t in teachers] == [True] * 3 + [False] * 3


def test_the_assessment_hours_rule_and_its_facts_follow_the_exemption(school):
    away = TeacherFactory(school=school)
    _away(away)
    facts = facts_for(teachers=[away], year=YEAR)[away.pk]["hours"]
    assert facts["school_based_exempt"] and facts["met"]
    exempt = Facts(hours_total=Decimal(72), hours_school_based=Decimal(0), school_based_exempt=True)
    assert hours_rule(Grade.EXCELLENT, exempt) == (Grade.EXCELLENT, None)
    not_exempt = Facts(hours_total=Decimal(72), hours_school_based=Decimal(0))
    assert hours_rule(Grade.EXCELLENT, not_exempt)[0] == Grade.GOOD


def test_the_training_hours_duty_is_met_without_school_based_when_exempted(school):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    away, colleague = TeacherFactory(school=school), TeacherFactory(school=school)
    for t in (away, colleague):
        DesignationFactory(teacher=t, first_year=2024, last_year=2026)
    _away(away)
    TrainingFactory(teacher=colleague, status="verified", hours=72, school_based=False)
    today = datetime.date(2026, 9, 1)
    statuses = duty_statuses(teachers=[away, colleague], year=YEAR, today=today)
    counts = duty_counts(teachers=[away, colleague], year=YEAR, today=today)

    def hours_duty(rows, teacher):
        return next(s for s in rows[teacher.pk] if s.kind == DutyKind.TRAINING_HOURS)

    assert hours_duty(statuses, away).status == "met" and hours_duty(statuses, away).missing == 0
    assert hours_duty(statuses, colleague).status == "missed"
    # The grid counts in the database and agrees with the engine.
    assert hours_duty(counts, away).status == "met"
    assert hours_duty(counts, colleague).status == "missed"


def test_the_dossier_prints_the_exempted_year(school):
    away = TeacherFactory(school=school)
    _away(away)
    dossier = dossier_data(teacher=away, today=datetime.date(2026, 6, 1))
    year = next(y for y in dossier.years if y.year == YEAR)
    assert year.hours.met and year.hours.school_based_exempt


def test_the_yearly_review_counts_the_exempted_teacher_as_met(school):
    away, colleague = TeacherFactory(school=school), TeacherFactory(school=school)
    _away(away)
    TrainingFactory(teacher=colleague, status="verified", hours=72, school_based=False)
    report = yearly_report(year=YEAR, school=school, today=datetime.date(2026, 9, 15))
    assert report.total.hours_met == 1


def test_the_yearly_hour_bands_follow_the_configured_thresholds():
    with translation.override("en"):
        assert [label for _b, label in hour_buckets()] == [
            "under 24 h", "24–47 h", "48–71 h", "72 h or more",
        ]  # fmt: skip
        with override_settings(TRAINING_HOURS_PER_YEAR=90, TRAINING_SCHOOL_BASED_HOURS=30):
            buckets = hour_buckets()
            assert [label for _b, label in buckets] == [
                "under 30 h", "30–59 h", "60–89 h", "90 h or more",
            ]  # fmt: skip
            assert [b for b, _l in buckets] == [30, 60, 90, None]


def test_the_met_text_names_the_configured_total(school):
    teacher = TeacherFactory(school=school)
    TrainingFactory(teacher=teacher, status="verified", hours=95, school_based=True)
    with translation.override("en"), override_settings(TRAINING_HOURS_PER_YEAR=90):
        hours = hours_for(teacher=teacher, year=YEAR)
        assert hours.shortfall_text == "The 90-hour requirement is met."
        assert "90 hours, at least 24 of them school-based" in hours.rule_text


def test_training_ledger_with_the_requirement_columns(school):
    away = TeacherFactory(school=school, staff_no="T001", name="外出进修")
    TeacherFactory(school=school, staff_no="T002", name="在校")
    _away(away)
    out = io.StringIO()
    call_command(
        "training_ledger", "--school", school.code, "--year", f"{YEAR}-{YEAR + 1}",
        "--requirement", stdout=out,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][-2:] == ["school_based_required", "requirement_met"]
    assert rows[1][0] == "T001" and rows[1][-2:] == ["0", "yes"]
    assert rows[2][0] == "T002" and rows[2][-2:] == ["24", "no"]


# -- the service ---------------------------------------------------------------------------------
def test_granting_twice_keeps_one_exemption_and_records_who(school, training_office):
    teacher = TeacherFactory(school=school)
    grant = {"teacher": teacher, "year": THIS_YEAR, "by": training_office}
    first = hours_exemption_grant(**grant, reason="脱产进修")
    again = hours_exemption_grant(**grant, reason="再次")
    assert first.pk == again.pk and HoursExemption.objects.count() == 1
    assert (first.granted_by, first.reason) == (training_office, "脱产进修")


def test_granting_needs_a_reason_a_manager_and_this_or_next_year(
    school, training_office, committee_member, outsider
):
    teacher = TeacherFactory(school=school)
    with pytest.raises(ValidationError):
        hours_exemption_grant(teacher=teacher, year=THIS_YEAR, reason=" ", by=training_office)
    with pytest.raises(ValidationError):
        hours_exemption_grant(teacher=teacher, year=THIS_YEAR - 1, reason="x", by=training_office)
    for user in (committee_member, outsider):
        with pytest.raises(PermissionDenied):
            hours_exemption_grant(teacher=teacher, year=THIS_YEAR, reason="x", by=user)
    assert not HoursExemption.objects.exists()
    hours_exemption_grant(teacher=teacher, year=THIS_YEAR + 1, reason="x", by=training_office)
    exemption = HoursExemption.objects.get()
    with pytest.raises(PermissionDenied):
        hours_exemption_withdraw(exemption=exemption, by=committee_member)
    hours_exemption_withdraw(exemption=exemption, by=training_office)
    assert not HoursExemption.objects.exists()


# -- the office's page ---------------------------------------------------------------------------
def _rows(school, n):
    for i in range(n):
        teacher = TeacherFactory(school=school, staff_no=f"E{i:03}")
        TrainingFactory(teacher=teacher, status="verified", hours=10, year=THIS_YEAR)
        HoursExemption.objects.create(teacher=teacher, year=THIS_YEAR, reason=f"进修{i}")


def test_the_office_exempts_a_teacher_in_the_browser(client, school, training_office):
    teacher = TeacherFactory(school=school, name="赵老师")
    client.force_login(training_office)
    url = reverse("records:exemptions")
    response = client.post(
        url, {"teacher": teacher.pk, "year": THIS_YEAR, "reason": "赴省教育学院跟岗研修一年"}
    )
    assert response.status_code == 302
    exemption = HoursExemption.objects.get()
    assert (exemption.teacher, exemption.granted_by) == (teacher, training_office)
    page = client.get(url).content.decode()
    assert "赵老师" in page and "赴省教育学院跟岗研修一年" in page and "withdraw" in page
    withdraw = reverse("records:exemption_withdraw", args=[exemption.pk])
    assert client.post(withdraw).status_code == 302
    assert not HoursExemption.objects.exists()


def test_a_reader_sees_but_cannot_exempt_or_withdraw(
    client, school, committee_member, district_office
):
    _rows(school, 1)
    exemption = HoursExemption.objects.get()
    for user in (committee_member, district_office):
        client.force_login(user)
        page = client.get(reverse("records:exemptions"))
        assert page.status_code == 200 and "进修0" in page.content.decode()
        assert 'name="reason"' not in page.content.decode()
        teacher = exemption.teacher
        response = client.post(
            reverse("records:exemptions"), {"teacher": teacher.pk, "year": THIS_YEAR, "reason": "x"}
        )
        assert response.status_code == 403
        withdraw = client.post(reverse("records:exemption_withdraw", args=[exemption.pk]))
        assert withdraw.status_code == 403
    assert HoursExemption.objects.count() == 1


def test_another_school_sees_nothing_and_gets_404(client, school, other_school, outsider):
    _rows(school, 1)
    exemption = HoursExemption.objects.get()
    client.force_login(outsider)
    page = client.get(reverse("records:exemptions"))
    assert page.status_code == 200 and "进修0" not in page.content.decode()
    withdraw = client.post(reverse("records:exemption_withdraw", args=[exemption.pk]))
    assert withdraw.status_code == 404
    # Nor may they exempt a teacher of another school: the form does not offer them.
    response = client.post(
        reverse("records:exemptions"),
        {"teacher": exemption.teacher_id, "year": THIS_YEAR + 1, "reason": "x"},
    )
    assert response.status_code == 200 and HoursExemption.objects.count() == 1


def test_the_page_costs_the_same_queries_for_more_exemptions(
    client, school, training_office, django_assert_max_num_queries
):
    client.force_login(training_office)
    url = reverse("records:exemptions")
    _rows(school, 3)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for i in range(20):
        teacher = TeacherFactory(school=school, staff_no=f"M{i:03}")
        HoursExemption.objects.create(teacher=teacher, year=THIS_YEAR, reason="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
