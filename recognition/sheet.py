"""The monthly allowance sheet (津贴发放表), computed from the designations: nobody enters it.

The rule, as a finance office pays: **each month pays the tier a teacher holds on the first
day of that month.** So a designation, a promotion or a revocation during a month takes effect
from the following month (on the 1st itself, from that month); the month of the change is
paid at the tier held when it began. A term ends on 31 August, so August is its last month.
A designation made in Gugan (selection round, promotion) starts on the day it was made; one
recorded from a certificate or imported starts with its term (1 September of its first school
year). A teacher who left is not paid for the months after leaving.

The amount comes from the rates (``Rate``): the school's own rate valid in that month, else
the district's default. A month before any rate is valid owes nothing. A month paid is
frozen: the payment keeps the amount paid, and a teacher is paid at most once a month.

Every sheet of a school costs three queries however many teachers and months: designations,
rates, payments.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from backbone.models import Designation, Tier, term_end_date
from core.models import School
from teachers.models import Teacher

from .models import AllowancePayment, Rate, month_start

ARREARS_MONTHS = 36  # how far back unpaid months are looked for


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def designation_start(designation: Designation) -> datetime.date:
    """A designation made in Gugan (a selection round, a promotion) counts from the day it
    was made; one recorded from a certificate or imported, from the start of its term: the
    bureau designated it for that term, whenever the school recorded it."""
    term_start = datetime.date(designation.first_year, 9, 1)
    if designation.source in (Designation.Source.EXTERNAL, Designation.Source.IMPORT):
        return term_start
    return max(designation.designated_on, term_start)


def held_on(designation: Designation, day: datetime.date) -> bool:
    """Whether the teacher held this designation on ``day`` (the first of a month)."""
    if day < designation_start(designation):
        return False
    if day > term_end_date(designation.last_year):
        return False
    closed = designation.closed_on
    if designation.status != Designation.Status.ACTIVE and closed is None:
        return False
    # Closed on a day: not held that day any more (a revocation on the 1st stops that month).
    return closed is None or day < closed


def on_staff(teacher: Teacher, day: datetime.date) -> bool:
    if teacher.left_on is not None:
        return day < teacher.left_on
    return teacher.is_active


class RateBook:
    """The rates of one district and its schools, asked by kind, tier, school and day."""

    def __init__(self, rates):
        self._rows = defaultdict(list)
        for rate in rates:
            self._rows[(rate.kind, rate.tier_id, rate.school_id)].append(rate)
        for rows in self._rows.values():
            rows.sort(key=lambda r: r.valid_from, reverse=True)

    def _latest(self, key, day):
        return next((r for r in self._rows.get(key, ()) if r.valid_from <= day), None)

    def rate(self, *, kind: str, tier_id: int | None, school_id: int, day: datetime.date):
        """The school's own rate valid on ``day``, else the district default, else None."""
        return self._latest((kind, tier_id, school_id), day) or self._latest(
            (kind, tier_id, None), day
        )

    def first_month(self, *, kind: str, school_id: int) -> datetime.date | None:
        days = [
            r.valid_from
            for (k, _tier, school), rows in self._rows.items()
            if k == kind and school in (school_id, None)
            for r in rows
        ]
        return min(days) if days else None


def rate_book(*, school: School) -> RateBook:
    return RateBook(
        Rate.objects.filter(district_id=school.district_id).filter(
            Q(school__isnull=True) | Q(school=school)
        )
    )


@dataclass
class Line:
    teacher: Teacher
    month: datetime.date
    tier: Tier
    designation: Designation | None = None
    due: Decimal | None = None  # None: no rate set for this tier yet
    payment: AllowancePayment | None = None

    @property
    def amount(self) -> Decimal | None:
        return self.payment.amount if self.payment else self.due

    @property
    def is_paid(self) -> bool:
        return self.payment is not None

    @property
    def payable(self) -> bool:
        return self.payment is None and bool(self.due)


@dataclass
class Sheet:
    school: School
    month: datetime.date
    lines: list[Line] = field(default_factory=list)
    arrears: list[Line] = field(default_factory=list)  # earlier months, due and unpaid

    @property
    def total(self) -> Decimal:
        return sum((line.amount or 0 for line in self.lines), Decimal(0))

    @property
    def paid_total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.is_paid), Decimal(0))

    @property
    def unpaid(self) -> list[Line]:
        return [line for line in self.lines if line.payable]

    @property
    def unpaid_total(self) -> Decimal:
        return sum((line.due for line in self.unpaid), Decimal(0))

    @property
    def arrears_total(self) -> Decimal:
        return sum((line.due for line in self.arrears), Decimal(0))

    @property
    def arrears_by_month(self) -> list[tuple[datetime.date, int, Decimal]]:
        months: dict = defaultdict(lambda: [0, Decimal(0)])
        for line in self.arrears:
            months[line.month][0] += 1
            months[line.month][1] += line.due
        return [(m, n, total) for m, (n, total) in sorted(months.items())]

    @property
    def paid_dates(self) -> list[datetime.date]:
        return sorted({line.payment.paid_on for line in self.lines if line.payment})


def _due_lines(
    school: School, designations, book: RateBook, months: list[datetime.date]
) -> dict[datetime.date, dict[int, Line]]:
    by_month: dict = {m: {} for m in months}
    for d in designations:
        for month in months:
            if not held_on(d, month) or not on_staff(d.teacher, month):
                continue
            held = by_month[month].get(d.teacher_id)
            if held is not None and held.tier.level >= d.tier.level:
                continue  # (overlapping records) one tier a month, the highest
            rate = book.rate(
                kind=Rate.Kind.ALLOWANCE, tier_id=d.tier_id, school_id=school.pk, day=month
            )
            by_month[month][d.teacher_id] = Line(
                teacher=d.teacher,
                month=month,
                tier=d.tier,
                designation=d,
                due=rate.amount if rate else None,
            )
    return by_month


def allowance_months(
    *,
    school: School,
    first: datetime.date,
    last: datetime.date,
    book: RateBook | None = None,
    teacher: Teacher | None = None,
) -> dict[datetime.date, list[Line]]:
    """Each month's lines from ``first`` to ``last``: what is due and what was paid (only
    ``teacher``'s, when given)."""
    months = months_between(first, last)
    book = book or rate_book(school=school)
    designations = Designation.objects.filter(
        teacher__school=school, is_honorary=False, last_year__gte=first.year - 1
    ).select_related("teacher", "tier")
    payments = AllowancePayment.objects.filter(
        school=school, month__gte=months[0], month__lte=months[-1]
    ).select_related("teacher", "tier")
    if teacher is not None:
        designations = designations.filter(teacher=teacher)
        payments = payments.filter(teacher=teacher)
    by_month = _due_lines(school, designations, book, months)
    for payment in payments:
        lines = by_month[payment.month]
        line = lines.get(payment.teacher_id)
        if line is None:
            line = lines[payment.teacher_id] = Line(
                teacher=payment.teacher, month=payment.month, tier=payment.tier
            )
        line.payment = payment
    return {
        month: sorted(lines.values(), key=lambda line: (-line.tier.level, line.teacher.staff_no))
        for month, lines in by_month.items()
    }


def allowance_sheet(*, school: School, month: datetime.date, arrears: bool = True) -> Sheet:
    """The sheet of ``month`` with the arrears of the months before it."""
    month = month_start(month)
    first = month
    book = rate_book(school=school)
    if arrears:
        earliest = book.first_month(kind=Rate.Kind.ALLOWANCE, school_id=school.pk)
        bound = add_months(month, -ARREARS_MONTHS)
        if earliest is not None:
            first = min(month, max(month_start(earliest), bound))
    by_month = allowance_months(school=school, first=first, last=month, book=book)
    sheet = Sheet(school=school, month=month, lines=by_month.pop(month))
    sheet.arrears = [line for lines in by_month.values() for line in lines if line.payable]
    return sheet


def teacher_allowances(*, teacher: Teacher, until: datetime.date | None = None) -> list[Line]:
    """A teacher's allowance month by month, newest first: what was paid and what is owed."""
    last = month_start(until or timezone.localdate())
    school = teacher.school
    book = rate_book(school=school)
    earliest = book.first_month(kind=Rate.Kind.ALLOWANCE, school_id=school.pk)
    if earliest is None:
        return []
    first = min(last, max(month_start(earliest), add_months(last, -ARREARS_MONTHS)))
    by_month = allowance_months(school=school, first=first, last=last, book=book, teacher=teacher)
    return [line for month in sorted(by_month, reverse=True) for line in by_month[month]]


def current_month() -> datetime.date:
    return month_start(timezone.localdate())
