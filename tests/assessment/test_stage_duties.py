"""Young teachers who are not yet backbone owe the duties of their growth stage, through the
same engine, grid and reminders as the tier duties."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.duties import duty_counts, duty_statuses
from assessment.duties_grid import duty_grid
from assessment.models import DutyKind, DutyReminder, DutyTemplate, Period
from assessment.services.duties import duty_reminders_send, duty_templates_ensure_defaults
from core.models import Role, school_year_start
from records.models import Paper, TeachingReflection
from teachers.stages import GrowthStage
from tests.factories import (
    DesignationFactory,
    OpenClassFactory,
    SchoolYearFactory,
    TeacherFactory,
    user_with_role,
)

YEAR = 2025
FIRST_DAY = datetime.date(2025, 9, 1)
TODAY = datetime.date(2025, 11, 15)  # first semester, in its 11th week
STAGE_KINDS = [DutyKind.RESEARCH_CLASS, DutyKind.WRITING, DutyKind.REFLECTION]


@pytest.fixture
def year(school):
    SchoolYearFactory(district=school.district, start_year=YEAR)
    duty_templates_ensure_defaults(district=school.district, year=YEAR)


def _starting(school, start: datetime.date, **kw):
    return TeacherFactory(school=school, career_start=start, email="young@example.org", **kw)


def _kinds(teacher, **kw):
    statuses = duty_statuses(teachers=[teacher], year=YEAR, today=kw.pop("today", TODAY), **kw)
    return {s.kind: s for s in statuses[teacher.pk]}


def test_the_defaults_give_the_adaptation_and_stable_stages_their_duties(school, year):
    rows = DutyTemplate.objects.filter(district=school.district, tier=None)
    assert {(t.stage, t.kind, t.period) for t in rows} == {
        (stage, kind, period)
        for stage in (GrowthStage.ADAPTATION, GrowthStage.STABLE)
        for kind, period in (
            (DutyKind.RESEARCH_CLASS, Period.SEMESTER),
            (DutyKind.REFLECTION, Period.WEEK),
            (DutyKind.WRITING, Period.SEMESTER),
        )
    }
    # Asking again creates nothing more.
    assert duty_templates_ensure_defaults(district=school.district, year=YEAR) == 0


@pytest.mark.parametrize(
    "start, stage",
    [
        (FIRST_DAY, GrowthStage.ADAPTATION),  # the first year
        (datetime.date(2023, 9, 2), GrowthStage.ADAPTATION),  # one day short of two years
        (datetime.date(2023, 9, 1), GrowthStage.STABLE),  # two years on the first day
        (datetime.date(2020, 9, 2), GrowthStage.STABLE),  # four years and a bit
        (datetime.date(2020, 9, 1), GrowthStage.INNOVATION),  # five: no stage duties
    ],
)
def test_stage_duties_follow_the_years_of_teaching_on_the_first_day_of_the_year(
    school, year, start, stage
):
    teacher = _starting(school, start)
    duties = _kinds(teacher)
    if stage == GrowthStage.INNOVATION:
        assert duties == {}
    else:
        assert sorted(duties) == sorted(STAGE_KINDS)
        assert {s.template.stage for s in duties.values()} == {stage}


def test_a_stage_the_district_changed_moves_the_boundary(school, year):
    district = school.district
    district.stage_stable_from = 3
    district.save()
    teacher = _starting(school, datetime.date(2023, 9, 1))  # two years: adaptation now
    assert {s.template.stage for s in _kinds(teacher).values()} == {GrowthStage.ADAPTATION}


def test_a_backbone_teacher_owes_the_tier_duties_not_the_stage_ones(school, year):
    teacher = _starting(school, datetime.date(2023, 9, 1))
    DesignationFactory(teacher=teacher, first_year=2025, last_year=2026)
    duties = _kinds(teacher)
    assert DutyKind.OPEN_CLASS in duties
    assert not set(STAGE_KINDS) & set(duties)


def test_a_teacher_who_left_owes_nothing(school, year):
    teacher = _starting(school, FIRST_DAY, is_active=False, left_on=datetime.date(2025, 10, 1))
    assert _kinds(teacher) == {}


def _reflection(teacher, day, status="verified"):
    return TeachingReflection.objects.create(
        teacher=teacher, year=YEAR, semester=1, date=day, status=status,
        lesson="《落花生》第二课时", reflection="提问太密，留白不够。",
    )  # fmt: skip


def test_what_the_records_bring_to_each_stage_duty(school, year):
    teacher = _starting(school, datetime.date(2024, 9, 1))
    OpenClassFactory(teacher=teacher, class_kind="research", status="verified")
    OpenClassFactory(teacher=teacher, class_kind="demonstration", status="verified")
    Paper.objects.create(
        teacher=teacher, year=YEAR, semester=1, date=datetime.date(2025, 10, 8),
        status="verified", result_kind="case", paper_title="一次课堂冲突的处理",
    )  # fmt: skip
    for week in range(4):
        _reflection(teacher, datetime.date(2025, 9, 5) + datetime.timedelta(weeks=week))
    _reflection(teacher, datetime.date(2025, 10, 20), status="submitted")
    duties = _kinds(teacher, semester=1)
    assert duties[DutyKind.RESEARCH_CLASS].done == 1  # the demonstration class is not one
    assert duties[DutyKind.RESEARCH_CLASS].status == "met"
    assert duties[DutyKind.WRITING].done == 1  # a case written counts, published or not
    reflections = duties[DutyKind.REFLECTION]
    # 1 September to 15 November: eleven weeks begun, one reflection each.
    assert (reflections.required, reflections.done, reflections.pending) == (11, 4, 1)
    assert reflections.period_end == datetime.date(2025, 11, 16)  # the 11th week, Sunday
    assert reflections.status == "at_risk"
    # The grid's count in the database agrees with the engine.
    counted = {c.kind: c for c in duty_counts(teachers=[teacher], year=YEAR, semester=1,
                                              today=TODAY)[teacher.pk]}  # fmt: skip
    assert {k: (c.done, c.status) for k, c in counted.items()} == {
        k: (s.done, s.status) for k, s in duties.items()
    }


def test_the_grid_shows_the_young_teachers_of_a_stage(school, year, other_school):
    user = user_with_role(Role.TRAINING_OFFICE, school=school, username="office2")
    young = _starting(school, datetime.date(2024, 9, 1), name="陈晨")
    stable = _starting(school, datetime.date(2022, 9, 1), name="林立")
    backbone = _starting(school, datetime.date(2022, 9, 1), name="周强")
    DesignationFactory(teacher=backbone, first_year=2025, last_year=2026)
    _starting(other_school, datetime.date(2024, 9, 1), name="外校新人")
    grid = duty_grid(user=user, year=YEAR, stage=GrowthStage.ADAPTATION, today=TODAY)
    assert [row.teacher for row in grid.rows] == [young]
    assert grid.rows[0].stage_label == GrowthStage.ADAPTATION.label
    assert {kind for kind, _label in grid.kinds} == set(STAGE_KINDS)
    grid = duty_grid(user=user, year=YEAR, stage=GrowthStage.STABLE, today=TODAY)
    assert [row.teacher for row in grid.rows] == [stable]
    # Without a stage the grid is the backbone teachers', as before.
    grid = duty_grid(user=user, year=YEAR, today=TODAY)
    assert [row.teacher for row in grid.rows] == [backbone]


def test_the_grid_page_filters_by_stage_in_both_languages(login, training_office, school, year):
    _starting(school, datetime.date(2024, 9, 1), name="陈晨")
    client = login(training_office)
    url = reverse("assessment:duties_grid")
    page = client.get(url, {"year": YEAR, "stage": "adaptation"}).content.decode()
    assert "陈晨" in page and "教学反思" in page
    page = client.get(url, {"year": YEAR, "stage": "adaptation"}, HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Duties of young teachers by growth stage" in body and "Teaching reflections" in body


def test_young_teachers_are_reminded_of_their_stage_duties_once(school, year, mailoutbox):
    _starting(school, datetime.date(2024, 9, 1))
    near_end = datetime.date(2026, 1, 5)  # the first semester ends on 20 January
    assert duty_reminders_send(today=near_end, weeks_before=4) == 1
    assert mailoutbox[0].to == ["young@example.org"]
    reminded = set(DutyReminder.objects.values_list("template__kind", flat=True))
    assert DutyKind.RESEARCH_CLASS in reminded
    assert duty_reminders_send(today=near_end, weeks_before=4) == 0


def test_my_growth_shows_what_the_stage_expects(login, school):
    current = school_year_start(timezone.localdate())
    duty_templates_ensure_defaults(district=school.district, year=current)
    user = user_with_role(Role.TEACHER, school=school, username="chen")
    _starting(school, datetime.date(current - 1, 9, 1), user=user)  # one year: adaptation
    client = login(user)
    page = client.get(reverse("records:growth")).content.decode()
    card = page[page.index('id="stage-expectations"') :]
    assert "适应期" in card and "研究课" in card and "教学反思" in card
    page = client.get(reverse("records:growth"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Duties of the growth stage: Adaptation" in page


def test_a_backbone_teachers_growth_page_shows_the_tier_duties(login, school):
    current = school_year_start(timezone.localdate())
    duty_templates_ensure_defaults(district=school.district, year=current)
    user = user_with_role(Role.TEACHER, school=school, username="zhou")
    teacher = _starting(school, datetime.date(current - 1, 9, 1), user=user)
    DesignationFactory(teacher=teacher, first_year=current, last_year=current + 1)
    page = login(user).get(reverse("records:growth"), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert "Duties of the tier" in body and "Research classes" not in body
