"""The acceptance journey: the demo parent signs in by the link she was sent, plays a
captioned video for a few seconds, skips ahead, plays on, and sends a question; the
facilitator's call preparation shows the seconds she really watched and her question,
and marking it discussed records who and when."""

import re
import time

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from babysteps.portal.models import ParentQuestion
from babysteps.videos.models import VideoWatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded_lists(curriculum) -> None:
    """The demo needs the lists data migrations seed, which earlier transactional tests
    flush: put them back (the curriculum fixture does the curriculum)."""
    from babysteps.measures.catalogue import seed_instruments
    from babysteps.measures.models import Instrument, InstrumentRevision
    from babysteps.safeguarding.models import ReferralReason
    from babysteps.safeguarding.reasons import seed_reasons

    seed_reasons(ReferralReason)
    seed_instruments(Instrument, InstrumentRevision)


def _wait_until(video, condition: str, timeout: float = 20) -> None:
    """Poll the player from Python (the page's CSP forbids the eval a JS predicate needs)."""
    deadline = time.monotonic() + timeout
    while not video.evaluate(f"v => {condition}"):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        time.sleep(0.1)


def _watch(**filters) -> VideoWatch:
    """The watch as saved, once the player's report has arrived (it retries if busy)."""
    deadline = time.monotonic() + 30
    while True:
        watch = VideoWatch.objects.filter(**filters).first()
        if watch is not None and watch.intervals and watch.intervals[-1][0] >= 9:
            return watch
        assert time.monotonic() < deadline, "the progress report never arrived"
        time.sleep(0.2)


def test_parent_watches_and_asks_then_the_facilitator_prepares(
    live_server, page, sign_in, settings, seeded_lists
):
    call_command("demo", quiet=True)
    mail.outbox.clear()

    # Sign in by link: ask at /portal/, open the link from the message, press the button.
    page.goto(f"{live_server.url}/portal/")
    page.get_by_label("Your email address or mobile number").fill("parent@blackpool.demo")
    page.get_by_role("button", name="Send me a sign-in code").click()
    expect(page.get_by_role("heading", name="Check your messages")).to_be_visible()
    link = re.search(r"/portal/sign-in/link/\?token=\S+", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Hello Lucy")).to_be_visible()
    expect(page.get_by_role("heading", name="Your next video call", exact=True)).to_be_visible()

    # The next call's video, with captions on by default.
    page.get_by_role("link", name="Looking after yourselves").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Looking after yourselves")
    video = page.locator("video")
    _wait_until(video, "v.readyState >= 1")
    assert video.evaluate("v => v.textTracks[0].mode") == "showing"
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()

    page.get_by_role("button", name="Play").click()
    _wait_until(video, "v.currentTime >= 3")
    video.evaluate("v => { v.currentTime = 10; }")  # skip ahead: not counted
    _wait_until(video, "v.currentTime >= 12")
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("[data-status]")).to_contain_text("You have watched", timeout=30000)
    watch = _watch(parent__email="parent@blackpool.demo", video__title="Looking after yourselves")
    assert 4 <= watch.seconds_watched <= 9, watch.intervals
    assert watch.intervals[0][0] == 0 and 9 <= watch.intervals[-1][0] <= 10.5
    assert watch.completed_at is None

    # A question for the call.
    page.get_by_role("link", name="Back to your videos").click()
    page.get_by_label("What would you like to talk about?").fill(
        "How do we know if the baby is feeding enough?"
    )
    page.get_by_role("button", name="Send to my Baby Steps team").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you")
    page.get_by_role("button", name="Sign out").click()

    # The facilitator prepares the call.
    sign_in("midwife@blackpool.demo", settings.DEMO_PASSWORD)
    question = ParentQuestion.objects.get(text__startswith="How do we know")
    page.goto(f"{live_server.url}/families/{question.family_id}/")
    page.get_by_role("link", name="Prepare for the call").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Preparing for the call")
    row = page.get_by_role("row").filter(has_text="Looking after yourselves")
    expect(row).to_contain_text(f"{round(watch.seconds_watched)} s of 16 s")
    card = page.locator("li.card").filter(has_text="How do we know if the baby is feeding enough?")
    card.get_by_role("button", name="Mark as discussed").click()
    done = page.locator("li.card").filter(has_text="How do we know if the baby is feeding enough?")
    expect(done.get_by_text("Discussed by Joanne Ellis")).to_be_visible()
    question.refresh_from_db()
    assert question.discussed_by.email == "midwife@blackpool.demo"
    assert question.discussed_at is not None
