from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_check, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file into one archive (safe while the app "
        "runs); --check FILE reads an archive back and verifies every checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "var" / "backups",
            help="directory for the archive (default var/backups)",
        )
        parser.add_argument("--check", type=Path, metavar="FILE", help="verify an archive")

    def handle(self, *args, output, check, **options):
        try:
            if check:
                manifest = backup_check(archive_path=check)
                self.stdout.write(
                    f"OK {check}: {manifest['database']} database, {manifest['files']} files, "
                    f"made {manifest['created_at']}"
                )
                return
            path = backup_create(output_dir=output)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(str(path))
