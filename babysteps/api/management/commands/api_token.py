"""Manage API tokens: ``api_token create --email E [--days N]``, ``api_token list --email E``,
``api_token revoke --id N``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from babysteps.accounts.models import User, normalise_email
from babysteps.api.models import ApiToken
from babysteps.api.services import api_token_create, api_token_revoke
from babysteps.core.channel import audit_channel


def _when(value: Any) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else "never"


class Command(BaseCommand):
    help = "Create, list or revoke bearer tokens for the JSON API."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token (printed once).")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="")
        create.add_argument(
            "--days", type=int, default=None, help="Days until it expires (default API_TOKEN_DAYS)."
        )
        listing = sub.add_parser("list", help="List a user's tokens (never the tokens).")
        listing.add_argument("--email", required=True)
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("--id", type=int, required=True)

    def _user(self, email: str, *, active: bool = True) -> User:
        users = User.objects.filter(email=normalise_email(email))
        user = (users.filter(is_active=True) if active else users).first()
        if user is None:
            raise CommandError(f"No {'active ' if active else ''}user with the email {email}.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        with audit_channel("command"):
            if options["action"] == "create":
                try:
                    token = api_token_create(
                        user=self._user(options["email"]),
                        name=options["name"],
                        days=options["days"],
                    )
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
                self.stdout.write(token)
                self.stderr.write("Store this token now: it cannot be shown again.")
            elif options["action"] == "list":
                tokens = ApiToken.objects.filter(user=self._user(options["email"], active=False))
                self.stdout.write("id\tprefix\tstate\tname\tcreated\texpires\tlast used")
                for record in tokens:
                    state = record.state
                    if record.revoked_reason:
                        state += f" ({record.revoked_reason})"
                    self.stdout.write(
                        f"{record.pk}\t{record.prefix}...\t{state}\t{record.name}\t"
                        f"{_when(record.created_at)}\t{_when(record.expires_at)}\t"
                        f"{_when(record.last_used_at)}"
                    )
            else:
                try:
                    record = api_token_revoke(token_id=options["id"])
                except ApiToken.DoesNotExist:
                    raise CommandError(f"No token with id {options['id']}.") from None
                self.stdout.write(f"Token {record.pk} ({record.prefix}...) is revoked.")
