"""Dates checked against the school year and today, with one wording for every form.

School years run September–August (core.models.school_year_start). What may lie ahead is
planned at most until the end of the next school year; nothing is older than
OLDEST_YEARS school years. Forms call these and put the message on the field."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import school_year_label, school_year_start

OLDEST_YEARS = 20


def school_year_bounds(start_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


def latest_planned_day(today: datetime.date | None = None) -> datetime.date:
    """The last day anything may be planned for: the end of the next school year."""
    today = today or timezone.localdate()
    return school_year_bounds(school_year_start(today) + 1)[1]


def earliest_day(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return school_year_bounds(school_year_start(today) - OLDEST_YEARS)[0]


def _show(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def check_day(day: datetime.date, *, future: bool, today: datetime.date | None = None) -> None:
    """Refuse a day after today (unless ``future``: then until the end of the next school
    year) or one older than OLDEST_YEARS school years: such a year is a typing mistake."""
    today = today or timezone.localdate()
    if day > today and not future:
        raise ValidationError(
            _("%(day)s is after today. Give the date on which it took place.") % {"day": _show(day)}
        )
    latest = latest_planned_day(today)
    if day > latest:
        raise ValidationError(
            _(
                "%(day)s is too far ahead: plans reach at most the end of the school year "
                "%(year)s (%(latest)s). Check the year."
            )
            % {
                "day": _show(day),
                "year": school_year_label(school_year_start(latest)),
                "latest": _show(latest),
            }
        )
    oldest = earliest_day(today)
    if day < oldest:
        raise ValidationError(
            _("%(day)s is before %(oldest)s. Check the year.")
            % {"day": _show(day), "oldest": _show(oldest)}
        )


def check_in_school_year(day: datetime.date, *, start_year: int, before_months: int = 0) -> None:
    """Refuse a day outside the school year ``start_year`` (or up to ``before_months``
    months before it starts, for what prepares the year, such as applications)."""
    first, last = school_year_bounds(start_year)
    if before_months:
        month = first.month - before_months
        first = first.replace(year=first.year + (month - 1) // 12, month=(month - 1) % 12 + 1)
    if not first <= day <= last:
        raise ValidationError(
            _(
                "%(day)s is outside the school year %(year)s: choose a date from %(first)s "
                "to %(last)s."
            )
            % {
                "day": _show(day),
                "year": school_year_label(start_year),
                "first": _show(first),
                "last": _show(last),
            }
        )


def form_check_days(form, *names: str, future: bool) -> None:
    """check_day on each named date field of a cleaned form; errors go on the field."""
    for name in names:
        day = form.cleaned_data.get(name)
        if not day or form.has_error(name):
            continue
        if isinstance(day, datetime.datetime):
            day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
        try:
            check_day(day, future=future)
        except ValidationError as exc:
            form.add_error(name, exc.messages)


def form_check_order(form, first: str, last: str, message=None) -> None:
    """The ``last`` date field may not be before the ``first`` one."""
    start, end = form.cleaned_data.get(first), form.cleaned_data.get(last)
    if start and end and end < start and not form.has_error(last):
        form.add_error(last, message or _("This date cannot be before the first one."))


# -- working days (工作日): Monday to Friday, outside the district's holidays ----------------------
def _holiday_days(district_id: int | None, first: datetime.date, last: datetime.date) -> set:
    from .models import Holiday

    days = set()
    for start, end in Holiday.objects.filter(
        district_id=district_id, start_date__lte=last, end_date__gte=first
    ).values_list("start_date", "end_date"):
        day = max(start, first)
        while day <= min(end, last):
            days.add(day)
            day += datetime.timedelta(days=1)
    return days


def working_days(first: datetime.date, last: datetime.date, *, district_id: int | None) -> int:
    """How many working days lie in ``first``..``last``, both included."""
    if last < first:
        return 0
    off = _holiday_days(district_id, first, last)
    count, day = 0, first
    while day <= last:
        count += day.weekday() < 5 and day not in off
        day += datetime.timedelta(days=1)
    return count


def working_day_end(first: datetime.date, n: int, *, district_id: int | None) -> datetime.date:
    """The day on which a period starting on ``first`` has lasted ``n`` working days."""
    # Holidays are at most a few weeks long: look ahead generously once, then walk.
    off = _holiday_days(district_id, first, first + datetime.timedelta(days=7 * n + 60))
    day, count = first, 0
    while True:
        if day.weekday() < 5 and day not in off:
            count += 1
            if count >= n:
                return day
        day += datetime.timedelta(days=1)
