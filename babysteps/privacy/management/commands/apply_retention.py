"""``python manage.py apply_retention [--dry-run]``: apply the retention schedule now and
say, by record class, what was past its period, what was held, and what was done. The
periodic jobs run it once a day (``RETENTION_HOUR``)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from babysteps.core.channel import audit_channel
from babysteps.privacy.models import RecordClass
from babysteps.privacy.services import retention_run


class Command(BaseCommand):
    help = "Anonymise or delete what is past its retention period (legal holds respected)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be done; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        with audit_channel("command"):
            report = retention_run(now=timezone.now(), dry_run=dry_run, channel="command")
        verb = "would be done" if dry_run else "done"
        self.stdout.write(
            f"Retention {'(dry run: nothing changed)' if dry_run else 'applied'}.\n"
            f"{'record class':<40} {'past period':>11} {'held':>6} {verb:>13}"
        )
        for record_class, result in report.classes.items():
            label = RecordClass(record_class).label
            done = result.due - result.held if dry_run else result.done
            self.stdout.write(f"{label:<40} {result.due:>11} {result.held:>6} {done:>13}")
