"""Parents book their call in the portal through the bookings app's own service."""

from datetime import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.bookings.models import CallBooking
from babysteps.delivery.services import delivery_pause
from babysteps.notifications.models import Message
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


@pytest.fixture
def booked(world, calls_to_book):
    """The mother books the 10:00 slot; 10:30 stays free."""
    client = parent_client(world.mother_a)
    slots = client.get(reverse("portal:book")).context["slots"]
    client.post(reverse("portal:book"), {"slot": slots[0][1], "mode": "video"})
    return CallBooking.objects.get()


def test_the_parent_moves_their_call_and_old_reminders_are_superseded(world, calls_to_book, booked):
    client = parent_client(world.mother_a)
    home = client.get(reverse("portal:home")).content.decode()
    url = reverse("portal:change_call", args=[booked.pk])
    assert url in home
    page = client.get(url)
    assert page.status_code == 200
    values = [value for _, value in page.context["slots"]]
    assert len(values) == 1  # only 10:30: 10:00 is this call's own
    response = client.post(url, {"action": "move", "slot": values[0], "mode": "phone"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == "booked" and booked.mode == "phone" and booked.version == 2
    assert booked.starts_at == local(calls_to_book, time(10, 30))
    assert not Message.objects.filter(key__contains=":v1:", status="pending").exists()
    assert Message.objects.filter(key__contains=":v2:", status="pending").exists()
    assert AuditEvent.objects.filter(
        object_type="callbooking", object_id=str(booked.pk), actor_label__startswith="parent"
    ).exists()


def test_cancelling_needs_a_reason_and_a_confirmation(world, calls_to_book, booked):
    client = parent_client(world.mother_a)
    url = reverse("portal:change_call", args=[booked.pk])
    for data in ({"action": "cancel", "reason": "time"}, {"action": "cancel", "confirm": "yes"}):
        response = client.post(url, data)
        assert response.status_code == 422
        assert "There is a problem" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == "booked"
    response = client.post(url, {"action": "cancel", "reason": "time", "confirm": "yes"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == "cancelled" and "time no longer suits" in booked.status_reason
    assert booked.planned_call.status == "open"  # to be booked again
    notices = Message.objects.filter(key__contains=":cancelled:")  # one per parent
    assert notices and all("METHOD:CANCEL" in n.attachments[0]["content"] for n in notices)
    assert "Book your call" in client.get(reverse("portal:home")).content.decode()
    # A cancelled call cannot be changed again.
    assert client.get(url).status_code == 404


def test_only_the_mother_cancels_the_partner_may_move(world, calls_to_book, booked):
    client = parent_client(world.partner_a)
    url = reverse("portal:change_call", args=[booked.pk])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["can_cancel"]
    response = client.post(url, {"action": "cancel", "reason": "time", "confirm": "yes"})
    assert response.status_code == 422
    booked.refresh_from_db()
    assert booked.status == "booked"
    value = page.context["slots"][0][1]
    assert client.post(url, {"action": "move", "slot": value, "mode": "video"}).status_code == 302


def test_another_familys_call_and_signed_out_visitors_get_404(world, calls_to_book, booked):
    url = reverse("portal:change_call", args=[booked.pk])
    for client in (parent_client(world.mother_b), Client()):
        assert client.get(url).status_code == 404
        response = client.post(url, {"action": "cancel", "reason": "time", "confirm": "yes"})
        assert response.status_code == 404
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_times_are_grouped_by_day(world, calls_to_book):
    content = parent_client(world.mother_a).get(reverse("portal:book")).content.decode()
    assert content.count('class="slot-day"') == 1  # both times are on one day
    assert f"<legend>{calls_to_book:%A} {calls_to_book.day} {calls_to_book:%B}</legend>" in content
    assert "10:00 with Midwife A" in content and "10:30 with Midwife A" in content
