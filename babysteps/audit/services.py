"""Writing the audit trail. Every sensitive read and write calls ``audit_record``.

Events are appended to a hash chain: under a lock (PostgreSQL's advisory lock; SQLite
takes its write lock at BEGIN), the newest event's hash is read and the new event is
chained to it, so the chain follows the order events commit in.
"""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, models, transaction
from django.utils import timezone

from babysteps.audit.chain import GENESIS, digest
from babysteps.audit.models import Action, AuditEvent
from babysteps.core.channel import current_channel

# Any fixed number: the key of PostgreSQL's transaction-level advisory lock on the chain.
CHAIN_LOCK = 0x42_61_62_79  # "Baby"


def chain_key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def _append(events: Sequence[AuditEvent]) -> list[AuditEvent]:
    """Chain the events to the newest one and insert them, in one transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        prev = AuditEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        prev = prev or GENESIS
        key, now = chain_key(), timezone.now()
        for event in events:
            event.at = now
            event.prev_hash = prev
            event.hash = prev = digest(key, event.prev_hash, event.chained_content())
        if len(events) == 1:
            events[0].save(force_insert=True)
            return list(events)
        return AuditEvent.objects.bulk_create(events)


def _event(
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
    return AuditEvent(
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
    event = _event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        family_id=family_id,
        site_id=site_id,
        channel=channel,
        reason=reason,
        detail=detail,
        actor_label=actor_label,
    )
    return _append([event])[0]


def audit_records(events: Sequence[dict[str, Any]]) -> list[AuditEvent]:
    """Append several events (each given as ``audit_record``'s arguments) in one insert."""
    if not events:
        return []
    return _append([_event(**fields) for fields in events])


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


def audit_purge(*, before: Any, reason: str) -> int:
    """Delete the events older than ``before`` (the retention schedule's period for the
    audit trail): the one path the triggers allow, through a permit that lives only inside
    this transaction. The purge is itself an event, which records the hash of the last
    event purged, so the chain that remains still verifies from it."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = (
            AuditEvent.objects.filter(at__lt=before)
            .order_by("-pk")
            .values("pk", "hash", "at")
            .first()
        )
        if last is None:
            return 0
        # A prefix of the chain: every event up to the newest one past its period.
        doomed = AuditEvent.objects.filter(pk__lte=last["pk"])
        newest = max(doomed.values_list("at", flat=True))
        permit = connection.ops.adapt_datetimefield_value(newest + timedelta(microseconds=1))
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_purge_permit (before) VALUES (%s)", [permit])
            count, _ = doomed.delete()
            cursor.execute("DELETE FROM audit_purge_permit")
        audit_record(
            actor=None,
            action=Action.PURGE,
            object_type="auditevent",
            reason=reason,
            detail={"count": count, "through_id": last["pk"], "last_hash": last["hash"]},
        )
    return count
