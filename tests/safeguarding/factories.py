"""Referrals for tests, made through the service (so due-by, audit and messages are as
in real use)."""

from datetime import datetime

from babysteps.accounts.models import User
from babysteps.families.models import Family
from babysteps.safeguarding.models import ReferralReason, SafeAndWellReferral
from babysteps.safeguarding.services import referral_claim, referral_create
from tests.factories import today

SUMMARY = "Mum said she feels trapped at home and her partner checks her phone."
NO_CONSENT_REASON = "Asking in front of her partner would have put her at risk."


def make_referral(
    family: Family,
    *,
    by: User,
    urgency: str = "one_working_day",
    consent: bool = True,
    now: datetime | None = None,
    claimed_by: User | None = None,
    reasons: tuple[str, ...] = ("low_mood", "isolation"),
    **overrides: object,
) -> SafeAndWellReferral:
    values: dict[str, object] = {
        "parents": [family.mother],
        "reasons": list(ReferralReason.objects.filter(code__in=reasons)),
        "summary": SUMMARY,
        "urgency": urgency,
        "safe_number": "07700 900461",
        "language": "English",
    }
    if consent:
        values.update(
            consent_basis="given",
            consent_given_by="mother",
            consent_given_on=(now.date() if now else today()),
            consent_method="phone",
        )
    else:
        values.update(consent_basis="not_sought", no_consent_reason=NO_CONSENT_REASON)
    values.update(overrides)
    referral = referral_create(family=family, referred_by=by, now=now, **values)
    if claimed_by is not None:
        referral = referral_claim(referral=referral, user=claimed_by, now=now)
    return referral
