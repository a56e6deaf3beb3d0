"""The one predicate on what a user may see of a panel at this moment. Pages, files, exports,
ordering and counts ask it; nothing else decides.

While the scores are secret (the panel's owner has not revealed them):
- an active member (not recused, still on the panel) sees their own sheet; they see the other
  members' marks, the averages and totals, the ranks (and any order made from them) and who
  has submitted only once they have submitted their own sheet;
- a member recused from the whole panel sees none of it;
- a manager of the owner's school (or district) who is not an active member sees all of it,
  when the panel allows it (they do not score, so nothing can be copied); a member who left
  the panel is judged as if they had never sat on it;
- anyone else (the district office, other staff, teachers) sees none of it.

Once revealed, every viewer of the owner's scope sees all of it; anyone else who reaches the
owner's public pages sees the ranks only (the published list), never a mark or a total.

A file shared with several people (every manager of a school, the district office) holds only
what every one of them may see: ``shared_sight``, which is nothing while the scores are secret.
A printed notice for everyone holds what the public pages show: ``posted_sight``.
"""

from dataclasses import dataclass

from core.models import District, User

from .models import Panel, PanelMember, Sheet
from .selectors import membership_of

_UNKNOWN = object()


@dataclass(frozen=True)
class Sight:
    own: bool = False  # their own sheet, draft or submitted
    marks: bool = False  # every member's individual marks
    totals: bool = False  # averages per item and weighted totals
    ranks: bool = False  # ranks, and any order made from them
    progress: bool = False  # who has submitted, how many sheets are in

    @property
    def anything(self) -> bool:
        return self.marks or self.totals or self.ranks


NOTHING = Sight()
PUBLIC = Sight(ranks=True)
EVERYTHING = Sight(marks=True, totals=True, ranks=True, progress=True)


def is_manager(user: User, panel: Panel) -> bool:
    scope = user.scope
    if panel.school_id is not None:
        return scope.can_manage_school(panel.school_id)
    if panel.city_id is not None:
        return scope.is_superuser or panel.city_id in scope.city_ids
    return scope.is_superuser or panel.district_id in scope.district_ids


def is_viewer(user: User, panel: Panel) -> bool:
    scope = user.scope
    if panel.school_id is not None:
        if scope.is_superuser or panel.school_id in scope.staff_school_ids:
            return True
        return panel.school.district_id in scope.district_ids
    if panel.city_id is not None:
        # A city's panel, once revealed: the city office and its districts' offices.
        return (
            scope.is_superuser
            or panel.city_id in scope.city_ids
            or District.objects.filter(pk__in=scope.district_ids, city_id=panel.city_id).exists()
        )
    return scope.is_superuser or panel.district_id in scope.district_ids


def sight(
    *,
    user: User,
    panel: Panel,
    membership: PanelMember | None = _UNKNOWN,
    sheet: Sheet | None = _UNKNOWN,
) -> Sight:
    """What ``user`` may see of ``panel`` now. ``membership`` and ``sheet`` save queries when
    the caller has loaded them already (None: known to have none)."""
    if user is None or not user.is_authenticated:
        return NOTHING
    if membership is _UNKNOWN:
        membership = membership_of(panel=panel, user=user)
    active = membership is not None and membership.is_active
    if not panel.is_secret:
        if is_viewer(user, panel):
            return Sight(own=membership is not None, **_all())
        return PUBLIC
    if active:
        if sheet is _UNKNOWN:
            sheet = Sheet.objects.filter(panel=panel, member=user).first()
        if sheet is not None and sheet.submitted_at is not None:
            return Sight(own=True, **_all())
        return Sight(own=True)
    if membership is not None and membership.recused:
        return NOTHING
    if panel.managers_see_while_secret and is_manager(user, panel):
        return EVERYTHING
    return NOTHING


def shared_sight(*, panel: Panel) -> Sight:
    """What a file shared with a school's managers or a district office may hold."""
    return NOTHING if panel.is_secret else EVERYTHING


def posted_sight(*, panel: Panel) -> Sight:
    """What a notice posted for everyone (公示 on the school's notice board) may hold: what
    anyone reaching the owner's public pages sees, the ranks once revealed; never a mark or a
    total, and nothing while the scores are secret."""
    return NOTHING if panel.is_secret else PUBLIC


def hidden_panels(*, user: User | None, panels) -> set[int]:
    """Of ``panels`` (a queryset), the ids whose totals ``user`` may not see; three queries.
    ``user=None``: a file shared with a school's managers or a district (``shared_sight``)."""
    panels = list(panels.select_related("school"))
    if user is None:
        return {p.pk for p in panels if not shared_sight(panel=p).totals}
    secret = [p for p in panels if p.is_secret]
    memberships = {m.panel_id: m for m in PanelMember.objects.filter(panel__in=secret, user=user)}
    sheets = {s.panel_id: s for s in Sheet.objects.filter(panel__in=secret, member=user)}
    return {
        p.pk
        for p in panels
        if not sight(
            user=user, panel=p, membership=memberships.get(p.pk), sheet=sheets.get(p.pk)
        ).totals
    }


def rank_order(seen: Sight, *, by_rank: list, neutral: list) -> list:
    """The order of a list of entrants: by rank only when the ranks may be seen, else by
    something that tells nothing (name, staff number)."""
    return [*by_rank, *neutral] if seen.ranks else list(neutral)


def _all() -> dict:
    return {"marks": True, "totals": True, "ranks": True, "progress": True}
