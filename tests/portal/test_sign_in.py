"""Passwordless sign-in: a one-time link or 6-digit code, 15 minutes, single use,
stored hashed, rate-limited per address and per IP, with no hint whether the address
exists. Mother and partner sign in separately to the same family."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.notifications.models import Message
from babysteps.portal.identity import SESSION_PARENT
from babysteps.portal.models import SignInChallenge
from babysteps.portal.services import normalise_address, sign_in_with_code, sign_in_with_link
from babysteps.portal.views import SESSION_BROWSER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _ask(client: Client, address: str, ip: str = "10.0.0.1"):
    return client.post(reverse("portal:sign_in"), {"address": address}, REMOTE_ADDR=ip)


def _sent() -> tuple[str, str]:
    body = mail.outbox[-1].body
    code = re.search(r"code: (\d{6})", body).group(1)
    link = re.search(r"https?://\S+/portal/sign-in/link/\?token=\S+", body).group(0)
    return code, link.split("://", 1)[1].split("/", 1)[1]


def test_a_parent_signs_in_with_the_code(world, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, world.mother_a.email.upper())
    assert response.status_code == 302
    assert mail.outbox[-1].to == [world.mother_a.email]
    code, _ = _sent()
    old_key = client.session.session_key
    response = client.post(reverse("portal:sign_in_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.session[SESSION_PARENT] == world.mother_a.pk
    assert client.session.session_key != old_key  # the session is rotated on sign-in
    assert b"Hello " + world.mother_a.given_name.encode() in client.get("/portal/").content
    assert AuditEvent.objects.filter(action="sign_in", family_id=world.cast.family_a.pk).exists()


def test_the_code_and_link_are_stored_only_as_hashes(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(Client(), world.mother_a.email)
    code, path = _sent()
    token = path.split("token=", 1)[1]
    challenge = SignInChallenge.objects.get()
    stored = " ".join(str(v) for v in challenge.__dict__.values())
    assert code not in stored and token not in stored
    # The message that carried them is emptied once sent.
    assert Message.objects.get(key__startswith="portal:sign-in:").body == ""


def test_the_code_cannot_be_used_twice(world, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world.mother_a.email)
    code, _ = _sent()
    browser = client.session[SESSION_BROWSER]
    assert client.post(reverse("portal:sign_in_code"), {"code": code}).status_code == 302
    assert sign_in_with_code(browser=browser, code=code, ip="10.0.0.9") is None


def test_the_code_works_only_in_the_browser_that_asked(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(Client(), world.mother_a.email)
    code, _ = _sent()
    stranger = Client()
    _ask(stranger, "nobody@example.test")
    response = stranger.post(reverse("portal:sign_in_code"), {"code": code})
    assert response.status_code == 200 and b"not right" in response.content
    assert SESSION_PARENT not in stranger.session


def test_the_code_expires_after_15_minutes(world, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world.mother_a.email)
    code, path = _sent()
    browser = client.session[SESSION_BROWSER]
    later = timezone.now() + timedelta(minutes=15, seconds=1)
    assert sign_in_with_code(browser=browser, code=code, ip="10.0.0.2", now=later) is None
    token = path.split("token=", 1)[1]
    assert sign_in_with_link(token=token, browser=browser, now=later) is None
    # ...and just before, it still works.
    soon = timezone.now() + timedelta(minutes=14)
    assert sign_in_with_code(browser=browser, code=code, ip="10.0.0.2", now=soon) is not None


def test_a_code_allows_only_a_few_guesses(world, django_capture_on_commit_callbacks, settings):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, world.mother_a.email)
    code, _ = _sent()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(settings.PORTAL_CODE_ATTEMPTS):
        response = client.post(reverse("portal:sign_in_code"), {"code": wrong})
        assert b"not right" in response.content
    # The right code no longer works: it has been guessed at too often.
    response = client.post(reverse("portal:sign_in_code"), {"code": code})
    assert b"not right" in response.content
    assert SESSION_PARENT not in client.session


def test_guessing_from_one_ip_address_is_rate_limited(world, settings):
    settings.PORTAL_GUESSES_PER_IP = 3
    client = Client()
    _ask(client, world.mother_a.email)
    codes = ["000001", "000002", "000003", "000004"]
    statuses = [
        client.post(reverse("portal:sign_in_code"), {"code": c}, REMOTE_ADDR="10.9.9.9").status_code
        for c in codes
    ]
    assert statuses == [200, 200, 200, 429]
    # Another address is not affected.
    response = client.post(reverse("portal:sign_in_code"), {"code": "1"}, REMOTE_ADDR="10.9.9.8")
    assert response.status_code == 200


def test_requests_are_limited_per_address_whether_or_not_it_exists(
    world, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_REQUESTS_PER_ADDRESS = 3
    for address in (world.mother_a.email, "nobody@example.test"):
        with django_capture_on_commit_callbacks(execute=True):
            statuses = [_ask(Client(), address, ip=f"10.1.1.{i}").status_code for i in range(4)]
        assert statuses == [302, 302, 302, 429], address
    assert SignInChallenge.objects.count() == 3


def test_requests_are_limited_per_ip_address(world, settings):
    settings.PORTAL_REQUESTS_PER_IP = 2
    statuses = [
        _ask(Client(), f"someone{i}@example.test", ip="10.2.2.2").status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_no_hint_whether_the_address_exists(world, django_capture_on_commit_callbacks):
    known, unknown = Client(), Client()
    with django_capture_on_commit_callbacks(execute=True):
        a = _ask(known, world.mother_a.email)
        b = _ask(unknown, "nobody@example.test")
    assert a.status_code == b.status_code == 302 and a["Location"] == b["Location"]
    page_a = known.get(a["Location"]).content.decode().replace(known.cookies["csrftoken"].value, "")
    page_b = (
        unknown.get(b["Location"]).content.decode().replace(unknown.cookies["csrftoken"].value, "")
    )
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(page_a) == strip(page_b)
    assert len(mail.outbox) == 1


def test_the_link_shows_a_button_and_signs_in_once(world, django_capture_on_commit_callbacks):
    asking = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(asking, world.mother_a.email)
    _, path = _sent()
    # Opening the link (as a mail scanner might) does not use it up.
    assert asking.get("/" + path).status_code == 200
    assert asking.get("/" + path).status_code == 200
    response = asking.post("/" + path)
    assert response.status_code == 302 and asking.session[SESSION_PARENT] == world.mother_a.pk
    other = Client()
    assert other.get("/" + path).status_code == 404
    assert other.post("/" + path).status_code == 404
    assert SESSION_PARENT not in other.session


def test_a_link_read_elsewhere_needs_the_code_too(world, django_capture_on_commit_callbacks):
    """A live link, read from a log or a forwarded message, signs in nobody by itself in
    another browser: that browser must also give the code from the same message."""
    with django_capture_on_commit_callbacks(execute=True):
        _ask(Client(), world.mother_a.email)
    code, path = _sent()
    thief = Client()
    page = thief.get("/" + path).content.decode()
    assert "enter the 6-digit code from the same message" in page
    assert thief.post("/" + path).status_code == 200 and SESSION_PARENT not in thief.session
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert thief.post("/" + path, {"code": wrong}).status_code == 200
    assert SESSION_PARENT not in thief.session
    # The parent on another device, with the code from the same message, gets in.
    phone = Client()
    assert phone.post("/" + path, {"code": code}).status_code == 302
    assert phone.session[SESSION_PARENT] == world.mother_a.pk


def test_asking_is_the_same_work_whether_or_not_the_address_is_known(
    world, django_capture_on_commit_callbacks
):
    """The request only checks, counts, looks up and queues one task, known or not: the
    worker finds no one to send to for an unknown address."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as known:
        _ask(Client(), world.mother_a.email, ip="10.0.0.5")
    with CaptureQueriesContext(connection) as unknown:
        _ask(Client(), "nobody@example.test", ip="10.0.0.6")
    assert len(known.captured_queries) == len(unknown.captured_queries)
    assert not SignInChallenge.objects.exists()  # nothing sent until the task runs


def test_mother_and_partner_sign_in_separately_to_the_same_family(
    world, django_capture_on_commit_callbacks
):
    world.partner_a.email = "pat@example.test"
    world.partner_a.save()
    signed_in = {}
    for parent in (world.mother_a, world.partner_a):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            _ask(client, parent.email)
        code, _ = _sent()
        assert mail.outbox[-1].to == [parent.email]
        client.post(reverse("portal:sign_in_code"), {"code": code})
        signed_in[parent.role] = client.session[SESSION_PARENT]
        assert f"Hello {parent.given_name}" in client.get("/portal/").content.decode()
    assert signed_in == {"mother": world.mother_a.pk, "partner": world.partner_a.pk}


def test_sign_in_by_mobile_number(world, django_capture_on_commit_callbacks):
    world.mother_a.mobile = "+447700900123"  # stored in E.164, matched by equality
    world.mother_a.save()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "+44 7700 900 123")
    message = Message.objects.get(key__startswith="portal:sign-in:")
    assert message.channel == "sms" and message.to == "+447700900123"


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("Parent@Example.com ", "email", "parent@example.com"),
        ("07700 900123", "sms", "+447700900123"),
        ("+44 (0)7700-900-123", "sms", "+447700900123"),
        ("0044 7700 900123", "sms", "+447700900123"),
    ],
)
def test_addresses_are_normalised(raw, kind, value):
    address = normalise_address(raw)
    assert (address.kind, address.value) == (kind, value)


@pytest.mark.parametrize("raw", ["", "hello", "01234 567890", "07700 90012"])
def test_nonsense_addresses_get_a_clear_message(raw, db):
    response = Client().post(reverse("portal:sign_in"), {"address": raw})
    assert response.status_code == 200
    assert b"There is a problem" in response.content


def test_a_withdrawn_familys_parent_gets_no_code(world, django_capture_on_commit_callbacks):
    from babysteps.cohorts.models import Enrolment

    Enrolment.objects.filter(family=world.cast.family_a).update(
        status="withdrawn", withdrawal_reason="Moved"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(Client(), world.mother_a.email)
    assert response.status_code == 302 and not mail.outbox


def test_staff_sign_in_ends_a_portal_session_and_portal_sign_in_ends_a_staff_one(world):
    from tests.factories import PASSWORD
    from tests.videos.fixtures import parent_client

    client = parent_client(world.mother_a)
    client.post(
        reverse("accounts:login"), {"username": world.cast.midwife_a.email, "password": PASSWORD}
    )
    assert SESSION_PARENT not in client.session
    assert client.get(reverse("portal:video", args=[world.s1.pk])).status_code == 404

    staff = Client()
    staff.force_login(world.cast.midwife_a)
    from babysteps.portal.challenges import _challenge_send

    challenge, _ = _challenge_send(
        parent=world.mother_a, now=timezone.now(), sent_by=None, channel=None
    )
    body = Message.objects.get(key__endswith=str(challenge.pk)).body
    token = re.search(r"/link/\?token=(\S+)", body).group(1)
    code = re.search(r"code: (\d{6})", body).group(1)
    staff.post(reverse("portal:sign_in_link"), {"token": token, "code": code})
    assert staff.get(reverse("home:index")).status_code == 302  # staff sign-in is gone


def test_sign_out(world):
    from tests.videos.fixtures import parent_client

    client = parent_client(world.mother_a)
    client.post(reverse("portal:sign_out"))
    assert client.get(reverse("portal:video", args=[world.s1.pk])).status_code == 404
