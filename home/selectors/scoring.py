"""Score sheets due: the one place the home page asks the rounds for them.

Selection rounds (backbone) and assessment rounds (assessment) both score on panels of the
scoring engine, which says who still owes a sheet."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from assessment import selectors as assessment_selectors
from assessment.models import AssessmentRound
from backbone.models import SelectionRound
from backbone.selectors import rounds as selection_selectors
from scoring.selectors import owing_a_sheet


@dataclass(frozen=True)
class SheetDue:
    title: str
    kind: str  # what the round is, in words
    url: str  # where the member scores
    deadline: date | None  # None: the round sets no date for the committee
    since: date | None  # when scoring began (applications closed, round opened)


def score_sheets_due(*, user) -> list[SheetDue]:
    """Rounds being scored where the user sits on the committee and has not submitted their
    sheet, oldest first. Two queries."""
    selection = owing_a_sheet(
        selection_selectors.round_list(user=user).filter(status=SelectionRound.Status.SCORING),
        user=user,
    ).order_by("apply_until", "pk")
    assessment = owing_a_sheet(
        assessment_selectors.round_list(user=user).filter(status=AssessmentRound.Status.SCORING),
        user=user,
    ).order_by("created_at", "pk")
    due = [
        SheetDue(
            title=r.title,
            kind=_("Selection round"),
            url=reverse("backbone:round_score", kwargs={"pk": r.pk}),
            deadline=None,
            since=r.apply_until,
        )
        for r in selection
    ]
    due += [
        SheetDue(
            title=r.title,
            kind=_("Assessment round"),
            url=reverse("assessment:round_score", kwargs={"pk": r.pk}),
            deadline=None,
            since=r.created_at.date(),
        )
        for r in assessment
    ]
    return due
