"""python manage.py training_ledger --school CODE --year 2025-2026"""

import csv

from django.core.management.base import BaseCommand

from records.hours import hours_for_teachers
from teachers.models import Teacher

from .training_sessions import parse_year, school_by_code

HEADER = [
    "staff_no", "name", "total_hours", "school_based_hours", "session_hours",
    "self_reported_hours",
]  # fmt: skip


def _num(value) -> str:
    return f"{value.normalize():f}" if value else "0"


class Command(BaseCommand):
    help = "Print every teacher's training hours of a school year as CSV (the one ledger)."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument("--year", required=True, help="school year, e.g. 2025-2026")

    def handle(self, *args, school: str, year: str, **opts):
        school_obj, start_year = school_by_code(school), parse_year(year)
        teachers = Teacher.objects.filter(school=school_obj, is_active=True).order_by("staff_no")
        hours = hours_for_teachers(teachers=teachers, year=start_year)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        for t in teachers:
            h = hours[t.pk]
            writer.writerow([
                t.staff_no, t.name, _num(h.total), _num(h.school_based), _num(h.credited),
                _num(h.self_reported),
            ])  # fmt: skip
