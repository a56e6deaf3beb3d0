"""Recusal (回避) in a selection round: a committee member with a conflict of interest (a
relative, their own apprentice) steps back from some candidates or from the whole round. The
member declares it themselves, or the principal or training office records it. Their marks for
those candidates stop counting (the scoring engine's ``aggregate``), those candidates leave
their sheet, and a member recused from the whole round sees no score while scoring is secret
(``scoring.visibility``)."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.models import User
from scoring.models import PanelMember
from scoring.services.panels import member_recuse

from ..models import Candidate, SelectionRound
from ..selectors import rounds as selectors
from .round_common import Status, _lock
from .round_scoring import _rank


@transaction.atomic
def round_member_recuse(
    *,
    round: SelectionRound,
    by: User,
    member: User,
    reason: str,
    candidates: Iterable[Candidate] | None = None,
) -> PanelMember:
    """``member`` steps back from ``candidates`` (none given: from the whole round), before
    the list is announced. Declaring again adds candidates; the reason is the latest one."""
    round = _lock(round)
    if by.pk != member.pk and not selectors.can_manage_round(by, round):
        raise PermissionDenied(_("Only the principal or training office can do this."))
    if round.status not in (Status.OPEN, Status.SCORING):
        raise ValidationError(_("Recusal is declared before the list is announced."))
    membership = round.panel.memberships.filter(user=member, left_at__isnull=True).first()
    if membership is None:
        raise ValidationError({"member": _("%(name)s is not on this round's committee.") % {
            "name": member
        }})  # fmt: skip
    entrants = None
    if candidates is not None:
        candidates = list(candidates)
        if not candidates:
            raise ValidationError({"candidates": _("Choose the candidates, or the whole round.")})
        if any(c.round_id != round.pk or c.withdrawn for c in candidates):
            raise ValidationError({"candidates": _("A candidate is not in this round.")})
        entrants = [c.entrant for c in candidates]
    membership = member_recuse(panel=round.panel, user=member, reason=reason, entrants=entrants)
    if round.status == Status.SCORING:
        _rank(round)  # marks that no longer count leave the ranking
    return membership
