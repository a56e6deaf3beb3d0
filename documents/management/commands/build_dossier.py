"""python manage.py build_dossier --school CODE --teacher STAFF_NO --out PATH

Prints one teacher's dossier without the web: for the office's scripts, and with --html to
work on the templates (the HTML WeasyPrint would lay out)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.jobs import JobError
from core.models import School
from core.pdf import html_to_pdf, require_cjk_font
from documents.dossier import dossier_data, dossier_html
from teachers.models import Teacher


class Command(BaseCommand):
    help = "Write one teacher's dossier (业务档案) as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument("--teacher", required=True, help="staff number")
        parser.add_argument("--out", required=True, help="file to write")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
        )
        parser.add_argument("--html", action="store_true", help="write the HTML, not the PDF")

    def handle(self, *args, school, teacher, out, language, html, **options):
        found = School.objects.filter(code=school).first()
        if found is None:
            raise CommandError(f"No school with code {school}.")
        person = (
            Teacher.objects.select_related("school__district", "group")
            .filter(school=found, staff_no=teacher)
            .first()
        )
        if person is None:
            raise CommandError(f"No teacher with staff number {teacher} at {found.code}.")
        markup = dossier_html(dossiers=[dossier_data(teacher=person)], language=language)
        path = Path(out)
        if html:
            path.write_text(markup, encoding="utf-8")
        else:
            try:
                require_cjk_font()
            except JobError as exc:
                raise CommandError(str(exc)) from exc
            path.write_bytes(html_to_pdf(markup))
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
