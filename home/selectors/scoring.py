"""Score sheets due: the one place the home page asks the rounds for them.

Selection rounds (backbone) and assessment rounds (assessment) each keep their committee's
score sheets today; when both move to one scoring engine, only this function changes."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from assessment import selectors as assessment_selectors
from assessment.models import AssessmentRound, AssessmentSheet
from backbone.models import ScoreSheet, SelectionRound
from backbone.selectors import rounds as selection_selectors


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
    submitted = {"member": user, "submitted_at__isnull": False, "round": OuterRef("pk")}
    selection = (
        selection_selectors.round_list(user=user)
        .filter(status=SelectionRound.Status.SCORING, committee=user)
        .exclude(Exists(ScoreSheet.objects.filter(**submitted)))
        .order_by("apply_until", "pk")
    )
    assessment = (
        assessment_selectors.round_list(user=user)
        .filter(status=AssessmentRound.Status.SCORING, committee=user)
        .exclude(Exists(AssessmentSheet.objects.filter(**submitted)))
        .order_by("created_at", "pk")
    )
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
