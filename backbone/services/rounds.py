"""Every write of a selection round: opening it, candidates, committee scores and ranking, the
proposed list, the public announcement (公示) and its objections, confirmation, cancellation.

A round moves OPEN → SCORING → ANNOUNCED → CONFIRMED (or CANCELLED at any point before
confirmation). Every write locks the round row first, so that two clicks or two tabs cannot
move it twice, and refuses once the round is confirmed or cancelled.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.models import City, District, School, User
from core.wording import list_separator
from scoring.services.panels import entrant_update, entrants_add, panel_open
from teachers.models import Teacher

from ..eligibility import evaluate
from ..models import Candidate, Designation, ReserveEntry, RoundQuota, SelectionRound, Tier
from ..selectors import rounds as selectors
from .round_common import Status, _lock, _require_manager
from .round_outcome import (  # noqa: F401  (every write of a round, from one module)
    objection_handle,
    objection_lodge,
    round_announce,
    round_cancel,
    round_confirm,
    round_propose,
)
from .round_recusal import round_member_recuse  # noqa: F401
from .round_scoring import _rank, round_rank, score_sheet_save, score_sheet_submit  # noqa: F401

# Default criteria rows of the "open a round" form (weights add up to 100).
DEFAULT_CRITERIA = [
    (gettext_lazy("Professional ethics (师德表现)"), 20),
    (gettext_lazy("Teaching results (教育教学实绩)"), 40),
    (gettext_lazy("Research ability (教科研能力)"), 25),
    (gettext_lazy("Leading by example (示范引领)"), 15),
]
DEFAULT_MAX_SCORE = 100
DEFAULT_ANNOUNCEMENT_DAYS = 5


def _evaluate(candidate: Candidate, round: SelectionRound) -> None:
    """Store the eligibility check on the candidate. The summary is written in the school's
    language, whoever triggered the check. In a city round the teacher is checked against
    their own district's tier of the round's code."""
    tier = selectors.tier_for_school(round, candidate.teacher.school) or round.tier
    with translation.override(round.language):
        held = _held_at_or_above(candidate.teacher, tier)
        if held is not None:
            candidate.is_eligible = False
            candidate.eligibility_summary = _already_holds_message(candidate.teacher, held)[:300]
            return
        result = evaluate(teacher=candidate.teacher, tier=tier)
        candidate.is_eligible = result.met
        candidate.eligibility_summary = result.summary[:300]


def _held_at_or_above(teacher: Teacher, tier: Tier) -> Designation | None:
    return (
        Designation.objects.current()
        .tiers()
        .filter(teacher=teacher, tier__level__gte=tier.level)
        .select_related("tier")
        .first()
    )


def _already_holds_message(teacher: Teacher, held: Designation) -> str:
    return _(
        "%(name)s already holds an active designation as %(tier)s, which is at this tier or higher."
    ) % {"name": teacher.name, "tier": held.tier.label}


# -- opening -------------------------------------------------------------------------------------
def criteria_validate(criteria: list[Mapping]) -> None:
    """Criteria rows {name, weight, max_score}: at least one, distinct names, weights adding
    up to 100. Shared by the form so that the rule lives in one place."""
    if not criteria:
        raise ValidationError(_("Add at least one criterion."))
    names = [str(c["name"]).strip() for c in criteria]
    if any(not n for n in names):
        raise ValidationError(_("Every criterion needs a name."))
    if len(set(names)) != len(names):
        raise ValidationError(_("Each criterion name may appear only once."))
    if any(int(c["weight"]) <= 0 for c in criteria):
        raise ValidationError(_("Every weight must be greater than 0."))
    if any(int(c.get("max_score") or DEFAULT_MAX_SCORE) <= 0 for c in criteria):
        raise ValidationError(_("Every maximum score must be greater than 0."))
    total = sum(int(c["weight"]) for c in criteria)
    if total != 100:
        raise ValidationError(
            _("The weights add up to %(total)d; they must add up to 100.") % {"total": total}
        )


@transaction.atomic
def round_open(
    *,
    school: School,
    tier: Tier,
    title: str,
    year: int,
    quota: int,
    apply_from: datetime.date,
    apply_until: datetime.date,
    criteria: list[Mapping],
    committee: Iterable[User],
    by: User,
    term_years: int | None = None,
) -> SelectionRound:
    if not selectors.can_manage_school(by, school.pk):
        raise PermissionDenied(_("Only the principal or training office can open a round."))
    errors: dict[str, list[str]] = {}
    if tier.district_id != school.district_id or tier.is_honorary or not tier.designated_by_school:
        errors["tier"] = [_("A school runs selection rounds only for tiers it designates itself.")]
    if quota < 1:
        errors["quota"] = [_("The quota must be at least 1.")]
    if apply_until < apply_from:
        errors["apply_until"] = [_("Applications must close on or after the day they open.")]
    try:
        criteria_validate(criteria)
    except ValidationError as exc:
        errors["criteria"] = exc.messages
    committee = list(committee)
    if not committee:
        errors["committee"] = [_("Choose at least one committee member.")]
    else:
        outsiders = [u for u in committee if not selectors.is_committee_eligible(u, school)]
        if outsiders:
            errors["committee"] = [
                _("%(names)s hold no committee, principal or training office role at %(school)s.")
                % {"names": list_separator().join(str(u) for u in outsiders), "school": school.name}
            ]
    if errors:
        raise ValidationError(errors)
    round = SelectionRound(
        school=school,
        tier=tier,
        title=title.strip(),
        year=year,
        term_years=term_years or tier.default_term_years,
        quota=quota,
        apply_from=apply_from,
        apply_until=apply_until,
        opened_by=by,
        panel=panel_open(items=criteria, members=committee, school=school),
    )
    round.full_clean()
    round.save()
    return round


def _organised_round_errors(
    *, quota, apply_from, apply_until, criteria, committee, outsiders, organiser: str
) -> dict[str, list[str]]:
    """What a district's or a city's round cannot open with, whoever organises it: the quota,
    the application window, the criteria and the committee (``outsiders``: members the
    organiser may not name)."""
    errors: dict[str, list[str]] = {}
    if quota < 1:
        errors["quota"] = [_("The quota must be at least 1.")]
    if apply_until < apply_from:
        errors["apply_until"] = [_("Applications must close on or after the day they open.")]
    try:
        criteria_validate(criteria)
    except ValidationError as exc:
        errors["criteria"] = exc.messages
    if not committee:
        errors["committee"] = [_("Choose at least one committee member.")]
    elif outsiders:
        errors["committee"] = [
            _("%(names)s hold no committee, principal or training office role in %(school)s.")
            % {"names": list_separator().join(str(u) for u in outsiders), "school": organiser}
        ]
    return errors


@transaction.atomic
def district_round_open(
    *,
    district: District,
    tier: Tier,
    title: str,
    year: int,
    quota: int,
    school_quota: int,
    apply_from: datetime.date,
    apply_until: datetime.date,
    criteria: list[Mapping],
    committee: Iterable[User],
    by: User,
    school_quotas: Mapping[School, int] | None = None,
    term_years: int | None = None,
) -> SelectionRound:
    """The district office opens a round for a tier it designates. Each school nominates up
    to ``school_quota`` (or its own number in ``school_quotas``). The committee is chosen among
    the district office and the committee, principals and training offices of its schools."""
    scope = by.scope
    if not (scope.is_superuser or district.pk in scope.district_ids):
        raise PermissionDenied(_("Only the district office can open a district round."))
    errors: dict[str, list[str]] = {}
    if tier.district_id != district.pk or tier.is_honorary or tier.designated_by_school:
        errors["tier"] = [_("A district runs selection rounds only for tiers it designates.")]
    if school_quota < 1 and not any((school_quotas or {}).values()):
        errors["school_quota"] = [_("Let each school nominate at least one candidate.")]
    committee = list(committee)
    errors.update(
        _organised_round_errors(
            quota=quota,
            apply_from=apply_from,
            apply_until=apply_until,
            criteria=criteria,
            committee=committee,
            outsiders=[
                u for u in committee if not selectors.is_district_committee_eligible(u, district)
            ],
            organiser=district.name,
        )
    )
    foreign = [s for s in (school_quotas or {}) if s.district_id != district.pk]
    if foreign:
        errors["school_quotas"] = [_("Quotas are for the district's own schools.")]
    if errors:
        raise ValidationError(errors)
    round = SelectionRound(
        district=district,
        tier=tier,
        title=title.strip(),
        year=year,
        term_years=term_years or tier.default_term_years,
        quota=quota,
        school_quota=school_quota,
        apply_from=apply_from,
        apply_until=apply_until,
        opened_by=by,
        panel=panel_open(items=criteria, members=committee, district=district),
    )
    round.full_clean()
    round.save()
    RoundQuota.objects.bulk_create(
        RoundQuota(round=round, school=school, number=number)
        for school, number in (school_quotas or {}).items()
    )
    return round


@transaction.atomic
def city_round_open(
    *,
    city: City,
    tier: Tier,
    title: str,
    year: int,
    quota: int,
    district_quota: int,
    apply_from: datetime.date,
    apply_until: datetime.date,
    criteria: list[Mapping],
    committee: Iterable[User],
    by: User,
    district_quotas: Mapping[District, int] | None = None,
    term_years: int | None = None,
) -> SelectionRound:
    """The city office opens a municipal round (市级骨干教师评选) for the municipal tier of
    one of its districts: the code names the tier, each teacher is designated with their own
    district's. Each district office nominates up to ``district_quota`` (or its own number in
    ``district_quotas``). The committee is chosen among the city office, its districts' offices
    and the committee, principals and training offices of its schools."""
    scope = by.scope
    if not (scope.is_superuser or city.pk in scope.city_ids):
        raise PermissionDenied(_("Only the city office can open a city round."))
    errors: dict[str, list[str]] = {}
    if not selectors.city_tiers(cities=[city]).filter(code=tier.code).exists() or (
        tier.district.city_id != city.pk
    ):
        errors["tier"] = [_("A city runs selection rounds only for the municipal tier.")]
    if district_quota < 1 and not any((district_quotas or {}).values()):
        errors["district_quota"] = [_("Let each district nominate at least one candidate.")]
    committee = list(committee)
    errors.update(
        _organised_round_errors(
            quota=quota,
            apply_from=apply_from,
            apply_until=apply_until,
            criteria=criteria,
            committee=committee,
            outsiders=[u for u in committee if not selectors.is_city_committee_eligible(u, city)],
            organiser=city.name,
        )
    )
    if any(d.city_id != city.pk for d in (district_quotas or {})):
        errors["district_quotas"] = [_("Quotas are for the city's own districts.")]
    if errors:
        raise ValidationError(errors)
    round = SelectionRound(
        city=city,
        tier=tier,
        title=title.strip(),
        year=year,
        term_years=term_years or tier.default_term_years,
        quota=quota,
        district_quota=district_quota,
        apply_from=apply_from,
        apply_until=apply_until,
        opened_by=by,
        panel=panel_open(items=criteria, members=committee, city=city),
    )
    round.full_clean()
    round.save()
    RoundQuota.objects.bulk_create(
        RoundQuota(round=round, district=district, number=number)
        for district, number in (district_quotas or {}).items()
    )
    return round


@transaction.atomic
def candidates_district_nominate(
    *,
    round: SelectionRound,
    district: District,
    teachers: Iterable[Teacher],
    by: User,
    statement: str = "",
) -> tuple[list[Candidate], dict[Teacher, str]]:
    """A district office nominates teachers of its schools' reserve pools to its city's round,
    within the district's quota; each on their own, so that one refused names its reason and
    does not stop the others. The round row is locked, so two nominations at once cannot both
    take the district's last place."""
    if not selectors.can_district_nominate_to(by, round, district):
        raise PermissionDenied(_("Only the offices of the city's districts can do this."))
    round = _lock(round)
    if round.status != Status.OPEN:
        raise ValidationError(_("Candidates can be added only while the round takes applications."))
    added, refused = [], {}
    for teacher in teachers:
        try:
            with transaction.atomic():
                if teacher.school.district_id != district.pk:
                    raise ValidationError(
                        _("%(name)s is not on the staff of %(school)s.")
                        % {"name": teacher.name, "school": district.name}
                    )
                added.append(
                    _school_nominate(round=round, teacher=teacher, by=by, statement=statement)
                )
        except ValidationError as exc:
            refused[teacher] = " ".join(exc.messages)
    return added, refused


@transaction.atomic
def candidate_district_nominate(
    *, round: SelectionRound, teacher: Teacher, by: User, statement: str = ""
) -> Candidate:
    """One teacher of a district's schools nominated to the city round by the district office,
    from the reserve pool and within the district's quota."""
    district = teacher.school.district
    if not selectors.can_district_nominate_to(by, round, district):
        raise PermissionDenied(_("Only the offices of the city's districts can do this."))
    return _school_nominate(round=_lock(round), teacher=teacher, by=by, statement=statement)


@transaction.atomic
def candidate_school_nominate(
    *, round: SelectionRound, teacher: Teacher, by: User, statement: str = ""
) -> Candidate:
    """A school's principal or training office nominates a teacher of the school from its
    reserve pool to a district round, within the school's quota. The round row is locked, so
    two nominations at once cannot both take the school's last place."""
    if not selectors.can_nominate_to(by, round, teacher.school):
        raise PermissionDenied(_("Only the principal or training office can do this."))
    return _school_nominate(round=_lock(round), teacher=teacher, by=by, statement=statement)


@transaction.atomic
def candidates_school_nominate(
    *, round: SelectionRound, school: School, teachers: Iterable[Teacher], by: User, statement=""
) -> tuple[list[Candidate], dict[Teacher, str]]:
    """Several of a school's reserve-pool teachers nominated to a district round at once; each
    on their own, so that one refused (the school's quota is full, not in the pool) names its
    reason and does not stop the others."""
    if not selectors.can_nominate_to(by, round, school):
        raise PermissionDenied(_("Only the principal or training office can do this."))
    round = _lock(round)
    if round.status != Status.OPEN:
        raise ValidationError(_("Candidates can be added only while the round takes applications."))
    added, refused = [], {}
    for teacher in teachers:
        try:
            with transaction.atomic():
                if teacher.school_id != school.pk:
                    raise ValidationError(
                        _("%(name)s is not on the staff of %(school)s.")
                        % {"name": teacher.name, "school": school.name}
                    )
                added.append(
                    _school_nominate(round=round, teacher=teacher, by=by, statement=statement)
                )
        except ValidationError as exc:
            refused[teacher] = " ".join(exc.messages)
    return added, refused


@transaction.atomic
def recommendation_nominate(*, round: SelectionRound, entry: ReserveEntry, by: User) -> Candidate:
    """The district office takes a teacher its school recommended (推荐上报) into a district
    round of the same tier, within the school's quota as if the school had nominated; or into
    its city's round of that tier code, within the district's quota."""
    if round.is_city:
        if not selectors.can_district_nominate_to(by, round, entry.teacher.school.district):
            raise PermissionDenied(_("Only the offices of the city's districts can do this."))
    else:
        _require_manager(by, round)
    round = _lock(round)
    if (
        round.school_id is not None
        or entry.tier_id
        != (selectors.tier_for_school(round, entry.teacher.school) or round.tier).pk
    ):
        raise ValidationError(_("This recommendation is for another tier."))
    if entry.recommended_at is None or entry.removed_on is not None:
        raise ValidationError(
            _("%(name)s is not recommended to the district.") % {"name": entry.teacher.name}
        )
    return _school_nominate(
        round=round, teacher=entry.teacher, by=by, statement=entry.recommendation
    )


def _school_nominate(
    *, round: SelectionRound, teacher: Teacher, by: User, statement: str
) -> Candidate:
    """A nomination to a district round from a school's reserve pool, within the school's
    quota (to a city round: within the district's quota); ``round`` is locked by the caller."""
    if round.status != Status.OPEN:
        raise ValidationError(_("Candidates can be added only while the round takes applications."))
    tier = selectors.tier_for_school(round, teacher.school) or round.tier
    if not ReserveEntry.objects.current().filter(teacher=teacher, tier=tier).exists():
        raise ValidationError(
            _("%(name)s is not in the reserve pool for %(tier)s.")
            % {"name": teacher.name, "tier": tier.label}
        )
    if round.is_city:
        nominator = teacher.school.district
        quota = round.quota_for_district(nominator.pk)
        taken = round.candidates.filter(withdrawn=False, teacher__school__district_id=nominator.pk)
    else:
        nominator = teacher.school
        quota = round.quota_for(teacher.school_id)
        taken = round.candidates.filter(withdrawn=False, teacher__school_id=teacher.school_id)
    if taken.exclude(teacher=teacher).count() >= quota:
        raise ValidationError(
            ngettext(
                "%(school)s may nominate %(n)d candidate to this round.",
                "%(school)s may nominate %(n)d candidates to this round.",
                quota,
            )
            % {"school": nominator.name, "n": quota}
        )
    return _candidate_add(
        round=round, teacher=teacher, source=Candidate.Source.RESERVE, statement=statement, by=by
    )


# -- candidates ----------------------------------------------------------------------------------
def _candidate_add(
    *, round: SelectionRound, teacher: Teacher, source: str, statement: str, by: User
) -> Candidate:
    if round.is_city:
        outside = teacher.school.district.city_id != round.city_id
    elif round.school_id is None:
        outside = teacher.school.district_id != round.district_id
    else:
        outside = teacher.school_id != round.school_id
    if outside or not teacher.is_active:
        raise ValidationError(
            _("%(name)s is not on the staff of %(school)s.")
            % {"name": teacher.name, "school": round.organiser_label}
        )
    held = _held_at_or_above(
        teacher, selectors.tier_for_school(round, teacher.school) or round.tier
    )
    if held is not None:
        raise ValidationError(_already_holds_message(teacher, held))
    candidate = Candidate.objects.filter(round=round, teacher=teacher).first()
    if candidate is not None and not candidate.withdrawn:
        raise ValidationError(
            _("%(name)s is already a candidate in this round.") % {"name": teacher.name}
        )
    if candidate is None:
        candidate = Candidate(round=round, teacher=teacher)
        (candidate.entrant,) = entrants_add(panel=round.panel, users=[teacher.user_id])
    else:
        entrant_update(entrant=candidate.entrant, active=True, user=teacher.user_id)
    # A withdrawn candidate who comes back starts afresh.
    candidate.source = source
    candidate.statement = statement.strip()
    candidate.added_by = by
    candidate.withdrawn = False
    candidate.proposed = False
    _evaluate(candidate, round)
    candidate.full_clean()
    candidate.save()
    return candidate


@transaction.atomic
def candidate_apply(
    *, round: SelectionRound, teacher: Teacher, statement: str, by: User
) -> Candidate:
    """A teacher applies with a statement while applications are open."""
    if teacher.user_id != by.pk:
        raise PermissionDenied(_("Teachers apply for themselves."))
    round = _lock(round)
    if not selectors.applications_open(round):
        raise ValidationError(
            _("Applications for this round are not open (%(start)s to %(end)s).")
            % {"start": round.apply_from, "end": round.apply_until}
        )
    if not statement.strip():
        raise ValidationError({"statement": _("Write a short application statement.")})
    return _candidate_add(
        round=round, teacher=teacher, source=Candidate.Source.APPLIED, statement=statement, by=by
    )


@transaction.atomic
def candidate_nominate(
    *, round: SelectionRound, teacher: Teacher, by: User, statement: str = ""
) -> Candidate:
    """The principal nominates a teacher of the school; one in the reserve pool for the tier
    is recorded as coming from the reserve pool."""
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.OPEN:
        raise ValidationError(_("Candidates can be added only while the round takes applications."))
    in_reserve = ReserveEntry.objects.current().filter(teacher=teacher, tier=round.tier).exists()
    source = Candidate.Source.RESERVE if in_reserve else Candidate.Source.NOMINATED
    return _candidate_add(round=round, teacher=teacher, source=source, statement=statement, by=by)


@transaction.atomic
def candidates_nominate(
    *, round: SelectionRound, teachers: Iterable[Teacher], by: User, statement: str = ""
) -> tuple[list[Candidate], dict[Teacher, str]]:
    """Several nominations at once. Each teacher is added on their own: one who cannot be
    added (another school, already a candidate) is returned with the reason and does not stop
    the others. Round-wide refusals (not a manager, applications closed) raise as before."""
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.OPEN:
        raise ValidationError(_("Candidates can be added only while the round takes applications."))
    added, refused = [], {}
    for teacher in teachers:
        try:
            with transaction.atomic():
                added.append(
                    candidate_nominate(round=round, teacher=teacher, by=by, statement=statement)
                )
        except ValidationError as exc:
            refused[teacher] = " ".join(exc.messages)
    return added, refused


@transaction.atomic
def candidate_withdraw(*, candidate: Candidate, by: User) -> Candidate:
    """The candidate (for themselves) or a manager takes a candidate out of the round."""
    own = candidate.teacher.user_id is not None and candidate.teacher.user_id == by.pk
    if not own and not selectors.can_withdraw_nominee(by, candidate):
        _require_manager(by, candidate.round)
    round = _lock(candidate.round)
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.withdrawn:
        return candidate
    candidate.withdrawn = True
    candidate.proposed = False
    candidate.save(update_fields=["withdrawn", "proposed"])
    entrant_update(entrant=candidate.entrant, active=False, user=candidate.entrant.user_id)
    if round.status == Status.SCORING:
        _rank(round)
    return candidate


@transaction.atomic
def round_check_eligibility(*, round: SelectionRound, by: User) -> list[Candidate]:
    """Re-run the eligibility check for every candidate; one who is no longer eligible drops
    out of the proposed list."""
    _require_manager(by, round)
    round = _lock(round)
    candidates = list(round.candidates.filter(withdrawn=False).select_related("teacher__school"))
    for candidate in candidates:
        _evaluate(candidate, round)
        if not candidate.is_eligible:
            candidate.proposed = False
    Candidate.objects.bulk_update(candidates, ["is_eligible", "eligibility_summary", "proposed"])
    return candidates


@transaction.atomic
def round_close_applications(*, round: SelectionRound, by: User) -> SelectionRound:
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.OPEN:
        raise ValidationError(_("Applications for this round are already closed."))
    if not round.candidates.filter(withdrawn=False).exists():
        raise ValidationError(_("There are no candidates to score yet."))
    # 回避 follows the candidates' logins as they are when scoring starts.
    for candidate in round.candidates.select_related("teacher", "entrant"):
        if candidate.entrant.user_id != candidate.teacher.user_id:
            entrant_update(
                entrant=candidate.entrant,
                active=candidate.entrant.active,
                user=candidate.teacher.user_id,
            )
    round.status = Status.SCORING
    round.save(update_fields=["status"])
    return round
