"""The duties grid: backbone teachers × their duties, riskiest teachers first, a page at a
time. The engine (``duties``) computes the rows of the page from their records; the order of
every teacher, the columns and the totals come from counting verified records in the
database (``duty_counts``), so a district's grid does not read every record of the district.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from backbone.models import Designation
from teachers.models import Teacher

from .duties import (
    STATE_RANK,
    DutyState,
    DutyStatus,
    _counted_duties,
    _rank,
    _Setting,
    _setting,
    _statuses,
    backbone_teachers,
    duty_statuses,
    stage_teachers,
    worst_rank,
)
from .models import DutyKind


@dataclass
class GridRow:
    teacher: Teacher
    tier: object | None
    cells: list[DutyStatus | None]
    rank: tuple
    stage_label: str = ""  # a young teacher's growth stage, when the duties are the stage's


@dataclass
class GridOrder:
    """Every teacher of a grid, riskiest first, and what is said above the rows: the duties
    with a column, how many teachers are behind. Plain values, so that it can be cached."""

    teacher_ids: list[int]
    kinds: list[str]
    behind: int

    @property
    def total(self) -> int:
        return len(self.teacher_ids)


@dataclass
class DutyGrid:
    kinds: list[tuple[str, str]]
    rows: list[GridRow]  # every row, or only those of ``page``
    total: int  # backbone teachers on the grid
    behind: int  # ... of whom with a duty at risk or missed
    page: Page | None = None
    order: GridOrder | None = None  # with ``page``: the order the page was cut from


class _Who(NamedTuple):
    pk: int
    school_id: int
    name: str


def _kinds(present: set[str]) -> list[tuple[str, str]]:
    return [(value, label) for value, label in DutyKind.choices if value in present]


def _grid_row(teacher: Teacher, statuses: list[DutyStatus], kinds) -> GridRow:
    by_kind = {s.kind: s for s in statuses}
    template = statuses[0].template if statuses else None
    return GridRow(
        teacher=teacher,
        tier=template.tier if template and template.tier_id else None,
        cells=[by_kind.get(kind) for kind, _label in kinds],
        rank=worst_rank(statuses),
        stage_label=template.get_stage_display() if template and template.stage else "",
    )


def _is_behind(rank: tuple) -> bool:
    return rank[0] <= STATE_RANK[DutyState.AT_RISK]


def _grid_teachers(*, user, year: int, school, tier, group, stage=None) -> QuerySet:
    visible = Teacher.objects.filter(user.scope.school_filter())
    if stage:
        teachers = stage_teachers(year=year, teachers=visible, stage=stage)
    else:
        teachers = backbone_teachers(year=year, teachers=visible)
    if school is not None:
        teachers = teachers.filter(school=school)
    if group is not None:
        teachers = teachers.filter(group=group)
    if tier is not None:
        teachers = teachers.filter(
            pk__in=Designation.objects.filter(
                tier=tier, first_year__lte=year, last_year__gte=year
            ).values("teacher_id")
        )
    return teachers


def _grid_order(
    teachers: QuerySet, *, year: int, semester, tier, today, risky: dict | None = None
) -> tuple[GridOrder, _Setting | None]:
    """The order of every teacher, from counting their verified records in the database
    (``duty_counts``): the engine reads no record of theirs. ``risky``, when given, gets each
    teacher's name and duties missed or at risk: {teacher id: (name, [duty kinds])}."""
    found = list(teachers.values_list("pk", "school_id", "school__district_id", "name"))
    people = [_Who(pk, school_id, name) for pk, school_id, _district, name in found]
    districts = {school_id: district_id for _pk, school_id, district_id, _name in found}
    setting = _setting(teachers=people, year=year, school_district=districts) if people else None
    counted = (
        _counted_duties(setting, people, semester=semester, today=today)
        if setting
        else ((p, []) for p in people)
    )
    ranked, present = [], set()
    for person, duties in counted:
        # With a tier chosen: the tier the engine picked may be a higher one.
        if tier is None or (duties and duties[0].template.tier_id == tier.pk):
            ranked.append((_rank([STATE_RANK[d.status] for d in duties]), person.name, person.pk))
            present.update(d.kind for d in duties)
            if risky is not None:
                risky[person.pk] = (person.name, [d.kind for d in duties if d.status in _RISKY])
    ranked.sort(key=lambda item: item[:2])  # stable: as backbone_teachers orders ties
    order = GridOrder(
        teacher_ids=[pk for _rank_, _name, pk in ranked],
        kinds=[kind for kind, _label in _kinds(present)],
        behind=sum(1 for rank, _name, _pk in ranked if _is_behind(rank)),
    )
    return order, setting


_RISKY = {DutyState.MISSED, DutyState.AT_RISK}


@dataclass
class Behind:
    """The teachers behind on their duties, riskiest first, for a to-do list."""

    total: int
    rows: list[tuple[str, list[str]]]  # (name, labels of the duties missed or at risk)


def duties_behind(*, user, year: int, limit: int, today: datetime.date | None = None) -> Behind:
    """Like the grid's order (counted in the database, the same order and the same number
    behind), without reading any record: the first ``limit`` teachers behind and their risky
    duties. The same number of queries however many teachers there are."""
    today = today or timezone.localdate()
    teachers = _grid_teachers(user=user, year=year, school=None, tier=None, group=None)
    risky: dict[int, tuple[str, list[str]]] = {}
    order, _setting_ = _grid_order(
        teachers, year=year, semester=None, tier=None, today=today, risky=risky
    )
    labels = dict(DutyKind.choices)
    rows = [
        (risky[pk][0], [str(labels[kind]) for kind in risky[pk][1]])
        for pk in order.teacher_ids[:limit]
        if risky[pk][1]
    ]
    return Behind(total=order.behind, rows=rows)


def duty_grid(
    *,
    user,
    year: int,
    semester: int | None = None,
    school=None,
    tier=None,
    group=None,
    stage=None,
    today: datetime.date | None = None,
    page=None,
    per_page: int | None = None,
    order: GridOrder | None = None,
) -> DutyGrid:
    """Backbone teachers the user may see × their duties, riskiest teachers first; with
    ``stage``, the young teachers of that growth stage × the stage's duties.

    Without ``per_page``, every row (the export). With it, only the rows of ``page``: the
    engine reads the records of that page's teachers alone, while the order, the columns and
    the totals come from counting every teacher's verified records in the database, in the
    same number of queries however many teachers there are. ``order``: such an order counted
    before (kept a few minutes by the view), so that nothing is counted but the page."""
    today = today or timezone.localdate()
    teachers = _grid_teachers(
        user=user, year=year, school=school, tier=tier, group=group, stage=stage
    )
    if per_page is None:
        return _whole_grid(list(teachers), year=year, semester=semester, tier=tier, today=today)
    setting = None
    if order is None:
        order, setting = _grid_order(teachers, year=year, semester=semester, tier=tier, today=today)
    shown = Paginator(order.teacher_ids, per_page).get_page(page)
    # Through the scoped queryset: a kept order may name a teacher who is no longer shown.
    by_id = teachers.in_bulk(list(shown))
    page_teachers = [by_id[pk] for pk in shown if pk in by_id]
    if setting is None and page_teachers:
        districts = {t.school_id: t.school.district_id for t in page_teachers}
        setting = _setting(teachers=page_teachers, year=year, school_district=districts)
    if setting is None or not page_teachers:
        statuses = {t.pk: [] for t in page_teachers}
    else:
        statuses = _statuses(setting, page_teachers, semester=semester, today=today)
    kinds = _kinds(set(order.kinds))
    shown.object_list = [_grid_row(t, statuses[t.pk], kinds) for t in page_teachers]
    return DutyGrid(
        kinds=kinds,
        rows=list(shown.object_list),
        total=order.total,
        behind=order.behind,
        page=shown,
        order=order,
    )


def _whole_grid(teachers: list[Teacher], *, year, semester, tier, today) -> DutyGrid:
    statuses = duty_statuses(teachers=teachers, year=year, semester=semester, today=today)
    if tier is not None:  # the tier the engine picked may be a higher one
        teachers = [
            t for t in teachers if statuses[t.pk] and statuses[t.pk][0].template.tier_id == tier.pk
        ]
    kinds = _kinds({s.kind for t in teachers for s in statuses[t.pk]})
    rows = [_grid_row(t, statuses[t.pk], kinds) for t in teachers]
    rows.sort(key=lambda row: (row.rank, row.teacher.name))
    return DutyGrid(
        kinds=kinds,
        rows=rows,
        total=len(rows),
        behind=sum(1 for row in rows if _is_behind(row.rank)),
    )
