"""Score sheets due: the one place the home page asks the rounds for them.

Selection rounds (backbone) and assessment rounds (assessment) both score on panels of the
scoring engine, which says who still owes a sheet."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import AssessmentRound
from backbone.models import SelectionRound
from scoring.models import Panel
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
    sheet, oldest first. One query: the panels owing a sheet, with the round that owns each
    (a selection or an assessment round the user may see)."""
    selection = SelectionRound.objects.visible_to(user).filter(status=SelectionRound.Status.SCORING)
    assessment = AssessmentRound.objects.visible_to(user).filter(
        status=AssessmentRound.Status.SCORING
    )
    panels = (
        owing_a_sheet(Panel.objects.all(), user=user, panel="pk")
        .filter(
            Q(selectionround__in=selection.values("pk"))
            | Q(assessmentround__in=assessment.values("pk"))
        )
        .select_related("selectionround", "assessmentround")
    )
    today = timezone.localdate()
    due = []
    for panel in panels:
        round = getattr(panel, "selectionround", None)
        if round is not None:
            due.append(
                (
                    (0, round.apply_until, round.pk),
                    SheetDue(
                        title=round.title,
                        kind=_("Selection round"),
                        url=reverse("backbone:round_score", kwargs={"pk": round.pk}),
                        deadline=None,
                        # Closed before its deadline: scoring began on a day not recorded,
                        # never on the later date the window would have closed.
                        since=round.apply_until if round.apply_until <= today else None,
                    ),
                )
            )
            continue
        round = panel.assessmentround
        due.append(
            (
                (1, round.created_at.date(), round.pk),
                SheetDue(
                    title=round.title,
                    kind=_("Assessment round"),
                    url=reverse("assessment:round_score", kwargs={"pk": round.pk}),
                    deadline=None,
                    since=round.created_at.date(),
                ),
            )
        )
    return [sheet for _key, sheet in sorted(due, key=lambda item: item[0])]
