"""The platform's xlsx export (or csv) imported like a push: every row becomes an entry checked
by api.bureau.entries, and all rows are written or none. The file is read as a stream within
the import limits by core.tabular, as every import is; problems name the row and column."""

import datetime
from typing import IO

from django.utils.translation import gettext as _

from core.import_jobs import Action, ImportResult, column_name, import_table
from core.tabular import Row, RowError, cell_text, parse_date

from .entries import CREATED, UPDATED, hours_check, hours_write

COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("记录编号", "external_id", "学时编号", "record id", "id"),
    "school": ("学校代码", "school", "school code", "单位代码"),
    "staff_no": ("工号", "staff_no", "staff no", "staff number"),
    "name": ("姓名", "name"),
    "course": ("培训项目", "course", "课程名称", "培训名称"),
    "date": ("培训日期", "date", "日期"),
    "hours": ("学时", "hours", "学时数"),
    "school_based": ("校本培训", "school_based", "school-based"),
    "organiser_level": ("级别", "organiser_level", "培训级别", "level"),
}
REQUIRED = ("external_id", "school", "staff_no", "course", "date", "hours")
YES = {"是", "y", "yes", "true", "1", "校本"}
NO = {"否", "n", "no", "false", "0", ""}
LEVELS = {
    "校级": "school",
    "区级": "district",
    "县级": "district",
    "区县级": "district",
    "市级": "municipal",
    "省级": "provincial",
    "国家级": "national",
}


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return parse_date(value).isoformat()
    except ValueError:
        return cell_text(value)  # the entry's check says what is wrong with it


def _entry(row: Row) -> dict:
    """The row as the push sends an entry."""
    entry = {key: row.text(key) for key in ("external_id", "school", "staff_no", "name", "course")}
    entry["date"] = _date(row.get("date"))
    hours = row.get("hours")
    entry["hours"] = str(hours) if isinstance(hours, int | float) else row.text("hours")
    based = row.text("school_based").lower()
    entry["school_based"] = True if based in YES else False if based in NO else based
    level = row.text("organiser_level")
    if level:
        entry["organiser_level"] = LEVELS.get(level, level.lower())
    return entry


def bureau_hours_import(
    *, user, fileobj: IO[bytes], filename: str, dry_run: bool = False
) -> ImportResult:
    """Raises core.tabular.TableError when the file cannot be read at all."""
    result = ImportResult(dry_run=dry_run)
    table = import_table(result, fileobj, filename, COLUMNS, required=REQUIRED)
    if not result.ok:
        return result
    for row in table.rows:  # cells the reader refused (too long, control characters)
        for key, message in row.problems.items():
            result.errors.append(RowError(row.number, column_name(table, key, COLUMNS), message))
    if not result.ok:
        return result
    checked = hours_check(user=user, entries=[_entry(row) for row in table.rows])
    order = list(COLUMNS)
    for row, errors in zip(table.rows, checked.errors, strict=True):
        for key in sorted(errors, key=lambda k: order.index(k) if k in order else 0):
            for message in errors[key]:
                result.errors.append(
                    RowError(row.number, column_name(table, key, COLUMNS), message)
                )
    if not result.ok:
        return result
    if not dry_run:
        hours_write(checked=checked, by=user)
    for planned in checked.planned:
        result.count({CREATED: Action.CREATE, UPDATED: Action.UPDATE}.get(planned.action, ""))
    return result


def summary(result: ImportResult) -> str:
    values = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    text = _("%(created)d new, %(updated)d corrected, %(unchanged)d unchanged.") % values
    if result.dry_run:
        return _("Every row is valid, nothing written yet: %(summary)s") % {"summary": text}
    return text
