"""Writes to organisations and school years."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import District, Holiday, SchoolYear, Semester


@transaction.atomic
def school_year_save(
    *, district: District, data: dict, school_year: SchoolYear | None = None
) -> SchoolYear:
    """Create or update a school year with its two semesters."""
    clash = SchoolYear.objects.filter(district=district, start_year=data["start_year"])
    if school_year is not None:
        clash = clash.exclude(pk=school_year.pk)
    if clash.exists():
        raise ValidationError({"start_year": _("This school year already exists.")})
    school_year = school_year or SchoolYear(district=district)
    school_year.start_year = data["start_year"]
    school_year.start_date = data["start_date"]
    school_year.end_date = data["end_date"]
    school_year.full_clean()
    school_year.save()
    for number, start, end in ((1, "first_start", "first_end"), (2, "second_start", "second_end")):
        Semester.objects.update_or_create(
            school_year=school_year,
            number=number,
            defaults={"start_date": data[start], "end_date": data[end]},
        )
    return school_year


@transaction.atomic
def holiday_add(*, district: District, name: str, start_date, end_date) -> Holiday:
    holiday = Holiday(district=district, name=name, start_date=start_date, end_date=end_date)
    holiday.full_clean()
    holiday.save()
    return holiday


@transaction.atomic
def holiday_remove(*, holiday: Holiday) -> None:
    holiday.delete()
