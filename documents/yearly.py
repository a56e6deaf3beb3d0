"""The yearly review (年度总结) of a school, or of a district across its schools: the numbers
behind the PDF report, the xlsx workbook and the district overview.

Everything is computed per school and added up, so a district report is the sum of its
schools, and the number of queries does not grow with the number of schools or teachers.

Roster conventions (those of the target page, ``backbone.selectors.planning.year_counted``):
"at the start" is what was held at the end of the previous school year, "at the end" what is
held at the end of this one. Changes during the year:
    new        tier designations beginning this year that are not promotions;
    promoted   tier designations beginning this year for a teacher whose lower designation was
               superseded this year (or recorded as a promotion);
    revoked    revoked during the year;
    expired    terms ending with this school year (active or expired, not revoked/superseded).
"""

import datetime
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessment.duties import DutyState, duty_counts
from assessment.models import AnnualGrade, DutyKind, Grade
from backbone.models import Designation, ReserveEntry, Target, Tier, term_end_date
from backbone.selectors.planning import year_counted
from core.models import District, School, school_year_label, school_year_start
from mentoring.compliance import STARTED_STATUSES, Light, compliance_for
from mentoring.models import Pairing
from records.hours import hours_for_teachers, required_school_based, required_total
from teachers.models import Teacher

# Training hours buckets against the 72 / 24 rule: (upper bound exclusive, label). The bounds
# come from the settings at start-up; the labels are worded for the default 72 / 24.
HOUR_BUCKETS = [
    (required_school_based(), _("under 24 h")),
    (required_school_based() * 2, _("24–47 h")),
    (required_total(), _("48–71 h")),
    (None, _("72 h or more")),
]
LIGHTS = [Light.GREEN, Light.AMBER, Light.RED]
ROSTER_FIELDS = ["start", "new", "promoted", "revoked", "expired", "end"]


def roster_field_labels() -> dict[str, str]:
    return {
        "start": _("At the start"),
        "new": _("New"),
        "promoted": _("Promoted"),
        "revoked": _("Revoked"),
        "expired": _("Term ended"),
        "end": _("At the end"),
    }


def year_dates(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), term_end_date(year)


def parse_year(text: str) -> int:
    """'2025-2026' (or '2025–2026', or '2025') → 2025; ValueError otherwise."""
    parts = str(text).replace("–", "-").split("-")
    start = int(parts[0])
    if len(parts) == 2 and int(parts[1]) != start + 1:
        raise ValueError(text)
    if len(parts) > 2 or not 1990 <= start <= 2100:
        raise ValueError(text)
    return start


@dataclass
class Person:
    teacher_id: int
    name: str
    staff_no: str
    school: str
    tier: str
    reason: str


@dataclass
class SchoolYearly:
    """One school's numbers (or, added up, a district's)."""

    school: School | None
    teachers: int = 0
    roster: dict = field(default_factory=lambda: defaultdict(Counter))  # tier id → Counter
    duties: dict = field(default_factory=lambda: defaultdict(Counter))  # (tier, kind) → met/total
    grades: Counter = field(default_factory=Counter)  # Grade value → teachers
    hours: Counter = field(default_factory=Counter)  # bucket index → teachers
    hours_met: int = 0
    compliance: Counter = field(default_factory=Counter)  # Light → pairings
    targets: dict = field(default_factory=dict)  # tier id → target count (or None)
    target_by: dict = field(default_factory=dict)  # tier id → the school year it is due
    recommended: list = field(default_factory=list)
    flagged: list = field(default_factory=list)

    def add(self, other: "SchoolYearly") -> None:
        self.teachers += other.teachers
        for tier_id, counts in other.roster.items():
            self.roster[tier_id].update(counts)
        for key, counts in other.duties.items():
            self.duties[key].update(counts)
        self.grades.update(other.grades)
        self.hours.update(other.hours)
        self.hours_met += other.hours_met
        self.compliance.update(other.compliance)
        for tier_id, count in other.targets.items():
            if count is not None:
                self.targets[tier_id] = (self.targets.get(tier_id) or 0) + count
        for tier_id, by_year in other.target_by.items():
            self.target_by[tier_id] = min(by_year, self.target_by.get(tier_id, by_year))
        self.recommended += other.recommended
        self.flagged += other.flagged

    # -- what the pages show ----------------------------------------------------------------
    @property
    def backbone_total(self) -> int:
        return sum(c["end"] for c in self.roster.values())

    def backbone(self, tier_id: int) -> int:
        return self.roster.get(tier_id, Counter())["end"]

    @property
    def duty_percent(self) -> int | None:
        met = sum(c["met"] for c in self.duties.values())
        total = sum(c["total"] for c in self.duties.values())
        return round(100 * met / total) if total else None

    @property
    def graded(self) -> int:
        return sum(self.grades.values())

    @property
    def hours_met_percent(self) -> int | None:
        return round(100 * self.hours_met / self.teachers) if self.teachers else None

    @property
    def backbone_percent(self) -> int | None:
        """Backbone teachers (any tier) as a share of the teachers on staff."""
        return round(100 * self.backbone_total / self.teachers) if self.teachers else None


@dataclass
class YearlyReport:
    year: int
    school: School | None
    district: District
    tiers: list[Tier]
    schools: list[SchoolYearly]
    total: SchoolYearly
    today: datetime.date
    district_targets: bool = False

    @property
    def year_label(self) -> str:
        return school_year_label(self.year)

    @property
    def owner_name(self) -> str:
        return self.school.name if self.school else self.district.name

    @property
    def is_district(self) -> bool:
        return self.school is None

    def fingerprint(self, *, kind: str, language: str, printed_on=None) -> str:
        """A hash of every number and name the report holds: the same request over unchanged
        data gets the same fingerprint, and so the stored file (``core.jobs.job_create``).
        ``printed_on``: the date a PDF prints on its first page."""
        payload = [
            kind,
            language,
            printed_on,
            self.year,
            self.school.pk if self.school else None,
            [self.district.pk, self.district.name],
            self.district_targets,
            [[t.pk, t.name, t.name_en, t.level] for t in self.tiers],
            [_plain_yearly(s) for s in [*self.schools, self.total]],
        ]
        text = json.dumps(payload, default=str, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    # -- tables, as lists of rows the PDF, the xlsx and the pages share ---------------------
    def roster_rows(self) -> list[dict]:
        return [
            {"tier": t, **{f: self.total.roster.get(t.pk, Counter())[f] for f in ROSTER_FIELDS}}
            for t in self.tiers
        ]

    def duty_rows(self) -> list[dict]:
        tiers = {t.pk: t for t in self.tiers}
        order = {k: i for i, k in enumerate(DutyKind.values)}
        rows = []
        for (tier_id, kind), c in sorted(
            self.total.duties.items(),
            key=lambda item: (
                tiers[item[0][0]].level if item[0][0] in tiers else 0,
                order[item[0][1]],
            ),
        ):
            rows.append(
                {
                    "tier": tiers.get(tier_id),
                    "duty": DutyKind(kind).label,
                    "met": c["met"],
                    "total": c["total"],
                    "percent": round(100 * c["met"] / c["total"]) if c["total"] else 0,
                }
            )
        return rows

    def duty_matrix(self) -> dict:
        """The duty completion as one row per duty and one column per tier (not a row per
        tier and duty, which repeats the tier down the page)."""
        rows = self.duty_rows()
        tiers = []
        for r in rows:
            if r["tier"] not in tiers:
                tiers.append(r["tier"])
        duties: dict[str, dict] = {}
        for r in rows:
            duties.setdefault(r["duty"], {})[r["tier"]] = r
        return {
            "tiers": tiers,
            "rows": [
                {"duty": duty, "cells": [cells.get(t) for t in tiers]}
                for duty, cells in duties.items()
            ],
        }

    def summary(self) -> str:
        """The written paragraph of the report, from its own numbers."""
        t = self.total
        duty = t.duty_percent
        parts = [
            _(
                "In the school year %(year)s, %(owner)s had %(teachers)s teachers on staff and "
                "%(backbone)s backbone teachers at the end of the year."
            )
            % {
                "year": self.year_label,
                "owner": self.owner_name,
                "teachers": t.teachers,
                "backbone": t.backbone_total,
            }
        ]
        if duty is not None:
            parts.append(_("Backbone duties were %(percent)s%% complete.") % {"percent": duty})
        if t.teachers:
            parts.append(
                _("%(met)s of %(n)s teachers met the 72-hour training requirement.")
                % {"met": t.hours_met, "n": t.teachers}
            )
        if t.graded:
            parts.append(
                _("Of %(n)s annual grades: %(excellent)s excellent, %(failed)s unqualified.")
                % {
                    "n": t.graded,
                    "excellent": t.grades[Grade.EXCELLENT],
                    "failed": t.grades[Grade.UNQUALIFIED],
                }
            )
        short = [
            f"{r['tier'].label} {r['actual']}/{r['target']}"
            for r in self.target_rows()
            if r["target"] and r["actual"] < r["target"]
        ]
        if short:
            parts.append(_("Targets not yet reached: %(list)s.") % {"list": _("; ").join(short)})
        parts.append(
            _("%(recommended)s teachers are recommended for a higher tier, %(flagged)s flagged.")
            % {"recommended": len(t.recommended), "flagged": len(t.flagged)}
        )
        return " ".join(str(p) for p in parts)

    def grade_rows(self) -> list[dict]:
        total = self.total.graded
        return [
            {
                "grade": g.label,
                "count": self.total.grades[g.value],
                "percent": round(100 * self.total.grades[g.value] / total) if total else 0,
            }
            for g in reversed(Grade)
        ]

    def hour_rows(self) -> list[dict]:
        n = self.total.teachers
        return [
            {
                "bucket": label,
                "count": self.total.hours[i],
                "percent": round(100 * self.total.hours[i] / n) if n else 0,
            }
            for i, (_bound, label) in enumerate(HOUR_BUCKETS)
        ]

    def compliance_rows(self) -> list[dict]:
        return [{"light": light.label, "count": self.total.compliance[light]} for light in LIGHTS]

    def school_rows(self) -> list[dict]:
        """One row per school of a district, in the order of ``tiers`` and of the grades from
        excellent down: what the overview, the PDF and the xlsx show side by side."""
        return [
            {
                "school": s.school,
                "teachers": s.teachers,
                "tiers": [s.backbone(t.pk) for t in self.tiers],
                "backbone": s.backbone_total,
                "backbone_percent": s.backbone_percent,
                "duty_percent": s.duty_percent,
                "grades": [s.grades[g.value] for g in reversed(Grade)],
                "graded": s.graded,
                "hours_met_percent": s.hours_met_percent,
                "targets": [(s.backbone(t.pk), s.targets.get(t.pk)) for t in self.tiers],
            }
            for s in self.schools
        ]

    def target_rows(self) -> list[dict]:
        rows = []
        for t in self.tiers:
            target = self.total.targets.get(t.pk)
            actual = self.total.backbone(t.pk)
            rows.append(
                {
                    "tier": t,
                    "target": target,
                    "actual": actual,
                    "percent": min(100, round(100 * actual / target)) if target else None,
                    "by": school_year_label(self.total.target_by[t.pk])
                    if t.pk in self.total.target_by
                    else "",
                }
            )
        return rows


def _plain(value):
    """Counters and dicts (some keyed by tuples) as sorted lists, for a stable JSON dump."""
    if isinstance(value, dict):
        return sorted(([_plain(k), _plain(v)] for k, v in value.items()), key=str)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _plain_yearly(s: SchoolYearly) -> list:
    school = [s.school.pk, s.school.code, s.school.name] if s.school else None
    people = [[asdict(p) for p in s.recommended], [asdict(p) for p in s.flagged]]
    counts = [s.roster, s.duties, s.grades, s.hours, s.compliance, s.targets, s.target_by]
    return [school, s.teachers, s.hours_met, *(_plain(c) for c in counts), people]


def targets_in_force(targets: QuerySet, year: int) -> dict[tuple, tuple[int, int]]:
    """(owner id, tier id) → (count, due year) of the target due soonest in ``year`` or
    later: a target "by 2027–2028" is the one a 2025–2026 report measures against."""
    found = {}
    rows = targets.filter(by_year__gte=year).order_by("-by_year")
    for school_id, district_id, tier_id, count, by_year in rows.values_list(
        "school_id", "district_id", "tier_id", "count", "by_year"
    ):
        found[(school_id or district_id, tier_id)] = (count, by_year)  # the soonest wins
    return found


# -- building ---------------------------------------------------------------------------------
def yearly_report(
    *,
    year: int,
    school: School | None = None,
    district: District | None = None,
    schools: list[School] | None = None,
    grade_year: int | None = None,
    today: datetime.date | None = None,
) -> YearlyReport:
    """The report of ``school``, or of ``district`` (its schools, or the ``schools`` given).
    ``grade_year``: the year whose annual grades are counted (default: ``year``)."""
    today = today or timezone.localdate()
    if school is not None:
        district = school.district
        schools = [school]
    elif schools is None:
        schools = list(School.objects.filter(district=district).order_by("code"))
    tiers = list(Tier.objects.filter(district=district, kind=Tier.Kind.TIER).order_by("level"))
    per_school = {s.pk: SchoolYearly(school=s) for s in schools}
    if per_school:
        _fill(per_school, year, grade_year or year, today, tiers)
    total = SchoolYearly(school=school)
    for entry in per_school.values():
        total.add(entry)
    district_targets = False
    if school is None:
        own = targets_in_force(Target.objects.filter(district=district), year)
        if own:
            total.targets = {tier_id: count for (_o, tier_id), (count, _by) in own.items()}
            total.target_by = {tier_id: by for (_o, tier_id), (_count, by) in own.items()}
            district_targets = True
    return YearlyReport(
        year=year,
        school=school,
        district=district,
        tiers=tiers,
        schools=list(per_school.values()),
        total=total,
        today=today,
        district_targets=district_targets,
    )


class _Member(NamedTuple):
    """A teacher as the counts need one (duty_counts reads ``pk`` and ``school_id``)."""

    pk: int
    school_id: int


def _fill(per_school: dict, year: int, grade_year: int, today, tiers: list[Tier]) -> None:
    school_ids = list(per_school)
    start, end = year_dates(year)
    current = school_year_start(today)
    active = Teacher.objects.filter(school_id__in=school_ids).active()
    # Plain (pk, school_id) pairs: 2,000 deferred model instances took 100 ms to build.
    teachers = [_Member(pk, school_id) for pk, school_id in active.values_list("pk", "school_id")]
    for t in teachers:
        per_school[t.school_id].teachers += 1

    # Roster: one aggregate query.
    superseded = (
        Designation.objects.tiers()
        .filter(status=Designation.Status.SUPERSEDED, closed_on__range=(start, end))
        .values("teacher_id")
    )
    promotion = Q(source=Designation.Source.PROMOTION) | Q(teacher_id__in=superseded)
    rows = (
        Designation.objects.tiers()
        .filter(teacher__school_id__in=school_ids, first_year__lte=year, last_year__gte=year - 1)
        .order_by()
        .values("teacher__school_id", "tier_id")
        .annotate(
            start=Count("teacher", distinct=True, filter=year_counted(year - 1, current)),
            end=Count("teacher", distinct=True, filter=year_counted(year, current)),
            new=Count("pk", filter=Q(first_year=year) & ~promotion),
            promoted=Count("pk", filter=Q(first_year=year) & promotion),
            revoked=Count(
                "pk",
                filter=Q(status=Designation.Status.REVOKED, closed_on__range=(start, end)),
            ),
            expired=Count(
                "pk",
                filter=Q(
                    last_year=year,
                    status__in=[Designation.Status.ACTIVE, Designation.Status.EXPIRED],
                ),
            ),
        )
    )
    for row in rows:
        per_school[row["teacher__school_id"]].roster[row["tier_id"]].update(
            {f: row[f] for f in ROSTER_FIELDS}
        )

    # Duties: counted in the database (duty_counts agrees with the engine, duty_statuses,
    # which would read every record of every backbone teacher of the district).
    statuses = duty_counts(teachers=teachers, year=year, today=today)
    school_of = {t.pk: t.school_id for t in teachers}
    for teacher_id, items in statuses.items():
        for status in items:
            counts = per_school[school_of[teacher_id]].duties[
                (status.template.tier_id, status.kind)
            ]
            counts["total"] += 1
            counts["met"] += status.status == DutyState.MET

    # Grades.
    grades = {}
    for school_id, teacher_id, grade in AnnualGrade.objects.filter(
        teacher__school_id__in=school_ids, teacher__is_active=True, year=grade_year
    ).values_list("teacher__school_id", "teacher_id", "grade"):
        per_school[school_id].grades[grade] += 1
        grades[teacher_id] = grade

    # Training hours against 72 / 24.
    # The queryset, not the 2,000 ids: joined to the teachers, the year's trainings are
    # found by the (teacher, year, kind) index.
    hours = hours_for_teachers(teachers=active, year=year)
    for t in teachers:
        h = hours[t.pk]
        bucket = next(
            i for i, (bound, _l) in enumerate(HOUR_BUCKETS) if bound is None or h.total < bound
        )
        per_school[t.school_id].hours[bucket] += 1
        per_school[t.school_id].hours_met += h.met

    # Mentoring compliance of the pairings running during the year, as of its end.
    pairings = list(
        Pairing.objects.filter(
            school_id__in=school_ids,
            status__in=STARTED_STATUSES,
            start_date__lte=end,
            end_date__gte=start,
        ).select_related("school")
    )
    pairing_school = {p.pk: p.school_id for p in pairings}
    for pairing_id, compliance in compliance_for(pairings=pairings, today=min(today, end)).items():
        light = compliance.light
        if light != Light.NONE:
            per_school[pairing_school[pairing_id]].compliance[light] += 1

    # The targets in force this year: per tier, the one due soonest, this year or later.
    in_force = targets_in_force(Target.objects.filter(school_id__in=school_ids), year)
    for (school_id, tier_id), (count, by_year) in in_force.items():
        per_school[school_id].targets[tier_id] = count
        per_school[school_id].target_by[tier_id] = by_year

    # Who holds what at the end of the year: for the lists. Ids only, for every backbone
    # teacher of the district (instances of them all, with teacher, school and tier, took
    # 100 ms); the flagged designations, a few, in full.
    counted_or_flagged = year_counted(year, current) | Q(flagged_at__isnull=False, status="active")
    held_tier = {}
    for teacher_id, tier_id, first_year, last_year in (
        Designation.objects.tiers()
        .filter(teacher__school_id__in=school_ids)
        .filter(counted_or_flagged)
        .order_by("teacher__school__code", "teacher__staff_no")
        .values_list("teacher_id", "tier_id", "first_year", "last_year")
    ):
        if first_year <= year <= last_year:
            held_tier[teacher_id] = tier_id
    tier_by_id = {t.pk: t for t in tiers}
    if not tier_by_id.keys() >= set(held_tier.values()):  # another district's tier: read it
        tier_by_id = Tier.objects.in_bulk(set(held_tier.values()))
    held = {teacher_id: tier_by_id[tier_id] for teacher_id, tier_id in held_tier.items()}
    flagged_designations = list(
        Designation.objects.tiers()
        .filter(teacher__school_id__in=school_ids, flagged_at__isnull=False, status="active")
        .select_related("teacher__school", "tier")
        .order_by("teacher__school__code", "teacher__staff_no")
    )
    for d in flagged_designations:
        per_school[d.teacher.school_id].flagged.append(
            _person(d.teacher, d.tier.label, d.flag_reason or _("Flagged for revocation"))
        )
    flagged_ids = {d.teacher_id for d in flagged_designations}
    by_grade = [tid for tid, g in grades.items() if g in (Grade.EXCELLENT, Grade.UNQUALIFIED)]
    graded_teachers = {
        t.pk: t
        for t in Teacher.objects.filter(pk__in=by_grade)
        .select_related("school")
        .order_by("staff_no")
    }
    recommended_ids = set()
    for entry in (
        ReserveEntry.objects.filter(
            teacher__school_id__in=school_ids,
            teacher__is_active=True,
            tier__kind=Tier.Kind.TIER,
            marked_on__lte=end,
        )
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=start))
        .select_related("teacher__school", "tier")
        .order_by("teacher__school__code", "teacher__staff_no")
    ):
        current_tier = held.get(entry.teacher_id)
        if current_tier is not None and current_tier.level >= entry.tier.level:
            continue
        if entry.teacher_id in recommended_ids:
            continue
        recommended_ids.add(entry.teacher_id)
        reason = _("Reserve pool for %(tier)s") % {"tier": entry.tier.label}
        per_school[entry.teacher.school_id].recommended.append(
            _person(entry.teacher, current_tier.label if current_tier else "", str(reason))
        )
    for teacher_id, teacher in graded_teachers.items():
        tier_name = held[teacher_id].label if teacher_id in held else ""
        # 推荐晋级 means a backbone teacher moving up: an excellent grade recommends only
        # someone who already holds a tier (the reserve pool above covers the rest).
        holds_tier = teacher_id in held
        if (
            grades[teacher_id] == Grade.EXCELLENT
            and holds_tier
            and teacher_id not in recommended_ids
        ):
            recommended_ids.add(teacher_id)
            per_school[teacher.school_id].recommended.append(
                _person(teacher, tier_name, str(_("Excellent annual grade")))
            )
        elif grades[teacher_id] == Grade.UNQUALIFIED and teacher_id not in flagged_ids:
            per_school[teacher.school_id].flagged.append(
                _person(teacher, tier_name, str(_("Unqualified annual grade")))
            )


def _person(teacher: Teacher, tier: str, reason) -> Person:
    return Person(
        teacher_id=teacher.pk,
        name=teacher.name,
        staff_no=teacher.staff_no,
        school=teacher.school.name,
        tier=tier,
        reason=str(reason),
    )
