"""python manage.py open_school_year 2026-2027 --school CODE"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessment.services.duties import school_year_open
from core.models import School


class Command(BaseCommand):
    help = (
        "Open a school year for a school's district: the year and its semesters, default "
        "duties, expired designations. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="the school year, e.g. 2026-2027 (or 2026)")
        parser.add_argument("--school", required=True, help="school code")

    def handle(self, *args, year: str, school: str, **options):
        match = re.fullmatch(r"(\d{4})(?:\s*[-–/]\s*(\d{4}))?", year.strip())
        if not match or (match[2] and int(match[2]) != int(match[1]) + 1):
            raise CommandError(_("Give the school year as 2026-2027."))
        school_obj = School.objects.select_related("district").filter(code=school).first()
        if school_obj is None:
            raise CommandError(_("There is no school with code %(code)s.") % {"code": school})
        report = school_year_open(
            district=school_obj.district, start_year=int(match[1]), school=school_obj
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.changed:
            self.stdout.write(_("Nothing to do: the school year was already open."))
