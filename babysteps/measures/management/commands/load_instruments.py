"""``manage.py load_instruments``: load or update instrument definitions from files.

With no arguments, the shipped definitions (``babysteps/measures/instruments/*.yaml``).
``--file PATH`` (repeatable) loads further definitions, e.g. an attachment scale an NSPCC
admin has written. ``--wording PATH`` (or the MEASURES_WORDING_FILE setting) loads the
licensed full wording the deploying organisation supplies. A changed scoring rule raises
the instrument's scoring version; run ``manage.py rescore`` afterwards."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.core.channel import audit_channel
from babysteps.measures.catalogue import (
    read_definition_file,
    read_wording_file,
    shipped_definitions,
)
from babysteps.measures.definition import DefinitionError
from babysteps.measures.services import instrument_save, instrument_wording_load


class Command(BaseCommand):
    help = "Load instrument definitions (shipped, or from files) and licensed wording."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", action="append", default=[], help="A definition file.")
        parser.add_argument("--wording", default="", help="The licensed wording file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            definitions = (
                [read_definition_file(Path(p)) for p in options["file"]]
                if options["file"]
                else shipped_definitions()
            )
            wording_path = options["wording"] or settings.MEASURES_WORDING_FILE
            wording = read_wording_file(Path(wording_path)) if wording_path else {}
        except DefinitionError as exc:
            raise CommandError(str(exc), returncode=2) from None
        with audit_channel("command"):
            try:
                for data in definitions:
                    instrument = instrument_save(data=data, changed_by=None)
                    self.stdout.write(f"{instrument.code}: scoring version {instrument.version}")
                if wording:
                    loaded = instrument_wording_load(wording=wording, changed_by=None)
                    self.stdout.write(f"Licensed wording loaded for: {', '.join(loaded)}")
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages), returncode=2) from None
