"""Every read the selection-round pages need, already scoped, and the permission predicates.

Who may do what in a round:
- managers (principal, training office of the school): open, nominate, close applications,
  propose, announce, handle objections, confirm, cancel;
- committee members (chosen when the round is opened): score;
- teachers of the school: apply while applications are open;
- anyone with any role at the school (teachers included): read the public notice and lodge an
  objection during the announcement (公示);
- the district office: read-only.

Scoring secrecy: a committee member sees nobody's scores but their own until they have
submitted their sheet. Managers who are not on the committee see the scores at any time (they
do not score, so nothing can be copied); once scoring is over (announced, confirmed) every
viewer of the round sees them. Teachers never see the committee's scores, only the rank on the
public notice.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.models import Role, RoleAssignment, School, User
from core.scoping import get_for_user
from teachers.models import Teacher

from ..models import (
    Candidate,
    Criterion,
    Objection,
    ReserveEntry,
    Score,
    ScoreSheet,
    SelectionRound,
    Tier,
)

# Roles at the school from which committee members are chosen.
COMMITTEE_ROLES = (Role.COMMITTEE, Role.PRINCIPAL, Role.TRAINING_OFFICE)
TWO_PLACES = Decimal("0.01")


# -- named predicates ----------------------------------------------------------------------------
def can_manage_school(user: User, school_id: int) -> bool:
    return user.scope.can_manage_school(school_id)


def can_manage_round(user: User, round: SelectionRound) -> bool:
    """The principal or training office of the round's school (or a superuser)."""
    return can_manage_school(user, round.school_id)


def can_view_round(user: User, round: SelectionRound) -> bool:
    return SelectionRound.objects.visible_to(user).filter(pk=round.pk).exists()


def is_committee_member(user: User, round: SelectionRound) -> bool:
    if "committee" in getattr(round, "_prefetched_objects_cache", {}):
        return any(m.pk == user.pk for m in round.committee.all())
    return round.committee.filter(pk=user.pk).exists()


def is_school_staff(user: User, school: School | int) -> bool:
    """Anyone holding any role at the school, teachers included: the public notice (公示) is
    for the whole staff."""
    school_id = school if isinstance(school, int) else school.pk
    scope = user.scope
    return scope.is_superuser or bool(scope.roles_at(school_id))


def is_teacher_of(user: User, school_id: int) -> Teacher | None:
    """The user's roster profile when it belongs to this school, else None."""
    teacher = getattr(user, "teacher", None)
    if teacher is not None and teacher.school_id == school_id and teacher.is_active:
        return teacher
    return None


def applications_open(round: SelectionRound, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        round.status == SelectionRound.Status.OPEN
        and round.apply_from <= today <= round.apply_until
    )


def announcement_running(round: SelectionRound, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        round.status == SelectionRound.Status.ANNOUNCED
        and round.announce_from is not None
        and round.announce_from <= today <= round.announce_until
    )


def has_submitted(user: User, round: SelectionRound) -> bool:
    return ScoreSheet.objects.filter(round=round, member=user, submitted_at__isnull=False).exists()


def can_see_scores(user: User, round: SelectionRound, *, member: bool | None = None) -> bool:
    """See the module docstring. ``member`` saves a query when the caller already knows."""
    if round.status in (SelectionRound.Status.ANNOUNCED, SelectionRound.Status.CONFIRMED):
        return can_view_round(user, round)
    if member is None:
        member = is_committee_member(user, round)
    if member:
        return has_submitted(user, round)
    return can_manage_round(user, round)


def can_see_objections(user: User, round: SelectionRound) -> bool:
    """All objections: the managers who handle them and the district office. An author
    always sees their own."""
    scope = user.scope
    return can_manage_round(user, round) or round.school.district_id in scope.district_ids


# -- lookups -------------------------------------------------------------------------------------
def round_list(*, user: User) -> QuerySet[SelectionRound]:
    return (
        SelectionRound.objects.visible_to(user)
        .select_related("school", "tier")
        .annotate(
            candidate_count=Count(
                "candidates", filter=Q(candidates__withdrawn=False), distinct=True
            ),
            proposed_count=Count(
                "candidates",
                filter=Q(candidates__proposed=True, candidates__withdrawn=False),
                distinct=True,
            ),
        )
        .order_by("-created_at")
    )


def rounds_open_to_apply(*, user: User) -> QuerySet[SelectionRound]:
    """Rounds of the user's own school that take applications today (for teachers)."""
    teacher = getattr(user, "teacher", None)
    if teacher is None or not teacher.is_active:
        return SelectionRound.objects.none()
    today = timezone.localdate()
    return (
        SelectionRound.objects.filter(
            school_id=teacher.school_id,
            status=SelectionRound.Status.OPEN,
            apply_from__lte=today,
            apply_until__gte=today,
        )
        .select_related("school", "tier")
        .order_by("apply_until")
    )


def my_candidacies(*, user: User) -> dict[int, Candidate]:
    """The user's own candidacies, by round id."""
    teacher = getattr(user, "teacher", None)
    if teacher is None:
        return {}
    return {c.round_id: c for c in Candidate.objects.filter(teacher=teacher)}


def get_round_for_user(*, user: User, pk: int, write: bool = False) -> SelectionRound:
    """404 for users who may not see the round, 403 for those who may not manage it."""
    return get_for_user(
        SelectionRound.objects.select_related("school__district", "tier", "opened_by"),
        user,
        write=write,
        pk=pk,
    )


def get_round_for_teacher(*, user: User, pk: int) -> tuple[SelectionRound, Teacher]:
    """A round of the teacher's own school, with their roster profile; 404 otherwise."""
    round = (
        SelectionRound.objects.select_related("school", "tier")
        .prefetch_related("criteria")
        .filter(pk=pk)
        .first()
    )
    teacher = is_teacher_of(user, round.school_id) if round else None
    if teacher is None:
        raise Http404
    return round, teacher


def get_round_for_scoring(*, user: User, pk: int) -> SelectionRound:
    """The score page: 404 to users who cannot see the round, 403 to non-members."""
    round = get_round_for_user(user=user, pk=pk)
    if not is_committee_member(user, round):
        raise PermissionDenied
    return round


def notice_list(*, user: User) -> QuerySet[SelectionRound]:
    """Rounds under public announcement, or confirmed, at schools where the user holds any
    role (teachers included), plus the district office's schools."""
    scope = user.scope
    qs = SelectionRound.objects.filter(
        status__in=[SelectionRound.Status.ANNOUNCED, SelectionRound.Status.CONFIRMED],
        announce_from__isnull=False,
    )
    if not scope.is_superuser:
        qs = qs.filter(Q(school_id__in=list(scope.school_roles)) | scope.school_filter())
    return qs.select_related("school", "tier").order_by("-announce_from", "-pk")


def get_notice_for_user(*, user: User, pk: int) -> SelectionRound:
    round = notice_list(user=user).filter(pk=pk).first()
    if round is None:
        raise Http404
    return round


def get_objection_for_user(*, user: User, pk: int) -> Objection:
    """An objection to handle: 404 outside the round's scope, 403 to non-managers."""
    objection = (
        Objection.objects.visible_to(user)
        .select_related("round__school", "round__tier", "candidate__teacher", "author")
        .filter(pk=pk)
        .first()
    )
    if objection is None:
        raise Http404
    if not can_manage_round(user, objection.round):
        raise PermissionDenied
    return objection


def get_candidate_for_withdrawal(*, user: User, pk: int) -> Candidate:
    """A candidate the user may withdraw: their own candidacy, or one of a round they manage."""
    candidate = (
        Candidate.objects.select_related("round__school", "round__tier", "teacher")
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise Http404
    if candidate.teacher.user_id is None or candidate.teacher.user_id != user.pk:
        get_round_for_user(user=user, pk=candidate.round_id, write=True)
    return candidate


def candidate_rows(*, round: SelectionRound) -> list[Candidate]:
    return list(
        round.candidates.select_related("teacher__group", "added_by").order_by(
            "withdrawn", F("rank").asc(nulls_last=True), "teacher__name", "pk"
        )
    )


def proposed_candidates(*, round: SelectionRound) -> list[Candidate]:
    return list(
        round.candidates.filter(proposed=True, withdrawn=False, is_eligible=True)
        .select_related("teacher__group")
        .order_by(F("rank").asc(nulls_last=True), "teacher__name", "pk")
    )


def objection_list(*, round: SelectionRound, user: User | None = None) -> list[Objection]:
    """All objections of the round, or only ``user``'s own."""
    qs = round.objections.select_related("author", "candidate__teacher", "handled_by")
    if user is not None:
        qs = qs.filter(author=user)
    return list(qs)


def committee_choices(*, schools) -> QuerySet[User]:
    """Users who may sit on a committee at these schools."""
    return (
        User.objects.filter(
            role_assignments__school__in=schools, role_assignments__role__in=COMMITTEE_ROLES
        )
        .distinct()
        .order_by("display_name", "username")
    )


def is_committee_eligible(user: User, school: School) -> bool:
    return RoleAssignment.objects.filter(
        user=user, school=school, role__in=COMMITTEE_ROLES
    ).exists()


def school_tiers(*, schools) -> QuerySet[Tier]:
    """Tiers a school designates itself (the school tier)."""
    return Tier.objects.filter(
        district__schools__in=schools, kind=Tier.Kind.TIER, designated_by_school=True
    ).distinct()


def nomination_choices(*, round: SelectionRound):
    """Active teachers of the school who are not yet (active) candidates, and which of them
    are in the reserve pool for the round's tier."""
    taken = round.candidates.filter(withdrawn=False).values("teacher_id")
    teachers = (
        Teacher.objects.filter(school=round.school, is_active=True)
        .exclude(pk__in=taken)
        .select_related("group")
        .order_by("name", "staff_no")
    )
    reserve_ids = set(
        ReserveEntry.objects.current()
        .filter(tier=round.tier, teacher__school=round.school)
        .values_list("teacher_id", flat=True)
    )
    return teachers, reserve_ids


# -- scores --------------------------------------------------------------------------------------
@dataclass
class ScoreTable:
    """Scores of one round from submitted sheets, computed in one query."""

    criteria: list[Criterion]
    # candidate id -> criterion id -> average raw score over submitted sheets
    averages: dict[int, dict[int, Decimal]] = field(default_factory=dict)
    # candidate id -> weighted score (0..100)
    weighted: dict[int, Decimal] = field(default_factory=dict)
    # sheet id -> candidate id -> criterion id -> value
    sheets: dict[int, dict[int, dict[int, Decimal]]] = field(default_factory=dict)
    submitted_sheets: list[ScoreSheet] = field(default_factory=list)


def weighted_score(
    *, criteria: list[Criterion], values_by_criterion: dict[int, list[Decimal]]
) -> Decimal | None:
    """For each criterion the average over sheets of value / max_score × weight, summed and
    rounded to two places. None when nobody scored the candidate."""
    if not any(values_by_criterion.get(c.pk) for c in criteria):
        return None
    total = Decimal(0)
    for c in criteria:
        values = values_by_criterion.get(c.pk) or []
        if values and c.max_score:
            average = sum(values, Decimal(0)) / len(values)
            total += average / c.max_score * c.weight
    return total.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def score_table(*, round: SelectionRound) -> ScoreTable:
    criteria = list(round.criteria.all())
    sheets = [
        s
        for s in ScoreSheet.objects.filter(round=round).select_related("member")
        if s.submitted_at is not None
    ]
    table = ScoreTable(criteria=criteria, submitted_sheets=sheets)
    collected: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    rows = Score.objects.filter(sheet__round=round, sheet__submitted_at__isnull=False).values_list(
        "sheet_id", "candidate_id", "criterion_id", "value"
    )
    for sheet_id, candidate_id, criterion_id, value in rows:
        value = Decimal(str(value))
        collected[candidate_id][criterion_id].append(value)
        table.sheets.setdefault(sheet_id, {}).setdefault(candidate_id, {})[criterion_id] = value
    for candidate_id, by_criterion in collected.items():
        table.averages[candidate_id] = {
            cid: (sum(vals, Decimal(0)) / len(vals)).quantize(Decimal("0.1"))
            for cid, vals in by_criterion.items()
        }
        score = weighted_score(criteria=criteria, values_by_criterion=by_criterion)
        if score is not None:
            table.weighted[candidate_id] = score
    return table


def rank(scored: list[tuple[Candidate, Decimal | None]]) -> list[tuple[Candidate, int | None]]:
    """Competition ranking by weighted score, highest first: equal scores share a rank and are
    listed by name (1, 1, 3). Unscored candidates get no rank and come last."""
    with_score = sorted(
        ((c, s) for c, s in scored if s is not None),
        key=lambda cs: (-cs[1], cs[0].teacher.name, cs[0].pk),
    )
    ranked: list[tuple[Candidate, int | None]] = []
    previous, previous_rank = None, 0
    for position, (candidate, score) in enumerate(with_score, start=1):
        current = previous_rank if score == previous else position
        ranked.append((candidate, current))
        previous, previous_rank = score, current
    unscored = sorted((c for c, s in scored if s is None), key=lambda c: (c.teacher.name, c.pk))
    ranked.extend((c, None) for c in unscored)
    return ranked


def default_proposal(*, ranked: list[Candidate], quota: int) -> list[Candidate]:
    """The top-ranked eligible candidates up to the quota."""
    return [c for c in ranked if c.is_eligible and not c.withdrawn and c.rank is not None][:quota]


def proposal_selection(
    *, candidates: list[Candidate], quota: int, data: list[str] | None = None
) -> set[int]:
    """The ticked boxes of the proposal form: what was posted, else the current proposal,
    else the top-ranked eligible candidates up to the quota."""
    if data is not None:
        return {int(v) for v in data if str(v).isdigit()}
    active = [c for c in candidates if not c.withdrawn]
    proposed = {c.pk for c in active if c.proposed}
    if proposed:
        return proposed
    ranked = sorted(active, key=lambda c: (c.rank is None, c.rank or 0, c.teacher.name))
    return {c.pk for c in default_proposal(ranked=ranked, quota=quota)}


def own_sheet(*, round: SelectionRound, member: User) -> tuple[ScoreSheet | None, dict]:
    """A member's sheet and its values as {(candidate id, criterion id): value}."""
    sheet = ScoreSheet.objects.filter(round=round, member=member).first()
    if sheet is None:
        return None, {}
    values = {
        (candidate_id, criterion_id): value
        for candidate_id, criterion_id, value in sheet.scores.values_list(
            "candidate_id", "criterion_id", "value"
        )
    }
    return sheet, values


def round_detail(*, round: SelectionRound, user: User) -> dict:
    """Everything the round page shows, in a constant number of queries."""
    committee = list(round.committee.order_by("display_name", "username"))
    member = any(m.pk == user.pk for m in committee)
    sheets = {s.member_id: s for s in ScoreSheet.objects.filter(round=round)}
    own = sheets.get(user.pk)
    # can_see_scores, from the rows already loaded; the viewer came through the round's scope.
    if round.status in (SelectionRound.Status.ANNOUNCED, SelectionRound.Status.CONFIRMED):
        show_scores = True
    elif member:
        show_scores = bool(own and own.submitted_at)
    else:
        show_scores = can_manage_round(user, round)
    manage = can_manage_round(user, round)
    candidates = candidate_rows(round=round)
    table = score_table(round=round) if show_scores else None
    if table is not None:
        for c in candidates:
            c.criterion_averages = [
                table.averages.get(c.pk, {}).get(cr.pk) for cr in table.criteria
            ]
        sheet_rows = _sheet_rows(table, candidates)
    else:
        sheet_rows = []
    show_objections = can_see_objections(user, round)
    return {
        "round": round,
        "criteria": list(round.criteria.all()),
        "committee": [(m, sheets.get(m.pk)) for m in committee],
        "candidates": candidates,
        "active_count": sum(1 for c in candidates if not c.withdrawn),
        "proposed_count": sum(1 for c in candidates if c.proposed and not c.withdrawn),
        "submitted_count": sum(1 for s in sheets.values() if s.submitted_at),
        "is_member": member,
        "own_sheet": own,
        "can_manage": manage and not round.is_read_only,
        "show_scores": show_scores,
        "score_table": table,
        "sheet_rows": sheet_rows,
        "objections": objection_list(round=round) if show_objections else [],
        "show_objections": show_objections,
        "pending_objections": (
            round.objections.filter(outcome=Objection.Outcome.PENDING).count() if manage else 0
        ),
        "designations": list(round.designations.select_related("teacher", "tier"))
        if round.status == SelectionRound.Status.CONFIRMED
        else [],
        "today": timezone.localdate(),
        "steps": [
            (s, s.label)
            for s in (
                SelectionRound.Status.OPEN,
                SelectionRound.Status.SCORING,
                SelectionRound.Status.ANNOUNCED,
                SelectionRound.Status.CONFIRMED,
            )
        ],
        "applications_open": applications_open(round),
        "announcement_running": announcement_running(round),
        "announcement_over": (
            round.announce_until is not None and timezone.localdate() > round.announce_until
        ),
    }


def notice_detail(*, round: SelectionRound, user: User) -> dict:
    """The public notice: the proposed list with ranks, never the committee's scores."""
    running = announcement_running(round)
    return {
        "round": round,
        "proposed": proposed_candidates(round=round),
        "running": running,
        "can_object": running and is_school_staff(user, round.school_id),
        "can_manage": can_manage_round(user, round) and not round.is_read_only,
        "my_objections": objection_list(round=round, user=user),
        "objections": objection_list(round=round) if can_see_objections(user, round) else None,
        "today": timezone.localdate(),
    }


def _sheet_rows(table: ScoreTable, candidates: list[Candidate]):
    """Each submitted sheet as rows: (member, candidate, [values per criterion])."""
    by_id = {c.pk: c for c in candidates}
    rows = []
    for sheet in table.submitted_sheets:
        for candidate_id, values in table.sheets.get(sheet.pk, {}).items():
            candidate = by_id.get(candidate_id)
            if candidate is None or candidate.withdrawn:
                continue
            rows.append((sheet.member, candidate, [values.get(cr.pk) for cr in table.criteria]))
    rows.sort(key=lambda r: (str(r[0]), r[1].teacher.name))
    return rows


def scored_by(*, round: SelectionRound, member: User):
    """Candidates ``member`` scores: everyone still in the round but the member's own
    candidacy, which they leave to the other members (回避)."""
    return round.candidates.filter(withdrawn=False).exclude(teacher__user=member)


def recused(*, round: SelectionRound, member: User) -> bool:
    """The member is themselves a candidate in the round they score."""
    return round.candidates.filter(withdrawn=False, teacher__user=member).exists()


def scoring_candidates(*, round: SelectionRound, member: User) -> list[Candidate]:
    return list(
        scored_by(round=round, member=member)
        .select_related("teacher__group")
        .order_by("teacher__name", "pk")
    )
