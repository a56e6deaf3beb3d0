"""Collective preparation lands on each teacher's record by itself: one verified teaching
design (records.Paper of kind 教学设计) per teacher and unit, keyed by the unit's source key,
so agreeing twice or editing a reflection never makes a second one (the records app's
``record_credited_once_per_source`` constraint is the backstop). Records never imports this
app; the key is an opaque text."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from records.models import AuditEntry, Level, Paper, Status
from records.services.workflow import audit_log, period_for
from teachers.models import Teacher


@transaction.atomic
def design_credit(
    *, teacher: Teacher, source: str, title: str, venue: str, date: datetime.date, by
) -> Paper:
    record = (
        Paper.objects.select_for_update(of=("self", "record_ptr"))
        .filter(teacher=teacher, source=source)
        .first()
    )
    values = {"paper_title": title[:200], "venue": venue[:200], "date": date}
    if record is not None:
        changed = {k: v for k, v in values.items() if getattr(record, k) != v}
        if changed or record.status != Status.VERIFIED:
            for name, value in changed.items():
                setattr(record, name, value)
            record.status, record.archived_at = Status.VERIFIED, None
            record.year, record.semester = period_for(teacher=teacher, day=record.date)
            record.save()
            audit_log(record=record, actor=by, action=AuditEntry.Action.UPDATED, changes={})
        return record
    now = timezone.now()
    record = Paper(
        teacher=teacher,
        source=source,
        result_kind=Paper.ResultKind.DESIGN,
        award_level=None,
        status=Status.VERIFIED,
        submitted_at=now,
        verified_at=now,
        verified_by=by,
        **values,
    )
    record.year, record.semester = period_for(teacher=teacher, day=date)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # a concurrent click credited it first
        return Paper.objects.get(teacher=teacher, source=source)
    audit_log(record=record, actor=by, action=AuditEntry.Action.VERIFIED)
    return record


__all__ = ["Level", "design_credit"]
