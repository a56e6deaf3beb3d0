"""Training hours that Gugan credits by itself: an app that knows a teacher attended something
(the training app's session register) writes one verified training record per teacher and
source key, so the 72/24 meter, the duties, the assessment, the dossier and the yearly report
read those hours exactly like verified ones a teacher logged. Records never imports the
crediting app: the source key is an opaque text such as ``training-session:42``.

Crediting is idempotent: the same teacher and source update the one record (the unique
constraint ``record_credited_once_per_source`` is the backstop against a race), and
withdrawing archives it, so a corrected register corrects the hours."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from teachers.models import Teacher

from ..models import AuditEntry, Level, Status, Training
from .workflow import audit_log, period_for


def _existing(*, teacher: Teacher, source: str) -> Training | None:
    return (
        Training.objects.select_for_update(of=("self", "record_ptr"))
        .filter(teacher=teacher, source=source)
        .first()
    )


@transaction.atomic
def training_credit(
    *,
    teacher: Teacher,
    source: str,
    course: str,
    date: datetime.date,
    hours: Decimal,
    school_based: bool,
    organiser_level: int = Level.SCHOOL,
    by=None,
) -> Training:
    """The teacher's verified training record for ``source``, created or brought up to date."""
    if not source:
        raise ValueError("a credited record needs a source key")
    values = {
        "course": course[:200],
        "date": date,
        "hours": Decimal(hours),
        "school_based": school_based,
        "organiser_level": organiser_level,
    }
    record = _existing(teacher=teacher, source=source)
    if record is None:
        record = Training(teacher=teacher, source=source, **values)
        record.year, record.semester = period_for(teacher=teacher, day=date)
        now = timezone.now()
        record.status, record.submitted_at, record.verified_at = Status.VERIFIED, now, now
        record.verified_by = by
        try:
            with transaction.atomic():  # a savepoint: a concurrent credit may have won
                record.save()
        except IntegrityError:
            record = _existing(teacher=teacher, source=source)
        else:
            audit_log(record=record, actor=by, action=AuditEntry.Action.VERIFIED)
            return record
    changed = {k: v for k, v in values.items() if getattr(record, k) != v}
    if record.status != Status.VERIFIED:
        changed["status"] = Status.VERIFIED
    if not changed:
        return record  # a second scan, a re-import, a retried request: nothing to do
    for name, value in changed.items():
        setattr(record, name, value)
    record.year, record.semester = period_for(teacher=teacher, day=record.date)
    record.archived_at = None
    record.save()
    audit_log(
        record=record,
        actor=by,
        action=AuditEntry.Action.VERIFIED,
        changes={k: str(v) for k, v in changed.items()},
    )
    return record


@transaction.atomic
def training_credit_withdraw(*, teacher: Teacher, source: str, by=None) -> bool:
    """The credit for ``source`` no longer counts (the register now says absent): the record is
    archived, not deleted, so its trail stays. True when something changed."""
    record = _existing(teacher=teacher, source=source)
    if record is None or record.status == Status.ARCHIVED:
        return False
    record.status, record.archived_at = Status.ARCHIVED, timezone.now()
    record.save(update_fields=["status", "archived_at", "updated_at"])
    audit_log(record=record, actor=by, action=AuditEntry.Action.ARCHIVED)
    return True
