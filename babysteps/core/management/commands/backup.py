"""``python manage.py backup --output DIR``: a consistent copy of the database (SQLite's
online backup API, or ``pg_dump``), the media files and a manifest of row counts and
checksums. ``python manage.py backup --verify DIR`` checks a backup without restoring it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.core.backups import BackupError, backup, verify


class Command(BaseCommand):
    help = "Back up the database and media files, or verify a backup (--verify DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--output", type=Path, help="A new folder to write the backup to.")
        target.add_argument("--verify", type=Path, help="A backup folder to check.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["verify"] is not None:
                check = verify(options["verify"])
                if check.problems:
                    raise CommandError(
                        "The backup does not verify:\n  " + "\n  ".join(check.problems)
                    )
                self.stdout.write(
                    f"The backup verifies: {check.tables} tables, {check.rows} rows, "
                    f"{check.files} media files match the manifest."
                )
                return
            manifest = backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Backed up to {options['output']}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {len(manifest['media'])} media files."
        )
