"""python manage.py training_sessions --school CODE [--year 2025-2026]"""

import csv

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import School, school_year_start
from training.models import Session

HEADER = ["code", "programme", "date", "start", "end", "hours"]


def parse_year(value: str | None) -> int:
    """2025-2026 (or 2025) -> 2025; the current school year when empty."""
    if not value:
        return school_year_start(timezone.localdate())
    first, _sep, second = value.partition("-")
    if not first.isdigit() or len(first) != 4 or (second and second != str(int(first) + 1)):
        raise CommandError(_("Give the school year as 2025-2026."))
    return int(first)


def school_by_code(code: str) -> School:
    school = School.objects.filter(code=code).first()
    if school is None:
        raise CommandError(_("There is no school with code %(code)s.") % {"code": code})
    return school


class Command(BaseCommand):
    help = "Print the school's training sessions (its own and its district's) as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument("--year", help="school year, e.g. 2025-2026 (default: the current)")

    def handle(self, *args, school: str, year: str | None, **opts):
        school_obj, start_year = school_by_code(school), parse_year(year)
        sessions = (
            Session.objects.filter(programme__year=start_year)
            .filter(
                Q(programme__school=school_obj)
                | Q(programme__school__isnull=True, programme__district_id=school_obj.district_id)
            )
            .select_related("programme")
            .order_by("date", "starts_at", "code")
        )
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(HEADER)
        for s in sessions:
            writer.writerow([
                s.code, s.programme.title, s.date.isoformat(), s.starts_at.strftime("%H:%M"),
                s.ends_at.strftime("%H:%M"), f"{s.hours.normalize():f}",
            ])  # fmt: skip
