from django_tasks import task

from babysteps.core.channel import audit_channel
from babysteps.safeguarding.escalation import referral_escalate


@task()
def escalate_referral(referral_id: int) -> str | None:
    """Escalate a referral if it has slipped (a no-op if it was claimed, closed or
    already escalated at this stage)."""
    with audit_channel("task"):
        return referral_escalate(referral_id=referral_id)
