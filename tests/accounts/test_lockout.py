"""django-axes locks the (username, IP address) pair after repeated failures, so an
attacker can neither keep guessing nor lock a practitioner out from elsewhere."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, app_code

pytestmark = pytest.mark.django_db
URL = reverse("accounts:login")


def _attempt(client: Client, email: str, password: str, ip: str):
    return client.post(URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _lock(email: str, ip: str, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, email, "wrong password", ip)


def test_repeated_failures_lock_that_user_from_that_address(cast, settings):
    _lock(cast.midwife_a.email, "203.0.113.9", settings)
    response = _attempt(Client(), cast.midwife_a.email, PASSWORD, "203.0.113.9")
    assert response.status_code == 429
    assert b"Sign-in paused" in response.content


def test_the_real_user_can_still_sign_in_from_elsewhere(cast, settings):
    _lock(cast.midwife_a.email, "203.0.113.9", settings)
    response = _attempt(Client(), cast.midwife_a.email, PASSWORD, "198.51.100.7")
    assert response.status_code == 302


def test_a_username_list_from_one_address_locks_nobody_else_out(cast, settings):
    attacker = "203.0.113.66"
    for user in (cast.midwife_a, cast.support_a, cast.manager_a):
        _lock(user.email, attacker, settings)
    # Another user, from the same address, is unaffected...
    assert _attempt(Client(), cast.admin.email, PASSWORD, attacker).status_code == 302
    # ...and the targeted users still sign in from their own devices.
    for user in (cast.midwife_a, cast.support_a, cast.manager_a):
        assert _attempt(Client(), user.email, PASSWORD, "192.0.2.10").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, cast.midwife_a.email, "wrong", "203.0.113.9")
    assert _attempt(client, cast.midwife_a.email, PASSWORD, "203.0.113.9").status_code == 302


def test_axes_configuration_passes_its_own_checks():
    from django.core import checks

    messages = [m for m in checks.run_checks() if m.id and m.id.startswith("axes")]
    assert messages == []


# --- Case variants, rotating addresses and the account's step-up --------------------------


def test_case_variants_of_one_email_are_one_account_to_the_lockout(cast, settings):
    """24 wrong passwords from one address over 6 spellings of the email lock the account
    there: the right password under a 7th spelling is refused too."""
    email = cast.midwife_a.email
    variants = [email, email.upper(), email.title(), f" {email}", f"{email} ", email.swapcase()]
    client = Client()
    for attempt in range(24):
        _attempt(client, variants[attempt % 6], "wrong password", "203.0.113.9")
    seventh = email[0].upper() + email[1:]
    assert _attempt(Client(), seventh, PASSWORD, "203.0.113.9").status_code == 429
    assert AccessAttempt.objects.filter(username=email).exists()
    assert not AccessAttempt.objects.exclude(username=email).exists()


def test_a_locked_account_is_locked_under_any_spelling(cast, settings):
    _lock(cast.support_a.email, "203.0.113.9", settings)
    response = _attempt(Client(), cast.support_a.email.upper(), PASSWORD, "203.0.113.9")
    assert response.status_code == 429


def test_guesses_from_rotating_addresses_step_the_account_up_not_lock_it_out(cast, settings):
    """24 guesses from 6 addresses (4 each: no address is locked): after the step-up
    threshold the password is no longer even checked without the second factor's code.
    The real person, from yet another address, signs in with password and code."""
    user = cast.midwife_a
    for attempt in range(24):
        _attempt(Client(), user.email, "wrong password", f"203.0.113.{attempt % 6}")
    # Even the right password alone now gets only the request for a code.
    alone = _attempt(Client(), user.email, PASSWORD, "198.51.100.7")
    assert alone.status_code == 200
    assert "enter the code from your authenticator app" in alone.content.decode()
    assert 'autocomplete="one-time-code"' in alone.content.decode()
    client = Client()
    both = client.post(
        URL,
        {"username": user.email, "password": PASSWORD, "code": app_code(user)},
        REMOTE_ADDR="198.51.100.7",
    )
    assert both.status_code == 302
    assert client.get("/").status_code == 200  # password and factor together: signed in


def test_a_wrong_code_with_a_stepped_up_account_says_nothing_of_the_password(cast, settings):
    settings.SIGN_IN_STEP_UP_FAILURES = 2
    user = cast.manager_a
    app_code(user)
    for ip in ("203.0.113.1", "203.0.113.2"):
        _attempt(Client(), user.email, "wrong", ip)
    right = Client().post(
        URL,
        {"username": user.email, "password": PASSWORD, "code": "000000"},
        REMOTE_ADDR="192.0.2.1",
    )
    wrong = Client().post(
        URL, {"username": user.email, "password": "nope", "code": "000000"}, REMOTE_ADDR="192.0.2.2"
    )
    assert right.content.decode().count("authenticator app") == wrong.content.decode().count(
        "authenticator app"
    )
    # An unknown address steps up the same way: no hint that an account exists.
    for ip in ("203.0.113.1", "203.0.113.2"):
        _attempt(Client(), "nobody@example.test", "wrong", ip)
    unknown = _attempt(Client(), "nobody@example.test", "wrong", "192.0.2.3")
    assert "enter the code from your authenticator app" in unknown.content.decode()
