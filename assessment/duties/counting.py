"""What a teacher's records, pairings, duty report and hours bring to one duty over one
window, and the status that follows. Only verified records count; submitted ones are counted
apart as pending.
"""

import datetime
import functools
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast

from mentoring.models import Pairing
from records.models import Kind, OpenClass, Paper, Record, ResearchProject, Status

from ..models import DutyKind, DutyTemplate
from .periods import _Window
from .requirements import DUTY_RECORD_KINDS
from .state import ZERO, DutyStatus, duty_state, elapsed_share

RESEARCH_CLASS = OpenClass.ClassKind.RESEARCH
WRITINGS = (Paper.ResultKind.PAPER, Paper.ResultKind.CASE)


def _record_matches(template: DutyTemplate, row: dict) -> bool:
    kind, level = template.kind, template.min_level
    if row["kind"] != DUTY_RECORD_KINDS.get(kind):
        return False
    if kind in (DutyKind.OPEN_CLASS, DutyKind.RESEARCH_CLASS):
        if kind == DutyKind.RESEARCH_CLASS and row["openclass_class_kind"] != RESEARCH_CLASS:
            return False
        return level is None or (row["openclass_level"] or 0) >= level
    if kind == DutyKind.WRITING:  # written is enough: a young teacher's paper or case
        return row["paper_result_kind"] in WRITINGS
    if kind == DutyKind.PAPER:
        if row["paper_progress"] not in (Paper.Progress.PUBLISHED, Paper.Progress.AWARDED):
            return False
        return level is None or (row["paper_award_level"] or 0) >= level
    if kind == DutyKind.COURSEWARE:
        return row["paper_result_kind"] == Paper.ResultKind.COURSEWARE
    if kind in (DutyKind.PROJECT, DutyKind.PROJECT_LED):
        if kind == DutyKind.PROJECT_LED and row["researchproject_role"] != (
            ResearchProject.Role.LEADER
        ):
            return False
        return level is None or (row["researchproject_level"] or 0) >= level
    return True


def _in_window(row: dict, window: _Window) -> bool:
    first, last = window.years
    if not first <= row["year"] <= last:
        return False
    return window.semester is None or row["semester"] == window.semester


# What _record_matches reads from a kind's own table, under names without "__".
_OWN_FIELDS = {
    "openclass__level": models.PositiveSmallIntegerField(),
    "openclass__class_kind": models.TextField(),
    "paper__progress": models.TextField(),
    "paper__award_level": models.PositiveSmallIntegerField(),
    "paper__result_kind": models.TextField(),
    "researchproject__role": models.TextField(),
    "researchproject__level": models.PositiveSmallIntegerField(),
}
_OWN_TABLE = {Kind.OPEN_CLASS: "openclass", Kind.PAPER: "paper", Kind.PROJECT: "researchproject"}


def _records(
    teacher_ids: list[int], first_year: int, last_year: int, until: datetime.date | None = None
) -> dict[int, dict]:
    """teacher id -> record kind -> the teacher's verified and submitted records of that
    kind a duty may count, oldest first. One query, in parts by kind: a kind with a table of
    its own is joined to it alone, so only that kind's records are looked up there (one join
    for all would read every open class, paper and project of the district)."""
    rows = Record.objects.filter(
        teacher_id__any=teacher_ids,
        year__gte=first_year,
        year__lte=last_year,
        status__in=[Status.VERIFIED, Status.SUBMITTED],
    ).order_by()
    if until is not None:  # a past month's check counts what was done by its end
        rows = rows.filter(date__lte=until)
    fields = ("pk", "teacher_id", "kind", "year", "semester", "status", "date")

    def part(kinds, table=None):
        own = {  # typed NULLs for the other tables' fields: the parts' columns must match
            name.replace("__", "_"): (
                F(name) if name.startswith(f"{table}__") else Cast(Value(None), field)
            )
            for name, field in _OWN_FIELDS.items()
        }
        return rows.filter(kind__in=kinds).values(*fields, **own)

    plain = set(DUTY_RECORD_KINDS.values()) - _OWN_TABLE.keys()
    parts = [part(plain)] + [part([kind], table) for kind, table in _OWN_TABLE.items()]
    by_teacher: dict[int, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in parts[0].union(*parts[1:], all=True).order_by("date", "pk"):
        by_teacher[row["teacher_id"]][row["kind"]].append(row)
    return by_teacher


def _pairings(teacher_ids: list[int]) -> dict[int, list[dict]]:
    rows = Pairing.objects.filter(
        mentor_id__any=teacher_ids,
        status__in=[Pairing.Status.PROPOSED, Pairing.Status.ACTIVE, Pairing.Status.COMPLETED],
    ).values("mentor_id", "apprentice_id", "status", "start_date", "end_date")
    by_mentor = defaultdict(list)
    for row in rows:
        by_mentor[row["mentor_id"]].append(row)
    return by_mentor


def _count(template, window, *, records, pairings, report_submitted, hours) -> dict:
    """done, pending and the record ids behind them, for one teacher and duty."""
    if template.kind == DutyKind.MENTORING:
        done, pending = set(), set()
        for p in pairings:
            if p["start_date"] > window.end or p["end_date"] < window.start:
                continue
            target = pending if p["status"] == Pairing.Status.PROPOSED else done
            target.add(p["apprentice_id"])
        return {"done": Decimal(len(done)), "pending": Decimal(len(pending - done))}
    if template.kind == DutyKind.DUTY_REPORT:
        return {"done": Decimal(int(report_submitted)), "pending": ZERO}
    verified, waiting = [], []
    for row in records:
        if _in_window(row, window) and _record_matches(template, row):
            (verified if row["status"] == Status.VERIFIED else waiting).append(row["pk"])
    if template.kind == DutyKind.TRAINING_HOURS:
        return {
            "done": hours.total,
            "pending": hours.pending,
            "school_based": hours.school_based,
            "school_based_exempt": hours.school_based_exempt,
            "record_ids": verified,
            "pending_ids": waiting,
        }
    return {
        "done": Decimal(len(verified)),
        "pending": Decimal(len(waiting)),
        "record_ids": verified,
        "pending_ids": waiting,
    }


@functools.lru_cache(maxsize=4096)
def _judge(
    required: Decimal,
    done: Decimal,
    school_based: Decimal | None,
    min_school_based: Decimal | None,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
) -> tuple[Decimal, str, Fraction]:
    """(missing, status, elapsed) of one duty over one window. A pure function of a few
    numbers and dates that recur from teacher to teacher, so its results are kept."""
    missing = max(ZERO, required - done)
    progress = Fraction(done) / Fraction(required) if required > 0 else Fraction(1)
    if school_based is not None and min_school_based:
        missing = max(missing, min_school_based - school_based)
        progress = min(progress, Fraction(school_based) / Fraction(min_school_based))
    elapsed = elapsed_share(start, end, today)
    status = duty_state(progress=progress, elapsed=elapsed, period_over=today > end)
    return missing, status, elapsed


def _status(template, window, counted: dict, today: datetime.date) -> DutyStatus:
    required = template.required * window.factor
    school_based = counted.get("school_based")
    # Exempted for the year (long-cycle training, records.hours): the total still counts.
    min_school_based = None if counted.get("school_based_exempt") else template.min_school_based
    missing, status, elapsed = _judge(
        required,
        counted["done"],
        school_based,
        min_school_based,
        window.start,
        window.end,
        today,
    )
    return DutyStatus(
        template=template,
        required=required,
        done=counted["done"],
        pending=counted["pending"],
        missing=missing,
        status=status,
        period_key=window.key,
        period_start=window.start,
        period_end=window.end,
        elapsed=elapsed,
        record_ids=counted.get("record_ids", []),
        pending_ids=counted.get("pending_ids", []),
        school_based=school_based,
        min_school_based=min_school_based if school_based is not None else None,
    )
