"""The yearly review's figures: per school (and added up for a district), the people it names,
the hour bands and the targets in force."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backbone.models import term_end_date
from core.models import School
from mentoring.compliance import Light
from records.hours import ZERO, hours_text, required_school_based, required_total


def hour_buckets() -> list[tuple[Decimal | None, str]]:
    """Training hours bands against the requirement (72 / 24 unless configured otherwise):
    (upper bound exclusive, label), the labels worded from the configured numbers."""
    school_based, total = required_school_based(), required_total()
    bounds = sorted({b for b in (school_based, school_based * 2, total) if 0 < b <= total})
    buckets, low = [], ZERO
    for bound in bounds:
        values = {"low": hours_text(low), "high": hours_text(bound - 1), "bound": hours_text(bound)}
        label = _("%(low)s–%(high)s h") if low else _("under %(bound)s h")
        buckets.append((bound, label % values))
        low = bound
    buckets.append((None, _("%(hours)s h or more") % {"hours": hours_text(total)}))
    return buckets


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
