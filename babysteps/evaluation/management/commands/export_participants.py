"""``python manage.py export_participants --format csv|xlsx|sav|dta --output FILE
[the evaluate filters]``: the pseudonymised participant file (families consenting to the
evaluation only), with a codebook and notes beside it (``FILE.codebook.csv`` and
``FILE.notes.txt``; the XLSX holds them as sheets, the ``.sav`` its notes too). Audited as
an export."""

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.channel import audit_channel
from babysteps.evaluation import statfiles
from babysteps.evaluation.cli import add_filter_arguments, filters_from
from babysteps.evaluation.participants import participant_table


class Command(BaseCommand):
    help = "Write the pseudonymised participant file as CSV, XLSX, SPSS (.sav) or Stata (.dta)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=statfiles.FORMATS, required=True)
        parser.add_argument("--output", required=True, help="The file to write.")
        add_filter_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.", returncode=2)
        if output.suffix.lower() != f".{options['format']}":
            raise CommandError(
                f"The output should end in .{options['format']} for --format {options['format']}.",
                returncode=2,
            )
        filters = filters_from(options, group_by="")
        table = participant_table(filters, site_ids=None)
        content = statfiles.WRITERS[options["format"]](table)
        output.write_bytes(content)
        codebook = output.with_name(f"{output.stem}.codebook.csv")
        codebook.write_text(statfiles.codebook_csv(table))
        notes = output.with_name(f"{output.stem}.notes.txt")
        notes.write_text(statfiles.notes_text(table))
        for path in (output, codebook, notes):
            path.chmod(0o600)  # pseudonymised, still special-category: the owner only
        with audit_channel("command"):
            audit_record(
                actor=None,
                actor_label=f"command: {getpass.getuser()}",
                action=Action.EXPORT,
                object_type="evaluation",
                reason="participant file",
                detail={
                    "format": options["format"],
                    "rows": table.size,
                    "filters": dict(filters.describe()),
                },
            )
        self.stdout.write(
            f"Wrote {output} ({table.size} rows, {len(table.columns)} columns), "
            f"{codebook.name} and {notes.name}."
        )
