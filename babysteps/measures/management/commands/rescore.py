"""``manage.py rescore INSTRUMENT [--all]``: re-derive stored scores from the stored
answers with the instrument's current rules (after a keying correction)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.core.channel import audit_channel
from babysteps.measures.models import Instrument
from babysteps.measures.services import administrations_rescore


class Command(BaseCommand):
    help = "Re-score stored questionnaires from their item answers with the current rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="Instrument code, e.g. epds.")
        parser.add_argument(
            "--all", action="store_true", help="Every administration, not only older versions."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        instrument = Instrument.objects.filter(code=options["instrument"]).first()
        if instrument is None:
            raise CommandError(f"Unknown instrument '{options['instrument']}'.", returncode=2)
        with audit_channel("command"):
            result = administrations_rescore(
                instrument=instrument, changed_by=None, everything=options["all"]
            )
        self.stdout.write(
            f"{instrument.code} (scoring version {instrument.version}): {result.checked} checked, "
            f"{result.changed} changed, {result.alerts} new alerts."
        )
