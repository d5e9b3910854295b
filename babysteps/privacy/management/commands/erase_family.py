"""``python manage.py erase_family --family ID --reason TEXT``: erase a family's personal
data now (refused under a legal hold or an open safe-and-well referral, with the reason).
The operator who ran it is recorded in the audit trail."""

import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.core.channel import audit_channel
from babysteps.families.models import Family
from babysteps.privacy.services import erase_family_now


class Command(BaseCommand):
    help = "Erase a family's personal data (keeps anonymous counts and the audit trail)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--family", type=int, required=True, help="The family's id.")
        parser.add_argument(
            "--reason", required=True, help="Why (no names or other personal data)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        family = Family.objects.filter(pk=options["family"]).first()
        if family is None:
            raise CommandError(f"No family with id {options['family']}.")
        with audit_channel("command"):
            try:
                report = erase_family_now(
                    family=family,
                    reason=options["reason"],
                    actor_label=f"command: {getpass.getuser()}",
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Family {family.pk} is erased.")
        for name, count in sorted(report.counts.items()):
            self.stdout.write(f"  {name}: {count}")
