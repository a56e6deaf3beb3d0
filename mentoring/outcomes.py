"""Mentoring outcomes: what an apprentice achieved after the pairing started, credited to the
mentor (an apprentice who is later designated earns the mentor a reward, DOMAIN.md).

Counted achievements, each with the dates that prove the link:
- a designation at any tier or an honorary title (not a revoked one), dated by the earlier of
  ``designated_on`` and the start of its first school year, so that a designation recorded
  late (an import, an external certificate) is not mistaken for a new one;
- a verified competition class (赛课) with a prize;
- a verified paper or result with the progress "awarded".
The achievement must fall after the pairing started. Pairings that really took place count
(active, completed, ended early). When several pairings of the same mentor and apprentice
(renewals) qualify, the achievement is credited once, to the earliest of them.

These functions are for duties and assessment as well as for the pages.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from backbone.models import Designation
from records.models import OpenClass, Paper
from teachers.models import Teacher

from .models import Pairing
from .selectors import HELD_STATUSES


@dataclass(frozen=True)
class Outcome:
    KINDS = {
        "designation": _("Designated"),
        "competition": _("Competition prize"),
        "paper": _("Paper award"),
    }

    kind: str  # "designation", "competition" or "paper"
    mentor_id: int
    apprentice: Teacher
    pairing_id: int
    pairing_start: datetime.date
    pairing_end: datetime.date  # the day it ended, or its planned end while it runs
    achieved_on: datetime.date
    title: str
    detail: str = ""
    designation_id: int | None = None
    record_id: int | None = None

    @property
    def kind_label(self) -> str:
        return str(self.KINDS[self.kind])

    @property
    def days_after_start(self) -> int:
        return (self.achieved_on - self.pairing_start).days


def designation_date(designation: Designation) -> datetime.date:
    """When the designation really happened, as far as the records prove it."""
    return min(designation.designated_on, datetime.date(designation.first_year, 9, 1))


def _achievements(apprentice_ids: set[int]) -> dict[int, list[tuple]]:
    """Per apprentice: (kind, date, title, detail, designation_id, record_id), 3 queries."""
    found: dict[int, list[tuple]] = defaultdict(list)
    designations = (
        Designation.objects.filter(teacher_id__in=apprentice_ids)
        .exclude(status=Designation.Status.REVOKED)
        .select_related("tier")
    )
    for d in designations:
        found[d.teacher_id].append(
            ("designation", designation_date(d), d.tier.label, d.certificate_no, d.pk, None)
        )
    classes = OpenClass.objects.counting().filter(
        teacher_id__in=apprentice_ids, class_kind=OpenClass.ClassKind.COMPETITION
    )
    for c in classes.exclude(prize="").only("teacher_id", "date", "topic", "prize"):
        found[c.teacher_id].append(("competition", c.date, c.topic, c.prize, None, c.pk))
    papers = Paper.objects.counting().filter(
        teacher_id__in=apprentice_ids, progress=Paper.Progress.AWARDED
    )
    for p in papers.only("teacher_id", "date", "paper_title", "prize", "award_level"):
        parts = [p.get_award_level_display() if p.award_level else "", p.get_prize_display()]
        detail = " · ".join(str(part) for part in parts if part)
        found[p.teacher_id].append(("paper", p.date, p.paper_title, detail, None, p.pk))
    return found


def outcomes_for_mentors(*, mentors: Iterable[Teacher]) -> dict[int, list[Outcome]]:
    """Each mentor's outcomes, newest first, in four queries however many mentors."""
    mentor_ids = {m.pk for m in mentors}
    result: dict[int, list[Outcome]] = {pk: [] for pk in mentor_ids}
    if not mentor_ids:
        return result
    pairings = list(
        Pairing.objects.filter(mentor_id__in=mentor_ids, status__in=HELD_STATUSES)
        .select_related("apprentice")
        .order_by("start_date", "pk")
    )
    achievements = _achievements({p.apprentice_id for p in pairings})
    credited: set[tuple] = set()
    for pairing in pairings:
        for kind, day, title, detail, designation_id, record_id in achievements.get(
            pairing.apprentice_id, []
        ):
            key = (pairing.mentor_id, kind, designation_id, record_id)
            if day <= pairing.start_date or key in credited:
                continue
            credited.add(key)
            result[pairing.mentor_id].append(
                Outcome(
                    kind=kind,
                    mentor_id=pairing.mentor_id,
                    apprentice=pairing.apprentice,
                    pairing_id=pairing.pk,
                    pairing_start=pairing.start_date,
                    pairing_end=pairing.ended_on or pairing.end_date,
                    achieved_on=day,
                    title=title,
                    detail=detail,
                    designation_id=designation_id,
                    record_id=record_id,
                )
            )
    for outcomes in result.values():
        outcomes.sort(key=lambda o: (o.achieved_on, o.pairing_id), reverse=True)
    return result


def mentor_outcomes(*, mentor: Teacher) -> list[Outcome]:
    return outcomes_for_mentors(mentors=[mentor])[mentor.pk]
