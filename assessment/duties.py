"""The duties engine: for each backbone teacher and period, what each duty requires, what the
verified records bring, what is missing and how the teacher stands.

Only verified records count (``Record.objects.counting()``); submitted ones are shown apart as
"pending" so a teacher sees what verification would bring.

Periods
    year      the school year (SchoolYear dates; 1 Sep – 31 Aug when the year is not set up).
    semester  with ``semester`` given, that semester; without it, every semester of the year
              begun by ``today``, each owing ``required`` (so the whole year owes it twice).
    term      the designation's term, first_year .. last_year (school years).
    month     ``required`` for each month begun so far, from the first day of teaching
              (of the year, or of the chosen semester) to the end of the current month.

Status (``duty_state``), with ``progress = done / required`` and ``elapsed`` the share of the
period's days gone by (0 before it starts, 1 once it is over):
    met       progress >= 1 (training hours: the school-based minimum too);
    missed    the period is over and the duty is not met;
    at_risk   progress < elapsed - AT_RISK_MARGIN (more than a quarter of the period behind);
    on_track  otherwise. Exactly at elapsed - AT_RISK_MARGIN is still on track.

Which duties: the teacher's tier is that of their tier designation covering the school year
(active first, then the highest tier); the templates are those valid in that year
(valid_from <= year <= valid_until) for the teacher's district, and a school's own row replaces
the district default of the same tier and duty.

Everything is read in a constant number of queries, however many teachers are asked for.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backbone.models import Designation, term_end_date
from core.models import School, SchoolYear
from mentoring.models import Pairing
from records.hours import hours_for_teachers
from records.models import Kind, Paper, Record, ResearchProject, Status
from teachers.models import Teacher

from .models import DutyKind, DutyReport, DutyTemplate, Period

AT_RISK_MARGIN = Fraction(1, 4)
ZERO = Decimal(0)


class DutyState(models.TextChoices):
    MISSED = "missed", _("Missed")
    AT_RISK = "at_risk", _("At risk")
    ON_TRACK = "on_track", _("On track")
    MET = "met", _("Met")


# Worst first: the grid sorts teachers by it.
STATE_RANK = {
    DutyState.MISSED: 0,
    DutyState.AT_RISK: 1,
    DutyState.ON_TRACK: 2,
    DutyState.MET: 3,
}

# Record kinds each duty counts (mentoring and the duty report are not records).
DUTY_RECORD_KINDS = {
    DutyKind.OPEN_CLASS: Kind.OPEN_CLASS,
    DutyKind.PAPER: Kind.PAPER,
    DutyKind.PROJECT_LED: Kind.PROJECT,
    DutyKind.PROJECT: Kind.PROJECT,
    DutyKind.LECTURE: Kind.LECTURE,
    DutyKind.OBSERVATIONS: Kind.OBSERVATION,
    DutyKind.TRAINING_HOURS: Kind.TRAINING,
    DutyKind.READING: Kind.READING,
    DutyKind.COURSEWARE: Kind.PAPER,
}

# The calendar of a district without a SchoolYear row (and what open_school_year creates).
DEFAULT_SEMESTERS = (((9, 1), (1, 20)), ((2, 20), (7, 10)))


def default_year_dates(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def default_semester_dates(year: int, number: int) -> tuple[datetime.date, datetime.date]:
    (sm, sd), (em, ed) = DEFAULT_SEMESTERS[number - 1]
    start = datetime.date(year if sm >= 9 else year + 1, sm, sd)
    end = datetime.date(year if em >= 9 else year + 1, em, ed)
    return start, end


def duty_state(*, progress, elapsed, period_over: bool) -> str:
    """The status rule of the module docstring, on exact numbers (Fraction or Decimal)."""
    progress, elapsed = Fraction(progress), Fraction(elapsed)
    if progress >= 1:
        return DutyState.MET
    if period_over:
        return DutyState.MISSED
    if progress < elapsed - AT_RISK_MARGIN:
        return DutyState.AT_RISK
    return DutyState.ON_TRACK


def elapsed_share(start: datetime.date, end: datetime.date, today: datetime.date) -> Fraction:
    """The share of the days from start to end (both included) gone by on ``today``."""
    if today < start:
        return Fraction(0)
    if today >= end:
        return Fraction(1)
    return Fraction((today - start).days + 1, (end - start).days + 1)


def _number_text(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


@dataclass
class DutyStatus:
    template: DutyTemplate
    required: Decimal
    done: Decimal
    pending: Decimal
    missing: Decimal
    status: str
    period_key: str
    period_start: datetime.date
    period_end: datetime.date
    elapsed: Fraction
    record_ids: list[int] = field(default_factory=list)
    pending_ids: list[int] = field(default_factory=list)
    # Training hours only: the school-based part and its minimum.
    school_based: Decimal | None = None
    min_school_based: Decimal | None = None

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def label(self) -> str:
        return self.template.get_kind_display()

    @property
    def is_core(self) -> bool:
        return self.template.is_core

    @property
    def is_met(self) -> bool:
        return self.status == DutyState.MET

    @property
    def rank(self) -> int:
        return STATE_RANK[self.status]

    @property
    def status_label(self) -> str:
        return DutyState(self.status).label

    @property
    def done_text(self) -> str:
        return _number_text(self.done)

    @property
    def required_text(self) -> str:
        return _number_text(self.required)

    @property
    def missing_text(self) -> str:
        return _number_text(self.missing)

    @property
    def pending_text(self) -> str:
        return _number_text(self.pending)

    @property
    def percent(self) -> int:
        if self.required <= 0:
            return 100
        return min(100, int(self.done * 100 / self.required))


# -- calendars --------------------------------------------------------------------------------
@dataclass
class _Calendar:
    year: int
    start: datetime.date
    end: datetime.date
    semesters: dict[int, tuple[datetime.date, datetime.date]]

    @property
    def teaching_start(self) -> datetime.date:
        return self.semesters[1][0]

    @property
    def teaching_end(self) -> datetime.date:
        return self.semesters[max(self.semesters)][1]


def _calendars(district_ids: set[int], year: int) -> dict[int, _Calendar]:
    found = {}
    rows = SchoolYear.objects.filter(district_id__in=district_ids, start_year=year)
    for sy in rows.prefetch_related("semesters"):
        semesters = {s.number: (s.start_date, s.end_date) for s in sy.semesters.all()}
        for number in (1, 2):
            semesters.setdefault(number, default_semester_dates(year, number))
        found[sy.district_id] = _Calendar(year, sy.start_date, sy.end_date, semesters)
    for district_id in district_ids - found.keys():
        start, end = default_year_dates(year)
        semesters = {n: default_semester_dates(year, n) for n in (1, 2)}
        found[district_id] = _Calendar(year, start, end, semesters)
    return found


def _months_begun(start: datetime.date, end: datetime.date, today: datetime.date) -> int:
    last = min(max(today, start), end)
    return (last.year - start.year) * 12 + last.month - start.month + 1


def _month_end(day: datetime.date) -> datetime.date:
    first_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - datetime.timedelta(days=1)


@dataclass
class _Window:
    key: str
    start: datetime.date
    end: datetime.date
    factor: int  # how many times ``required`` is owed over the window
    years: tuple[int, int]  # records of these school years count
    semester: int | None  # ... and only of this semester


def _window(
    template: DutyTemplate,
    *,
    cal: _Calendar,
    semester: int | None,
    designation: Designation,
    today: datetime.date,
) -> _Window:
    year = cal.year
    if template.period == Period.TERM:
        first, last = designation.first_year, designation.last_year
        return _Window(
            f"T{first}-{last}",
            default_year_dates(first)[0],
            term_end_date(last),
            1,
            (first, last),
            None,
        )
    if template.period == Period.SEMESTER:
        if semester:
            start, end = cal.semesters[semester]
            return _Window(f"{year}-S{semester}", start, end, 1, (year, year), semester)
        # Every semester begun by today owes the duty once.
        begun = 2 if today >= cal.semesters[2][0] else 1
        end = cal.semesters[begun][1] if begun == 1 else cal.end
        return _Window(f"{year}-S{begun}", cal.start, end, begun, (year, year), None)
    if template.period == Period.MONTH:
        if semester:
            start, end = cal.semesters[semester]
            key = f"{year}-S{semester}"
        else:
            start, end = cal.teaching_start, cal.teaching_end
            key = f"{year}"
        months = _months_begun(start, end, today)
        window_end = min(end, _month_end(min(max(today, start), end)))
        return _Window(key, start, window_end, months, (year, year), semester)
    return _Window(f"{year}", cal.start, cal.end, 1, (year, year), None)


# -- which template applies -------------------------------------------------------------------
def templates_in_force(*, district_ids: Iterable[int], school_ids: Iterable[int], year: int):
    """District defaults and school rows valid in ``year`` (one query)."""
    return (
        DutyTemplate.objects.filter(district_id__in=list(district_ids), valid_from__lte=year)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=year))
        .filter(Q(school__isnull=True) | Q(school_id__in=list(school_ids)))
        .select_related("tier")
        .order_by("valid_from", "pk")
    )


def effective_templates(templates, *, school_id: int, tier_id: int) -> list[DutyTemplate]:
    """The duties of one tier at one school: the school's own row replaces the default."""
    defaults: dict[str, DutyTemplate] = {}
    own: dict[str, DutyTemplate] = {}
    for t in templates:  # ordered by valid_from: a later row wins
        if t.tier_id != tier_id:
            continue
        if t.school_id is None:
            defaults[t.kind] = t
        elif t.school_id == school_id:
            own[t.kind] = t
    chosen = {**defaults, **own}
    order = {value: i for i, value in enumerate(DutyKind.values)}
    return sorted(chosen.values(), key=lambda t: order[t.kind])


def tier_designations(*, teacher_ids: Iterable[int], year: int) -> dict[int, Designation]:
    """Each teacher's tier designation covering ``year``: active first, then highest tier."""
    rows = (
        Designation.objects.tiers()
        .filter(
            teacher_id__in=list(teacher_ids),
            first_year__lte=year,
            last_year__gte=year,
            status__in=[
                Designation.Status.ACTIVE,
                Designation.Status.EXPIRED,
                Designation.Status.SUPERSEDED,
            ],
        )
        .select_related("tier")
    )
    best: dict[int, Designation] = {}
    for d in rows:
        key = (d.status == Designation.Status.ACTIVE, d.tier.level, d.first_year)
        other = best.get(d.teacher_id)
        if other is None or key > (
            other.status == Designation.Status.ACTIVE,
            other.tier.level,
            other.first_year,
        ):
            best[d.teacher_id] = d
    return best


# -- counting ---------------------------------------------------------------------------------
def _record_matches(template: DutyTemplate, row: dict) -> bool:
    kind, level = template.kind, template.min_level
    if row["kind"] != DUTY_RECORD_KINDS.get(kind):
        return False
    if kind == DutyKind.OPEN_CLASS:
        return level is None or (row["openclass__level"] or 0) >= level
    if kind == DutyKind.PAPER:
        if row["paper__progress"] not in (Paper.Progress.PUBLISHED, Paper.Progress.AWARDED):
            return False
        return level is None or (row["paper__award_level"] or 0) >= level
    if kind == DutyKind.COURSEWARE:
        return row["paper__result_kind"] == Paper.ResultKind.COURSEWARE
    if kind in (DutyKind.PROJECT, DutyKind.PROJECT_LED):
        if kind == DutyKind.PROJECT_LED and row["researchproject__role"] != (
            ResearchProject.Role.LEADER
        ):
            return False
        return level is None or (row["researchproject__level"] or 0) >= level
    return True


def _in_window(row: dict, window: _Window) -> bool:
    first, last = window.years
    if not first <= row["year"] <= last:
        return False
    return window.semester is None or row["semester"] == window.semester


def _records(teacher_ids: list[int], first_year: int, last_year: int) -> dict[int, list[dict]]:
    rows = (
        Record.objects.filter(
            teacher_id__in=teacher_ids,
            year__gte=first_year,
            year__lte=last_year,
            kind__in=set(DUTY_RECORD_KINDS.values()),
            status__in=[Status.VERIFIED, Status.SUBMITTED],
        )
        .order_by("date", "pk")
        .values(
            "pk",
            "teacher_id",
            "kind",
            "year",
            "semester",
            "status",
            "openclass__level",
            "paper__progress",
            "paper__award_level",
            "paper__result_kind",
            "researchproject__role",
            "researchproject__level",
        )
    )
    by_teacher = defaultdict(list)
    for row in rows:
        by_teacher[row["teacher_id"]].append(row)
    return by_teacher


def _pairings(teacher_ids: list[int]) -> dict[int, list[dict]]:
    rows = Pairing.objects.filter(
        mentor_id__in=teacher_ids,
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
            "record_ids": verified,
            "pending_ids": waiting,
        }
    return {
        "done": Decimal(len(verified)),
        "pending": Decimal(len(waiting)),
        "record_ids": verified,
        "pending_ids": waiting,
    }


def _status(template, window, counted: dict, today: datetime.date) -> DutyStatus:
    required = template.required * window.factor
    done = counted["done"]
    missing = max(ZERO, required - done)
    progress = Fraction(done) / Fraction(required) if required > 0 else Fraction(1)
    school_based = counted.get("school_based")
    min_school_based = template.min_school_based
    if school_based is not None and min_school_based:
        missing = max(missing, min_school_based - school_based)
        progress = min(progress, Fraction(school_based) / Fraction(min_school_based))
    elapsed = elapsed_share(window.start, window.end, today)
    return DutyStatus(
        template=template,
        required=required,
        done=done,
        pending=counted["pending"],
        missing=missing,
        status=duty_state(progress=progress, elapsed=elapsed, period_over=today > window.end),
        period_key=window.key,
        period_start=window.start,
        period_end=window.end,
        elapsed=elapsed,
        record_ids=counted.get("record_ids", []),
        pending_ids=counted.get("pending_ids", []),
        school_based=school_based,
        min_school_based=min_school_based if school_based is not None else None,
    )


def duty_statuses(
    *,
    teachers: Iterable | QuerySet,
    year: int,
    semester: int | None = None,
    today: datetime.date | None = None,
) -> dict[int, list[DutyStatus]]:
    """teacher id -> the status of each of their duties (empty for a teacher without a tier
    designation in ``year``). ``teachers``: Teacher objects or a queryset of them."""
    today = today or timezone.localdate()
    teachers = list(teachers)
    result: dict[int, list[DutyStatus]] = {t.pk: [] for t in teachers}
    if not teachers:
        return result
    ids = list(result)
    designations = tier_designations(teacher_ids=ids, year=year)
    if not designations:
        return result
    school_ids = {t.school_id for t in teachers}
    school_district = dict(
        School.objects.filter(pk__in=school_ids).values_list("pk", "district_id")
    )
    district_ids = set(school_district.values())
    calendars = _calendars(district_ids, year)
    templates = list(
        templates_in_force(district_ids=district_ids, school_ids=school_ids, year=year)
    )
    first_year = min([year, *(d.first_year for d in designations.values())])
    last_year = max([year, *(d.last_year for d in designations.values())])
    records = _records(list(designations), first_year, last_year)
    pairings = _pairings(list(designations))
    reported = set(
        DutyReport.objects.filter(
            teacher_id__in=list(designations), year=year, submitted_at__isnull=False
        ).values_list("teacher_id", flat=True)
    )
    hours = hours_for_teachers(teachers=list(designations), year=year)

    for teacher in teachers:
        designation = designations.get(teacher.pk)
        if designation is None:
            continue
        cal = calendars[school_district[teacher.school_id]]
        for template in effective_templates(
            templates, school_id=teacher.school_id, tier_id=designation.tier_id
        ):
            window = _window(
                template, cal=cal, semester=semester, designation=designation, today=today
            )
            counted = _count(
                template,
                window,
                records=records.get(teacher.pk, []),
                pairings=pairings.get(teacher.pk, []),
                report_submitted=teacher.pk in reported,
                hours=hours[teacher.pk],
            )
            result[teacher.pk].append(_status(template, window, counted, today))
    return result


def worst_rank(statuses: list[DutyStatus]) -> tuple:
    """Sort key of a teacher by risk: worst status first, then most duties behind."""
    if not statuses:
        return (len(STATE_RANK), 0)
    behind = sum(1 for s in statuses if s.rank < STATE_RANK[DutyState.ON_TRACK])
    return (min(s.rank for s in statuses), -behind)


# -- reads for the pages ----------------------------------------------------------------------
def backbone_teachers(*, year: int, teachers: QuerySet | None = None) -> QuerySet:
    """Active teachers with a tier designation covering ``year``."""
    teachers = Teacher.objects.all() if teachers is None else teachers
    covering = (
        Designation.objects.tiers()
        .filter(
            first_year__lte=year,
            last_year__gte=year,
            status__in=[Designation.Status.ACTIVE, Designation.Status.EXPIRED],
        )
        .values("teacher_id")
    )
    return (
        teachers.filter(is_active=True, pk__in=covering)
        .select_related("school", "group", "user")
        .order_by("school__code", "staff_no")
    )


@dataclass
class GridRow:
    teacher: Teacher
    tier: object | None
    cells: list[DutyStatus | None]
    rank: tuple


@dataclass
class DutyGrid:
    kinds: list[tuple[str, str]]
    rows: list[GridRow]

    @property
    def behind(self) -> int:
        return sum(1 for row in self.rows if row.rank[0] <= STATE_RANK[DutyState.AT_RISK])


def duty_grid(
    *,
    user,
    year: int,
    semester: int | None = None,
    school=None,
    tier=None,
    group=None,
    today: datetime.date | None = None,
) -> DutyGrid:
    """Backbone teachers the user may see × their duties, riskiest teachers first."""
    teachers = backbone_teachers(
        year=year, teachers=Teacher.objects.filter(user.scope.school_filter())
    )
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
    teachers = list(teachers)
    statuses = duty_statuses(teachers=teachers, year=year, semester=semester, today=today)
    if tier is not None:  # the tier the engine picked may be a higher one
        teachers = [
            t for t in teachers if statuses[t.pk] and statuses[t.pk][0].template.tier_id == tier.pk
        ]
    present = {s.kind for t in teachers for s in statuses[t.pk]}
    kinds = [(value, label) for value, label in DutyKind.choices if value in present]
    rows = []
    for teacher in teachers:
        by_kind = {s.kind: s for s in statuses[teacher.pk]}
        first = statuses[teacher.pk][0] if statuses[teacher.pk] else None
        rows.append(
            GridRow(
                teacher=teacher,
                tier=first.template.tier if first else None,
                cells=[by_kind.get(kind) for kind, _label in kinds],
                rank=worst_rank(statuses[teacher.pk]),
            )
        )
    rows.sort(key=lambda row: (row.rank, row.teacher.name))
    return DutyGrid(kinds=kinds, rows=rows)


def records_by_id(statuses: Iterable[DutyStatus]) -> dict[int, Record]:
    """The records behind the statuses, verified and pending, in one query."""
    ids = {pk for s in statuses for pk in (*s.record_ids, *s.pending_ids)}
    return Record.objects.in_bulk(ids) if ids else {}
