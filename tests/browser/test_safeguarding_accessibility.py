"""axe-core on the safeguarding pages (the signposting form, the queue, a referral as
the site and as the NSPCC practitioner sees it, the safeguarding view): no serious or
critical WCAG 2.x A/AA violations."""

import pytest

from babysteps.safeguarding.models import ReferralReason
from babysteps.safeguarding.reasons import seed_reasons
from tests.browser.test_accessibility import _serious
from tests.factories import PASSWORD
from tests.safeguarding.factories import make_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_safeguarding_pages_have_no_serious_accessibility_violations(
    live_server, page, sign_in, cast
):
    seed_reasons(ReferralReason)
    referral = make_referral(cast.family_a, by=cast.midwife_a, consent=False)
    held = make_referral(cast.family_a2, by=cast.facilitator_a2, claimed_by=cast.safe_and_well)
    problems: dict[str, list[str]] = {}
    sign_in(cast.manager_a.email, PASSWORD)
    for name, path in [
        ("signpost form", f"/safeguarding/families/{cast.family_b.pk}/signpost/"),
        ("immediate risk form", f"/safeguarding/families/{cast.family_a.pk}/immediate-risk/"),
        ("referral (site)", f"/safeguarding/referrals/{referral.pk}/"),
        ("safeguarding view", "/safeguarding/"),
        ("audit trail", f"/safeguarding/referrals/{referral.pk}/audit/"),
        ("family with referral", f"/families/{cast.family_a.pk}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        problems[name] = _serious(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(cast.safe_and_well.email, PASSWORD)
    for name, path in [
        ("queue", "/safeguarding/queue/"),
        ("referral (check view)", f"/safeguarding/referrals/{referral.pk}/"),
        ("referral being worked", f"/safeguarding/referrals/{held.pk}/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        problems[name] = _serious(page)
    # A form with errors.
    page.get_by_role("button", name="Close the referral").click()
    problems["close form with errors"] = _serious(page)
    assert not any(problems.values()), problems
