"""The facilitator's week in Chromium: from the home page to the week, day by day, to the
next week and back; the questionnaire void page and the switch preview; axe on each."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from babysteps.cohorts.models import PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.delivery import week
from tests.browser.test_accessibility import _serious
from tests.factories import PASSWORD
from tests.measures.helpers import epds_positions, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_facilitator_runs_the_week_from_the_screen(live_server, page, sign_in, cast):
    plan = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    # S2 tomorrow at ten: it is in this week or the next.
    tomorrow = timezone.localtime() + timedelta(days=1)
    PlannedSession.objects.filter(pk=plan["S2"].pk).update(
        starts_at=tomorrow.replace(hour=10, minute=0, second=0, microsecond=0)
    )
    sign_in(cast.midwife_a.email, PASSWORD)
    page.get_by_role("link", name="Your week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your week")
    if week.monday_of(tomorrow.date()) != week.monday_of(timezone.localdate()):
        page.get_by_role("link", name="Next week").click()
    day = page.get_by_role("heading", level=2, name=tomorrow.strftime("%A %-d %B"))
    expect(day).to_be_visible()
    item = page.locator(".week-day").filter(has=day).locator(".week-item")
    expect(item).to_contain_text("10:00")
    expect(item).to_contain_text("S2:")
    assert not _serious(page)
    page.get_by_role("link", name="Next week").click()
    page.get_by_role("link", name="Previous week").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your week")

    # Voiding a questionnaire entered in error: a page of its own, with its consequences.
    administration = record(
        cast.family_a, cast.midwife_a, answers=epds_positions(item_10=1)
    ).administration
    page.goto(f"{live_server.url}/questionnaires/{administration.pk}/")
    page.get_by_role("link", name="Entered in error? Void this questionnaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Void a questionnaire entered in error"
    )
    assert not _serious(page)
    page.get_by_label("Why was it entered in error?").fill("Item 10 mis-clicked: she said never.")
    page.get_by_role("button", name="Void it").click()
    expect(page.get_by_role("heading", name="Entered in error")).to_be_visible()
