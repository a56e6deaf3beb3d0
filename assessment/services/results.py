"""The end of an assessment round: finalising (grades and their consequences: annual grades,
designations flagged for revocation), posting the results (公示), locking; confirming or
clearing flagged designations; and the teacher's duty report (述职)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backbone.models import Designation
from backbone.services.designations import designation_revoke
from core.models import User, school_year_label
from scoring.services.panels import panel_reveal
from teachers.models import Teacher

from .. import grading, selectors
from ..grading_facts import facts_of, thresholds_of
from ..models import (
    AnnualGrade,
    AssessmentEntry,
    AssessmentRound,
    AssessmentTemplate,
    DutyReport,
    Grade,
)
from .facts import _refresh
from .round_common import Status, _lock, _require_principal


# -- finalising and its consequences -------------------------------------------------------------
def _grade(round: AssessmentRound, entries: list[AssessmentEntry]) -> None:
    template = round.template
    components = [
        grading.Component(c.pk, c.name, c.weight, c.max_score) for c in template.components.all()
    ]
    thresholds = thresholds_of(template)
    values = selectors.submitted_values(round=round)
    # The explanation is written in the school's language, whoever finalises.
    with translation.override(round.school.language):
        for entry in entries:
            result = grading.grade_entry(
                components=components,
                sheets=values.get(entry.pk, []),
                thresholds=thresholds,
                facts=facts_of(entry, template),
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
    if not round.panel.sheets.filter(submitted_at__isnull=False).exists():
        raise ValidationError(
            pgettext("assessment", "No committee member has submitted a score sheet yet.")
        )
    entries = _refresh(round)
    _grade(round, entries)
    AssessmentEntry.objects.bulk_update(entries, ["score", "grade", "explanation"])
    round.status = Status.FINALISED
    round.finalised_by = by
    round.finalised_at = timezone.now()
    round.save(update_fields=["status", "finalised_by", "finalised_at"])
    panel_reveal(panel=round.panel)  # scoring is over: every viewer of the round sees the scores
    if round.template.kind == AssessmentTemplate.Kind.ANNUAL:
        _write_annual_grades(round, entries, by)
        _flag_unqualified(round, entries)
    return entries


def notice_start_problem(round: AssessmentRound, notice_from: datetime.date) -> str | None:
    """The notice cannot start before the day the results were confirmed (finalised)."""
    if round.finalised_at is None:
        return None
    confirmed = timezone.localdate(round.finalised_at)
    if notice_from >= confirmed:
        return None
    return _(
        "The notice cannot start before the results were confirmed on %(day)s: choose that "
        "day or a later one."
    ) % {"day": formats.date_format(confirmed, "DATE_FORMAT")}


@transaction.atomic
def round_post(
    *,
    round: AssessmentRound,
    notice_from: datetime.date,
    notice_until: datetime.date,
    by: User,
    notice_contact: str = "",
) -> AssessmentRound:
    """Post the results on the public notice (公示) for the school's staff, from the day the
    results were confirmed (finalised) on, naming a contact person; posting again changes the
    period."""
    _require_principal(by, round.school_id)
    round = _lock(round)
    if round.status not in (Status.FINALISED, Status.POSTED):
        raise ValidationError(_("Results are posted after the round is finalised."))
    if notice_until < notice_from:
        raise ValidationError(
            {"notice_until": _("The notice must end on or after the day it starts.")}
        )
    problem = notice_start_problem(round, notice_from)
    if problem:
        raise ValidationError({"notice_from": problem})
    round.notice_from, round.notice_until = notice_from, notice_until
    round.notice_contact = notice_contact.strip() or round.notice_contact
    round.status = Status.POSTED
    round.full_clean()
    round.save(update_fields=["notice_from", "notice_until", "notice_contact", "status"])
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
