"""The issue's acceptance journey: a manager pauses group delivery for a cohort; the next
group session becomes per-family calls on a facilitator's home page; the facilitator
books one and records it with its duration; the manager resumes delivery and the
remaining sessions are group sessions again; past contacts are unchanged."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.cohorts.models import PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.delivery.models import Contact, DeliverySwitch, SessionConversion
from babysteps.delivery.services import AttendanceIn, contact_record, register_record
from tests.bookings.helpers import future_day, happened, publish
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _past_contacts(cast):
    """HV1 visited two weeks ago and S1's register taken a week ago."""
    plan = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    now = timezone.now()
    PlannedSession.objects.filter(pk=plan["HV1"].pk).update(starts_at=now - timedelta(days=14))
    PlannedSession.objects.filter(pk=plan["S1"].pk).update(starts_at=now - timedelta(days=7))
    # The next group session is this week: its call is among the calls to arrange first.
    PlannedSession.objects.filter(pk=plan["S2"].pk).update(starts_at=now + timedelta(days=2))
    s1 = PlannedSession.objects.select_related("component", "cohort").get(pk=plan["S1"].pk)
    hv1 = PlannedSession.objects.select_related("component", "cohort").get(pk=plan["HV1"].pk)
    contact_record(
        family=cast.family_a,
        cohort=cast.cohort_a,
        component=hv1.component,
        mode="home_visit",
        starts_at=hv1.starts_at,
        planned_minutes=60,
        actual_minutes=60,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance=AttendanceIn(mother=True, partner=True),
    )
    register_record(
        session=s1,
        starts_at=s1.starts_at,
        planned_minutes=120,
        actual_minutes=115,
        facilitators=[cast.midwife_a, cast.support_a],
        recorded_by=cast.midwife_a,
        attendance={cast.family_a.pk: AttendanceIn(mother=True)},
    )
    return {
        c.pk: (c.starts_at, c.actual_minutes, c.mode, list(c.attendances.values_list("present")))
        for c in Contact.objects.all()
    }


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_pause_book_record_resume(live_server, page, sign_in, cast):
    past = _past_contacts(cast)
    day = future_day(1)
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(12))
    cohort_url = f"{live_server.url}/cohorts/{cast.cohort_a.pk}/"

    # The manager pauses group delivery for the cohort.
    sign_in(cast.manager_a.email, PASSWORD)
    page.goto(cohort_url)
    expect(page.locator("#delivery-state")).to_contain_text("Group sessions as planned")
    page.get_by_role("link", name="Pause group sessions").click()
    page.get_by_label("Pause group sessions: each becomes a call with every family").check()
    page.get_by_label("Calls by (when pausing)").select_option("phone")
    page.get_by_label("Reason").fill("national lockdown")
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_role("heading", name="Check before confirming")).to_be_visible()
    assert not DeliverySwitch.objects.exists()  # nothing changes before confirming
    page.get_by_role("button", name="Confirm: pause group sessions").click()
    expect(page.locator("#delivery-state")).to_contain_text("Group sessions paused")
    expect(page.get_by_role("table", name="Delivery history")).to_contain_text("national lockdown")
    _sign_out(page)

    # The next group session is a call with each family on the facilitator's home page.
    sign_in(cast.midwife_a.email, PASSWORD)
    expect(page.get_by_role("heading", name="Calls to arrange")).to_be_visible()
    family = cast.family_a.display_name
    page.get_by_role("link", name=f"Book S2 for {family}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Book a call with {family}")
    page.get_by_label("Time").select_option(index=0)
    page.get_by_role("button", name="Book the call").click()
    expect(page.get_by_role("status")).to_contain_text("The call is booked")
    booking = CallBooking.objects.get()
    assert (
        booking.component.code == "S2"
        and booking.planned_call.planned_session.component.code == "S2"
    )

    # ... and, once its time has come, records it with its duration.
    page.goto(f"{live_server.url}/bookings/{booking.pk}/")
    expect(page.get_by_role("link", name="Record the call")).to_have_count(0)
    happened(booking, ago=timedelta(minutes=40))
    page.reload()
    page.get_by_role("link", name="Record the call").click()
    page.get_by_label("Actual length (minutes)").fill("35")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("S2 has been recorded")
    expect(page.get_by_role("heading", name="Sessions, visits and calls")).to_be_visible()
    call = Contact.objects.get(booking=booking)
    assert (call.mode, call.actual_minutes) == ("phone", 35)
    _sign_out(page)

    # The manager resumes: the remaining sessions are group sessions again.
    sign_in(cast.manager_a.email, PASSWORD)
    page.goto(cohort_url)
    page.get_by_role("link", name="Resume group sessions or change the call mode").click()
    page.get_by_label("Resume group sessions").check()
    page.get_by_label("Reason").fill("restrictions lifted")
    page.get_by_role("button", name="Preview the changes").click()
    page.get_by_role("button", name="Confirm: resume group sessions").click()
    expect(page.locator("#delivery-state")).to_contain_text("Group sessions as planned")
    sessions = page.get_by_role("table", name="Sessions as delivered")
    expect(sessions).not_to_contain_text("Per-family")
    expect(sessions.get_by_role("row", name="S3 Our health and wellbeing")).to_contain_text(
        "Group session"
    )
    assert not SessionConversion.objects.filter(ended_at__isnull=True).exists()
    assert not PlannedCall.objects.filter(status="open").exists()

    # Past contacts are unchanged, the call just made included.
    for contact_id, before in past.items():
        contact = Contact.objects.get(pk=contact_id)
        after = (
            contact.starts_at,
            contact.actual_minutes,
            contact.mode,
            list(contact.attendances.values_list("present")),
        )
        assert after == before
    call.refresh_from_db()
    assert call.actual_minutes == 35 and call.booking.status == "completed"
