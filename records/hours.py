"""The training-hours meter (继续教育学时): every teacher needs 72 hours a school year, at least
24 of them school-based (校本培训). Only verified training counts; submitted training is shown
apart as "pending" so a teacher sees what verification would bring.

This module decides what a teacher needs: the thresholds come from the settings, and a teacher
exempted for the year (records.models.HoursExemption, long-cycle training) needs no
school-based hours. Everything that judges hours (the meter, the duties, the assessment's
hours rule, the dossier, the yearly review, the ledger command) asks here."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, Exists, Q, QuerySet, Sum, Value
from django.db.models.expressions import BaseExpression
from django.utils.translation import gettext as _

from teachers.models import Teacher

from .models import HoursExemption, Kind, Status, Training

ZERO = Decimal(0)


def required_total() -> Decimal:
    """Hours a teacher needs a school year: the TRAINING_HOURS_PER_YEAR setting."""
    return Decimal(settings.TRAINING_HOURS_PER_YEAR)


def required_school_based() -> Decimal:
    """Of them, school-based at least: the TRAINING_SCHOOL_BASED_HOURS setting."""
    return Decimal(settings.TRAINING_SCHOOL_BASED_HOURS)


def required_school_based_for(*, exempt: bool) -> Decimal:
    """What a teacher needs school-based: nothing when exempted for the year."""
    return ZERO if exempt else required_school_based()


def exemption_exists(*, teacher: BaseExpression | int, year: BaseExpression | int) -> Exists:
    """An expression: is the teacher exempted from the school-based hours that year? For a
    query that counts hours itself (the duties grid, the data export)."""
    return Exists(HoursExemption.objects.filter(teacher_id=teacher, year=year))


def requirement_text() -> str:
    """ "72 hours, at least 24 of them school-based", with the configured numbers."""
    return _("%(total)s hours, at least %(school_based)s of them school-based") % {
        "total": hours_text(required_total()),
        "school_based": hours_text(required_school_based()),
    }


def _percent(part: Decimal, whole: Decimal) -> int:
    if whole <= 0:
        return 100
    return min(100, int(part * 100 / whole))


def hours_text(value: Decimal) -> str:
    """72 rather than 72.0, 71.5 as it is."""
    return f"{Decimal(value).normalize():f}"


@dataclass(frozen=True)
class Hours:
    """One teacher's training hours in one school year. School-based hours are part of the
    total, not on top of it."""

    total: Decimal = ZERO
    school_based: Decimal = ZERO
    pending: Decimal = ZERO
    pending_school_based: Decimal = ZERO
    # Of the verified total: hours Gugan credited by itself (attendance at organised
    # sessions); the rest the teacher logged and the training office verified.
    credited: Decimal = ZERO
    required_total: Decimal = field(default_factory=required_total)
    required_school_based: Decimal = field(default_factory=required_school_based)
    # Exempted from the school-based part this year (long-cycle training): then
    # required_school_based is 0. See for_year().
    school_based_exempt: bool = False

    @classmethod
    def for_year(cls, *, exempt: bool = False, **values) -> "Hours":
        return cls(
            required_school_based=required_school_based_for(exempt=exempt),
            school_based_exempt=exempt,
            **values,
        )

    @property
    def percent(self) -> int:
        return _percent(self.total, self.required_total)

    @property
    def school_based_percent(self) -> int:
        return _percent(self.school_based, self.required_school_based)

    @property
    def met(self) -> bool:
        return self.total >= self.required_total and self.school_based >= self.required_school_based

    @property
    def total_short(self) -> Decimal:
        return max(ZERO, self.required_total - self.total)

    @property
    def school_based_short(self) -> Decimal:
        return max(ZERO, self.required_school_based - self.school_based)

    @property
    def shortfall(self) -> Decimal:
        """The fewest further hours that would meet the rule: school-based hours also count
        towards the total, so the larger of the two gaps."""
        return max(self.total_short, self.school_based_short)

    @property
    def shortfall_text(self) -> str:
        if self.met:
            return _("The %(hours)s-hour requirement is met.") % {
                "hours": hours_text(self.required_total)
            }
        values = {
            "hours": hours_text(self.shortfall),
            "school_based": hours_text(self.school_based_short),
        }
        if not self.school_based_short:
            return _("%(hours)s more hours needed.") % values
        if self.school_based_short == self.shortfall:
            return _("%(hours)s more school-based hours needed.") % values
        return _("%(hours)s more hours needed, at least %(school_based)s of them school-based.") % (
            values
        )

    @property
    def exemption_text(self) -> str:
        if not self.school_based_exempt:
            return ""
        return _("Exempted from the school-based hours this school year (long-cycle training).")

    @property
    def rule_text(self) -> str:
        """What counts and what is needed, with the configured numbers."""
        return _("Only verified training counts. Each school year: %(requirement)s.") % {
            "requirement": requirement_text()
        }

    @property
    def self_reported(self) -> Decimal:
        return self.total - self.credited

    @property
    def total_text(self) -> str:
        return hours_text(self.total)

    @property
    def school_based_text(self) -> str:
        return hours_text(self.school_based)

    @property
    def pending_text(self) -> str:
        return hours_text(self.pending)

    @property
    def pending_school_based_text(self) -> str:
        return hours_text(self.pending_school_based)

    @property
    def required_total_text(self) -> str:
        return hours_text(self.required_total)

    @property
    def required_school_based_text(self) -> str:
        return hours_text(self.required_school_based)


class HoursByTeacher(dict):
    """Teacher id -> Hours; a teacher without any training reads as zero hours."""

    def __missing__(self, teacher_id) -> Hours:
        return Hours()


def _sum(condition: Q) -> Sum:
    return Sum("hours", filter=condition)  # NULL when nothing matches: 0 below


_HOURS = DecimalField(max_digits=7, decimal_places=1)
_NO_HOURS = {
    name: Value(None, output_field=_HOURS)
    for name in (
        "verified_hours",
        "verified_school_based",
        "pending_hours",
        "pending_school_based",
        "credited_hours",
    )
}


def _rows_with_exemptions(trainings: QuerySet, exemptions: QuerySet, key: str) -> QuerySet:
    """The hours summed per ``key`` (teacher or year) and, in the same query (UNION ALL), a
    row per exemption: one query whatever the number of teachers."""
    sums = (
        trainings.filter(status__in=[Status.VERIFIED, Status.SUBMITTED])
        .order_by()
        .values(key)
        .annotate(  # names apart from the fields: a "school_based" alias would shadow one
            verified_hours=_sum(Q(status=Status.VERIFIED)),
            verified_school_based=_sum(Q(status=Status.VERIFIED, school_based=True)),
            pending_hours=_sum(Q(status=Status.SUBMITTED)),
            pending_school_based=_sum(Q(status=Status.SUBMITTED, school_based=True)),
            credited_hours=_sum(Q(status=Status.VERIFIED) & ~Q(source="")),
            exempt=Value(False),
        )
    )
    exempt = exemptions.order_by().values(key).annotate(**_NO_HOURS, exempt=Value(True))
    return sums.union(exempt, all=True)


def _collect(rows, key: str) -> dict:
    sums, exempt = {}, set()
    for row in rows:
        if row["exempt"]:
            exempt.add(row[key])
        else:
            sums[row[key]] = row
    result = {}
    for k in sums.keys() | exempt:
        row = sums.get(k, {})
        result[k] = Hours.for_year(
            exempt=k in exempt,
            total=Decimal(row.get("verified_hours") or 0),
            school_based=Decimal(row.get("verified_school_based") or 0),
            pending=Decimal(row.get("pending_hours") or 0),
            pending_school_based=Decimal(row.get("pending_school_based") or 0),
            credited=Decimal(row.get("credited_hours") or 0),
        )
    return result


def hours_for_teachers(*, teachers: Iterable[Teacher] | QuerySet, year: int) -> HoursByTeacher:
    """Hours of many teachers in one school year, in one query. ``teachers`` may be a
    queryset (used as a subquery, not evaluated) or a list of teachers or ids."""
    if isinstance(teachers, QuerySet):
        scope = Q(teacher__in=teachers.values("pk"))
    else:
        ids = [getattr(t, "pk", t) for t in teachers]
        if not ids:
            return HoursByTeacher()
        scope = Q(teacher_id__any=ids)
    # The kind too: the (teacher, year, kind) index then reads the year's trainings alone
    # (a district: 28 ms, not 47). For thousands of teachers pass a queryset: a list of
    # ids had the planner read and join the whole training table (90 ms).
    rows = _rows_with_exemptions(
        Training.objects.filter(scope, year=year, kind=Kind.TRAINING),
        HoursExemption.objects.filter(scope, year=year),
        "teacher_id",
    )
    return HoursByTeacher(_collect(rows, "teacher_id"))


def hours_for(*, teacher: Teacher, year: int) -> Hours:
    return hours_for_teachers(teachers=[teacher], year=year)[teacher.pk]


def hours_by_year(*, teacher: Teacher) -> dict[int, Hours]:
    """One teacher's hours in every school year with training or an exemption (the dossier)."""
    rows = _rows_with_exemptions(
        Training.objects.filter(teacher=teacher),
        HoursExemption.objects.filter(teacher=teacher),
        "year",
    )
    return _collect(rows, "year")
