"""Writing the audit trail. Every sensitive read and write calls ``audit_record``."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from babysteps.audit.models import AuditEvent
from babysteps.core.channel import current_channel


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: int | str | None = None,
    family_id: int | None = None,
    site_id: int | None = None,
    channel: str | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one audit event. Runs inside the caller's transaction, so a rolled-back
    write leaves no event claiming it happened."""
    return AuditEvent.objects.create(
        # Only staff accounts (the user model) sign in: anyone else is recorded by label.
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label or (actor.get_username() if actor is not None else "system"),
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        family_id=family_id,
        site_id=site_id,
        channel=channel or current_channel(),
        reason=reason[:200],
        detail=detail or {},
    )


def audit_object(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: models.Model,
    family_id: int | None = None,
    site_id: int | None = None,
    channel: str | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """``audit_record`` for a model instance, named by its model label."""
    return audit_record(
        actor=actor,
        action=action,
        object_type=obj._meta.model_name or type(obj).__name__.lower(),
        object_id=obj.pk,
        family_id=family_id,
        site_id=site_id,
        channel=channel,
        reason=reason,
        detail=detail,
    )
