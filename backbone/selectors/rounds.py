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

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from core.collation import pinyin
from core.models import District, Role, RoleAssignment, School, User
from core.scoping import get_for_user
from scoring import selectors as scoring
from scoring import visibility
from scoring.models import Panel
from teachers.models import Teacher

from ..models import (
    DEFAULT_TIERS,
    Candidate,
    Designation,
    Objection,
    ReserveEntry,
    SelectionRound,
    Tier,
)
from ..services.eligibility import evaluate_many

# The lowest level a city round designates: the municipal tier (市级骨干).
MUNICIPAL_LEVEL = next(t[4] for t in DEFAULT_TIERS if t[0] == "municipal")
# Roles at the school from which committee members are chosen.
COMMITTEE_ROLES = (Role.COMMITTEE, Role.PRINCIPAL, Role.TRAINING_OFFICE)


# -- named predicates ----------------------------------------------------------------------------
def can_manage_school(user: User, school_id: int) -> bool:
    return user.scope.can_manage_school(school_id)


def can_manage_round(user: User, round: SelectionRound) -> bool:
    """The principal or training office of the round's school, the district office for a
    district's own round, the city office for a city's own (or a superuser)."""
    if round.city_id is not None:
        scope = user.scope
        return scope.is_superuser or round.city_id in scope.city_ids
    if round.school_id is None:
        scope = user.scope
        return scope.is_superuser or round.district_id in scope.district_ids
    return can_manage_school(user, round.school_id)


def can_nominate_to(user: User, round: SelectionRound, school: School) -> bool:
    """A district round takes nominations from the managers of the district's schools, each
    for their own school."""
    return (
        round.is_district
        and school.district_id == round.district_id
        and can_manage_school(user, school.pk)
    )


def can_district_nominate_to(user: User, round: SelectionRound, district) -> bool:
    """A city round takes nominations from the offices of the city's districts, each for its
    own district's schools."""
    scope = user.scope
    return (
        round.is_city
        and district.city_id == round.city_id
        and (scope.is_superuser or district.pk in scope.district_ids)
    )


def can_withdraw_nominee(user: User, candidate: Candidate) -> bool:
    """A school takes its own nominee back out of a district round (a district office its
    own out of a city round) while it takes nominations, to free its place for another."""
    round = candidate.round
    if round.status != SelectionRound.Status.OPEN:
        return False
    if round.is_city:
        return can_district_nominate_to(user, round, candidate.teacher.school.district)
    return can_nominate_to(user, round, candidate.teacher.school)


def is_round_staff(user: User, round: SelectionRound) -> bool:
    """Anyone holding any role where the round is run: at its school, or at any school of the
    district for a district round (teachers included); the 公示 is for them all."""
    if round.school_id is not None:
        return is_school_staff(user, round.school_id)
    scope = user.scope
    if round.is_city:
        return (
            scope.is_superuser
            or round.city_id in scope.city_ids
            or School.objects.filter(
                Q(pk__in=list(scope.school_roles)) | Q(district_id__in=scope.district_ids),
                district__city_id=round.city_id,
            ).exists()
        )
    if scope.is_superuser or round.district_id in scope.district_ids:
        return True
    return School.objects.filter(
        pk__in=list(scope.school_roles), district_id=round.district_id
    ).exists()


def can_print_notice(user: User, round: SelectionRound) -> bool:
    """The printed notice (公示) of a round under announcement or confirmed: the school's
    principal and training office, and the district office for its schools."""
    if round.status not in (SelectionRound.Status.ANNOUNCED, SelectionRound.Status.CONFIRMED):
        return False
    if round.announce_from is None:
        return False
    return can_manage_round(user, round) or _is_office_above(user, round)


def _is_office_above(user: User, round: SelectionRound) -> bool:
    """The district office of a school's or a district's round; of a city round, the office
    of one of the city's districts."""
    scope = user.scope
    if round.is_city:
        return any(
            d.city_id == round.city_id
            for d in District.objects.filter(pk__in=scope.district_ids).only("city_id")
        )
    return round.district_id in scope.district_ids


def can_view_round(user: User, round: SelectionRound) -> bool:
    return SelectionRound.objects.visible_to(user).filter(pk=round.pk).exists()


def is_committee_member(user: User, round: SelectionRound) -> bool:
    """On the committee and scoring: not recused from it, not gone from it."""
    return scoring.is_active_member(panel=round.panel, user=user)


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
    sheet, _values = scoring.own_sheet(panel=round.panel, member=user)
    return sheet is not None and sheet.is_submitted


def score_sight(user: User, round: SelectionRound) -> visibility.Sight:
    """What the user may see of the committee's scores now (``scoring.visibility``)."""
    return visibility.sight(user=user, panel=round.panel)


def can_see_scores(user: User, round: SelectionRound, *, member: bool | None = None) -> bool:
    """The weighted scores and the committee's marks; see ``scoring.visibility``. ``member``
    is kept for the callers that pass it; the predicate reads the membership itself."""
    return score_sight(user, round).totals


def hidden_score_rounds(*, user: User | None, rounds: QuerySet[SelectionRound]) -> set[int]:
    """Of ``rounds``, the ids whose scores (and ranks) ``user`` may not see; a few queries.
    ``user=None``: for a file shared with the school's managers or the district office."""
    panels = visibility.hidden_panels(
        user=user, panels=Panel.objects.filter(selectionround__in=rounds)
    )
    return set(rounds.filter(panel_id__in=panels).values_list("pk", flat=True))


def can_see_objections(user: User, round: SelectionRound) -> bool:
    """All objections: the managers who handle them and the district office. An author
    always sees their own."""
    return can_manage_round(user, round) or _is_office_above(user, round)


# -- lookups -------------------------------------------------------------------------------------
def round_list(*, user: User) -> QuerySet[SelectionRound]:
    return (
        SelectionRound.objects.visible_to(user)
        .select_related("school", "district", "city", "tier")
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
        SelectionRound.objects.select_related(
            "school__district", "district", "city", "tier", "opened_by", "panel"
        ),
        user,
        write=write,
        pk=pk,
    )


def get_round_for_teacher(*, user: User, pk: int) -> tuple[SelectionRound, Teacher]:
    """A round of the teacher's own school, with their roster profile; 404 otherwise."""
    round = SelectionRound.objects.select_related("school", "tier").filter(pk=pk).first()
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
        schools = list(scope.school_roles)
        districts = School.objects.filter(pk__in=schools).values("district_id")
        # A city round's 公示: every school of the city, its districts' offices and its own.
        cities = District.objects.filter(
            Q(schools__in=schools) | Q(pk__in=scope.district_ids), city__isnull=False
        ).values("city_id")
        qs = qs.filter(
            Q(school_id__in=schools)
            | scope.school_filter()
            | Q(school__isnull=True, district_id__in=districts)
            | Q(school__isnull=True, district_id__in=scope.district_ids)
            | Q(city__isnull=False, city_id__in=cities)
            | Q(city__isnull=False, city_id__in=scope.city_ids)
        )
    return qs.select_related("school", "district", "city", "tier").order_by("-announce_from", "-pk")


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
        Candidate.objects.select_related("round__school", "round__tier", "teacher__school")
        .filter(pk=pk)
        .first()
    )
    if candidate is None:
        raise Http404
    if candidate.teacher.user_id is None or candidate.teacher.user_id != user.pk:
        if can_withdraw_nominee(user, candidate):
            get_round_for_user(user=user, pk=candidate.round_id)
        else:
            get_round_for_user(user=user, pk=candidate.round_id, write=True)
    return candidate


def round_candidates(*, user: User, round: SelectionRound) -> QuerySet[Candidate]:
    """The candidates the user sees in the round. In a district round, until the 公示, a
    school sees its own nominees only; the district office sees all."""
    qs = round.candidates.select_related("teacher__school")
    before_notice = round.status in (SelectionRound.Status.OPEN, SelectionRound.Status.SCORING)
    sees_all = can_manage_round(user, round) or is_committee_member(user, round)
    # A city round the same way: a district office sees its own schools' nominees.
    if round.school_id is None and before_notice and not sees_all:
        qs = qs.filter(pk__in=Candidate.objects.visible_to(user).values("pk"))
    return qs


def proposed_candidates(*, round: SelectionRound) -> list[Candidate]:
    return list(
        round.candidates.filter(proposed=True, withdrawn=False, is_eligible=True)
        .select_related("teacher__group", "teacher__school")
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


def is_district_committee_eligible(user: User, district) -> bool:
    """A district round's committee: the district office, or a committee member, principal
    or training office of one of the district's schools."""
    return RoleAssignment.objects.filter(
        Q(role=Role.DISTRICT_OFFICE, district=district)
        | Q(school__district=district, role__in=COMMITTEE_ROLES),
        user=user,
    ).exists()


def school_tiers(*, schools) -> QuerySet[Tier]:
    """Tiers a school designates itself (the school tier)."""
    return Tier.objects.filter(
        district__schools__in=schools, kind=Tier.Kind.TIER, designated_by_school=True
    ).distinct()


def nomination_choices(*, round: SelectionRound, school: School | None = None):
    """Active teachers of the school who may still be added to the round, by pinyin: not yet
    (active) candidates and holding no current designation at this tier or higher. Also which
    of them are in the reserve pool for the round's tier, and each one's eligibility. A
    district round takes ``school``'s reserve pool only."""
    school = school or round.school
    tier = tier_for_school(round, school) or round.tier
    taken = round.candidates.filter(withdrawn=False).values("teacher_id")
    holding = (
        Designation.objects.current()
        .tiers()
        .filter(tier__level__gte=round.tier.level)
        .values("teacher_id")
    )
    teachers = (
        Teacher.objects.filter(school=school, is_active=True)
        .exclude(pk__in=taken)
        .exclude(pk__in=holding)
        .select_related("group", "school")
        .order_by(pinyin("name"), "staff_no")
    )
    reserve_ids = set(
        ReserveEntry.objects.current()
        .filter(tier=tier, teacher__school=school)
        .values_list("teacher_id", flat=True)
    )
    if round.school_id is None:
        teachers = teachers.filter(pk__in=reserve_ids)
    with translation.override(school.language):
        eligibility = evaluate_many(teachers=teachers, tier=tier)
    return teachers, reserve_ids, eligibility


# -- district rounds -----------------------------------------------------------------------------
def tier_for_school(round: SelectionRound, school: School) -> Tier | None:
    """The tier a teacher of ``school`` is nominated and designated with: the round's, or in
    a city round their own district's tier of the round's tier code (None: it has none)."""
    if not round.is_city:
        return round.tier
    if school.district_id == round.tier.district_id:
        return round.tier
    return Tier.objects.filter(
        district_id=school.district_id, code=round.tier.code, kind=Tier.Kind.TIER
    ).first()


def nominating_schools(*, user: User, round: SelectionRound) -> QuerySet[School]:
    """The schools of a district round's district whose nominations ``user`` makes; of a city
    round, the schools of the user's own districts of the city."""
    if round.school_id is not None or round.status != SelectionRound.Status.OPEN:
        return School.objects.none()
    if round.is_city:
        scope = user.scope
        schools = School.objects.filter(district__city_id=round.city_id)
        if not scope.is_superuser:
            schools = schools.filter(district_id__in=scope.district_ids)
        return schools.select_related("district").order_by("district__code", "code")
    return user.scope.schools(write=True).filter(district_id=round.district_id).order_by("code")


def school_nominations(*, round: SelectionRound, school: School) -> dict:
    """A school's place in a district round: its nominees, its quota and what is left."""
    nominees = list(
        round.candidates.filter(teacher__school=school, withdrawn=False)
        .select_related("teacher")
        .order_by("teacher__name", "pk")
    )
    quota = round.quota_for(school.pk)
    return {
        "school": school,
        "nominees": nominees,
        "quota": quota,
        "left": max(quota - len(nominees), 0),
    }


def school_quota_rows(*, round: SelectionRound) -> list[tuple[School, int, int]]:
    """Each school of a district round's district: (school, quota, nominated so far); a few
    queries whatever the number of schools."""
    if round.school_id is not None:
        return []
    own = dict(round.school_quotas.values_list("school_id", "number"))
    taken = dict(
        round.candidates.filter(withdrawn=False)
        .values_list("teacher__school_id")
        .annotate(n=Count("pk"))
        .values_list("teacher__school_id", "n")
    )
    schools = School.objects.filter(district_id=round.district_id).order_by("code")
    return [(s, own.get(s.pk, round.school_quota), taken.get(s.pk, 0)) for s in schools]


def district_nominations(*, round: SelectionRound, district: District) -> dict:
    """A district's place in a city round: its nominees, its quota and what is left."""
    nominees = list(
        round.candidates.filter(teacher__school__district=district, withdrawn=False)
        .select_related("teacher__school")
        .order_by("teacher__name", "pk")
    )
    quota = round.quota_for_district(district.pk)
    return {
        "district": district,
        "nominees": nominees,
        "quota": quota,
        "left": max(quota - len(nominees), 0),
    }


def district_quota_rows(*, round: SelectionRound) -> list[tuple[District, int, int]]:
    """Each district of a city round's city: (district, quota, nominated so far); a few
    queries whatever the number of districts."""
    if not round.is_city:
        return []
    own = dict(
        round.school_quotas.filter(district__isnull=False).values_list("district_id", "number")
    )
    taken = dict(
        round.candidates.filter(withdrawn=False)
        .values_list("teacher__school__district_id")
        .annotate(n=Count("pk"))
        .values_list("teacher__school__district_id", "n")
    )
    districts = District.objects.filter(city_id=round.city_id).order_by("code")
    return [(d, own.get(d.pk, round.district_quota), taken.get(d.pk, 0)) for d in districts]


def city_tiers(*, cities) -> QuerySet[Tier]:
    """The municipal tier of the cities' districts (a form offers one per code): the tier a city
    round names; each teacher is designated with their own district's of that code."""
    return Tier.objects.filter(
        district__city__in=cities,
        kind=Tier.Kind.TIER,
        designated_by_school=False,
        level=MUNICIPAL_LEVEL,
    ).order_by("code", "district__code", "pk")


def is_city_committee_eligible(user: User, city) -> bool:
    """A city round's committee: the city office, the office of one of its districts, or a
    committee member, principal or training office of one of its schools."""
    return RoleAssignment.objects.filter(
        Q(role=Role.CITY_OFFICE, city=city)
        | Q(role=Role.DISTRICT_OFFICE, district__city=city)
        | Q(school__district__city=city, role__in=COMMITTEE_ROLES),
        user=user,
    ).exists()


def city_committee_choices(*, city) -> QuerySet[User]:
    """Who may sit on a city round's committee (``is_city_committee_eligible``)."""
    return (
        User.objects.filter(
            Q(role_assignments__role=Role.CITY_OFFICE, role_assignments__city=city)
            | Q(
                role_assignments__role=Role.DISTRICT_OFFICE,
                role_assignments__district__city=city,
            )
            | Q(
                role_assignments__school__district__city=city,
                role_assignments__role__in=COMMITTEE_ROLES,
            )
        )
        .distinct()
        .order_by("display_name", "username")
    )


def district_tiers(*, districts) -> QuerySet[Tier]:
    """Tiers a district office designates (district tier and up, not honorary titles)."""
    return Tier.objects.filter(
        district__in=districts, kind=Tier.Kind.TIER, designated_by_school=False
    ).order_by("district", "level")


def district_committee_choices(*, district) -> QuerySet[User]:
    """Who may sit on a district round's committee (``is_district_committee_eligible``)."""
    return (
        User.objects.filter(
            Q(role_assignments__role=Role.DISTRICT_OFFICE, role_assignments__district=district)
            | Q(
                role_assignments__school__district=district,
                role_assignments__role__in=COMMITTEE_ROLES,
            )
        )
        .distinct()
        .order_by("display_name", "username")
    )


def recommendation_list(*, user: User, tier: Tier | None = None) -> QuerySet[ReserveEntry]:
    """Reserve-pool teachers recommended to the district (推荐上报), as the user may see
    them: a school its own, the district office those of all its schools."""
    qs = (
        ReserveEntry.objects.visible_to(user)
        .current()
        .filter(recommended_at__isnull=False, tier__designated_by_school=False)
        .select_related("teacher__school", "tier", "recommended_by")
        .order_by("tier__level", "teacher__school__code", pinyin("teacher__name"), "pk")
    )
    return qs.filter(tier=tier) if tier is not None else qs


def recommendable_entries(*, user: User) -> QuerySet[ReserveEntry]:
    """Entries of the reserve pool the user's school may recommend to the district."""
    return (
        ReserveEntry.objects.current()
        .filter(
            teacher__school__in=user.scope.schools(write=True),
            teacher__is_active=True,
            tier__designated_by_school=False,
            tier__kind=Tier.Kind.TIER,
        )
        .select_related("teacher__school", "tier")
        .order_by("tier__level", pinyin("teacher__name"), "pk")
    )


def candidate_teacher_ids(*, rounds) -> set[tuple[int, int]]:
    """(round id, teacher id) of the active candidates of these rounds."""
    return set(
        Candidate.objects.filter(round__in=rounds, withdrawn=False).values_list(
            "round_id", "teacher_id"
        )
    )


def open_district_rounds(*, user: User) -> QuerySet[SelectionRound]:
    """District rounds the user manages, and rounds of the city of the user's districts, that
    take nominations now."""
    scope = user.scope
    cities = District.objects.filter(pk__in=scope.district_ids, city__isnull=False)
    return (
        SelectionRound.objects.filter(
            Q(pk__in=SelectionRound.objects.editable_by(user).values("pk"))
            | Q(city__isnull=False, city_id__in=cities.values("city_id")),
            school__isnull=True,
            status=SelectionRound.Status.OPEN,
        )
        .select_related("tier")
        .order_by("-created_at")
    )


def takes_tier(round: SelectionRound, tier: Tier) -> bool:
    """Whether a recommendation for ``tier`` can be taken into the round: its own tier, or in
    a city round any district's tier of the round's code."""
    if round.is_city:
        return tier.code == round.tier.code and tier.kind == round.tier.kind
    return round.tier_id == tier.pk


from .round_scores import (  # noqa: E402, F401  (the score pages' reads, by their old names)
    ScoreTable,
    candidate_rows,
    default_proposal,
    notice_detail,
    own_sheet,
    proposal_selection,
    rank,
    recusals,
    recused,
    recused_from_names,
    round_detail,
    score_table,
    scored_by,
    scoring_candidates,
    weighted_score,
)
