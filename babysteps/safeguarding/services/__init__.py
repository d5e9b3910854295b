"""Writes for the safe-and-well loop. Every function validates everything first, writes
in one transaction and audits the change (field names only, never values).

Free text (the summary, the reason for going ahead without consent, notes) is never put
in an exception message, a log line or an audit detail, and ``sensitive_variables()``
keeps every local variable of these functions out of Django's error reports.
"""

from babysteps.safeguarding.services.checks import CONSENT_MAX_AGE_DAYS
from babysteps.safeguarding.services.queue import (
    call_attempt_record,
    referral_assign,
    referral_claim,
    referral_close,
)
from babysteps.safeguarding.services.signposting import (
    NOT_SAVED,
    SIGNPOSTED_ACTION,
    immediate_risk_record,
    referral_create,
    referral_withdraw,
)

__all__ = [
    "CONSENT_MAX_AGE_DAYS",
    "NOT_SAVED",
    "SIGNPOSTED_ACTION",
    "call_attempt_record",
    "immediate_risk_record",
    "referral_assign",
    "referral_claim",
    "referral_close",
    "referral_create",
    "referral_withdraw",
]
