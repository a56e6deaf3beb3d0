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
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from backbone.models import Designation
from core.models import Role, School, User
from core.scoping import get_for_user
from core.selectors import current_school_year  # noqa: F401  (used as selectors.current_school_year)
from records.models import Kind as RecordKind
from teachers.models import Teacher

from .models import (
    AssessmentEntry,
    AssessmentRound,
    AssessmentScore,
    AssessmentSheet,
    DutyKind,
    DutyReport,
)

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
    if "committee" in getattr(round, "_prefetched_objects_cache", {}):
        return any(m.pk == user.pk for m in round.committee.all())
    return round.committee.filter(pk=user.pk).exists()


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
    if round.status != Status.SCORING:
        return True  # the caller could already see the round
    if member:
        return sheet is not None and sheet.submitted_at is not None
    return can_manage_round(user, round)


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


def submitted_values(*, round: AssessmentRound) -> dict[int, list[dict[int, Decimal]]]:
    """Entry id -> one {component id: value} per submitted sheet; one query."""
    by_entry: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    rows = AssessmentScore.objects.filter(
        sheet__round=round, sheet__submitted_at__isnull=False
    ).values_list("entry_id", "sheet_id", "component_id", "value")
    for entry_id, sheet_id, component_id, value in rows:
        by_entry[entry_id][sheet_id][component_id] = value
    return {entry_id: list(sheets.values()) for entry_id, sheets in by_entry.items()}


def own_sheet(*, round: AssessmentRound, member: User):
    sheet = AssessmentSheet.objects.filter(round=round, member=member).first()
    if sheet is None:
        return None, {}
    values = {(s.entry_id, s.component_id): s.value for s in sheet.scores.all()}
    return sheet, values


def _tier_labels(teacher_ids) -> dict[int, str]:
    return {
        d.teacher_id: d.tier.label
        for d in Designation.objects.current()
        .tiers()
        .filter(teacher_id__in=teacher_ids)
        .select_related("tier")
    }


def round_entries(*, round: AssessmentRound) -> list[AssessmentEntry]:
    entries = list(round.entries.select_related("teacher").order_by("teacher__staff_no"))
    tiers = _tier_labels([e.teacher_id for e in entries])
    for entry in entries:
        decorate_facts(entry)
        entry.tier_label = tiers.get(entry.teacher_id, "")
    return entries


def round_detail(*, round: AssessmentRound, user: User) -> dict:
    """Everything the round page shows, in a fixed number of queries."""
    round = (
        AssessmentRound.objects.select_related("school__district", "template", "opened_by")
        .prefetch_related("committee")
        .get(pk=round.pk)
    )
    components = list(round.template.components.all())
    member = is_committee_member(user, round)
    sheets = {s.member_id: s for s in AssessmentSheet.objects.filter(round=round)}
    sheet = sheets.get(user.pk)
    see_scores = can_see_scores(user, round, member=member, sheet=sheet)
    entries = round_entries(round=round)
    if see_scores:
        averages = {
            (row["entry_id"], row["component_id"]): row["avg"]
            for row in AssessmentScore.objects.filter(
                sheet__round=round, sheet__submitted_at__isnull=False
            )
            .values("entry_id", "component_id")
            .annotate(avg=Avg("value"))
        }
        for entry in entries:
            entry.averages = [averages.get((entry.pk, c.pk)) for c in components]
    committee = [(m, sheets.get(m.pk)) for m in round.committee.all()]
    status = effective_status(round)
    return {
        "round": round,
        "status": status,
        "status_label": Status(status).label,
        "components": components,
        "entries": entries,
        "committee": committee,
        "submitted_count": sum(1 for _m, s in committee if s and s.submitted_at),
        "is_member": member,
        "own_sheet": sheet,
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
    if scope.can_view_school(round.school_id, round.school.district_id):
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
