"""Staff sessions end after 30 minutes idle (configurable) and 8 hours after sign-in."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _at(start, **delta):
    return time_machine.travel(start + timedelta(**delta), tick=False)


def test_an_idle_session_ends_after_30_minutes(cast, client_for):
    start = timezone.now()
    with _at(start):
        client = client_for(cast.midwife_a)
    url = reverse("cohorts:list")
    with _at(start, minutes=29):
        assert client.get(url).status_code == 200
    with _at(start, minutes=29 + 31):
        response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    with _at(start, minutes=29 + 31, seconds=5):
        follow = client.get(response.url)
        assert "30 minutes without activity" in follow.content.decode()
        # Signed out for good: the old session does not come back.
        assert client.get(url).status_code == 302


def test_activity_keeps_it_alive_but_not_past_8_hours(cast, client_for):
    start = timezone.now()
    with _at(start):
        client = client_for(cast.midwife_a)
    url = reverse("cohorts:list")
    for minutes in range(20, 8 * 60, 20):
        with _at(start, minutes=minutes):
            assert client.get(url).status_code == 200, minutes
    with _at(start, hours=8, minutes=1):
        response = client.get(url)
    assert response.status_code == 302


def test_the_idle_limit_is_configurable(cast, client_for, settings):
    settings.SESSION_IDLE_MINUTES = 5
    start = timezone.now()
    with _at(start):
        client = client_for(cast.midwife_a)
    with _at(start, minutes=6):
        assert client.get(reverse("cohorts:list")).status_code == 302


def test_the_api_answers_401_once_the_session_has_run_out(cast, client_for):
    start = timezone.now()
    with _at(start):
        client = client_for(cast.midwife_a)
        assert client.get("/api/v1/families").status_code == 200
    with _at(start, minutes=31):
        assert client.get("/api/v1/families").status_code == 401
