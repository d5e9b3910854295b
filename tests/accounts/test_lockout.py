"""django-axes locks the (username, IP address) pair after repeated failures, so an
attacker can neither keep guessing nor lock a practitioner out from elsewhere."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

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
