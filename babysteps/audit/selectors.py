"""Reads of the audit trail."""

from django.db.models import QuerySet

from babysteps.audit.models import AuditEvent


def audit_events_for_family(*, family_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(family_id=family_id).select_related("actor")
