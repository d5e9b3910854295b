from datetime import datetime

from babysteps.alerts.escalation import alerts_escalate_due
from babysteps.core.channel import audit_channel
from babysteps.core.periodic import periodic


@periodic("escalate safety alerts")
def escalate_due_alerts(now: datetime) -> int:
    with audit_channel("task"):
        return alerts_escalate_due(now=now)
