from django.conf import settings
from django.urls import reverse

from babysteps.alerts.models import Alert


def alert_link(alert: Alert) -> str:
    """The alert's page, for staff messages (which carry no family details: the page checks
    access and audits the read)."""
    return settings.SITE_URL + reverse("alerts:detail", args=[alert.pk])
