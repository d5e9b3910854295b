"""axe-core on the parent portal's pages and the staff pages of the video library."""

from datetime import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore

from babysteps.portal.identity import SESSION_HASH, SESSION_PARENT, _details_hash
from babysteps.portal.services import question_ask
from tests.bookings.helpers import book, future_day, local, publish
from tests.browser.test_accessibility import _serious
from tests.factories import PASSWORD
from tests.videos.fixtures import world as world  # the fixture, used by its name

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as_parent(page, live_server, parent) -> None:
    session = SessionStore()
    session[SESSION_PARENT] = parent.pk
    session[SESSION_HASH] = _details_hash(parent)
    session.create()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def test_portal_pages_have_no_serious_accessibility_violations(live_server, page, world):
    from babysteps.measures.catalogue import seed_instruments
    from babysteps.measures.models import Instrument, InstrumentRevision

    seed_instruments(Instrument, InstrumentRevision)  # transactional tests flush them
    problems = {}
    page.goto(f"{live_server.url}/portal/")
    problems["sign in"] = _serious(page)
    page.get_by_label("Your email address or mobile number").fill("nobody@example.test")
    page.get_by_role("button", name="Send me a sign-in code").click()
    page.wait_for_url("**/portal/sign-in/code/")  # axe on a half-loaded page sees no styles
    page.wait_for_load_state("load")
    problems["code"] = _serious(page)
    question_ask(parent=world.mother_a, text="A question")
    day = future_day(3)
    publish(world.cast.midwife_a, world.cast.site_a, day, start=time(10), end=time(11))
    booking = book(world.cast, at=local(day, time(10)))
    _as_parent(page, live_server, world.mother_a)
    for name, path in [
        ("home", "/portal/"),
        ("video", f"/portal/videos/{world.s1.pk}/"),
        ("questions", "/portal/questions/"),
        ("details", "/portal/details/"),
        ("book", "/portal/book/"),
        ("change a call", f"/portal/calls/{booking.pk}/"),
        ("questionnaires", "/portal/questionnaires/"),
        ("questionnaire", "/portal/questionnaires/phq9/"),
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, name
        problems[name] = _serious(page)
    page.set_viewport_size({"width": 360, "height": 740})  # a small phone
    page.goto(f"{live_server.url}/portal/")
    problems["home on a phone"] = _serious(page)
    assert not any(problems.values()), problems


def test_library_and_call_prep_have_no_serious_accessibility_violations(
    live_server, page, sign_in, world
):
    question_ask(parent=world.mother_a, text="A question", call_me_soon=True)
    sign_in(world.cast.manager_a.email, PASSWORD)
    problems = {}
    for name, path in [
        ("library", "/videos/"),
        ("video", f"/videos/{world.local_a.pk}/"),
        ("upload", f"/videos/{world.local_a.pk}/versions/new/"),
        ("report", "/videos/report/"),
        ("call prep", f"/prep/{world.cast.family_a.pk}/"),
        ("family", f"/families/{world.cast.family_a.pk}/"),
        ("home", "/"),
    ]:
        page.goto(f"{live_server.url}{path}")
        problems[name] = _serious(page)
    assert not any(problems.values()), problems
