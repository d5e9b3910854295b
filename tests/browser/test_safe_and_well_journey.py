"""The acceptance journey: a facilitator signposts a family with consent; a
safe-and-well practitioner claims it, logs a failed and a successful call, records
"support offered and accepted" and closes it; the facilitator sees the outcome on the
family page (and was emailed, without details, when it closed)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from babysteps.safeguarding.models import ReferralReason, SafeAndWellReferral
from babysteps.safeguarding.reasons import seed_reasons
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SUMMARY = "Alice has been very low since her partner lost his job and rarely goes out."


@pytest.fixture
def reasons(db) -> None:
    seed_reasons(ReferralReason)  # transactional tests flush the seeded list


def test_signpost_claim_call_close_and_see_the_outcome(live_server, page, sign_in, cast, reasons):
    family_url = f"{live_server.url}/families/{cast.family_a.pk}/"
    # The facilitator signposts, with the mother's consent.
    sign_in(cast.midwife_a.email, PASSWORD)
    page.goto(family_url)
    page.get_by_role("link", name="Signpost to the NSPCC safe-and-well check").click()
    expect(page.get_by_role("heading", name="Is anyone in immediate danger?")).to_be_visible()
    page.get_by_label(re.compile(r"Alice .*\(mother\)")).check()
    page.get_by_label("Isolation or loneliness").check()
    page.get_by_label("Money worries").check()
    page.get_by_label("What are you worried about?").fill(SUMMARY)
    page.get_by_label("Within 1 working day").check()
    page.get_by_label("The parent consented").check()
    page.get_by_label("Consent given by").select_option("mother")
    page.get_by_label("How consent was given").select_option("phone")
    page.get_by_label("Safe number to call").fill("07700 900461")
    page.get_by_role("button", name="Signpost to the NSPCC").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Safe-and-well referral \d+")
    )
    referral = SafeAndWellReferral.objects.get()
    assert referral.with_consent and referral.referred_by == cast.midwife_a
    page.get_by_role("button", name="Sign out").click()

    # The safe-and-well practitioner finds it in the queue and claims it.
    sign_in(cast.safe_and_well.email, PASSWORD)
    expect(page.get_by_role("heading", name="Safe-and-well referrals")).to_be_visible()
    page.get_by_role("link", name="Open the queue").click()
    page.get_by_role("link", name=f"Referral {referral.pk}").click()
    expect(page.get_by_text(SUMMARY)).to_be_visible()
    page.get_by_role("button", name="Claim this referral").click()
    expect(page.get_by_text("You hold this referral now.")).to_be_visible()
    expect(page.get_by_role("link", name="07700 900461")).to_be_visible()

    # A failed call, then a successful one.
    page.get_by_label("No answer").check()
    page.get_by_role("button", name="Log this call").click()
    expect(page.get_by_text("The call attempt has been logged.")).to_be_visible()
    page.get_by_label("Spoke to the parent").check()
    page.get_by_role("button", name="Log this call").click()
    rows = page.locator("table").first.locator("tbody tr")
    expect(rows).to_have_count(2)

    # The outcome, and close.
    page.get_by_label("Support offered and accepted").check()
    page.get_by_label("Note for the referring site").fill("Spoken to; support accepted.")
    page.get_by_role("button", name="Close the referral").click()
    expect(
        page.get_by_role("heading", name="Outcome: Support offered and accepted")
    ).to_be_visible()
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("closed", "support_accepted")
    page.get_by_role("button", name="Sign out").click()

    # The facilitator sees the outcome on the family's page, and was told it closed.
    sign_in(cast.midwife_a.email, PASSWORD)
    page.goto(family_url)
    panel = page.locator("section.safeguarding-panel")
    expect(panel.get_by_text("Support offered and accepted")).to_be_visible()
    expect(panel.get_by_text("Closed", exact=True)).to_be_visible()
    closed = [m for m in mail.outbox if m.to == [cast.midwife_a.email] and "closed" in m.subject]
    assert len(closed) == 1
    assert SUMMARY not in closed[0].body and "Alice" not in closed[0].body
