"""python manage.py import_designations FILE --school CODE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from backbone.importing import designation_import
from core.models import School
from core.tabular import TableError


class Command(BaseCommand):
    help = "Import a school's external designations from an .xlsx or .csv file (all or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".xlsx or .csv file, headers in row 1")
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )

    def handle(self, *args, file: Path, school: str, dry_run: bool, **options):
        school_obj = School.objects.filter(code=school).first()
        if school_obj is None:
            raise CommandError(_("There is no school with code %(code)s.") % {"code": school})
        try:
            with file.open("rb") as fileobj:
                result = designation_import(
                    school=school_obj, fileobj=fileobj, filename=file.name, dry_run=dry_run
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except TableError as exc:
            raise CommandError(exc.message) from exc

        if not result.ok:
            for error in result.errors:  # the first IMPORT_MAX_ERRORS
                self.stderr.write(str(error))
            raise CommandError(result.errors.summary())
        summary = _(
            "%(school)s: %(created)d designations created, %(updated)d updated, "
            "%(unchanged)d unchanged."
        ) % {
            "school": school_obj.name,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            summary = _("Dry run, nothing written. %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
