"""Every read the assessment pages need, already scoped, and the permission predicates.

Who may do what in an assessment round:
- managers (principal, training office of the school): open a round, refresh its facts, mark
  absences, edit the templates;
- the principal: finalise, post the results (公示), lock, confirm or clear flagged
  designations;
- committee members of the round: score (one sheet each);
- the district office and other staff of the school: read;
- managers and the district office: print the result sheets once the round is finalised;
- teachers: no round pages; the posted results of their school during the notice window and
  their own annual duty report (述职).

Scoring secrecy: a committee member sees nobody's scores but their own until they have
submitted their sheet; managers who are not on the committee see them at any time; once the
round is finalised every viewer of the round sees them. The posted results page never shows
scores; the printed notice list (``sheets``) gives each teacher's total score and rank, and the
printed form the committee's average per component, never a scorer's name.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from backbone.models import Designation
from core.models import Role, School, User
from core.scoping import get_for_user
from core.selectors import current_school_year  # noqa: F401  (used as selectors.current_school_year)
from records.models import Kind as RecordKind
from scoring import selectors as scoring
from scoring import visibility
from scoring.models import Panel
from teachers.models import Teacher

from .models import AnnualGrade, AssessmentEntry, AssessmentRound, DutyKind, DutyReport

Status = AssessmentRound.Status
DUTY_STATUS_CLASSES = {
    "met": "success",
    "on_track": "primary",
    "at_risk": "warning",
    "missed": "danger",
}


# -- named predicates ----------------------------------------------------------------------------
def can_manage_round(user: User, round: AssessmentRound) -> bool:
    return user.scope.can_manage_school(round.school_id)


def is_principal_of(user: User, school_id: int) -> bool:
    scope = user.scope
    return scope.is_superuser or Role.PRINCIPAL in scope.roles_at(school_id)


def is_committee_member(user: User, round: AssessmentRound) -> bool:
    """On the committee and scoring: not recused from it, not gone from it."""
    return scoring.is_active_member(panel=round.panel, user=user)


def effective_status(round: AssessmentRound, today: datetime.date | None = None) -> str:
    """Posted results lock themselves when the notice period is over."""
    today = today or timezone.localdate()
    if round.status == Status.POSTED and round.notice_until and round.notice_until < today:
        return Status.LOCKED
    return round.status


def is_locked(round: AssessmentRound, today: datetime.date | None = None) -> bool:
    return effective_status(round, today) == Status.LOCKED


def notice_running(round: AssessmentRound, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        round.status == Status.POSTED
        and round.notice_from is not None
        and round.notice_from <= today <= round.notice_until
    )


def can_print_sheets(user: User, round: AssessmentRound) -> bool:
    """The result sheets (公示名单, 个人考核表) are printed by the school's principal and
    training office, and by the district office for its schools."""
    scope = user.scope
    return scope.can_manage_school(round.school_id) or round.school.district_id in (
        scope.district_ids
    )


def can_see_scores(user: User, round: AssessmentRound, *, member: bool, sheet) -> bool:
    """The committee's scores; see ``scoring.visibility``. ``sheet`` is the user's own (or
    None), ``member`` is kept for the callers that pass it."""
    return visibility.sight(user=user, panel=round.panel, sheet=sheet).totals


def hidden_score_rounds(*, user: User | None, rounds: QuerySet[AssessmentRound]) -> set[int]:
    """Of ``rounds``, the ids whose scores (and grades) ``user`` may not see yet.
    ``user=None``: for a file shared with the school's managers or the district office."""
    panels = visibility.hidden_panels(
        user=user, panels=Panel.objects.filter(assessmentround__in=rounds)
    )
    return set(rounds.filter(panel_id__in=panels).values_list("pk", flat=True))


# -- lookups -------------------------------------------------------------------------------------
def round_list(*, user: User) -> QuerySet[AssessmentRound]:
    return (
        AssessmentRound.objects.visible_to(user)
        .select_related("school", "template")
        .annotate(entry_count=Count("entries"))
        .order_by("-year", "-created_at")
    )


def get_round_for_user(*, user: User, pk: int, write: bool = False) -> AssessmentRound:
    """404 for users who may not see the round, 403 for those who may not manage it."""
    return get_for_user(
        AssessmentRound.objects.select_related("school__district", "template", "opened_by"),
        user,
        write=write,
        pk=pk,
    )


def get_round_for_principal(*, user: User, pk: int) -> AssessmentRound:
    round = get_round_for_user(user=user, pk=pk)
    if not is_principal_of(user, round.school_id):
        raise PermissionDenied
    return round


def get_round_for_scoring(*, user: User, pk: int) -> AssessmentRound:
    round = get_round_for_user(user=user, pk=pk)
    if not is_committee_member(user, round):
        raise PermissionDenied
    return round


def get_entry_for_manager(*, user: User, pk: int) -> AssessmentEntry:
    entry = get_for_user(
        AssessmentEntry.objects.select_related("round", "teacher"), user, write=True, pk=pk
    )
    return entry


def committee_choices(*, schools) -> QuerySet[User]:
    from backbone.selectors.rounds import committee_choices as choices

    return choices(schools=schools)


# -- facts ---------------------------------------------------------------------------------------
def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return value


def missed_core_duty_labels(facts: dict) -> list[str]:
    return [
        str(_label(DutyKind, d["kind"]))
        for d in facts.get("duties", [])
        if d.get("core") and d.get("status") == "missed"
    ]


def decorate_facts(entry: AssessmentEntry) -> AssessmentEntry:
    """Labels for the stored facts, in the reader's language."""
    facts = entry.facts or {}
    entry.duty_rows = [
        {
            **d,
            "label": _label(DutyKind, d["kind"]),
            "css": DUTY_STATUS_CLASSES.get(d.get("status"), "secondary"),
        }
        for d in facts.get("duties", [])
    ]
    entry.record_rows = [
        (_label(RecordKind, kind), n) for kind, n in sorted(facts.get("records", {}).items())
    ]
    entry.hours = facts.get("hours", {})
    entry.mentoring = facts.get("mentoring", 0)
    entry.report = facts.get("duty_report", {})
    return entry


def _keys(round: AssessmentRound) -> tuple[dict[int, int], dict[int, int]]:
    """{entrant id: entry id} and {item id: component id}: the panel's rows by this app's."""
    entries = dict(round.entries.values_list("entrant_id", "pk"))
    components = dict(round.panel.items.values_list("pk", "key"))
    return entries, components


def scores(*, round: AssessmentRound) -> tuple[scoring.Aggregate, dict, dict]:
    """The panel's aggregate, with the maps from its rows to this app's."""
    entries, components = _keys(round)
    return scoring.aggregate(panel=round.panel), entries, components


def submitted_values(*, round: AssessmentRound) -> dict[int, list[dict[int, Decimal]]]:
    """Entry id -> one {component id: value} per submitted sheet that counts."""
    result, entries, components = scores(round=round)
    return {
        entries[entrant_id]: [
            {components[item]: v for item, v in values.items()}
            for values in result.values_by_sheet(entrant_id)
        ]
        for entrant_id in {e for m in result.marks.values() for e in m}
    }


def own_sheet(*, round: AssessmentRound, member: User):
    sheet, values = scoring.own_sheet(panel=round.panel, member=member)
    entries, components = _keys(round)
    return sheet, {(entries[e], components[i]): v for (e, i), v in values.items()}


def _tier_labels(teacher_ids) -> dict[int, str]:
    return {
        d.teacher_id: d.tier.label
        for d in Designation.objects.current()
        .tiers()
        .filter(teacher_id__in=teacher_ids)
        .select_related("tier")
    }


def round_entries(*, round: AssessmentRound) -> list[AssessmentEntry]:
    entries = list(
        round.entries.select_related("teacher", "absence_override_by").order_by("teacher__staff_no")
    )
    tiers = _tier_labels([e.teacher_id for e in entries])
    for entry in entries:
        decorate_facts(entry)
        entry.tier_label = tiers.get(entry.teacher_id, "")
    return entries


def round_detail(*, round: AssessmentRound, user: User) -> dict:
    """Everything the round page shows, in a fixed number of queries."""
    round = AssessmentRound.objects.select_related(
        "school__district", "template", "opened_by", "panel"
    ).get(pk=round.pk)
    components = list(round.template.components.all())
    memberships = list(round.panel.memberships.select_related("user").order_by("pk"))
    mine = next((m for m in memberships if m.user_id == user.pk), None)
    member = mine is not None and mine.is_active
    sheets = scoring.sheets_by_member(panel=round.panel)
    sheet = sheets.get(user.pk)
    seen = visibility.sight(user=user, panel=round.panel, membership=mine, sheet=sheet)
    see_scores = seen.totals
    entries = round_entries(round=round)
    if see_scores:
        result, _entries, item_keys = scores(round=round)
        item_of = {component: item for item, component in item_keys.items()}
        for entry in entries:
            averages = result.averages.get(entry.entrant_id, {})
            entry.averages = [averages.get(item_of.get(c.pk)) for c in components]
    committee = [(m.user, sheets.get(m.user_id)) for m in memberships]
    status = effective_status(round)
    return {
        "round": round,
        "status": status,
        "status_label": Status(status).label,
        "components": components,
        "entries": entries,
        "committee": committee,
        "any_submitted": any(s.submitted_at for s in sheets.values()),
        "submitted_count": (
            sum(1 for _m, s in committee if s and s.submitted_at) if seen.progress else None
        ),
        "is_member": member,
        "own_sheet": sheet,
        "sight": seen,
        "see_scores": see_scores,
        "can_manage": can_manage_round(user, round),
        "is_principal": is_principal_of(user, round.school_id),
        "can_print": can_print_sheets(user, round),
        "scoring": status == Status.SCORING,
        "locked": status == Status.LOCKED,
    }


# -- results (公示) --------------------------------------------------------------------------------
def results_visible(user: User, round: AssessmentRound, today=None) -> bool:
    """Staff who can see the round read the results once posted; everybody with a role at
    the school (teachers included) while the notice runs."""
    if round.status not in (Status.POSTED, Status.LOCKED):
        return False
    scope = user.scope
    if scope.can_view_school(round.school_id):
        return True
    return bool(scope.roles_at(round.school_id)) and notice_running(round, today)


def get_results_for_user(*, user: User, pk: int) -> AssessmentRound:
    round = (
        AssessmentRound.objects.select_related("school__district", "template").filter(pk=pk).first()
    )
    if round is None or not results_visible(user, round):
        raise Http404
    return round


def results_rows(*, round: AssessmentRound) -> list[AssessmentEntry]:
    return list(round.entries.select_related("teacher").order_by("-grade", "teacher__staff_no"))


def results_list(*, user: User) -> list[AssessmentRound]:
    """Posted results the user may read now."""
    school_ids = set(user.scope.school_roles)
    rounds = AssessmentRound.objects.filter(
        Q(school_id__in=school_ids) | Q(pk__in=round_list(user=user).values("pk")),
        status__in=[Status.POSTED, Status.LOCKED],
    ).select_related("school__district", "template")
    return [r for r in rounds if results_visible(user, r)]


# -- consequences --------------------------------------------------------------------------------
def flagged_designations(*, user: User) -> QuerySet[Designation]:
    """Current tier designations flagged for revocation at schools the user is principal of."""
    scope = user.scope
    qs = Designation.objects.current().tiers().filter(flagged_at__isnull=False)
    if not scope.is_superuser:
        qs = qs.filter(teacher__school_id__in=scope.school_ids_with({Role.PRINCIPAL}))
    return qs.select_related("teacher__school", "tier").order_by("flagged_at")


def get_flagged_for_user(*, user: User, pk: int) -> Designation:
    designation = flagged_designations(user=user).filter(pk=pk).first()
    if designation is None:
        raise Http404
    return designation


# -- duty report (述职) ---------------------------------------------------------------------------
def own_teacher(*, user: User) -> Teacher:
    teacher = getattr(user, "teacher", None)
    if teacher is None or not teacher.is_active:
        raise Http404
    return teacher


def duty_report_for(*, teacher: Teacher, year: int) -> DutyReport | None:
    return DutyReport.objects.filter(teacher=teacher, year=year).first()


def manageable_schools(*, user: User) -> QuerySet[School]:
    return user.scope.schools(write=True)


# -- released annual grades ----------------------------------------------------------------------
def released_grade_filter() -> Q:
    """Annual grades anyone may read outside the round: recorded by hand, or from a round
    whose results are posted (公示) or locked. A round's grades exist once it is finalised,
    but until the principal posts them they stay on the round's pages."""
    return Q(round__isnull=True) | Q(round__status__in=[Status.POSTED, Status.LOCKED])


def released_grades(*, teacher_ids, years) -> dict[tuple[int, int], int]:
    """(teacher id, year) -> the released grade; one query."""
    rows = (
        AnnualGrade.objects.filter(teacher_id__in=teacher_ids, year__in=list(years))
        .filter(released_grade_filter())
        .values_list("teacher_id", "year", "grade")
    )
    return {(teacher_id, year): grade for teacher_id, year, grade in rows}


def unreleased_grade_count(*, teacher_ids, year: int) -> int:
    """How many grades of ``year`` wait for their round's results to be posted."""
    return (
        AnnualGrade.objects.filter(teacher_id__in=teacher_ids, year=year)
        .exclude(released_grade_filter())
        .count()
    )
