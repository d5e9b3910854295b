"""Manage API tokens: ``api_token create --email E``, ``api_token list --email E``,
``api_token revoke --id N``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.accounts.models import User, normalise_email
from babysteps.api.models import ApiToken
from babysteps.api.services import api_token_create, api_token_revoke
from babysteps.core.channel import audit_channel


class Command(BaseCommand):
    help = "Create, list or revoke bearer tokens for the JSON API."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token (printed once).")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="")
        listing = sub.add_parser("list", help="List a user's tokens (never the tokens).")
        listing.add_argument("--email", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("--id", type=int, required=True)

    def _user(self, email: str) -> User:
        user = User.objects.filter(email=normalise_email(email), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email {email}.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_channel("command"):
            if options["action"] == "create":
                token = api_token_create(user=self._user(options["email"]), name=options["name"])
                self.stdout.write(token)
                self.stderr.write("Store this token now: it cannot be shown again.")
            elif options["action"] == "list":
                for record in ApiToken.objects.filter(user=self._user(options["email"])):
                    state = "revoked" if record.revoked_at else "active"
                    self.stdout.write(
                        f"{record.pk}\t{record.prefix}...\t{state}\t{record.name}\t"
                        f"created {record.created_at:%Y-%m-%d}"
                    )
            else:
                try:
                    record = api_token_revoke(token_id=options["id"])
                except ApiToken.DoesNotExist:
                    raise CommandError(f"No token with id {options['id']}.") from None
                self.stdout.write(f"Token {record.pk} ({record.prefix}...) is revoked.")
