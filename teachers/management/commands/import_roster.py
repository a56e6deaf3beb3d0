"""python manage.py import_roster FILE --school CODE [--dry-run] [--create-groups]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.models import School
from core.tabular import TableError
from teachers.importing import roster_import


class Command(BaseCommand):
    help = "Import a school's teacher roster from an .xlsx or .csv file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".xlsx or .csv file, headers in row 1")
        parser.add_argument("--school", required=True, help="school code")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )
        parser.add_argument(
            "--create-groups",
            action="store_true",
            help="create teaching-research groups named in the file that do not exist yet",
        )

    def handle(self, *args, file: Path, school: str, dry_run: bool, create_groups: bool, **opts):
        school_obj = School.objects.filter(code=school).first()
        if school_obj is None:
            raise CommandError(_("There is no school with code %(code)s.") % {"code": school})
        try:
            with file.open("rb") as fileobj:
                result = roster_import(
                    school=school_obj,
                    fileobj=fileobj,
                    filename=file.name,
                    create_groups=create_groups,
                    dry_run=dry_run,
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
            "%(school)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
        ) % {
            "school": school_obj.name,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if result.new_groups:
            summary += " " + _("New groups: %(groups)s.") % {"groups": "、".join(result.new_groups)}
        if dry_run:
            summary = _("Dry run, nothing written. %(summary)s") % {"summary": summary}
        self.stdout.write(self.style.SUCCESS(summary))
