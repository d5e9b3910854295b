"""``python manage.py import_families FILE --site SITE_ID [--cohort COHORT_ID] [--dry-run]
[--create-duplicates]``: bring a site's families in from a CSV or XLSX file.

A file with any bad row saves nothing and exits with status 2, printing every problem on
standard error as ``line N: COLUMN: message`` (the header is line 1). Duplicates are
listed as ``line N: duplicate of family ID (certain|likely)`` (or ``of line M`` within
the file) and skipped; ``--create-duplicates`` records the likely ones anyway (a certain
duplicate, the same identifier, is never recorded twice). The last line printed is
``created N, duplicates N, skipped N``. The operator who ran it is in the audit trail.
"""

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from babysteps.cohorts.models import Cohort
from babysteps.core.channel import audit_channel
from babysteps.imports import reading
from babysteps.imports.services import (
    Outcome,
    Preview,
    check_places,
    import_families,
    preview_import,
)
from babysteps.licensing.models import Site

INVALID = 2


class DryRun(Exception):
    """Raised inside the import's transaction to roll it back after counting."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


class Command(BaseCommand):
    help = "Import families from a CSV or XLSX file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument("--site", type=int, required=True, help="The site's id.")
        parser.add_argument("--cohort", type=int, help="Also place every family in this cohort.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, but save nothing."
        )
        parser.add_argument(
            "--create-duplicates",
            action="store_true",
            help="Record likely duplicates too (never one with a recorded identifier).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(pk=options["site"]).first()
        if site is None:
            raise CommandError(f"No site with id {options['site']}.", returncode=INVALID)
        cohort = None
        if options["cohort"] is not None:
            cohort = Cohort.objects.filter(pk=options["cohort"]).first()
            if cohort is None:
                raise CommandError(f"No cohort with id {options['cohort']}.", returncode=INVALID)
        path: Path = options["file"]
        try:
            sheet = reading.read(path.read_bytes(), path.name)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}", returncode=INVALID) from None
        except reading.UnreadableFile as exc:
            raise CommandError(f"{path}: {exc}", returncode=INVALID) from None
        preview = preview_import(site=site, cohort=cohort, sheet=sheet)
        lines: set[int] = set()
        if options["create_duplicates"] and preview.valid:
            lines = {line for line, found in preview.duplicates.items() if found.can_create}
            if lines:  # the cohort needs room for these too
                check_places(preview, lines)
        if not preview.valid:
            for problem in [*preview.problems, *preview.file_problems]:
                self.stderr.write(str(problem))
            count = len(preview.problems) + len(preview.file_problems)
            raise CommandError(
                f"{count} problem(s) in {path.name}: nothing was saved.", returncode=INVALID
            )
        for duplicate in preview.duplicates.values():
            self.stdout.write(str(duplicate))
        outcome = self._import(preview, lines, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was saved. Had it been:")
        self.stdout.write(str(outcome))

    def _import(self, preview: Preview, lines: set[int], *, dry_run: bool) -> Outcome:
        try:
            with audit_channel("command"), transaction.atomic():
                outcome = import_families(
                    preview=preview,
                    imported_by=None,
                    actor_label=f"command: {getpass.getuser()}",
                    create_lines=lines,
                )
                if dry_run:
                    raise DryRun(outcome)
        except DryRun as rolled_back:
            return rolled_back.outcome
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=INVALID) from None
        return outcome
