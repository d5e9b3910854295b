"""The booking pages: publishing times, booking from a planned call, moving, cancelling,
a no-show and its rebook, and the calendar file."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from babysteps.bookings.models import Availability, CallBooking
from babysteps.bookings.services import planned_call_catch_up
from babysteps.cohorts.models import Enrolment
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.programme.models import Component
from tests.bookings.helpers import book, future_day, local, publish

pytestmark = pytest.mark.django_db


def slot_value(user, when) -> str:
    return f"{user.pk}|{when.isoformat()}"


def test_a_facilitator_publishes_and_withdraws_times(client_for, cast):
    client = client_for(cast.midwife_a)
    day = future_day()
    response = client.post(
        reverse("bookings:availability"),
        {
            "facilitator": cast.midwife_a.pk,
            "kind": "weekly",
            "weekday": day.weekday(),
            "valid_from": day.isoformat(),
            "start_time": "10:00",
            "end_time": "12:00",
            "slot_minutes": 30,
        },
    )
    assert response.status_code == 302
    row = Availability.objects.get()
    assert (row.facilitator, row.site, row.kind) == (cast.midwife_a, cast.site_a, "weekly")
    bad = client.post(
        reverse("bookings:availability"),
        {
            "facilitator": cast.midwife_a.pk,
            "kind": "one_off",
            "valid_from": (day - timedelta(days=30)).isoformat(),
            "start_time": "12:00",
            "end_time": "10:00",
            "slot_minutes": 30,
        },
    )
    content = bad.content.decode()
    assert "in the past" in content and "must end after it starts" in content
    assert Availability.objects.count() == 1
    client.post(reverse("bookings:availability_remove", args=[row.pk]))
    row.refresh_from_db()
    assert not row.active
    # Another facilitator cannot touch it.
    other = client_for(cast.facilitator_a2).get(
        reverse("bookings:availability_remove", args=[row.pk])
    )
    assert other.status_code == 404


def test_booking_a_planned_call_from_the_page(client_for, cast):
    sessions = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    call = planned_call_catch_up(
        family=cast.family_a, session=sessions["S2"], created_by=cast.midwife_a
    )
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(11))
    client = client_for(cast.midwife_a)
    url = reverse("bookings:book", args=[cast.family_a.pk]) + f"?call={call.pk}"
    page = client.get(url).content.decode()
    assert "10:00 to 10:30 with Midwife A" in page
    response = client.post(
        url, {"slot": slot_value(cast.midwife_a, local(day, time(10))), "mode": "video"}
    )
    assert response.status_code == 302
    booking = CallBooking.objects.get()
    assert (booking.planned_call, booking.mode) == (call, "video")
    detail = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Move it" in detail and "Cancel it" in detail
    ics = client.get(reverse("bookings:calendar", args=[booking.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert (
        b"BEGIN:VEVENT" in ics.content
        and cast.family_a.mother.given_name.encode() not in ics.content
    )


def test_a_slot_taken_meanwhile_is_a_clear_error(client_for, cast):
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(11))
    client = client_for(cast.midwife_a)
    url = reverse("bookings:book", args=[cast.family_a.pk])
    client.get(url)
    Enrolment.objects.filter(family=cast.family_a2).update(cohort=cast.cohort_a)
    book(cast, at=local(day, time(10)), family=cast.family_a2)
    response = client.post(
        url,
        {
            "component": Component.objects.get(code="S2").pk,
            "slot": slot_value(cast.midwife_a, local(day, time(10))),
            "mode": "phone",
        },
    )
    assert "no longer free" in response.content.decode()
    assert CallBooking.objects.count() == 1


def test_move_cancel_no_show_and_rebook_through_the_pages(client_for, cast):
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day, start=time(10), end=time(12))
    booking = book(cast, at=local(day, time(10)))
    client = client_for(cast.midwife_a)
    moved = client.post(
        reverse("bookings:reschedule", args=[booking.pk]),
        {"slot": slot_value(cast.midwife_a, local(day, time(11))), "mode": "phone"},
    )
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert timezone.localtime(booking.starts_at).time() == time(11) and booking.version == 2
    # No-show only once the time has come.
    early = client.post(reverse("bookings:no_show", args=[booking.pk]), follow=True)
    assert "once its time has come" in early.content.decode()
    CallBooking.objects.filter(pk=booking.pk).update(
        starts_at=timezone.now() - timedelta(minutes=40),
        ends_at=timezone.now() - timedelta(minutes=10),
    )
    client.post(reverse("bookings:no_show", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "no_show"
    detail = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Rebook" in detail
    rebook_url = reverse("bookings:book", args=[cast.family_a.pk]) + f"?rebook={booking.pk}"
    client.post(
        rebook_url, {"slot": slot_value(cast.midwife_a, local(day, time(10))), "mode": "phone"}
    )
    again = CallBooking.objects.get(rebook_of=booking)
    response = client.post(reverse("bookings:cancel", args=[again.pk]), {"reason": "Unwell"})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == "cancelled"
