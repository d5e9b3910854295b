"""Reads for alerts. Scope comes from ``babysteps.access``."""

from django.db.models import QuerySet

from babysteps.alerts.models import Alert


def with_details(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Alerts with what a list shows (family, its parents, site, questionnaire) loaded."""
    return alerts.select_related(
        "family", "site", "parent", "administration__instrument", "acknowledged_by"
    ).prefetch_related("family__parents")
