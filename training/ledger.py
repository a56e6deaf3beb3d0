"""The register and the hours it credits.

Every way of taking attendance (the organiser's register, the QR sign-in, an import) calls
``attendance_record``. It keeps one Attendance row per teacher and session (unique
constraint) and, in the same transaction, keeps the teacher's ledger in step: attended means
one verified training record of the session's hours (records.services.credits, keyed by the
session), not attended means that record archived. So nothing is credited twice (a re-import,
a second scan, two tabs, a retried request all land on the same rows) and correcting the
register corrects the hours. The 72/24 meter, duties, assessment, dossier and yearly report
read those records like any verified training: one ledger for all of them."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.models import Level
from records.services.credits import training_credit, training_credit_withdraw
from teachers.models import Teacher

from .models import Attendance, Session
from .rules import places_review


def _course(session: Session) -> str:
    return f"{session.programme.title} · {session.theme}"


def ledger_sync(*, attendance: Attendance, by=None) -> None:
    session, teacher = attendance.session, attendance.teacher
    if attendance.attended:
        training_credit(
            teacher=teacher,
            source=session.source_key,
            course=_course(session),
            date=session.date,
            hours=session.hours,
            school_based=session.programme.school_based,
            organiser_level=Level.DISTRICT if session.programme.is_district else Level.SCHOOL,
            by=by,
        )
    else:
        training_credit_withdraw(teacher=teacher, source=session.source_key, by=by)


def _locked_row(session: Session, teacher: Teacher) -> Attendance | None:
    return (
        Attendance.objects.select_for_update(of=("self",))
        .filter(session=session, teacher=teacher)
        .first()
    )


@transaction.atomic
def attendance_record(
    *,
    session: Session,
    teacher: Teacher,
    status: str,
    method: str,
    by,
    reason: str = "",
    signed_in_at: datetime.datetime | None = None,
    keep_better: bool = False,
) -> tuple[Attendance, bool]:
    """Set one line of the register and the ledger with it; (row, changed).

    ``keep_better``: a sign-in (QR, import) never downgrades what the organiser already
    marked (a teacher marked late who scans again stays late, one on approved leave stays so
    unless the organiser changes it)."""
    if status not in Attendance.Status.values:
        raise ValidationError(_("Unknown attendance status."))
    reason = reason.strip()
    if status == Attendance.Status.LEAVE and not reason:
        raise ValidationError({"reason": _("Leave needs a reason.")})
    if status != Attendance.Status.LEAVE:
        reason = ""
    row = _locked_row(session, teacher)
    if row is None:
        row = Attendance(
            session=session,
            teacher=teacher,
            status=status,
            reason=reason,
            method=method,
            signed_in_at=signed_in_at,
            recorded_by=by if by and by.is_authenticated else None,
        )
        try:
            with transaction.atomic():  # two scans at once: the second finds the first's row
                row.save()
        except IntegrityError:
            row = _locked_row(session, teacher)
        else:
            ledger_sync(attendance=row, by=row.recorded_by)
            return row, True
    if keep_better and row.status != Attendance.Status.ABSENT:
        return row, False
    if row.status == status and row.reason == reason:
        return row, False
    row.status, row.reason, row.method = status, reason, method
    row.signed_in_at = row.signed_in_at or signed_in_at
    row.recorded_by = by if by and by.is_authenticated else row.recorded_by
    row.save()
    ledger_sync(attendance=row, by=row.recorded_by)
    return row, True


def register_editable(*, session: Session, by) -> bool:
    return Session.objects.editable_by(by).filter(pk=session.pk).exists()


@transaction.atomic
def register_mark(
    *, session: Session, teacher: Teacher, status: str, by, reason: str = ""
) -> Attendance:
    """The organiser ticks one line of the register."""
    if not register_editable(session=session, by=by):
        raise PermissionDenied
    if not session.programme.enrolments.filter(teacher=teacher).exists():
        raise ValidationError(_("This teacher is not enrolled in the programme."))
    if session.date > timezone.localdate():
        raise ValidationError(_("The register opens on the day of the session."))
    row, changed = attendance_record(
        session=session,
        teacher=teacher,
        status=status,
        method=Attendance.Method.REGISTER,
        by=by,
        reason=reason,
    )
    if changed:
        places_review(programme=session.programme)
    return row
