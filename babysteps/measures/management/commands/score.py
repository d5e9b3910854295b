"""``manage.py score INSTRUMENT ANSWERS``: score one set of answers and print JSON.

ANSWERS is a comma-separated list of 0-based option positions, e.g. ``0,1,2,3,0,1,2,3,0,0``.
A wrong count, an out-of-range or non-numeric position, or an unknown instrument is a
one-line error on stderr with exit code 2."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.measures.models import Instrument
from babysteps.measures.scoring import AnswerError, score


class Command(BaseCommand):
    help = "Score answers (option positions) for an instrument and print the scores as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="Instrument code, e.g. epds, phq9, swemwbs.")
        parser.add_argument("answers", help="Comma-separated option positions, from 0.")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["instrument"].strip().lower()
        instrument = Instrument.objects.filter(code=code).first()
        if instrument is None:
            known = ", ".join(Instrument.objects.values_list("code", flat=True))
            raise CommandError(f"Unknown instrument '{code}' (known: {known}).", returncode=2)
        answers = [part.strip() for part in options["answers"].split(",")]
        try:
            result = score(instrument.spec, answers)
        except AnswerError as exc:
            raise CommandError(f"Invalid answers for {code}: {exc}", returncode=2) from None
        self.stdout.write(json.dumps(result.as_dict()))
