"""``python manage.py restore --input DIR``: restore a backup into an empty database and
an empty media folder (a non-empty one is refused), then check the result against the
backup's manifest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and media folder, then verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True, help="The backup folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            check = restore(options["input"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if check.problems:
            raise CommandError(
                "Restored, but the result does not match the manifest:\n  "
                + "\n  ".join(check.problems)
            )
        self.stdout.write(
            f"Restored and verified: {check.tables} tables, {check.rows} rows, "
            f"{check.files} media files match the manifest."
        )
