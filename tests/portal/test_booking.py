"""Parents book their call in the portal through the bookings app's own service."""

from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from babysteps.bookings.models import CallBooking
from babysteps.delivery.services import delivery_pause
from tests.bookings.helpers import future_day, local, publish
from tests.videos.fixtures import parent_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls_to_book(world):
    """Cohort A goes video-first from today: its sessions become calls to book."""
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
    publish(world.cast.midwife_a, world.cast.site_a, day, start=time(10), end=time(11))
    return day


def test_the_home_page_asks_to_book_and_the_parent_books(world, calls_to_book):
    client = parent_client(world.mother_a)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Book your call" in home
    page = client.get(reverse("portal:book"))
    slots = page.context["slots"]
    assert len(slots) == 2 and all(s.facilitator == world.cast.midwife_a for s, _ in slots)
    response = client.post(reverse("portal:book"), {"slot": slots[1][1], "mode": "phone"})
    assert response.status_code == 302
    booking = CallBooking.objects.get()
    assert booking.booked_by_parent == world.mother_a and booking.mode == "phone"
    assert booking.starts_at == local(calls_to_book, time(10, 30))
    home = client.get(reverse("portal:home")).content.decode()
    assert "Your next phone call" in home and "with Midwife A" in home


def test_a_slot_taken_meanwhile_is_a_clear_error(world, calls_to_book):
    client = parent_client(world.mother_a)
    value = client.get(reverse("portal:book")).context["slots"][0][1]
    other = parent_client(world.mother_a)  # the same family, from another phone
    other.post(reverse("portal:book"), {"slot": value, "mode": "video"})
    response = client.post(reverse("portal:book"), {"slot": value, "mode": "video"})
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    assert CallBooking.objects.count() == 1


def test_made_up_slots_are_refused(world, calls_to_book):
    client = parent_client(world.mother_a)
    for slot in (
        f"{world.cast.facilitator_b.pk}|{local(calls_to_book, time(10)).isoformat()}",
        "x",
    ):
        response = client.post(reverse("portal:book"), {"slot": slot, "mode": "video"})
        assert response.status_code == 422
    assert not CallBooking.objects.exists()


def test_nothing_to_book_says_so(world):
    content = parent_client(world.mother_a).get(reverse("portal:book")).content.decode()
    assert "You have no call to book" in content
