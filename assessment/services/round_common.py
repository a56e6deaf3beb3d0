"""What every write of an assessment round starts with: the round re-read under a row lock,
refused once locked, and the permissions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.models import User

from .. import selectors
from ..models import AssessmentRound

Status = AssessmentRound.Status


def _lock(round: AssessmentRound) -> AssessmentRound:
    locked = (
        AssessmentRound.objects.select_related("school", "template")
        .select_for_update(of=("self",))
        .get(pk=round.pk)
    )
    if selectors.is_locked(locked):
        raise ValidationError(_("This round is locked and can no longer be changed."))
    return locked


def _require_manager(by: User, round: AssessmentRound) -> None:
    if not selectors.can_manage_round(by, round):
        raise PermissionDenied(_("Only the principal or training office can do this."))


def _require_principal(by: User, school_id: int) -> None:
    if not selectors.is_principal_of(by, school_id):
        raise PermissionDenied(_("Only the principal can do this."))
