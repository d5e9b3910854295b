"""Load the demo: sites, staff, cohorts, families and whatever each app adds.
Idempotent (a second run changes nothing) and refused in production."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from babysteps.core.channel import audit_channel
from babysteps.demo.registry import DemoContext, seeders


class Command(BaseCommand):
    help = "Load the Baby Steps demo data (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo cannot be loaded with DJANGO_ENV=production.")
        password = getattr(settings, "DEMO_PASSWORD", "babysteps-demo")
        ctx = DemoContext(password=password)
        autodiscover_modules("demo")
        with audit_channel("command"):
            for _, name, seed in seeders():
                with transaction.atomic():
                    seed(ctx)
                if options["verbosity"] > 1:
                    self.stdout.write(f"seeded {name}")
        if options["quiet"]:
            return
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
        self.stdout.write(
            f"Demo logins (password: {password}; second factor: add the key "
            f"{settings.DEMO_TOTP_SECRET} to an authenticator app, then enter its code):"
        )
        for email, description in ctx.logins:
            self.stdout.write(f"  {email:<32} {description}")
        for note in ctx.notes:
            self.stdout.write(note)
