"""Counting in the database. A district's grid shows fifty teachers a page, riskiest first: the
order needs every teacher's statuses, but not their records. Verified records are counted per
teacher and duty in the database; the status rule (``_status``) is the engine's own.
"""

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from records.hours import exemption_exists
from records.models import Kind, Paper, Record, ResearchProject, Status, Training

from ..models import DutyKind, DutyTemplate
from .counting import RESEARCH_CLASS, WRITINGS, _count, _judge
from .engine import _Setting, _setting
from .periods import _Window
from .requirements import DUTY_RECORD_KINDS


def _at_least(field_name: str, level) -> Q:
    """``(value or 0) >= level``, as _record_matches reads a level. Levels are never negative,
    so no level, or a level of 0, asks nothing."""
    return Q(**{f"{field_name}__gte": level}) if level is not None and level > 0 else Q()


def _record_q(template: DutyTemplate) -> Q:
    """_record_matches as a filter on records: keep the two side by side."""
    kind, level = template.kind, template.min_level
    q = Q(kind=DUTY_RECORD_KINDS[kind])
    if kind in (DutyKind.OPEN_CLASS, DutyKind.RESEARCH_CLASS):
        if kind == DutyKind.RESEARCH_CLASS:
            q &= Q(openclass__class_kind=RESEARCH_CLASS)
        return q & _at_least("openclass__level", level)
    if kind == DutyKind.WRITING:
        return q & Q(paper__result_kind__in=WRITINGS)
    if kind == DutyKind.PAPER:
        published = Q(paper__progress__in=[Paper.Progress.PUBLISHED, Paper.Progress.AWARDED])
        return q & published & _at_least("paper__award_level", level)
    if kind == DutyKind.COURSEWARE:
        return q & Q(paper__result_kind=Paper.ResultKind.COURSEWARE)
    if kind in (DutyKind.PROJECT, DutyKind.PROJECT_LED):
        if kind == DutyKind.PROJECT_LED:
            q &= Q(researchproject__role=ResearchProject.Role.LEADER)
        return q & _at_least("researchproject__level", level)
    return q


def _window_q(window: _Window) -> Q:
    """_in_window as a filter on records."""
    first, last = window.years
    q = Q(year__gte=first, year__lte=last)
    return q if window.semester is None else q & Q(semester=window.semester)


def _column(template: DutyTemplate, window: _Window) -> tuple:
    return (template.kind, template.min_level, window.years, window.semester)


def _counted_in_db(setting: _Setting, duties: dict[int, list]) -> tuple[dict, dict]:
    """(column of each duty and window, teacher id -> counts): every teacher's verified
    records per duty and window, and verified training hours of the year, in one query that
    returns a row per teacher (``_records`` reads every record instead)."""
    columns: dict[tuple, str] = {}
    aggregates: dict = {}
    wanted: set[tuple] = set()  # (record kind, years): only these rows are read
    for pairs in duties.values():
        for template, window in pairs:
            if template.kind == DutyKind.TRAINING_HOURS:
                if "verified_hours" not in aggregates:
                    # As hours_for_teachers: every training of the year, whatever the window.
                    year = Q(kind=Kind.TRAINING, year=setting.year)
                    # A subquery, not a join: looked up for the year's trainings only, where
                    # a join would read every training of every teacher.
                    hours = Training.objects.filter(record_ptr_id=OuterRef("pk")).order_by()
                    aggregates["verified_hours"] = Sum(Subquery(hours.values("hours")), filter=year)
                    aggregates["verified_school_based"] = Sum(
                        Subquery(hours.filter(school_based=True).values("hours")), filter=year
                    )
                    aggregates["school_based_exempt"] = exemption_exists(
                        teacher=OuterRef("teacher_id"), year=setting.year
                    )
                    wanted.add((Kind.TRAINING, (setting.year, setting.year)))
            elif template.kind in DUTY_RECORD_KINDS:
                key = _column(template, window)
                if key not in columns:
                    columns[key] = alias = f"n{len(columns)}"
                    aggregates[alias] = Count("pk", filter=_record_q(template) & _window_q(window))
                    wanted.add((DUTY_RECORD_KINDS[template.kind], window.years))
    if not aggregates:
        return columns, {}
    rows_wanted = Q()
    for kind, (first, last) in sorted(wanted):
        rows_wanted |= Q(kind=kind, year__gte=first, year__lte=last)
    rows = (
        Record.objects.filter(
            rows_wanted,
            teacher_id__any=[pk for pk, pairs in duties.items() if pairs],
            # All the years asked for again: the (teacher, year, kind) index reads only them.
            year__gte=min(first for _kind, (first, _last) in wanted),
            year__lte=max(last for _kind, (_first, last) in wanted),
            status=Status.VERIFIED,
        )
        .order_by()
        .values("teacher_id")
        .annotate(**aggregates)
    )
    return columns, {row["teacher_id"]: row for row in rows}


class CountedDuty(NamedTuple):
    """One duty of one teacher as the grid orders and counts it."""

    template: DutyTemplate
    done: Decimal
    school_based: Decimal | None
    status: str

    @property
    def kind(self) -> str:
        return self.template.kind


def _counted_duties(
    setting: _Setting, teachers: list, *, semester: int | None, today: datetime.date
) -> Iterator[tuple[object, list[CountedDuty]]]:
    """(teacher, their duties counted in the database) for each teacher, one at a time: a
    district's grid keeps only each teacher's rank, not 5,000 counted duties."""
    duties = {t.pk: setting.duties(t, semester=semester, today=today) for t in teachers}
    columns, counts = _counted_in_db(setting, duties)
    # Teachers share their templates and windows: what to read for each pair is found once.
    plans: dict[tuple[int, int], tuple] = {}
    for teacher in teachers:
        row = counts.get(teacher.pk, {})
        found = []
        for template, window in duties[teacher.pk]:
            plan = plans.get((id(template), id(window)))
            if plan is None:
                column = None
                if template.kind in DUTY_RECORD_KINDS:
                    column = columns.get(_column(template, window))
                required = template.required * window.factor
                plan = (column, required, template.min_school_based, window.start, window.end)
                plans[(id(template), id(window))] = plan
            column, required, min_school_based, start, end = plan
            school_based = None
            if template.kind == DutyKind.TRAINING_HOURS:
                done = Decimal(row.get("verified_hours") or 0)
                school_based = Decimal(row.get("verified_school_based") or 0)
                if row.get("school_based_exempt"):
                    min_school_based = None  # long-cycle training (records.hours)
            elif column is not None:
                done = Decimal(row.get(column) or 0)
            else:  # mentoring and the duty report are not records: the engine's own count
                done = _count(
                    template,
                    window,
                    records=(),
                    pairings=setting.pairings.get(teacher.pk, ()),
                    report_submitted=teacher.pk in setting.reported,
                    hours=None,
                )["done"]
            status = _judge(required, done, school_based, min_school_based, start, end, today)[1]
            found.append(CountedDuty(template, done, school_based, status))
        yield teacher, found


def duty_counts(
    *,
    teachers: Iterable | QuerySet,
    year: int,
    semester: int | None = None,
    today: datetime.date | None = None,
) -> dict[int, list[CountedDuty]]:
    """teacher id -> each duty's verified count and status, counted in the database, in the
    order of duty_statuses; what the grid orders and totals by. It must agree with
    duty_statuses, which reads the records themselves."""
    today = today or timezone.localdate()
    teachers = list(teachers)
    setting = _setting(teachers=teachers, year=year) if teachers else None
    if setting is None:
        return {t.pk: [] for t in teachers}
    counted = _counted_duties(setting, teachers, semester=semester, today=today)
    return {teacher.pk: found for teacher, found in counted}
