"""Importing the sign-in sheet a school's attendance app exports (xlsx or csv with 姓名, 工号
or 手机, 签到时间) into a session's register: all rows valid, or nothing written. The file is
read by core.tabular, as the roster is. Every row becomes a sign-in through the ledger, so a
re-import changes nothing and nobody is credited twice."""

import contextlib
import datetime
import re
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import Row, RowError, RowErrors, Table, cell_text, parse_date, read_table
from teachers.models import Teacher

from .ledger import attendance_record
from .models import Attendance, Session
from .rules import places_review
from .signin import LATE_AFTER

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name"),
    "staff_no": ("工号", "staff_no", "staff no", "staff number"),
    "phone": ("手机", "手机号", "phone", "mobile phone"),
    "signed_in_at": ("签到时间", "signed_in_at", "sign-in time", "time"),
}
REQUIRED = ("name", "signed_in_at")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass
class AttendanceImportResult:
    errors: RowErrors = field(default_factory=RowErrors)
    signed_in: int = 0  # new or changed lines
    unchanged: int = 0
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def total(self) -> int:
        return self.signed_in + self.unchanged


def _signed_in_at(value, day: datetime.date) -> datetime.datetime:
    """签到时间 as an Excel date-time or time, "2025-10-15 14:03", "2025/10/15 14:03:20", or a
    bare "14:03" (the session's day)."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.time):
        moment = datetime.datetime.combine(day, value)
    else:
        text = cell_text(value)
        match = _TIME.search(text)
        if not match:
            raise ValueError(text)
        date_part = text[: match.start()].strip()
        hour, minute, second = (int(g or 0) for g in match.groups())
        moment = datetime.datetime.combine(
            parse_date(date_part) if date_part else day, datetime.time(hour, minute, second)
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _teacher_pool(session: Session):
    programme = session.programme
    teachers = Teacher.objects.all()
    if programme.school_id:
        return teachers.filter(school_id=programme.school_id)
    return teachers.filter(school__district_id=programme.district_id)


def _match(row: Row, pool, errors: dict[str, str]) -> Teacher | None:
    staff_no, phone, name = row.text("staff_no"), row.text("phone"), row.text("name")
    if staff_no:
        key, found = "staff_no", [t for t in pool["staff_no"].get(staff_no, [])]
    elif phone:
        key, found = "phone", [t for t in pool["phone"].get(re.sub(r"\D", "", phone), [])]
    else:
        errors["staff_no"] = _("Give the staff number (工号) or the mobile phone (手机).")
        return None
    if not found:
        errors[key] = _("No teacher with %(value)s.") % {"value": staff_no or phone}
        return None
    if len(found) > 1:
        errors[key] = _("%(value)s matches several teachers: give the other column too.") % {
            "value": staff_no or phone
        }
        return None
    teacher = found[0]
    if name and name != teacher.name:
        errors["name"] = _("The name does not match %(value)s (%(name)s).") % {
            "value": staff_no or phone,
            "name": teacher.name,
        }
        return None
    return teacher


def _index(session: Session) -> dict[str, dict[str, list[Teacher]]]:
    by_staff_no: dict[str, list[Teacher]] = {}
    by_phone: dict[str, list[Teacher]] = {}
    for teacher in _teacher_pool(session):
        by_staff_no.setdefault(teacher.staff_no, []).append(teacher)
        if teacher.phone:
            by_phone.setdefault(re.sub(r"\D", "", teacher.phone), []).append(teacher)
    return {"staff_no": by_staff_no, "phone": by_phone}


def _column(table: Table, key: str) -> str:
    return table.headers.get(key) or COLUMNS[key][0] if key else ""


def _plan(session: Session, table: Table, result: AttendanceImportResult):
    pool = _index(session)
    enrolled = set(session.programme.enrolments.values_list("teacher_id", flat=True))
    start = datetime.datetime.combine(
        session.date, session.starts_at, tzinfo=timezone.get_current_timezone()
    )
    seen: dict[int, int] = {}
    planned = []
    for row in table.rows:
        errors = dict(row.problems)
        teacher = _match(row, pool, errors)
        try:
            moment = _signed_in_at(row.get("signed_in_at"), session.date)
        except ValueError:
            errors["signed_in_at"] = _("Not a time: write 2025-10-15 14:03 or 14:03.")
        else:
            if timezone.localdate(moment) != session.date:
                errors["signed_in_at"] = _("The session was on %(date)s.") % {
                    "date": session.date.isoformat()
                }
        if teacher is not None and not errors:
            if teacher.pk not in enrolled:
                errors["name"] = _("%(name)s is not enrolled in the programme.") % {
                    "name": teacher.name
                }
            elif teacher.pk in seen:
                errors["name"] = _("%(name)s already appears in row %(row)d.") % {
                    "name": teacher.name,
                    "row": seen[teacher.pk],
                }
            else:
                seen[teacher.pk] = row.number
        if errors:
            order = list(COLUMNS)
            result.errors.extend(
                RowError(row.number, _column(table, key), errors[key])
                for key in sorted(errors, key=order.index)
            )
            continue
        late = moment > start + LATE_AFTER
        status = Attendance.Status.LATE if late else Attendance.Status.PRESENT
        planned.append((teacher, status, moment))
    return planned


def attendance_import(
    *, session: Session, fileobj: IO[bytes], filename: str, by=None, dry_run: bool = False
) -> AttendanceImportResult:
    """Raises core.tabular.TableError when the file cannot be read at all."""
    table = read_table(fileobj, filename, COLUMNS, required=REQUIRED)
    result = AttendanceImportResult(errors=RowErrors(table.errors), dry_run=dry_run)
    if result.errors:
        return result
    if not table.rows:
        result.errors.append(RowError(2, "", _("The file has no rows below the header.")))
        return result
    if not table.has("staff_no") and not table.has("phone"):
        result.errors.append(RowError(1, "", _("The file needs a 工号 or a 手机 column.")))
        return result
    atomic = contextlib.nullcontext() if dry_run else transaction.atomic()
    with atomic:
        if not dry_run:
            Session.objects.select_for_update().get(pk=session.pk)  # one import at a time
        planned = _plan(session, table, result)
        if not result.ok:
            return result
        existing = {
            a.teacher_id: a for a in session.attendances.filter(teacher__in=[p[0] for p in planned])
        }
        for teacher, status, moment in planned:
            line = existing.get(teacher.pk)
            if line is not None and line.status != Attendance.Status.ABSENT:
                result.unchanged += 1
                continue
            result.signed_in += 1
            if not dry_run:
                attendance_record(
                    session=session,
                    teacher=teacher,
                    status=status,
                    method=Attendance.Method.IMPORT,
                    by=by,
                    signed_in_at=moment,
                    keep_better=True,
                )
        if result.signed_in and not dry_run:
            places_review(programme=session.programme)
    return result
