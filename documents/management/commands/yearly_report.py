"""python manage.py yearly_report --school CODE | --district CODE --year 2025-2026 --out PATH"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.jobs import JobError
from core.models import District, School

from ...reports import write_report
from ...yearly import parse_year, yearly_report


class Command(BaseCommand):
    help = "Write the yearly review report of a school or a district as PDF or xlsx."

    def add_arguments(self, parser):
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--school", help="school code")
        owner.add_argument("--district", help="district code")
        parser.add_argument("--year", required=True, help="school year, e.g. 2025-2026")
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument("--format", choices=["pdf", "xlsx"], help="default: from --out")
        parser.add_argument("--language", default=None, help="e.g. zh-hans or en")

    def handle(self, *args, school, district, year, out, format, language, **options):
        try:
            start = parse_year(year)
        except ValueError:
            raise CommandError(f"Bad school year {year!r}: write it as 2025-2026.") from None
        owner = {}
        if school:
            owner["school"] = School.objects.select_related("district").filter(code=school).first()
            if owner["school"] is None:
                raise CommandError(f"No school with the code {school!r}.")
            language = language or owner["school"].language
        else:
            owner["district"] = District.objects.filter(code=district).first()
            if owner["district"] is None:
                raise CommandError(f"No district with the code {district!r}.")
        path = Path(out)
        fmt = format or ("xlsx" if path.suffix.lower() == ".xlsx" else "pdf")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        report = yearly_report(year=start, **owner)
        try:
            seconds = write_report(
                report, out=path, fmt=fmt, language=language or settings.LANGUAGE_CODE
            )
        except JobError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes) in {seconds:.2f} s.")
