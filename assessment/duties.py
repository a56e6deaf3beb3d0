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
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from django.db import models
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from backbone.models import Designation, term_end_date
from core.models import School, SchoolYear
from mentoring.models import Pairing
from records.hours import hours_for_teachers
from records.models import Kind, Paper, Record, ResearchProject, Status, Training
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

STATE_BADGE = {
    DutyState.MISSED: "text-bg-danger",
    DutyState.AT_RISK: "text-bg-warning",
    DutyState.ON_TRACK: "text-bg-info",
    DutyState.MET: "text-bg-success",
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
    def badge(self) -> str:
        """The badge's colour (a Bootstrap class) in the grid and on My duties."""
        return STATE_BADGE[self.status]

    @property
    def badge_html(self) -> str:
        """The badge of the grid and of My duties: done/required, and +pending awaiting
        verification. Built here, not in a template: a district's grid page shows 500 of
        them, and a template took 20 ms to render them."""
        html = format_html(
            '<span class="badge duty-{} {}" title="{}">{}/{}</span>',
            self.status,
            self.badge,
            self.status_label,
            self.done_text,
            self.required_text,
        )
        if self.pending:
            html += format_html(
                ' <small class="text-body-secondary" title="{}">+{}</small>',
                _("Awaiting verification"),
                self.pending_text,
            )
        return html

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
    found: dict[int, _Calendar] = {}
    rows = (  # a row per semester, or one without a semester: one query
        SchoolYear.objects.filter(district_id__in=district_ids, start_year=year)
        .order_by()
        .values_list(
            "district_id",
            "start_date",
            "end_date",
            "semesters__number",
            "semesters__start_date",
            "semesters__end_date",
        )
    )
    for district_id, start, end, number, semester_start, semester_end in rows:
        if district_id not in found:
            found[district_id] = _Calendar(year, start, end, {})
        if number is not None:
            found[district_id].semesters[number] = (semester_start, semester_end)
    for cal in found.values():
        for number in (1, 2):
            cal.semesters.setdefault(number, default_semester_dates(year, number))
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


class TierTerm(NamedTuple):
    """The tier designation a teacher's duties follow: its tier and its term."""

    tier_id: int
    first_year: int
    last_year: int


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
    designation: TierTerm,
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
_KIND_ORDER = {value: i for i, value in enumerate(DutyKind.values)}


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
    return sorted(chosen.values(), key=lambda t: _KIND_ORDER[t.kind])


def tier_designations(*, teacher_ids: Iterable[int], year: int) -> dict[int, TierTerm]:
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
        .values_list("teacher_id", "tier_id", "first_year", "last_year", "status", "tier__level")
    )
    best: dict[int, tuple] = {}
    for teacher_id, tier_id, first_year, last_year, status, level in rows:
        key = (status == Designation.Status.ACTIVE, level, first_year)
        other = best.get(teacher_id)
        if other is None or key > other[0]:
            best[teacher_id] = (key, TierTerm(tier_id, first_year, last_year))
    return {teacher_id: term for teacher_id, (_key, term) in best.items()}


# -- counting ---------------------------------------------------------------------------------
def _record_matches(template: DutyTemplate, row: dict) -> bool:
    kind, level = template.kind, template.min_level
    if row["kind"] != DUTY_RECORD_KINDS.get(kind):
        return False
    if kind == DutyKind.OPEN_CLASS:
        return level is None or (row["openclass_level"] or 0) >= level
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
    "paper__progress": models.TextField(),
    "paper__award_level": models.PositiveSmallIntegerField(),
    "paper__result_kind": models.TextField(),
    "researchproject__role": models.TextField(),
    "researchproject__level": models.PositiveSmallIntegerField(),
}
_OWN_TABLE = {Kind.OPEN_CLASS: "openclass", Kind.PAPER: "paper", Kind.PROJECT: "researchproject"}


def _records(teacher_ids: list[int], first_year: int, last_year: int) -> dict[int, dict]:
    """teacher id -> record kind -> the teacher's verified and submitted records of that
    kind a duty may count, oldest first. One query, in parts by kind: a kind with a table of
    its own is joined to it alone, so only that kind's records are looked up there (one join
    for all would read every open class, paper and project of the district)."""
    rows = Record.objects.filter(
        teacher_id__in=teacher_ids,
        year__gte=first_year,
        year__lte=last_year,
        status__in=[Status.VERIFIED, Status.SUBMITTED],
    ).order_by()
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
    min_school_based = template.min_school_based
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


# -- the engine -------------------------------------------------------------------------------
@dataclass
class _Setting:
    """What the engine reads once for a set of teachers, besides their records and hours:
    tier designations, calendars, the duties in force, pairings and duty reports."""

    year: int
    designations: dict[int, TierTerm]
    school_district: dict[int, int]
    calendars: dict[int, _Calendar]
    templates: list[DutyTemplate]
    pairings: dict[int, list[dict]]
    reported: set[int]
    _duties: dict = field(default_factory=dict)
    _windows: dict = field(default_factory=dict)

    def duties(self, teacher, *, semester, today) -> list[tuple[DutyTemplate, _Window]]:
        """The teacher's duties, each with the window it is counted over (none without a
        tier designation). Teachers of one school with the same designation's tier and term
        have the same duties, and all windows but a term's are the same for everyone of a
        district: both are kept."""
        designation = self.designations.get(teacher.pk)
        if designation is None:
            return []
        key = (teacher.school_id, designation, semester, today)
        if key not in self._duties:
            self._duties[key] = self._find_duties(*key)
        return self._duties[key]

    def _find_duties(self, school_id, designation, semester, today) -> list[tuple]:
        district_id = self.school_district[school_id]
        templates = effective_templates(
            self.templates, school_id=school_id, tier_id=designation.tier_id
        )
        duties = []
        for template in templates:
            term = None
            if template.period == Period.TERM:
                term = (designation.first_year, designation.last_year)
            key = (template.pk, district_id, term, semester, today)
            window = self._windows.get(key)
            if window is None:
                window = self._windows[key] = _window(
                    template,
                    cal=self.calendars[district_id],
                    semester=semester,
                    designation=designation,
                    today=today,
                )
            duties.append((template, window))
        return duties


def _setting(
    *, teachers: list, year: int, school_district: dict[int, int] | None = None
) -> _Setting | None:
    """None when no teacher has a tier designation in ``year`` (nothing else is read then).
    ``teachers``: objects with ``pk`` and ``school_id``."""
    designations = tier_designations(teacher_ids=[t.pk for t in teachers], year=year)
    if not designations:
        return None
    school_ids = {t.school_id for t in teachers}
    if school_district is None:
        school_district = dict(
            School.objects.filter(pk__in=school_ids).values_list("pk", "district_id")
        )
    district_ids = set(school_district.values())
    backbone = list(designations)
    reported = DutyReport.objects.filter(
        teacher_id__in=backbone, year=year, submitted_at__isnull=False
    ).values_list("teacher_id", flat=True)
    return _Setting(
        year=year,
        designations=designations,
        school_district=school_district,
        calendars=_calendars(district_ids, year),
        templates=list(
            templates_in_force(district_ids=district_ids, school_ids=school_ids, year=year)
        ),
        pairings=_pairings(backbone),
        reported=set(reported),
    )


def _statuses(
    setting: _Setting, teachers: list, *, semester: int | None, today: datetime.date
) -> dict[int, list[DutyStatus]]:
    """The statuses of ``teachers`` (all or some of those ``setting`` was read for), from
    their records and hours: two more queries."""
    result: dict[int, list[DutyStatus]] = {t.pk: [] for t in teachers}
    backbone = [t.pk for t in teachers if t.pk in setting.designations]
    if not backbone:
        return result
    terms = [setting.designations[pk] for pk in backbone]
    first_year = min([setting.year, *(d.first_year for d in terms)])
    last_year = max([setting.year, *(d.last_year for d in terms)])
    records = _records(backbone, first_year, last_year)
    hours = hours_for_teachers(teachers=backbone, year=setting.year)
    for teacher in teachers:
        for template, window in setting.duties(teacher, semester=semester, today=today):
            counted = _count(
                template,
                window,
                records=records[teacher.pk][DUTY_RECORD_KINDS.get(template.kind)],
                pairings=setting.pairings.get(teacher.pk, []),
                report_submitted=teacher.pk in setting.reported,
                hours=hours[teacher.pk],
            )
            result[teacher.pk].append(_status(template, window, counted, today))
    return result


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
    setting = _setting(teachers=teachers, year=year) if teachers else None
    if setting is None:
        return {t.pk: [] for t in teachers}
    return _statuses(setting, teachers, semester=semester, today=today)


def _rank(state_ranks: list[int]) -> tuple:
    if not state_ranks:
        return (len(STATE_RANK), 0)
    behind = sum(1 for r in state_ranks if r < STATE_RANK[DutyState.ON_TRACK])
    return (min(state_ranks), -behind)


def worst_rank(statuses: list[DutyStatus]) -> tuple:
    """Sort key of a teacher by risk: worst status first, then most duties behind."""
    return _rank([s.rank for s in statuses])


# -- counting in the database -----------------------------------------------------------------
# A district's grid shows fifty teachers a page, riskiest first: the order needs every
# teacher's statuses, but not their records. Verified records are counted per teacher and duty
# in the database; the status rule (``_status``) is the engine's own.
def _at_least(field_name: str, level) -> Q:
    """``(value or 0) >= level``, as _record_matches reads a level. Levels are never negative,
    so no level, or a level of 0, asks nothing."""
    return Q(**{f"{field_name}__gte": level}) if level is not None and level > 0 else Q()


def _record_q(template: DutyTemplate) -> Q:
    """_record_matches as a filter on records: keep the two side by side."""
    kind, level = template.kind, template.min_level
    q = Q(kind=DUTY_RECORD_KINDS[kind])
    if kind == DutyKind.OPEN_CLASS:
        return q & _at_least("openclass__level", level)
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
            teacher_id__in=[pk for pk, pairs in duties.items() if pairs],
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


def records_by_id(statuses: Iterable[DutyStatus]) -> dict[int, Record]:
    """The records behind the statuses, verified and pending, in one query."""
    ids = {pk for s in statuses for pk in (*s.record_ids, *s.pending_ids)}
    return Record.objects.in_bulk(ids) if ids else {}
