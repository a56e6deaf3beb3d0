"""A published prize lands on the winner's record by itself, exactly once: publishing twice,
republishing after a correction and taking a prize back all leave one record per entry, which
the duties count, the mentors' outcomes credit and the dossier shows."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessment.duties import duty_statuses
from assessment.models import DutyKind
from assessment.services.duties import duty_templates_ensure_defaults
from contests.models import Category, Contest
from contests.services import contests as services
from documents.dossier.gathering import dossier_data
from mentoring.models import Pairing
from mentoring.outcomes import mentor_outcomes
from records.models import OpenClass, Paper, Record, Status
from tests.factories import DesignationFactory, TeacherFactory

from .conftest import YEAR, enter, score_all

pytestmark = pytest.mark.django_db


def _to_results(contest, by, judges):
    services.entries_close(contest=contest, by=by)
    for judge in judges:
        score_all(contest, judge)
    return services.scores_reveal(contest=contest, by=by)


@pytest.fixture
def decided(contest, entrants, training_office, committee_member, judge_teacher):
    """Two entries scored, the first with a second prize (class), the second with a first
    prize (courseware)."""
    first = enter(contest, entrants[0], training_office)
    second = enter(contest, entrants[1], training_office, Category.COURSEWARE, "《分数》课件")
    _to_results(contest, training_office, [committee_member, judge_teacher])
    services.prizes_set(
        contest=contest, prizes={first.pk: "second", second.pk: "first"}, by=training_office
    )
    return contest, first, second


def test_publishing_twice_puts_each_prize_on_its_record_once(decided, training_office):
    contest, first, second = decided
    services.results_publish(contest=contest, by=training_office)
    services.results_publish(contest=contest, by=training_office)  # a second click
    assert Record.objects.filter(source__startswith="contest-entry:").count() == 2
    open_class = OpenClass.objects.get(teacher=first.teacher)
    assert (open_class.class_kind, open_class.status) == ("competition", Status.VERIFIED)
    assert open_class.prize == "二等奖" and open_class.topic == "《秋天的雨》"
    paper = Paper.objects.get(teacher=second.teacher)
    assert (paper.result_kind, paper.progress, paper.prize) == ("courseware", "awarded", "first")
    assert paper.award_level == 1 and paper.venue == contest.title
    assert paper.date == contest.held_on and paper.is_credited


def test_a_corrected_prize_corrects_the_same_record_and_a_removed_one_archives_it(
    decided, training_office
):
    contest, first, second = decided
    services.results_publish(contest=contest, by=training_office)
    record_ids = set(Record.objects.values_list("pk", flat=True))
    services.results_unpublish(contest=contest, by=training_office)
    assert set(Record.objects.values_list("status", flat=True)) == {Status.ARCHIVED}
    services.prizes_set(
        contest=contest, prizes={first.pk: "third", second.pk: ""}, by=training_office
    )
    services.results_publish(contest=contest, by=training_office)
    assert set(Record.objects.values_list("pk", flat=True)) == record_ids  # no new record
    assert OpenClass.objects.get(teacher=first.teacher).prize == "三等奖"
    assert OpenClass.objects.get(teacher=first.teacher).status == Status.VERIFIED
    assert Paper.objects.get(teacher=second.teacher).status == Status.ARCHIVED


def test_prizes_change_only_between_revealing_and_publishing(decided, training_office):
    contest, first, _second = decided
    services.results_publish(contest=contest, by=training_office)
    with pytest.raises(ValidationError):
        services.prizes_set(contest=contest, prizes={first.pk: "first"}, by=training_office)


def test_the_prize_counts_for_duties_mentor_outcomes_and_the_dossier(
    school, decided, training_office
):
    contest, first, second = decided
    duty_templates_ensure_defaults(district=school.district, year=YEAR)
    DesignationFactory(teacher=second.teacher, first_year=YEAR - 1, last_year=YEAR + 1)
    mentor = TeacherFactory(school=school, name="师傅")
    Pairing.objects.create(
        school=school,
        origin=Pairing.Origin.SCHOOL,
        mentor=mentor,
        apprentice=first.teacher,
        start_date=datetime.date(YEAR, 9, 1) - datetime.timedelta(days=30),
        end_date=datetime.date(YEAR + 2, 7, 1),
        status=Pairing.Status.ACTIVE,
    )
    services.results_publish(contest=contest, by=training_office)

    statuses = {s.kind: s for s in duty_statuses(teachers=[second.teacher], year=YEAR)[
        second.teacher.pk]}  # fmt: skip
    assert statuses[DutyKind.COURSEWARE].done == 1
    outcomes = mentor_outcomes(mentor=mentor)
    assert [(o.kind, o.title, o.detail) for o in outcomes] == [
        ("competition", "《秋天的雨》", "二等奖")
    ]
    dossier = dossier_data(teacher=second.teacher)
    # the dossier prints the prize among the competition prizes, not again among the papers
    assert [p.title for year in dossier.years for p in year.prizes] == ["《分数》课件"]
    assert [p.title for year in dossier.years for p in year.papers] == []

    services.results_unpublish(contest=contest, by=training_office)
    assert mentor_outcomes(mentor=mentor) == []


def test_only_the_organiser_publishes(decided, committee_member):
    from django.core.exceptions import PermissionDenied

    contest, *_ = decided
    with pytest.raises(PermissionDenied):
        services.results_publish(contest=contest, by=committee_member)
    assert Contest.objects.get(pk=contest.pk).stage == Contest.Stage.RESULTS
