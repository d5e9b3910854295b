"""The parent portal on a phone (390x844) in Chromium: booking a call is a day, then a
time, with no sideways scrolling and at most two screens high; the video player queues a
progress report asked for while another is in flight and sends it right after."""

import re
import time
from datetime import time as clock

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from babysteps.bookings.models import CallBooking
from babysteps.delivery.services import delivery_pause
from tests.bookings.helpers import future_day, publish
from tests.browser.test_accessibility import _serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _sign_in(page, live_server, parent) -> None:
    mail.outbox.clear()
    page.goto(f"{live_server.url}/portal/")
    page.get_by_label("Your email address or mobile number").fill(parent.email)
    page.get_by_role("button", name="Send me a sign-in code").click()
    link = re.search(r"/portal/sign-in/link/\?token=\S+", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("button", name="Sign in").click()


def _fits_a_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollHeight") <= 2 * PHONE["height"]


def test_a_parent_books_a_call_on_a_phone(live_server, page, world):
    delivery_pause(
        site=world.cast.site_a,
        cohort=world.cast.cohort_a,
        from_date=timezone.localdate(),
        reason="Video-first",
        mode="video",
        changed_by=world.cast.manager_a,
        notify=False,
    )
    day = future_day(2)
    # Two facilitators, a morning each: each time is offered once.
    for person in (world.cast.midwife_a, world.cast.support_a):
        publish(person, world.cast.site_a, day, start=clock(9), end=clock(12))
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, world.mother_a)
    page.goto(f"{live_server.url}/portal/book/")
    expect(page.get_by_role("heading", name="1. Choose a day")).to_be_visible()
    _fits_a_phone(page)
    assert not _serious(page)
    page.get_by_role("link", name=re.compile(f"{day:%A}.*{day.day} {day:%B}")).first.click()
    expect(page.get_by_role("heading", name=re.compile("2. Choose a time on"))).to_be_visible()
    assert page.get_by_label("10:30").count() == 1  # once, though both are free
    _fits_a_phone(page)
    assert not _serious(page)
    page.get_by_label("10:30").check()
    page.get_by_label("Phone call").check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("status")).to_contain_text("Your call is booked for")
    booking = CallBooking.objects.get()
    assert timezone.localtime(booking.starts_at).strftime("%H:%M") == "10:30"
    assert booking.mode == "phone"


def test_the_player_sends_a_report_asked_for_while_another_is_in_flight(live_server, page, world):
    _sign_in(page, live_server, world.mother_a)
    page.goto(f"{live_server.url}/portal/videos/{world.s1.pk}/")
    video = page.locator("video")
    deadline = time.monotonic() + 20
    while not video.evaluate("v => v.readyState >= 1"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    held, passed = [], []

    def first_held(route):
        # The first report waits (a slow network); any later one goes straight through.
        if held:
            passed.append(route.request.post_data)
            route.continue_()
        else:
            held.append(route)

    page.route("**/progress/", first_held)
    page.get_by_role("button", name="Play").click()
    while not video.evaluate("v => v.currentTime >= 2"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    video.evaluate("v => v.pause()")  # the first report: held in flight
    page.wait_for_timeout(500)
    assert len(held) == 1
    video.evaluate("v => v.dispatchEvent(new Event('seeking'))")  # a second report asked for
    page.wait_for_timeout(500)
    assert passed == []  # queued, not sent alongside
    with page.expect_response(lambda r: r.url.endswith("/progress/")):
        held[0].continue_()  # the first arrives...
    deadline = time.monotonic() + 10
    while not passed:  # ... and the queued one follows at once
        assert time.monotonic() < deadline, "the queued report was never sent"
        page.wait_for_timeout(100)
    assert len(passed) == 1
