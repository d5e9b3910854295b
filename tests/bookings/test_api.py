"""Bookings in the JSON API."""

from datetime import time

import pytest

from babysteps.api.services import api_token_create
from babysteps.bookings.models import CallBooking
from babysteps.notifications.models import Message
from tests.bookings.helpers import future_day, local, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_user(user):
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(user=user)}"
        return client

    return as_user


def test_book_move_and_cancel_over_the_api(api, cast):
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(12))
    client = api(cast.support_a)
    slots = client.get("/api/v1/bookings/slots", {"family": cast.family_a.pk}).json()
    assert len(slots) == 4 and slots[0]["facilitator"] == cast.midwife_a.pk
    body = {
        "family": cast.family_a.pk,
        "component": "S4",
        "facilitator": cast.midwife_a.pk,
        "starts_at": slots[0]["starts_at"],
        "mode": "video",
    }
    created = client.post("/api/v1/bookings", body, content_type="application/json")
    assert created.status_code == 201, created.json()
    booking = created.json()
    again = client.post(
        "/api/v1/bookings", dict(body, family=cast.family_a.pk), content_type="application/json"
    )
    assert again.status_code == 422  # the slot is taken (and the component booked)
    url = f"/api/v1/bookings/{booking['id']}"
    moved = client.patch(
        url, {"starts_at": local(day, time(11)).isoformat()}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["version"] == 2
    assert client.patch(url, {}, content_type="application/json").status_code == 422
    cancelled = client.patch(
        url, {"status": "cancelled", "reason": "Unwell"}, content_type="application/json"
    )
    assert cancelled.json()["status"] == "cancelled"
    assert Message.objects.filter(key__contains=":cancelled:").exists()
    assert api(cast.facilitator_b).get(url).status_code == 404


def test_a_booking_in_the_past_or_off_the_published_times_is_422(api, cast):
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(12))
    client = api(cast.manager_a)
    for when in ("2020-03-23T10:00:00+00:00", local(day, time(10, 15)).isoformat()):
        response = client.post(
            "/api/v1/bookings",
            {
                "family": cast.family_a.pk,
                "component": "S4",
                "facilitator": cast.midwife_a.pk,
                "starts_at": when,
            },
            content_type="application/json",
        )
        assert response.status_code == 422
    assert not CallBooking.objects.exists()
