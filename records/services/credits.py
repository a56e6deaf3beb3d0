"""Records that Gugan credits by itself: an app that knows a teacher attended something (the
training app's session register) or won something (a competition's published prize) writes
one verified record per teacher and source key, so the 72/24 meter, the duties, the mentors'
outcomes, the assessment, the dossier and the yearly report read it exactly like a verified
record a teacher logged. Records never imports the crediting app: the source key is an
opaque text such as ``training-session:42`` or ``contest-entry:7``.

Crediting is idempotent: the same teacher and source update the one record (the unique
constraint ``record_credited_once_per_source`` is the backstop against a race), and
withdrawing archives it, so a corrected register or result corrects the record."""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from teachers.models import Teacher

from ..models import AuditEntry, Level, Record, Status, Training
from .workflow import audit_log, period_for


def _existing(model: type[Record], *, teacher: Teacher, source: str) -> Record | None:
    locked = ("self",) if model is Record else ("self", "record_ptr")
    return model.objects.select_for_update(of=locked).filter(teacher=teacher, source=source).first()


@transaction.atomic
def record_credit(
    *, model: type[Record], teacher: Teacher, source: str, values: dict, by=None
) -> Record:
    """The teacher's verified record of kind ``model`` for ``source``, created or brought up
    to date with ``values`` (its fields, ``date`` among them)."""
    if not source:
        raise ValueError("a credited record needs a source key")
    record = _existing(model, teacher=teacher, source=source)
    if record is None:
        record = model(teacher=teacher, source=source, **values)
        record.year, record.semester = period_for(teacher=teacher, day=values["date"])
        now = timezone.now()
        record.status, record.submitted_at, record.verified_at = Status.VERIFIED, now, now
        record.verified_by = by
        try:
            with transaction.atomic():  # a savepoint: a concurrent credit may have won
                record.save()
        except IntegrityError:
            record = _existing(model, teacher=teacher, source=source)
        else:
            audit_log(record=record, actor=by, action=AuditEntry.Action.VERIFIED)
            return record
    changed = {k: v for k, v in values.items() if getattr(record, k) != v}
    if record.status != Status.VERIFIED:
        changed["status"] = Status.VERIFIED
    if not changed:
        return record  # a second scan, a re-import, a republished result: nothing to do
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
def credit_withdraw(*, teacher: Teacher, source: str, by=None) -> bool:
    """The credit for ``source`` no longer counts (the register now says absent, a prize was
    taken back): the record is archived, not deleted, so its trail stays. True when something
    changed."""
    record = _existing(Record, teacher=teacher, source=source)
    if record is None or record.status == Status.ARCHIVED:
        return False
    record.status, record.archived_at = Status.ARCHIVED, timezone.now()
    record.save(update_fields=["status", "archived_at", "updated_at"])
    audit_log(record=record, actor=by, action=AuditEntry.Action.ARCHIVED)
    return True


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
    values = {
        "course": course[:200],
        "date": date,
        "hours": Decimal(hours),
        "school_based": school_based,
        "organiser_level": organiser_level,
    }
    return record_credit(model=Training, teacher=teacher, source=source, values=values, by=by)


training_credit_withdraw = credit_withdraw
