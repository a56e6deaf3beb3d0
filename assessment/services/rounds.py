"""Every write of an assessment round: opening it with prefilled facts, absences, committee
score sheets, finalising (grades and their consequences), posting the results (公示), locking;
confirming or clearing designations flagged for revocation; the teacher's duty report (述职).

A round moves SCORING → FINALISED → POSTED → LOCKED. Posted results lock themselves when the
notice period is over. Every write locks the round row first and refuses locked rounds.
"""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backbone.models import Designation
from backbone.services.designations import designation_revoke
from core.models import School, User, school_year_label
from core.scoring import score_cells_write
from mentoring.models import Pairing
from records.hours import hours_for_teachers
from records.models import Record
from teachers.models import Teacher

from .. import grading, selectors
from ..models import (
    AnnualGrade,
    AssessmentEntry,
    AssessmentRound,
    AssessmentScore,
    AssessmentSheet,
    AssessmentTemplate,
    DutyReport,
    Grade,
)
from .templates import template_ensure

Status = AssessmentRound.Status


# -- helpers -------------------------------------------------------------------------------------
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


def _num(value) -> str:
    return f"{Decimal(value).normalize():f}"


def _teachers_for(school: School, *, all_teachers: bool) -> list[Teacher]:
    teachers = Teacher.objects.filter(school=school, is_active=True)
    if not all_teachers:
        teachers = teachers.filter(
            pk__in=Designation.objects.current().tiers().values("teacher_id")
        )
    return list(teachers.order_by("staff_no"))


def _duty_statuses(*, teachers: list[Teacher], year: int, semester: int | None) -> dict:
    from ..duties import duty_statuses  # the duties engine, built beside this module

    return duty_statuses(teachers=teachers, year=year, semester=semester)


def facts_for(
    *, teachers: list[Teacher], year: int, semester: int | None = None
) -> dict[int, dict]:
    """The prefilled facts of each teacher, in a fixed number of queries."""
    ids = [t.pk for t in teachers]
    facts = {tid: {"records": {}, "mentoring": 0, "duties": [], "duty_report": {}} for tid in ids}
    hours = hours_for_teachers(teachers=ids, year=year)
    records = Record.objects.counting().filter(teacher_id__in=ids, year=year)
    if semester:
        records = records.filter(semester=semester)
    for row in records.order_by().values("teacher_id", "kind").annotate(n=Count("pk")):
        facts[row["teacher_id"]]["records"][row["kind"]] = row["n"]
    pairings = (
        Pairing.objects.filter(mentor_id__in=ids, status=Pairing.Status.ACTIVE)
        .order_by()
        .values("mentor_id")
        .annotate(n=Count("pk"))
    )
    for row in pairings:
        facts[row["mentor_id"]]["mentoring"] = row["n"]
    for report in DutyReport.objects.filter(teacher_id__in=ids, year=year):
        facts[report.teacher_id]["duty_report"] = {
            "text": report.text,
            "submitted": report.submitted_at is not None,
        }
    duties = _duty_statuses(teachers=teachers, year=year, semester=semester) if ids else {}
    for teacher_id in ids:
        h = hours[teacher_id]
        facts[teacher_id]["hours"] = {
            "total": _num(h.total),
            "school_based": _num(h.school_based),
            "met": h.met,
        }
        facts[teacher_id]["duties"] = [
            {
                "kind": s.template.kind,
                "core": bool(s.template.is_core),
                "required": _num(s.required),
                "done": _num(s.done),
                "status": s.status,
            }
            for s in duties.get(teacher_id, [])
        ]
    return facts


# -- opening -------------------------------------------------------------------------------------
@transaction.atomic
def round_open(
    *,
    school: School,
    kind: str,
    year: int,
    title: str,
    committee: Iterable[User],
    by: User,
    semester: int | None = None,
    all_teachers: bool = False,
) -> AssessmentRound:
    """Open a round with an entry (and its facts) for every backbone teacher of the school,
    or every active teacher."""
    if not by.scope.can_manage_school(school.pk):
        raise PermissionDenied(_("Only the principal or training office can open a round."))
    errors: dict[str, list[str]] = {}
    if kind == AssessmentTemplate.Kind.SEMESTER and semester not in (1, 2):
        errors["semester"] = [_("Choose the semester of a semester check.")]
    if kind == AssessmentTemplate.Kind.ANNUAL:
        semester = None
    committee = list(committee)
    from backbone.selectors.rounds import is_committee_eligible

    outsiders = [u for u in committee if not is_committee_eligible(u, school)]
    if not committee:
        errors["committee"] = [_("Choose at least one committee member.")]
    elif outsiders:
        errors["committee"] = [
            _("%(names)s hold no committee, principal or training office role at %(school)s.")
            % {"names": "、".join(str(u) for u in outsiders), "school": school.name}
        ]
    teachers = _teachers_for(school, all_teachers=all_teachers)
    if not teachers:
        errors["all_teachers"] = [_("There are no teachers to assess.")]
    if errors:
        raise ValidationError(errors)
    template = template_ensure(school=school, kind=kind, year=year)
    round = AssessmentRound(
        school=school,
        template=template,
        title=title.strip(),
        year=year,
        semester=semester,
        all_teachers=all_teachers,
        opened_by=by,
    )
    round.full_clean()
    round.save()
    round.committee.set(committee)
    facts = facts_for(teachers=teachers, year=year, semester=semester)
    AssessmentEntry.objects.bulk_create(
        AssessmentEntry(round=round, teacher=t, facts=facts[t.pk]) for t in teachers
    )
    return round


def _refresh(round: AssessmentRound) -> list[AssessmentEntry]:
    entries = list(round.entries.select_related("teacher"))
    facts = facts_for(
        teachers=[e.teacher for e in entries], year=round.year, semester=round.semester
    )
    for entry in entries:
        entry.facts = facts[entry.teacher_id]
    AssessmentEntry.objects.bulk_update(entries, ["facts"])
    return entries


@transaction.atomic
def round_refresh_facts(*, round: AssessmentRound, by: User) -> list[AssessmentEntry]:
    """Read the facts again (newly verified records, a submitted duty report)."""
    _require_manager(by, round)
    round = _lock(round)
    if round.status != Status.SCORING:
        raise ValidationError(_("Facts are read again only while the committee is scoring."))
    return _refresh(round)


@transaction.atomic
def entry_set_absence(*, entry: AssessmentEntry, absent: bool, by: User) -> AssessmentEntry:
    """Record (or clear) an absence from training without a valid reason."""
    _require_manager(by, entry.round)
    round = _lock(entry.round)
    if round.status != Status.SCORING:
        raise ValidationError(_("Absences are recorded only while the committee is scoring."))
    entry = AssessmentEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.absent_without_reason != absent:
        entry.absent_without_reason = absent
        entry.save(update_fields=["absent_without_reason"])
    return entry


# -- scoring -------------------------------------------------------------------------------------
def _sheet_for_writing(round: AssessmentRound, member: User) -> AssessmentSheet:
    if round.status != Status.SCORING:
        raise ValidationError(_("Scores can be entered only while the committee is scoring."))
    if not selectors.is_committee_member(member, round):
        raise PermissionDenied(_("Only members of this round's committee can score."))
    sheet, _created = AssessmentSheet.objects.get_or_create(round=round, member=member)
    if sheet.submitted_at is not None:
        raise ValidationError(_("Your score sheet has been submitted and is final."))
    return sheet


@transaction.atomic
def score_sheet_save(
    *,
    round: AssessmentRound,
    member: User,
    values: Mapping[tuple[int, int], Decimal | int | str | None],
) -> AssessmentSheet:
    """Save a draft: values by (entry id, component id); None clears a cell."""
    round = _lock(round)
    sheet = _sheet_for_writing(round, member)
    entries = {e.pk: e for e in round.entries.select_related("teacher")}
    components = {c.pk: c for c in round.template.components.all()}
    score_cells_write(
        values=values,
        rows=entries,
        columns=components,
        existing={(s.entry_id, s.component_id): s for s in sheet.scores.all()},
        model=AssessmentScore,
        build=lambda entry, component, value: AssessmentScore(
            sheet=sheet, entry=entry, component=component, value=value
        ),
        invalid=lambda entry, component: (
            _("%(name)s, %(component)s: give a score from 0 to %(max)d (one decimal place).")
            % {"name": entry.teacher.name, "component": component.name, "max": component.max_score}
        ),
        unknown=_("A score refers to a teacher or component not in this round."),
    )
    return sheet


@transaction.atomic
def score_sheet_submit(*, round: AssessmentRound, member: User) -> AssessmentSheet:
    """Submit a complete sheet; it is final."""
    round = _lock(round)
    sheet = _sheet_for_writing(round, member)
    sheet = AssessmentSheet.objects.select_for_update().get(pk=sheet.pk)
    expected = round.entries.count() * round.template.components.count()
    missing = expected - sheet.scores.count()
    if missing:
        raise ValidationError(
            ngettext(
                "Score every teacher on every component before submitting: %(n)d score is missing.",
                "Score every teacher on every component before submitting: %(n)d scores are "
                "missing.",
                missing,
            )
            % {"n": missing}
        )
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at"])
    return sheet


# -- finalising and its consequences -------------------------------------------------------------
def _grade(round: AssessmentRound, entries: list[AssessmentEntry]) -> None:
    template = round.template
    components = [
        grading.Component(c.pk, c.name, c.weight, c.max_score) for c in template.components.all()
    ]
    thresholds = grading.Thresholds(
        template.excellent_from, template.good_from, template.qualified_from
    )
    values = selectors.submitted_values(round=round)
    annual = template.kind == AssessmentTemplate.Kind.ANNUAL
    # The explanation is written in the school's language, whoever finalises.
    with translation.override(round.school.language):
        for entry in entries:
            hours = entry.facts.get("hours", {})
            facts = grading.Facts(
                hours_total=Decimal(hours.get("total", 0)) if annual else None,
                hours_school_based=Decimal(hours.get("school_based", 0)) if annual else None,
                absent_without_reason=entry.absent_without_reason,
                missed_core_duties=selectors.missed_core_duty_labels(entry.facts),
            )
            result = grading.grade_entry(
                components=components,
                sheets=values.get(entry.pk, []),
                thresholds=thresholds,
                facts=facts,
                missed_core_duty_cap=template.missed_core_duty_cap,
            )
            entry.score = result.score
            entry.grade = result.grade
            entry.explanation = result.explanation


def _write_annual_grades(round: AssessmentRound, entries: list[AssessmentEntry], by: User):
    """The round's grades replace any grade recorded for that year (by hand or otherwise)."""
    graded = [e for e in entries if e.grade is not None]
    existing = {
        g.teacher_id: g
        for g in AnnualGrade.objects.filter(
            teacher_id__in=[e.teacher_id for e in graded], year=round.year
        )
    }
    to_create, to_update = [], []
    for entry in graded:
        grade = existing.get(entry.teacher_id)
        if grade is None:
            to_create.append(
                AnnualGrade(
                    teacher_id=entry.teacher_id,
                    year=round.year,
                    grade=entry.grade,
                    round=round,
                    recorded_by=by,
                )
            )
        else:
            grade.grade, grade.round, grade.recorded_by, grade.note = entry.grade, round, by, ""
            grade.recorded_at = timezone.now()  # bulk_update skips auto_now
            to_update.append(grade)
    AnnualGrade.objects.bulk_create(to_create)
    AnnualGrade.objects.bulk_update(
        to_update, ["grade", "round", "recorded_by", "note", "recorded_at"]
    )


def _flag_unqualified(round: AssessmentRound, entries: list[AssessmentEntry]) -> int:
    ids = [e.teacher_id for e in entries if e.grade == Grade.UNQUALIFIED]
    if not ids:
        return 0
    with translation.override(round.school.language):
        reason = _("Unqualified in the annual assessment %(year)s (%(round)s).") % {
            "year": school_year_label(round.year),
            "round": round.title,
        }
    return (
        Designation.objects.current()
        .tiers()
        .filter(teacher_id__in=ids, flagged_at__isnull=True)
        .update(flagged_at=timezone.now(), flag_reason=reason)
    )


@transaction.atomic
def round_finalise(*, round: AssessmentRound, by: User) -> list[AssessmentEntry]:
    """Read the facts one last time, grade every entry and, for an annual round, write the
    annual grades and flag the designations of unqualified teachers. A second click changes
    nothing."""
    _require_principal(by, round.school_id)
    round = _lock(round)
    if round.status != Status.SCORING:
        return list(round.entries.select_related("teacher"))
    if not round.sheets.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("No committee member has submitted a score sheet yet."))
    entries = _refresh(round)
    _grade(round, entries)
    AssessmentEntry.objects.bulk_update(entries, ["score", "grade", "explanation"])
    round.status = Status.FINALISED
    round.finalised_by = by
    round.finalised_at = timezone.now()
    round.save(update_fields=["status", "finalised_by", "finalised_at"])
    if round.template.kind == AssessmentTemplate.Kind.ANNUAL:
        _write_annual_grades(round, entries, by)
        _flag_unqualified(round, entries)
    return entries


@transaction.atomic
def round_post(
    *,
    round: AssessmentRound,
    notice_from: datetime.date,
    notice_until: datetime.date,
    by: User,
) -> AssessmentRound:
    """Post the results on the public notice (公示) for the school's staff; posting again
    changes the period."""
    _require_principal(by, round.school_id)
    round = _lock(round)
    if round.status not in (Status.FINALISED, Status.POSTED):
        raise ValidationError(_("Results are posted after the round is finalised."))
    if notice_until < notice_from:
        raise ValidationError(
            {"notice_until": _("The notice must end on or after the day it starts.")}
        )
    round.notice_from, round.notice_until = notice_from, notice_until
    round.status = Status.POSTED
    round.full_clean()
    round.save(update_fields=["notice_from", "notice_until", "status"])
    return round


@transaction.atomic
def round_lock(*, round: AssessmentRound, by: User) -> AssessmentRound:
    """Lock a finalised round for good; locking again changes nothing."""
    _require_principal(by, round.school_id)
    round = AssessmentRound.objects.select_for_update(of=("self",)).get(pk=round.pk)
    if round.status == Status.LOCKED:
        return round
    if round.status == Status.SCORING:
        raise ValidationError(_("Finalise the round before locking it."))
    round.status = Status.LOCKED
    round.save(update_fields=["status"])
    return round


def rounds_lock_expired(*, today: datetime.date | None = None) -> int:
    """For a daily job: posted rounds whose notice is over become locked."""
    today = today or timezone.localdate()
    return AssessmentRound.objects.filter(status=Status.POSTED, notice_until__lt=today).update(
        status=Status.LOCKED
    )


# -- flagged designations ------------------------------------------------------------------------
@transaction.atomic
def designation_flag_confirm(
    *, designation: Designation, by: User, reason: str = ""
) -> Designation:
    """The principal confirms the revocation of a flagged designation."""
    _require_principal(by, designation.teacher.school_id)
    if designation.flagged_at is None:
        raise ValidationError(_("This designation is not flagged for revocation."))
    return designation_revoke(
        designation=designation, reason=reason.strip() or designation.flag_reason, by=by
    )


@transaction.atomic
def designation_flag_clear(*, designation: Designation, by: User) -> Designation:
    """The principal keeps the designation: the flag is cleared."""
    _require_principal(by, designation.teacher.school_id)
    designation = Designation.objects.select_for_update().get(pk=designation.pk)
    if designation.flagged_at is not None:
        designation.flagged_at = None
        designation.flag_reason = ""
        designation.save(update_fields=["flagged_at", "flag_reason"])
    return designation


# -- the duty report (述职) -----------------------------------------------------------------------
@transaction.atomic
def duty_report_save(
    *, teacher: Teacher, year: int, text: str, by: User, submit: bool = False
) -> DutyReport:
    """Save the teacher's report for the school year; once submitted it is final."""
    if teacher.user_id != by.pk:
        raise PermissionDenied(_("Teachers write their own duty report."))
    report = DutyReport.objects.select_for_update().filter(teacher=teacher, year=year).first()
    if report is not None and report.submitted_at is not None:
        raise ValidationError(_("Your duty report has been submitted and is final."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your report before saving it.")})
    if report is None:
        report = DutyReport(teacher=teacher, year=year)
    report.text = text
    if submit:
        report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    return report
