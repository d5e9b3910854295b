from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.safeguarding.escalation import escalations_sweep


@periodic("escalate safe-and-well referrals")
def escalate_referrals(now: datetime) -> int:
    return escalations_sweep(now=now)
