from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into the configured database (which "
        "must be new and empty) and file storage. Every checksum is verified first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            manifest = backup_restore(archive_path=file)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Restored {manifest['database']} database and {manifest['files']} files "
            f"from the backup made {manifest['created_at']}."
        )
