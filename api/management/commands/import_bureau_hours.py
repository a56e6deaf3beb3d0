"""python manage.py import_bureau_hours FILE --user USERNAME [--dry-run]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from api.bureau.importing import bureau_hours_import, summary
from api.tokens import may_push_hours
from core.tabular import TableError


class Command(BaseCommand):
    help = (
        "Import training hours from the continuing-education platform's xlsx export, as USERNAME "
        "(a school's manager or the district office): all rows or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help=".xlsx or .csv file, headers in row 1")
        parser.add_argument(
            "--user", required=True, help="who imports: the rows' schools are theirs"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only")

    def handle(self, *args, file: Path, user: str, dry_run: bool, **opts):
        found = get_user_model().objects.filter(username=user).first()
        if found is None or not may_push_hours(found):
            raise CommandError(
                _("%(user)s is not a school's manager or a district office.") % {"user": user}
            )
        try:
            with file.open("rb") as fileobj:
                result = bureau_hours_import(
                    user=found, fileobj=fileobj, filename=file.name, dry_run=dry_run
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except TableError as exc:
            raise CommandError(exc.message) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(result.errors.summary())
        self.stdout.write(self.style.SUCCESS(summary(result)))
