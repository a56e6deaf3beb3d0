"""python manage.py training_ledger --school CODE --year 2025-2026 [--requirement]

``--requirement`` adds, after the issue's six columns, the school-based hours each teacher
needs (0 when exempted for long-cycle training: records.hours decides) and whether the
requirement is met."""

import csv

from django.core.management.base import BaseCommand

from records.hours import hours_for_teachers
from teachers.models import Teacher

from .training_sessions import parse_year, school_by_code

HEADER = [
    "staff_no", "name", "total_hours", "school_based_hours", "session_hours",
    "self_reported_hours",
]  # fmt: skip
REQUIREMENT = ["school_based_required", "requirement_met"]


def _num(value) -> str:
    return f"{value.normalize():f}" if value else "0"


class Command(BaseCommand):
    help = "Print every teacher's training hours of a school year as CSV (the one ledger)."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument("--year", required=True, help="school year, e.g. 2025-2026")
        parser.add_argument(
            "--requirement",
            action="store_true",
            help="add the school-based hours needed (0 when exempted) and whether they are met",
        )

    def handle(self, *args, school: str, year: str, requirement: bool = False, **opts):
        school_obj, start_year = school_by_code(school), parse_year(year)
        teachers = Teacher.objects.filter(school=school_obj, is_active=True).order_by("staff_no")
        hours = hours_for_teachers(teachers=teachers, year=start_year)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER + REQUIREMENT if requirement else HEADER)
        for t in teachers:
            h = hours[t.pk]
            row = [
                t.staff_no, t.name, _num(h.total), _num(h.school_based), _num(h.credited),
                _num(h.self_reported),
            ]  # fmt: skip
            if requirement:
                row += [_num(h.required_school_based), "yes" if h.met else "no"]
            writer.writerow(row)
