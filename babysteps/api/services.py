"""Creating, checking and revoking API tokens.

A token has a life (``API_TOKEN_DAYS``), records when it was last used, and ends with the
terms it was issued under: it is revoked when its account is deactivated, changes or
resets its password, or loses or changes a role (``accounts.signals.access_reduced``).
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.api.models import ApiToken
from babysteps.audit.actor import current_actor
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object

TOKEN_PREFIX = "bst_"  # noqa: S105 - a public marker, not a secret
# Recording every use would write on every request; once a minute is enough to see use.
LAST_USED_GRANULARITY = timedelta(minutes=1)


def _hash(token: str) -> str:
    # The token is 256 random bits, so a fast hash is safe here (no dictionary to attack).
    return hashlib.sha256(token.encode()).hexdigest()


def token_days(days: int | None) -> int:
    """The life asked for, or the default; a ValidationError outside 1..API_TOKEN_MAX_DAYS."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token lives between 1 and %(API_TOKEN_MAX_DAYS)s days (asked: %(days)s).")
            % {"API_TOKEN_MAX_DAYS": settings.API_TOKEN_MAX_DAYS, "days": days},
            code="token_days",
        )
    return days


@transaction.atomic
def api_token_create(
    *, user: User, name: str = "", days: int | None = None, created_by: User | None = None
) -> str:
    """Create a token for the user and return it. It cannot be shown again."""
    life = token_days(days)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[:12],
        token_hash=_hash(token),
        expires_at=timezone.now() + timedelta(days=life),
    )
    audit_object(actor=created_by or user, action=Action.CREATE, obj=record, detail={"days": life})
    return token


def api_token_user(token: str) -> User | None:
    """The active user a token belongs to, or None for an unknown, expired or revoked one."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    record = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=_hash(token),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if record is None:
        return None
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


@transaction.atomic
def api_token_revoke(
    *, token_id: int, revoked_by: User | None = None, reason: str = "revoked"
) -> ApiToken:
    record = ApiToken.objects.select_for_update().get(pk=token_id)
    if record.revoked_at is None:
        record.revoked_at = timezone.now()
        record.revoked_reason = reason[:60]
        record.save(update_fields=["revoked_at", "revoked_reason"])
        audit_object(
            actor=revoked_by,
            action=Action.CHANGE,
            obj=record,
            detail={"revoked": True},
            reason=reason,
        )
    return record


@transaction.atomic
def api_tokens_revoke_for_user(*, user: User, reason: str) -> int:
    """Revoke every live token of the account; returns how many."""
    live = list(
        ApiToken.objects.select_for_update()
        .filter(user=user, revoked_at__isnull=True)
        .values_list("pk", flat=True)
    )
    for token_id in live:
        api_token_revoke(token_id=token_id, revoked_by=_acting(), reason=reason)
    return len(live)


def _acting() -> User | None:
    actor = current_actor()
    return actor if isinstance(actor, User) else None


def on_access_reduced(sender: Any, user: User, reason: str, **kwargs: Any) -> None:
    """``accounts.signals.access_reduced``: the account's tokens end with its old terms."""
    api_tokens_revoke_for_user(user=user, reason=reason)
