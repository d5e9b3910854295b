"""A parent whose language is Urdu signs in and sees the portal right to left, with the
video's Urdu captions on."""

import re
import tempfile
import time
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from babysteps.families.models import Family
from babysteps.videos.services import caption_track_add
from tests.videos.fixtures import VTT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
URDU_VTT = VTT.replace(b"Your baby", b"\xd8\xa2\xd9\xbe \xda\xa9\xd8\xa7 \xd8\xa8\xda\x86\xdb\x81")
SHOTS = Path(tempfile.gettempdir()) / "babysteps-screenshots"


def _until(page, script: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while not (value := page.locator("video").evaluate(script)):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        time.sleep(0.1)
    return value


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}]
)
def test_an_urdu_speaking_parent_sees_the_portal_right_to_left_with_urdu_captions(
    live_server,
    page,
    world,
    viewport,
):
    Family.objects.filter(pk=world.cast.family_a.pk).update(preferred_language="Urdu")
    caption_track_add(
        video=world.s1, language="ur", captions=URDU_VTT, uploaded_by=world.cast.admin
    )
    page.set_viewport_size(viewport)
    mail.outbox.clear()
    page.goto(f"{live_server.url}/portal/")
    page.get_by_label("Your email address or mobile number").fill(world.mother_a.email)
    page.get_by_role("button", name="Send me a sign-in code").click()
    link = re.search(r"/portal/sign-in/link/\?token=\S+", mail.outbox[-1].body).group(0)
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("button").filter(has_text=re.compile("Sign in|سائن ان")).first.click()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"السلام علیکم {world.mother_a.given_name}"
    )
    # Right to left, and nothing pushed off the side of a phone.
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"portal-ur-home-{viewport['width']}.png", full_page=True)

    page.goto(f"{live_server.url}/portal/videos/{world.s1.pk}/")
    _until(page, "v => v.readyState >= 1")
    showing = _until(
        page,
        "v => Array.from(v.textTracks).filter(t => t.mode === 'showing').map(t => t.language)"
        ".join(',')",
    )
    assert showing == "ur"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    page.screenshot(path=SHOTS / f"portal-ur-video-{viewport['width']}.png", full_page=True)
