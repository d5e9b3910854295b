from django_tasks import task

from babysteps.alerts.escalation import alert_escalate
from babysteps.core.channel import audit_channel


@task()
def escalate_alert(alert_id: int) -> bool:
    """Escalate an alert that is still open when its time comes (a no-op otherwise)."""
    with audit_channel("task"):
        return alert_escalate(alert_id=alert_id)
