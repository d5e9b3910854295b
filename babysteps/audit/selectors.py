"""Reads of the audit trail."""

from django.db import connection
from django.db.models import Q, QuerySet

from babysteps.audit.models import AuditEvent


def audit_events_for_family(*, family_id: int) -> QuerySet[AuditEvent]:
    """Every event about the family: those on its own record (``family_id``) and the lists
    and pages that named it among others (``detail.family_ids``, ``detail.shown.family``).
    On PostgreSQL the lists are found through a GIN index on ``detail``."""
    own = Q(family_id=family_id)
    if connection.vendor == "postgresql":
        named = Q(detail__contains={"family_ids": [family_id]}) | Q(
            detail__contains={"shown": {"family": [family_id]}}
        )
        events = AuditEvent.objects.filter(own | named)
    else:
        listed = AuditEvent.objects.extra(
            where=[
                "EXISTS (SELECT 1 FROM json_each(audit_auditevent.detail, '$.family_ids') "
                "WHERE value = %s) OR EXISTS (SELECT 1 FROM "
                "json_each(audit_auditevent.detail, '$.shown.family') WHERE value = %s)"
            ],
            params=[family_id, family_id],
        )
        events = AuditEvent.objects.filter(own) | listed
    return events.select_related("actor")
