"""Every write to a record goes through here: drafts, submission, verification, returning,
archiving, and the audit trail that keeps who did what and when."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.models import Semester, school_year_start

from ..models import AuditEntry, Kind, Record, Status


def audit_log(*, record: Record, actor, action: str, changes=None, note: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        record_id=record.pk, actor=actor, action=action, changes=changes or {}, note=note
    )


def period_for(*, teacher, day: datetime.date) -> tuple[int, int | None]:
    """The school year and semester a date falls in, from the district's calendar; outside
    both semesters (holidays) the semester is left empty."""
    year = school_year_start(day)
    semester = (
        Semester.objects.filter(
            school_year__district_id=teacher.school.district_id,
            start_date__lte=day,
            end_date__gte=day,
        )
        .values_list("number", flat=True)
        .first()
    )
    return year, semester


def _field_values(record: Record) -> dict:
    values = {}
    for field in record._meta.concrete_fields:
        if field.name in {"status", "updated_at", "created_at", "title", "kind"} or isinstance(
            field, models.OneToOneField
        ):
            continue
        value = getattr(record, field.attname)
        values[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return {k: (str(v) if not isinstance(v, (int, float, str, bool, type(None))) else v)
            for k, v in values.items()}  # fmt: skip


@transaction.atomic
def record_save(*, record: Record, by) -> Record:
    """Create or update a record as its author; the audit trail keeps what changed."""
    if record.teacher.user_id is None or record.teacher.user_id != by.pk:
        raise PermissionDenied  # teachers log their own records; others verify them
    if record.pk is not None:
        current = Record.objects.select_for_update().get(pk=record.pk)
        if current.status not in (Status.DRAFT, Status.RETURNED):
            raise ValidationError(
                _("This record is %(status)s and can no longer be changed.")
                % {"status": current.get_status_display()}
            )
        before = _field_values(type(record).objects.get(pk=record.pk))
    else:
        before = None
    if record.date:
        record.year, record.semester = period_for(teacher=record.teacher, day=record.date)
    # Each kind derives its title from its own fields in save(); it is empty until then.
    record.full_clean(exclude=["title"])
    record.save()
    # Read back what was stored, so "6" and "6.0" or a date and its string compare equal.
    after = _field_values(type(record).objects.get(pk=record.pk))
    if before is None:
        audit_log(record=record, actor=by, action=AuditEntry.Action.CREATED)
    else:
        changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
        if changes:
            audit_log(record=record, actor=by, action=AuditEntry.Action.UPDATED, changes=changes)
    return record


@transaction.atomic
def record_create_trusted(*, record: Record, actor=None) -> Record:
    """Create a record for a trusted caller (demo data, data migrations) without the author
    check: most demo teachers have no login to act as. The audit trail still starts."""
    record.year, record.semester = period_for(teacher=record.teacher, day=record.date)
    record.save()
    audit_log(record=record, actor=actor, action=AuditEntry.Action.CREATED)
    return record


def _transition(record: Record, *, allowed_from, to: str, **fields) -> bool:
    """Move a record between states with one conditional UPDATE: a second click or a second
    tab finds the state already changed and does nothing. Without a change, ``record`` is
    refreshed, so the caller judges the state the database holds, not a stale copy."""
    updated = Record.objects.filter(pk=record.pk, status__in=allowed_from).update(
        status=to, **fields
    )
    if updated:
        record.status = to
        for name, value in fields.items():
            setattr(record, name, value)
    else:
        record.refresh_from_db(fields=["status", "return_reason", *fields])
    return bool(updated)


def _not_yet_held(record: Record) -> bool:
    """A record dated after today is planned: it cannot be submitted nor verified yet. A
    self-development plan is dated within its term and is always submittable."""
    return record.kind != Kind.PLAN and record.date > timezone.localdate()


def _refuse_planned(record: Record, message) -> None:
    if _not_yet_held(record):
        raise ValidationError(
            message % {"title": record.title, "date": formats.date_format(record.date)}
        )


@transaction.atomic
def record_submit(*, record: Record, by) -> Record:
    """Send a record for verification. An open class that has not happened yet is announced
    as planned instead (on the calendar, open for sign-ups) and is submitted once held; any
    other record dated after today stays a draft."""
    if record.teacher.user_id != by.pk:
        raise PermissionDenied
    if _not_yet_held(record):
        if record.kind != Kind.OPEN_CLASS:
            _refuse_planned(
                record,
                _(
                    "“%(title)s” takes place on %(date)s, after today: it is planned and kept "
                    "as a draft. Submit it once it has taken place."
                ),
            )
        if _transition(record, allowed_from=[Status.DRAFT, Status.RETURNED], to=Status.PLANNED):
            audit_log(record=record, actor=by, action=AuditEntry.Action.PLANNED)
        elif record.status != Status.PLANNED:
            raise ValidationError(_("Only drafts and returned records can be submitted."))
        return record
    if not _transition(
        record,
        allowed_from=[Status.DRAFT, Status.RETURNED, Status.PLANNED],
        to=Status.SUBMITTED,
        submitted_at=timezone.now(),
    ):
        if record.status == Status.SUBMITTED:
            return record  # a second click
        raise ValidationError(_("Only drafts and returned records can be submitted."))
    audit_log(record=record, actor=by, action=AuditEntry.Action.SUBMITTED)
    return record


@transaction.atomic
def record_withdraw(*, record: Record, by) -> Record:
    """The author takes back a submitted (or planned) record nobody has verified yet: it is a
    draft again, to change and submit anew. The audit trail keeps the withdrawal."""
    if record.teacher.user_id is None or record.teacher.user_id != by.pk:
        raise PermissionDenied
    if not _transition(
        record, allowed_from=[Status.SUBMITTED, Status.PLANNED], to=Status.DRAFT, submitted_at=None
    ):
        if record.status == Status.DRAFT:
            return record  # a second click
        raise ValidationError(
            _("This record is %(status)s: only records awaiting verification can be withdrawn.")
            % {"status": record.get_status_display()}
        )
    audit_log(record=record, actor=by, action=AuditEntry.Action.WITHDRAWN)
    return record


def _require_verifier(record: Record, by) -> None:
    if not Record.objects.verifiable_by(by).filter(pk=record.pk).exists():
        raise PermissionDenied


@transaction.atomic
def record_verify(*, record: Record, by) -> Record:
    _require_verifier(record, by)
    _refuse_planned(
        record,
        _("“%(title)s” takes place on %(date)s: it cannot be verified before it has happened."),
    )
    if not _transition(
        record,
        allowed_from=[Status.SUBMITTED],
        to=Status.VERIFIED,
        verified_at=timezone.now(),
        verified_by=by,
        return_reason="",
    ):
        if record.status == Status.VERIFIED:
            return record  # a second click, or a colleague was quicker
        raise ValidationError(_("Only records awaiting verification can be verified."))
    audit_log(record=record, actor=by, action=AuditEntry.Action.VERIFIED)
    return record


@transaction.atomic
def record_return(*, record: Record, by, reason: str) -> Record:
    _require_verifier(record, by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is returned.")})
    if not _transition(
        record, allowed_from=[Status.SUBMITTED, Status.VERIFIED], to=Status.RETURNED,
        return_reason=reason, verified_at=None, verified_by=None,
    ):  # fmt: skip
        if record.status == Status.RETURNED:
            return record  # a second click: the first reason stands
        raise ValidationError(_("Only submitted or verified records can be returned."))
    audit_log(record=record, actor=by, action=AuditEntry.Action.RETURNED, note=reason)
    return record


@transaction.atomic
def records_verify_bulk(*, records, by) -> int:
    """Verify every record in ``records`` that the user may verify and that awaits it."""
    ids = list(
        Record.objects.verifiable_by(by)
        .filter(pk__in=[r.pk for r in records], status=Status.SUBMITTED)
        .exclude(Q(date__gt=timezone.localdate()) & ~Q(kind=Kind.PLAN))  # not held yet
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    Record.objects.filter(pk__in=ids, status=Status.SUBMITTED).update(
        status=Status.VERIFIED, verified_at=now, verified_by=by, return_reason=""
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(record_id=pk, actor=by, action=AuditEntry.Action.VERIFIED) for pk in ids
    )
    return len(ids)


@transaction.atomic
def record_archive(*, record: Record, by) -> Record:
    """ "Deleting" a record archives it: the record and its files are kept, out of sight.
    The author may archive a draft or a returned record; the school's managers any record."""
    if Record.objects.verifiable_by(by).filter(pk=record.pk).exists():
        allowed_from = [s for s in Status.values if s != Status.ARCHIVED]
    elif record.teacher.user_id == by.pk:
        allowed_from = [Status.DRAFT, Status.RETURNED]
    else:
        raise PermissionDenied
    if not _transition(
        record, allowed_from=allowed_from, to=Status.ARCHIVED, archived_at=timezone.now()
    ):
        if record.status == Status.ARCHIVED:
            return record  # a second click
        raise ValidationError(
            _("Only drafts and returned records can be archived by their author.")
        )
    audit_log(record=record, actor=by, action=AuditEntry.Action.ARCHIVED)
    return record
