"""python manage.py import_attendance FILE --session CODE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.tabular import TableError
from training.importing import attendance_import
from training.models import Session


class Command(BaseCommand):
    help = "Import a session's sign-in sheet (姓名, 工号 or 手机, 签到时间): all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".xlsx or .csv file, headers in row 1")
        parser.add_argument("--session", required=True, help="the session's code")
        parser.add_argument("--dry-run", action="store_true", help="check only")

    def handle(self, *args, file: Path, session: str, dry_run: bool, **opts):
        found = Session.objects.select_related("programme").filter(code=session.upper()).first()
        if found is None:
            raise CommandError(_("There is no session with code %(code)s.") % {"code": session})
        try:
            with file.open("rb") as fileobj:
                result = attendance_import(
                    session=found, fileobj=fileobj, filename=file.name, dry_run=dry_run
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except TableError as exc:
            raise CommandError(exc.message) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.errors.summary())
        summary = _("%(session)s: %(signed_in)d signed in, %(unchanged)d unchanged.") % {
            "session": found.code,
            "signed_in": result.signed_in,
            "unchanged": result.unchanged,
        }
        if dry_run:
            summary = _("Dry run, nothing written. %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
