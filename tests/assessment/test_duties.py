import datetime
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.duties import DutyState, duty_state, duty_statuses, elapsed_share
from assessment.models import DutyKind, DutyReminder, DutyReport, DutyTemplate, Period
from assessment.services.duties import (
    duty_digest_send,
    duty_reminders_send,
    duty_template_change,
    duty_templates_ensure_defaults,
)
from core.models import Role
from mentoring.models import Pairing
from records.models import Observation, Paper, ReadingNote, ResearchProject
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolYearFactory,
    TeacherFactory,
    TrainingFactory,
    tier,
    user_with_role,
)

YEAR = 2025
TODAY = datetime.date(2025, 11, 15)  # first semester of 2025–2026, 76 days in


def _statuses(teacher, **kwargs):
    kwargs.setdefault("year", YEAR)
    kwargs.setdefault("today", TODAY)
    return {s.kind: s for s in duty_statuses(teachers=[teacher], **kwargs)[teacher.pk]}


@pytest.fixture
def year(school):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    duty_templates_ensure_defaults(district=school.district, year=YEAR)


@pytest.fixture
def backbone(school, year):
    teacher = TeacherFactory(school=school, email="wang@example.org", name="王老师")
    DesignationFactory(teacher=teacher, first_year=2024, last_year=2026)
    return teacher


def _paper(teacher, *, status="verified", progress="awarded", level=2, kind="paper", **kw):
    return Paper.objects.create(
        teacher=teacher,
        year=kw.pop("year", YEAR),
        semester=1,
        date=datetime.date(2025, 10, 1),
        status=status,
        result_kind=kind,
        paper_title="论文",
        progress=progress,
        award_level=level,
        **kw,
    )


# -- defaults -------------------------------------------------------------------------------
def test_defaults_cover_every_tier_and_are_idempotent(school):
    district = school.district
    created = duty_templates_ensure_defaults(district=district, year=YEAR)
    assert created == 4 * 10 + 2 * 3  # and the adaptation and stable stages' three each
    assert duty_templates_ensure_defaults(district=district, year=YEAR) == 0
    assert duty_templates_ensure_defaults(district=district, year=YEAR + 1) == 0
    hours = DutyTemplate.objects.get(tier=tier(district, "district"), kind=DutyKind.TRAINING_HOURS)
    assert (hours.required, hours.min_school_based, hours.is_core) == (72, 24, True)
    led = DutyTemplate.objects.get(tier=tier(district, "municipal"), kind=DutyKind.PROJECT_LED)
    assert led.period == Period.TERM
    paper = DutyTemplate.objects.get(tier=tier(district, "municipal"), kind=DutyKind.PAPER)
    assert paper.min_level == 2


# -- status thresholds ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("progress", "elapsed", "over", "expected"),
    [
        (1, 0, False, DutyState.MET),
        (Fraction(3, 2), 1, True, DutyState.MET),
        (Fraction(99, 100), 1, True, DutyState.MISSED),
        (Fraction(1, 4), Fraction(1, 2), False, DutyState.ON_TRACK),  # exactly at the margin
        (Fraction(24, 100), Fraction(1, 2), False, DutyState.AT_RISK),
        (0, Fraction(1, 4), False, DutyState.ON_TRACK),
        (0, Fraction(26, 100), False, DutyState.AT_RISK),
        (0, 1, False, DutyState.AT_RISK),  # last day of the period
    ],
)
def test_status_thresholds(progress, elapsed, over, expected):
    assert duty_state(progress=progress, elapsed=elapsed, period_over=over) == expected


def test_elapsed_share_counts_days_both_ends_included():
    start, end = datetime.date(2025, 9, 1), datetime.date(2025, 9, 10)
    assert elapsed_share(start, end, datetime.date(2025, 8, 31)) == 0
    assert elapsed_share(start, end, datetime.date(2025, 9, 5)) == Fraction(1, 2)
    assert elapsed_share(start, end, end) == 1


# -- counting -------------------------------------------------------------------------------
def test_only_verified_records_count_and_submitted_are_pending(backbone):
    OpenClassFactory(teacher=backbone, status="submitted")
    OpenClassFactory(teacher=backbone, status="draft")
    status = _statuses(backbone)[DutyKind.OPEN_CLASS]
    assert (status.done, status.pending, status.missing) == (0, 1, 1)
    verified = OpenClassFactory(teacher=backbone, status="verified")
    status = _statuses(backbone)[DutyKind.OPEN_CLASS]
    assert (status.done, status.pending, status.status) == (1, 1, DutyState.MET)
    assert status.record_ids == [verified.pk]


def test_open_class_level_follows_the_tier(school, backbone):
    OpenClassFactory(teacher=backbone, status="verified", level=1)
    assert _statuses(backbone)[DutyKind.OPEN_CLASS].done == 1  # school tier: school level
    district_tier = TeacherFactory(school=school)
    DesignationFactory(
        teacher=district_tier, tier=tier(school.district, "district"), first_year=2025
    )
    OpenClassFactory(teacher=district_tier, status="verified", level=1)
    assert _statuses(district_tier)[DutyKind.OPEN_CLASS].done == 0
    OpenClassFactory(teacher=district_tier, status="verified", level=2)
    assert _statuses(district_tier)[DutyKind.OPEN_CLASS].done == 1


def test_papers_count_when_awarded_or_published_at_the_level(school, year):
    teacher = TeacherFactory(school=school)
    DesignationFactory(teacher=teacher, tier=tier(school.district, "municipal"), first_year=2025)
    _paper(teacher, progress="written", level=3)
    _paper(teacher, progress="awarded", level=1)
    assert _statuses(teacher)[DutyKind.PAPER].done == 0
    _paper(teacher, progress="published", level=2)
    assert _statuses(teacher)[DutyKind.PAPER].done == 1


def test_courseware_counts_per_semester(backbone):
    _paper(backbone, kind="courseware", progress="written")
    assert _statuses(backbone, semester=1)[DutyKind.COURSEWARE].done == 1
    assert _statuses(backbone, semester=2)[DutyKind.COURSEWARE].done == 0


def test_records_of_another_year_do_not_count(backbone):
    OpenClassFactory(teacher=backbone, status="verified", year=2024, date=datetime.date(2025, 3, 1))
    assert _statuses(backbone)[DutyKind.OPEN_CLASS].done == 0


def test_project_over_the_term(school, backbone):
    ResearchProject.objects.create(
        teacher=backbone,
        year=2024,
        date=datetime.date(2024, 10, 1),
        status="verified",
        project_title="课题",
        level=1,
        role="member",
        stage="approved",
    )
    status = _statuses(backbone)[DutyKind.PROJECT]
    assert status.done == 1
    assert status.period_key == "T2024-2026"
    leader = TeacherFactory(school=school)
    DesignationFactory(teacher=leader, tier=tier(school.district, "district"), first_year=2025)
    ResearchProject.objects.create(
        teacher=leader,
        year=2025,
        date=datetime.date(2025, 10, 1),
        status="verified",
        project_title="课题",
        level=2,
        role="member",
        stage="approved",
    )
    assert _statuses(leader)[DutyKind.PROJECT_LED].done == 0


def test_observations_per_semester_and_whole_year(backbone):
    for semester in (1, 1, 2):
        Observation.objects.create(
            teacher=backbone,
            year=YEAR,
            semester=semester,
            date=datetime.date(2025, 10, 1),
            status="verified",
            observed_name="赵老师",
            subject="语文",
        )
    assert _statuses(backbone, semester=1)[DutyKind.OBSERVATIONS].done == 2
    # Without a semester, each semester begun owes 10: by March that is 20 over the year.
    whole = _statuses(backbone, today=datetime.date(2026, 3, 1))[DutyKind.OBSERVATIONS]
    assert (whole.done, whole.required) == (3, 20)


def test_reading_notes_are_owed_for_each_month_begun(backbone):
    ReadingNote.objects.create(
        teacher=backbone,
        year=YEAR,
        semester=1,
        date=datetime.date(2025, 9, 20),
        status="verified",
        book="给教师的建议",
        reflection="…",
    )
    status = _statuses(backbone)[DutyKind.READING]  # September to November: 3 months
    assert (status.done, status.required, status.missing) == (1, 3, 2)
    assert status.status == DutyState.AT_RISK


def test_training_hours_need_the_school_based_minimum(backbone):
    TrainingFactory(teacher=backbone, status="verified", hours=60, school_based=False)
    TrainingFactory(teacher=backbone, status="verified", hours=12, school_based=True)
    TrainingFactory(teacher=backbone, status="submitted", hours=4)
    status = _statuses(backbone, today=datetime.date(2026, 9, 1))[DutyKind.TRAINING_HOURS]
    assert (status.done, status.school_based, status.pending) == (72, 12, 4)
    assert status.missing == 12
    assert status.status == DutyState.MISSED
    assert len(status.record_ids) == 2


def test_mentoring_and_duty_report(school, backbone):
    apprentice = TeacherFactory(school=school)
    Pairing.objects.create(
        school=school,
        mentor=backbone,
        apprentice=apprentice,
        origin="school",
        status="active",
        start_date=datetime.date(2025, 9, 10),
        end_date=datetime.date(2028, 7, 10),
        goals="g",
        mentor_duties="m",
        apprentice_duties="a",
    )
    DutyReport.objects.create(teacher=backbone, year=YEAR, text="述职")
    statuses = _statuses(backbone)
    assert statuses[DutyKind.MENTORING].done == 1
    assert statuses[DutyKind.DUTY_REPORT].done == 0  # not submitted yet
    DutyReport.objects.filter(teacher=backbone).update(submitted_at=timezone.now())
    assert _statuses(backbone)[DutyKind.DUTY_REPORT].done == 1


def test_teacher_without_designation_has_no_duties(school, year):
    teacher = TeacherFactory(school=school)
    assert duty_statuses(teachers=[teacher], year=YEAR, today=TODAY) == {teacher.pk: []}


def test_school_row_replaces_the_district_default(school, backbone, other_school):
    default = DutyTemplate.objects.get(
        school=None, tier=tier(school.district, "school"), kind=DutyKind.LECTURE
    )
    duty_template_change(
        template=default, school=school, from_year=YEAR, data={"required": 2}, today=TODAY
    )
    assert _statuses(backbone)[DutyKind.LECTURE].required == 2
    default.refresh_from_db()
    assert (default.required, default.valid_until) == (1, None)


def test_a_change_never_rewrites_earlier_years(school, year):
    teacher = TeacherFactory(school=school)
    DesignationFactory(teacher=teacher, first_year=2024, last_year=2027)
    SchoolYearFactory(district=school.district, start_year=2026)
    lecture = DutyTemplate.objects.get(
        school=None, tier=tier(school.district, "school"), kind=DutyKind.LECTURE
    )
    new = duty_template_change(
        template=lecture, school=None, from_year=2026, data={"required": 3}, today=TODAY
    )
    lecture.refresh_from_db()
    assert (lecture.valid_from, lecture.valid_until, lecture.required) == (YEAR, 2025, 1)
    assert (new.valid_from, new.valid_until, new.required) == (2026, None, 3)
    assert _statuses(teacher)[DutyKind.LECTURE].required == 1
    assert _statuses(teacher, year=2026)[DutyKind.LECTURE].required == 3


def test_a_change_cannot_start_in_a_past_year(school, year):
    from django.core.exceptions import ValidationError

    lecture = DutyTemplate.objects.get(
        school=None, tier=tier(school.district, "school"), kind=DutyKind.LECTURE
    )
    with pytest.raises(ValidationError):
        duty_template_change(
            template=lecture,
            school=None,
            from_year=2024,
            data={"required": 3},
            today=datetime.date(2025, 11, 1),
        )


def test_duty_statuses_query_count_is_constant(school, year):
    def run(n):
        teachers = []
        for _ in range(n):
            t = TeacherFactory(school=school)
            DesignationFactory(teacher=t)
            OpenClassFactory(teacher=t, status="verified")
            TrainingFactory(teacher=t, status="verified")
            teachers.append(t)
        with CaptureQueriesContext(connection) as ctx:
            duty_statuses(teachers=teachers, year=YEAR, today=TODAY)
        return len(ctx.captured_queries)

    assert run(2) == run(12)


# -- reminders ------------------------------------------------------------------------------
def test_reminders_are_sent_once_per_teacher_duty_and_period(backbone, mailoutbox):
    near_end = datetime.date(2026, 1, 5)  # first semester ends 20 January
    assert duty_reminders_send(today=near_end, weeks_before=4) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["wang@example.org"]
    body = mailoutbox[0].body
    assert "王老师" in body
    reminded = set(DutyReminder.objects.values_list("template__kind", "period_key"))
    assert (DutyKind.OBSERVATIONS, "2025-S1") in reminded
    assert all(kind != DutyKind.LECTURE for kind, _key in reminded)  # year ends in August
    assert duty_reminders_send(today=near_end, weeks_before=4) == 0
    assert duty_reminders_send(today=near_end + datetime.timedelta(days=3)) == 0
    assert len(mailoutbox) == 1


def test_no_reminder_far_from_the_period_end_or_without_email(school, backbone, mailoutbox):
    assert duty_reminders_send(today=datetime.date(2025, 10, 1), weeks_before=2) == 0
    backbone.email = ""
    backbone.save()
    assert duty_reminders_send(today=datetime.date(2026, 1, 5)) == 0
    assert mailoutbox == []


def test_weekly_digest_goes_to_the_training_office(school, backbone, mailoutbox):
    office = user_with_role(Role.TRAINING_OFFICE, school=school, email="office@example.org")
    user_with_role(Role.PRINCIPAL, school=school, email="principal@example.org")
    assert duty_digest_send(today=datetime.date(2025, 12, 15)) == 1
    assert mailoutbox[0].to == [office.email]
    assert "王老师" in mailoutbox[0].body
