"""axe-core on the safeguarding pages (the signposting form, also from a safety alert,
the queue, a referral as the site and as the NSPCC practitioner sees it, the safeguarding
view with its open alerts, an alert's page with its referral): no serious or critical
WCAG 2.x A/AA violations."""

import pytest

from babysteps.safeguarding.models import ReferralReason
from babysteps.safeguarding.reasons import seed_reasons
from tests.browser.test_accessibility import _serious
from tests.factories import PASSWORD
from tests.measures.helpers import epds_positions, record
from tests.safeguarding.factories import make_referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_safeguarding_pages_have_no_serious_accessibility_violations(
    live_server, page, sign_in, cast
):
    seed_reasons(ReferralReason)
    alert = record(cast.family_a, cast.midwife_a, answers=epds_positions(item_10=1)).alerts[0]
    unplaced = record(
        cast.family_a_unplaced, cast.manager_a, answers=epds_positions(item_10=1)
    ).alerts[0]
    referral = make_referral(cast.family_a, by=cast.midwife_a, consent=False, alert=alert)
    held = make_referral(cast.family_a2, by=cast.facilitator_a2, claimed_by=cast.safe_and_well)
    problems: dict[str, list[str]] = {}
    sign_in(cast.manager_a.email, PASSWORD)
    for name, path in [
        ("signpost form", f"/safeguarding/families/{cast.family_a_unplaced.pk}/signpost/"),
        (
            "signpost form from an alert",
            f"/safeguarding/families/{cast.family_a_unplaced.pk}/signpost/"
            f"?source=alert&ref={unplaced.pk}",
        ),
        ("alert with its referral", f"/alerts/{alert.pk}/"),
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
