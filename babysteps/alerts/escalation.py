"""Escalating a safety alert nobody has acknowledged in time to the site's managers.

Escalation is a conditional update that only one worker can win, so it happens once however
many deferred tasks (``tasks.escalate_alert``) or sweeps (``periodic.py``) run.
"""

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from babysteps.accounts.selectors import site_managers
from babysteps.alerts.links import alert_link
from babysteps.alerts.models import Alert
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.notifications.services import message_to_staff


def alert_escalate(*, alert_id: int, now: datetime | None = None) -> bool:
    """Escalate one alert to its site managers if it is still open and due. True if this
    call did it; False if it was acknowledged, not yet due, or escalated already."""
    moment = now or timezone.now()
    with transaction.atomic():
        won = Alert.objects.filter(
            pk=alert_id,
            acknowledged_at__isnull=True,
            escalation=Alert.Escalation.WAITING,
            escalate_at__lte=moment,
        ).update(escalation=Alert.Escalation.ESCALATED, escalated_at=moment)
        if not won:
            return False
        alert = Alert.objects.select_related("site").get(pk=alert_id)
        for user in site_managers(site_id=alert.site_id):
            message_to_staff(
                user=user,
                key=f"alert:{alert.pk}:escalated:{user.pk}",
                subject="Baby Steps: a safety alert has not been acknowledged",
                body=(
                    "A safety alert at your site has not been acknowledged within "
                    f"{settings.ALERT_ESCALATION_WORKING_HOURS:g} working hours. Please make "
                    f"sure someone acts on it today:\n\n{alert_link(alert)}\n\n"
                    "This email deliberately carries no family details."
                ),
                group=f"alert:{alert.pk}",
                urgent_text=(
                    "Baby Steps: a safety alert at your site is not acknowledged yet. "
                    f"{alert_link(alert)}"
                ),
            )
        audit_object(
            actor=None,
            action=Action.CHANGE,
            obj=alert,
            family_id=alert.family_id,
            site_id=alert.site_id,
            detail={"fields": ["escalation", "escalated_at"]},
        )
    return True


def alerts_escalate_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Escalate every open alert past its time (the sweeper behind the deferred tasks)."""
    moment = now or timezone.now()
    due = list(
        Alert.objects.filter(
            acknowledged_at__isnull=True,
            escalation=Alert.Escalation.WAITING,
            escalate_at__lte=moment,
        )
        .order_by("escalate_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(alert_escalate(alert_id=pk, now=moment) for pk in due)
