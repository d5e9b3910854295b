"""Parents book their call in the portal through the bookings app's own service."""

from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.bookings.models import CallBooking
from babysteps.delivery.services import delivery_pause
from babysteps.notifications.models import Message
from babysteps.portal.booking import call_window
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
    assert page.context["picker"].days == [calls_to_book] and page.context["picker"].day is None
    page = client.get(reverse("portal:book"), {"day": calls_to_book.isoformat()})
    assert page.context["picker"].times == ["10:00", "10:30"]
    response = client.post(
        reverse("portal:book"), {"day": calls_to_book.isoformat(), "time": "10:30", "mode": "phone"}
    )
    assert response.status_code == 302
    booking = CallBooking.objects.get()
    assert booking.booked_by_parent == world.mother_a and booking.mode == "phone"
    assert booking.starts_at == local(calls_to_book, time(10, 30))
    home = client.get(reverse("portal:home")).content.decode()
    assert "Your next phone call" in home and "with Midwife A" in home


def test_a_slot_taken_meanwhile_is_a_clear_error(world, calls_to_book):
    client = parent_client(world.mother_a)
    value = {"day": calls_to_book.isoformat(), "time": "10:00", "mode": "video"}
    other = parent_client(world.mother_a)  # the same family, from another phone
    other.post(reverse("portal:book"), value)
    response = client.post(reverse("portal:book"), value)
    assert response.status_code == 422
    assert "There is a problem" in response.content.decode()
    assert CallBooking.objects.count() == 1


def test_made_up_slots_are_refused(world, calls_to_book):
    client = parent_client(world.mother_a)
    for day, at in (
        (calls_to_book.isoformat(), "11:45"),  # no time then
        ((calls_to_book.replace(day=1)).isoformat(), "10:00"),  # not a day offered
        ("x", "10:00"),
        (calls_to_book.isoformat(), "x"),
    ):
        response = client.post(reverse("portal:book"), {"day": day, "time": at, "mode": "video"})
        assert response.status_code == 422
    assert not CallBooking.objects.exists()


def test_nothing_to_book_says_so(world):
    content = parent_client(world.mother_a).get(reverse("portal:book")).content.decode()
    assert "You have no call to book" in content


@pytest.fixture
def booked(world, calls_to_book):
    """The mother books the 10:00 slot; 10:30 stays free."""
    client = parent_client(world.mother_a)
    client.post(
        reverse("portal:book"), {"day": calls_to_book.isoformat(), "time": "10:00", "mode": "video"}
    )
    return CallBooking.objects.get()


def test_the_parent_moves_their_call_and_old_reminders_are_superseded(world, calls_to_book, booked):
    client = parent_client(world.mother_a)
    home = client.get(reverse("portal:home")).content.decode()
    url = reverse("portal:change_call", args=[booked.pk])
    assert url in home
    page = client.get(url, {"day": calls_to_book.isoformat()})
    assert page.status_code == 200
    assert page.context["picker"].times == ["10:30"]  # 10:00 is this call's own
    response = client.post(
        url,
        {"action": "move", "day": calls_to_book.isoformat(), "time": "10:30", "mode": "phone"},
    )
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
    move = {"action": "move", "day": calls_to_book.isoformat(), "time": "10:30", "mode": "video"}
    assert client.post(url, move).status_code == 302


def test_another_familys_call_and_signed_out_visitors_get_404(world, calls_to_book, booked):
    url = reverse("portal:change_call", args=[booked.pk])
    for client in (parent_client(world.mother_b), Client()):
        assert client.get(url).status_code == 404
        response = client.post(url, {"action": "cancel", "reason": "time", "confirm": "yes"})
        assert response.status_code == 404
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_the_parent_picks_a_day_then_a_time_each_time_once(world, calls_to_book):
    """Two facilitators free at the same times: each time is offered once, and the
    family's usual facilitator takes it."""
    publish(world.cast.support_a, world.cast.site_a, calls_to_book, start=time(10), end=time(11))
    client = parent_client(world.mother_a)
    content = client.get(reverse("portal:book")).content.decode()
    day_link = f"?day={calls_to_book.isoformat()}"
    assert day_link in content and f"{calls_to_book:%A}" in content
    assert 'name="time"' not in content  # a time only once a day is chosen
    page = client.get(reverse("portal:book"), {"day": calls_to_book.isoformat()})
    text = page.content.decode()
    assert text.count('value="10:00"') == 1 and text.count('value="10:30"') == 1
    assert "with Midwife A" not in text  # the system chooses who calls
    client.post(
        reverse("portal:book"), {"day": calls_to_book.isoformat(), "time": "10:00", "mode": "phone"}
    )
    first = CallBooking.objects.get()
    # The next call goes to the same facilitator (the family's usual one) if free then.
    assert first.facilitator in (world.cast.midwife_a, world.cast.support_a)


def test_times_are_offered_from_the_videos_release_to_a_week_after_the_session(world):
    due = timezone.now() + timedelta(days=20)
    first, last = call_window(due)
    assert first == timezone.localtime(due - timedelta(days=3)).date()  # videos open
    assert last == timezone.localtime(due).date() + timedelta(days=7)
    past_due = timezone.now() - timedelta(days=10)  # a catch-up for a session gone by
    first, last = call_window(past_due)
    assert first == timezone.localdate() and last == timezone.localdate() + timedelta(days=7)
