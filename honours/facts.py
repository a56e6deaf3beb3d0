"""What the honours list, the priority lists and the performance pay read about teachers, in a
constant number of queries however many teachers: released annual grades (the assessment's
secrecy rule, ``assessment.selectors.released_grades``), duty completion (the duty engine,
``assessment.duties``), verified outcomes and study trips (records), current tiers (backbone).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from assessment.duties import DutyState, duty_statuses
from assessment.selectors import released_grades
from backbone.models import Designation
from records.models import Kind, Level, Record

# The kinds of record that are results (成果) for honours and priority.
OUTCOME_KINDS = (Kind.OPEN_CLASS, Kind.PAPER, Kind.PROJECT, Kind.LECTURE)


@dataclass(frozen=True)
class DutyCompletion:
    met: int
    total: int
    missed: int

    @property
    def all_met(self) -> bool:
        return self.total > 0 and self.met == self.total

    @property
    def share(self) -> float:
        return self.met / self.total if self.total else 0.0

    @property
    def text(self) -> str:
        return f"{self.met}/{self.total}"


NO_DUTIES = DutyCompletion(0, 0, 0)


def duty_completion(
    *, teachers, year: int, today: datetime.date | None = None
) -> dict[int, DutyCompletion]:
    """teacher id -> duties met of those owed in ``year`` as of ``today`` (the duty engine);
    teachers without a tier designation owe none."""
    statuses = duty_statuses(teachers=teachers, year=year, today=today)
    return {
        pk: DutyCompletion(
            met=sum(1 for s in rows if s.status == DutyState.MET),
            total=len(rows),
            missed=sum(1 for s in rows if s.status == DutyState.MISSED),
        )
        for pk, rows in statuses.items()
    }


@dataclass(frozen=True)
class Outcomes:
    total: int = 0
    higher: int = 0  # at district level or above


def outcomes(*, teacher_ids, years) -> dict[int, Outcomes]:
    """teacher id -> verified outcomes (open classes, papers, projects, lectures) of
    ``years``, and how many of them at district level or above; one query."""
    higher = (
        Q(kind=Kind.OPEN_CLASS, openclass__level__gte=Level.DISTRICT)
        | Q(kind=Kind.PAPER, paper__award_level__gte=Level.DISTRICT)
        | Q(kind=Kind.PROJECT, researchproject__level__gte=Level.DISTRICT)
    )
    rows = (
        Record.objects.counting()
        .filter(teacher_id__in=teacher_ids, year__in=list(years), kind__in=OUTCOME_KINDS)
        .order_by()
        .values("teacher_id")
        .annotate(total=Count("pk"), higher=Count("pk", filter=higher))
    )
    return defaultdict(Outcomes, {r["teacher_id"]: Outcomes(r["total"], r["higher"]) for r in rows})


def study_trips(*, teacher_ids, years) -> dict[int, int]:
    """teacher id -> verified study trips (外出学习) in ``years``; one query."""
    rows = (
        Record.objects.counting()
        .filter(teacher_id__in=teacher_ids, year__in=list(years), kind=Kind.STUDY_TRIP)
        .order_by()
        .values("teacher_id")
        .annotate(n=Count("pk"))
    )
    return defaultdict(int, {r["teacher_id"]: r["n"] for r in rows})


def current_tiers(*, teacher_ids, today: datetime.date | None = None) -> dict[int, Designation]:
    """teacher id -> their current tier designation (the highest if several); one query."""
    today = today or timezone.localdate()
    found: dict[int, Designation] = {}
    rows = (
        Designation.objects.current(today)
        .tiers()
        .filter(teacher_id__in=teacher_ids)
        .select_related("tier")
        .order_by("tier__level")
    )
    for designation in rows:
        found[designation.teacher_id] = designation
    return found


__all__ = [
    "NO_DUTIES",
    "DutyCompletion",
    "Outcomes",
    "current_tiers",
    "duty_completion",
    "outcomes",
    "released_grades",
    "study_trips",
]
