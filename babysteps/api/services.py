"""Creating, checking and revoking API tokens."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.api.models import ApiToken
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object

TOKEN_PREFIX = "bst_"  # noqa: S105 - a public marker, not a secret
# Recording every use would write on every request; once a minute is enough to see use.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def _hash(token: str) -> str:
    # The token is 256 random bits, so a fast hash is safe here (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str = "", created_by: User | None = None) -> str:
    """Create a token for the user and return it. It cannot be shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, name=name, prefix=token[:12], token_hash=_hash(token)
    )
    audit_object(actor=created_by or user, action=Action.CREATE, obj=record)
    return token


def api_token_user(token: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    record = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if record is None:
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


@transaction.atomic
def api_token_revoke(*, token_id: int, revoked_by: User | None = None) -> ApiToken:
    record = ApiToken.objects.select_for_update().get(pk=token_id)
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.save(update_fields=["revoked_at"])
        audit_object(actor=revoked_by, action=Action.CHANGE, obj=record, detail={"revoked": True})
    return record
