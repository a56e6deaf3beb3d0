"""Writes of a panel itself: opening it, its entrants, recusal, a member who leaves, and the
moment its scores are revealed. The owner (a selection round, an assessment round) locks its
own row first and checks its own rules; these functions keep the panel's."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import District, School, User

from ..models import Entrant, Item, Panel, PanelMember

DEFAULT_MAX_SCORE = 100


@transaction.atomic
def panel_open(
    *,
    items: Iterable[Mapping],
    members: Iterable[User],
    school: School | None = None,
    district: District | None = None,
    city=None,
    managers_see_while_secret: bool = True,
) -> Panel:
    """A panel with its items ({name, weight, max_score, key}) and members, in order."""
    panel = Panel.objects.create(
        school=school,
        district=district,
        city=city,
        managers_see_while_secret=managers_see_while_secret,
    )
    Item.objects.bulk_create(
        Item(
            panel=panel,
            name=str(item["name"]).strip(),
            weight=int(item["weight"]),
            max_score=int(item.get("max_score") or DEFAULT_MAX_SCORE),
            position=position,
            key=item.get("key"),
        )
        for position, item in enumerate(items)
    )
    PanelMember.objects.bulk_create(PanelMember(panel=panel, user=u) for u in members)
    return panel


def entrants_add(*, panel: Panel, users: Iterable[User | int | None]) -> list[Entrant]:
    """One entrant per person scored; ``users`` are their logins (or None)."""
    return Entrant.objects.bulk_create(
        Entrant(panel=panel, user_id=u.pk if isinstance(u, User) else u) for u in users
    )


def entrant_update(*, entrant: Entrant, active: bool, user: User | int | None) -> Entrant:
    """Into or out of the scoring (a candidate withdraws, or comes back)."""
    entrant.active = active
    entrant.user_id = user.pk if isinstance(user, User) else user
    entrant.save(update_fields=["active", "user"])
    return entrant


def _membership(panel: Panel, user: User) -> PanelMember:
    membership = PanelMember.objects.select_for_update().filter(panel=panel, user=user).first()
    if membership is None:
        raise ValidationError(_("%(name)s is not a member of this panel.") % {"name": user})
    return membership


@transaction.atomic
def member_recuse(
    *, panel: Panel, user: User, reason: str, entrants: Iterable[Entrant] | None = None
) -> PanelMember:
    """Recusal (回避) for a conflict of interest: from the given entrants only, or from the
    whole panel. A recused member's marks do not count, not even on a submitted sheet."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the recusal.")})
    membership = _membership(panel, user)
    if entrants is None:
        membership.recused, membership.recused_reason = True, reason[:200]
        membership.save(update_fields=["recused", "recused_reason"])
    else:
        membership.recused_reason = reason[:200]
        membership.save(update_fields=["recused_reason"])
        membership.recused_from.add(*[e for e in entrants if e.panel_id == panel.pk])
    return membership


@transaction.atomic
def member_leave(*, panel: Panel, user: User) -> PanelMember:
    """The member leaves the panel: they score no more and see what a non-member sees. A
    sheet they submitted before leaving still counts; a draft never counts."""
    membership = _membership(panel, user)
    if membership.left_at is None:
        membership.left_at = timezone.now()
        membership.save(update_fields=["left_at"])
    return membership


def panel_reveal(*, panel: Panel) -> Panel:
    """The owner's rules open the scores to every viewer (公示 started, round finalised)."""
    if panel.revealed_at is None:
        panel.revealed_at = timezone.now()
        Panel.objects.filter(pk=panel.pk, revealed_at__isnull=True).update(
            revealed_at=panel.revealed_at
        )
    return panel
