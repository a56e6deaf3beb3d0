"""What every write of a selection round starts with: the round re-read under a row lock,
refused once closed for good, and the managers' permission."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.models import User

from ..models import Candidate, SelectionRound
from ..selectors import rounds as selectors

Status = SelectionRound.Status


# -- helpers -------------------------------------------------------------------------------------
def _lock(round: SelectionRound) -> SelectionRound:
    """The round re-read under a row lock; refuses rounds that are closed for good."""
    locked = SelectionRound.objects.select_for_update().get(pk=round.pk)
    _ensure_writable(locked)
    return locked


def _ensure_writable(round: SelectionRound) -> None:
    if round.status == Status.CONFIRMED:
        raise ValidationError(_("This round is confirmed and can no longer be changed."))
    if round.status == Status.CANCELLED:
        raise ValidationError(_("This round was cancelled and can no longer be changed."))


def _require_manager(by: User, round: SelectionRound) -> None:
    if not selectors.can_manage_round(by, round):
        raise PermissionDenied(_("Only the principal or training office can do this."))


def _names(candidates: Iterable[Candidate]) -> str:
    return "、".join(c.teacher.name for c in candidates)
