"""月考核, the monthly check: opened for a school and month, it reads each backbone teacher's
duty completion at the month's end from the duty engine (``duties.duty_statuses`` with that
day as today); the office writes a comment per teacher and releases the check, after which
each teacher reads their own. Releasing reads the duties one last time; a released check no
longer changes."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School, User, school_year_start
from teachers.models import Teacher

from ..duties import DutyState, duty_statuses, tier_designations
from ..models import MonthlyCheck, MonthlyCheckEntry


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _require_manager(by: User, school_id: int) -> None:
    if not by.scope.can_manage_school(school_id):
        raise PermissionDenied(_("Only the principal or training office can do this."))


def _locked(check: MonthlyCheck) -> MonthlyCheck:
    locked = MonthlyCheck.objects.select_for_update(of=("self",)).get(pk=check.pk)
    if locked.is_released:
        raise ValidationError(_("This monthly check is released and can no longer change."))
    return locked


def _read(check: MonthlyCheck, today: datetime.date | None) -> None:
    """Every backbone teacher's duties at the month's end (or today, within the month)."""
    today = today or timezone.localdate()
    as_of = min(month_end(check.month), max(today, check.month))
    teachers = list(Teacher.objects.active().filter(school_id=check.school_id))
    backbone = tier_designations(teacher_ids=[t.pk for t in teachers], year=check.year)
    teachers = [t for t in teachers if t.pk in backbone]
    statuses = duty_statuses(teachers=teachers, year=check.year, today=as_of, until=as_of)
    existing = {e.teacher_id: e for e in check.entries.all()}
    check.entries.exclude(teacher_id__in=[t.pk for t in teachers]).delete()
    to_create, to_update = [], []
    for teacher in teachers:
        rows = statuses.get(teacher.pk, [])
        entry = existing.get(teacher.pk) or MonthlyCheckEntry(monthly_check=check, teacher=teacher)
        entry.duties = [
            {
                "kind": s.kind,
                "done": s.done_text,
                "required": s.required_text,
                "status": s.status,
            }
            for s in rows
        ]
        entry.met = sum(1 for s in rows if s.status == DutyState.MET)
        entry.total = len(rows)
        (to_update if entry.pk else to_create).append(entry)
    MonthlyCheckEntry.objects.bulk_create(to_create)
    MonthlyCheckEntry.objects.bulk_update(to_update, ["duties", "met", "total"])
    check.read_at = timezone.now()
    check.save(update_fields=["read_at"])


@transaction.atomic
def monthly_check_open(
    *, school: School, month: datetime.date, by: User, today: datetime.date | None = None
) -> MonthlyCheck:
    """The school's check of ``month``, its duties read now; opening it again reads them again
    (until it is released) and keeps the comments."""
    _require_manager(by, school.pk)
    month = month.replace(day=1)
    if month > (today or timezone.localdate()):
        raise ValidationError(_("A month is checked once it has begun."))
    check, _created = MonthlyCheck.objects.get_or_create(
        school=school,
        month=month,
        defaults={"year": school_year_start(month), "opened_by": by},
    )
    if not check.is_released:
        _read(_locked(check), today)
    return check


@transaction.atomic
def monthly_check_comment(*, check: MonthlyCheck, comments: dict[int, str], by: User) -> int:
    """The office's comments, by entry id; returns how many changed."""
    _require_manager(by, check.school_id)
    check = _locked(check)
    now = timezone.now()
    changed = []
    for entry in check.entries.filter(pk__in=list(comments)):
        text = (comments[entry.pk] or "").strip()
        if text != entry.comment:
            entry.comment, entry.commented_by, entry.commented_at = text, by, now
            entry.full_clean()
            changed.append(entry)
    MonthlyCheckEntry.objects.bulk_update(changed, ["comment", "commented_by", "commented_at"])
    return len(changed)


@transaction.atomic
def monthly_check_release(
    *, check: MonthlyCheck, by: User, today: datetime.date | None = None
) -> MonthlyCheck:
    """Read the duties one last time and show each teacher their own; again: nothing."""
    _require_manager(by, check.school_id)
    current = MonthlyCheck.objects.select_for_update(of=("self",)).get(pk=check.pk)
    if current.is_released:
        return current
    _read(current, today)
    current.released_at, current.released_by = timezone.now(), by
    current.save(update_fields=["released_at", "released_by"])
    return current
