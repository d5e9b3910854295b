"""Invitation links: one use, a few days (``STAFF_INVITATION_DAYS``).

Django's password-reset token, with its own salt and lifetime: it is signed over the
account's password hash, so it stops working the moment the new member sets a password
(one use), and over ``is_active``, so deactivating an invited account kills its link. The
token travels in the query string (kept out of access logs, which log the path only) and
is moved into the session at once, so it is not in the address bar or a Referer.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlencode, urlsafe_base64_encode

from babysteps.accounts.models import User


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "babysteps.staff.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.STAFF_INVITATION_DAYS * 86400:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()


def invitation_link(user: User) -> str:
    query = urlencode(
        {
            "uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        }
    )
    return f"{settings.SITE_URL}{reverse('staff:invitation')}?{query}"


def invitation_email(*, user: User, site_name: str, invited_by: User) -> tuple[str, str]:
    """Subject and body. No family details; the link is the only secret."""
    days = settings.STAFF_INVITATION_DAYS
    body = (
        f"Hello {user.full_name},\n\n"
        f"{invited_by.full_name} has invited you to the Baby Steps platform at {site_name}.\n\n"
        f"Set your password here (the link works once, for {days} days):\n"
        f"{invitation_link(user)}\n\n"
        "Then you will set up a second factor: an authenticator app on your phone, or a "
        "passkey. Every sign-in asks for it.\n\n"
        "If you were not expecting this, you can ignore this email.\n"
    )
    return "You are invited to Baby Steps", body
