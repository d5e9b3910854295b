"""``python manage.py subject_access --family ID [--parent mother|partner] --output FILE.zip``:
everything held about a family (or one parent), as a ZIP of JSON and HTML. Audited as an
export by the operator who ran it."""

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.core.channel import audit_channel
from babysteps.families.models import Family
from babysteps.privacy.services import subject_access_export


class Command(BaseCommand):
    help = "Export everything held about a family (or one of its parents) as a ZIP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--family", type=int, required=True, help="The family's id.")
        parser.add_argument("--parent", choices=["mother", "partner"], default=None)
        parser.add_argument("--output", required=True, help="Where to write the ZIP.")

    def handle(self, *args: Any, **options: Any) -> None:
        family = Family.objects.select_related("site").filter(pk=options["family"]).first()
        if family is None:
            raise CommandError(f"No family with id {options['family']}.")
        output = Path(options["output"])
        if output.suffix.lower() != ".zip":
            raise CommandError("The output must be a .zip file.")
        if not output.parent.is_dir():
            raise CommandError(f"The folder {output.parent} does not exist.")
        with audit_channel("command"):
            try:
                content = subject_access_export(
                    family=family,
                    parent_role=options["parent"],
                    actor=None,
                    actor_label=f"command: {getpass.getuser()}",
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        output.write_bytes(content)
        output.chmod(0o600)  # special-category data: readable by its owner only
        self.stdout.write(f"Wrote {output} ({len(content)} bytes).")
