"""A facilitator signs in, opens a cohort, opens a family, and signs out."""

import pytest
from playwright.sync_api import expect

from babysteps.audit.models import AuditEvent
from babysteps.cohorts.services import cohort_schedule_generate
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_opens_cohort_then_family_then_signs_out(live_server, page, sign_in, cast):
    cohort_schedule_generate(cohort=cast.cohort_a)
    sign_in(cast.midwife_a.email, PASSWORD)
    expect(page.get_by_role("heading", name="Your cohorts")).to_be_visible()

    page.get_by_role("link", name="Cohort A", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohort A")
    expect(page.get_by_text("S9: Who is there for us")).to_be_visible()

    page.get_by_role("link", name=cast.family_a.mother.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice")
    expect(page.get_by_role("heading", name="Consents")).to_be_visible()
    assert AuditEvent.objects.filter(family_id=cast.family_a.pk, action="view").count() == 1

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(f"{live_server.url}/families/{cast.family_a.pk}/")
    expect(page).to_have_url(
        f"{live_server.url}/accounts/sign-in/?next=/families/{cast.family_a.pk}/"
    )


def test_wrong_password_shows_an_error_summary(live_server, page, sign_in, cast):
    sign_in(cast.midwife_a.email, "not the password")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")
