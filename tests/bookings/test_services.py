"""Booking calls: slots, validation, moving, cancelling, no-shows and rebooking."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.bookings.services import (
    call_cancel,
    call_no_show,
    call_rebook,
    call_reschedule,
)
from babysteps.cohorts.models import Enrolment
from babysteps.notifications.models import Message
from babysteps.programme.models import Component
from tests.bookings.helpers import book, future_day, local, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(cast):
    day = future_day()
    publish(cast.midwife_a, cast.site_a, day)
    return day


def test_booking_takes_a_published_slot_and_tells_the_parents(cast, day):
    booking = book(cast, at=local(day, time(10, 0)))
    assert booking.ends_at - booking.starts_at == timedelta(minutes=30)
    assert booking.cohort == cast.cohort_a
    keys = sorted(Message.objects.values_list("key", flat=True))
    mother = cast.family_a.mother.pk
    assert keys == sorted(
        [
            f"booking:{booking.pk}:booked:v1:p{mother}",
            f"reminder:booking:{booking.pk}:1h:v1:p{mother}",
            f"reminder:booking:{booking.pk}:24h:v1:p{mother}",
        ]
    )
    notice = Message.objects.get(key__contains=":booked:")
    assert notice.attachments[0]["content_type"] == "text/calendar"
    assert "METHOD:REQUEST" in notice.attachments[0]["content"]
    assert "SEQUENCE:1" in notice.attachments[0]["content"]


@pytest.mark.parametrize(
    ("when", "field"),
    [
        (lambda day: timezone.now() - timedelta(hours=1), "starts_at"),  # in the past
        (lambda day: local(day, time(10, 10)), "starts_at"),  # not a slot start
        (lambda day: local(day, time(17, 0)), "starts_at"),  # after the published time
    ],
)
def test_bad_times_are_refused_and_nothing_is_saved(cast, day, when, field):
    with pytest.raises(ValidationError) as error:
        book(cast, at=when(day))
    assert field in error.value.message_dict
    assert not CallBooking.objects.exists()
    assert not Message.objects.exists()


def test_a_withdrawn_family_cannot_book(cast, day):
    Enrolment.objects.filter(pk=cast.enrolment_a.pk).update(
        status="withdrawn", withdrawal_reason="Moved away"
    )
    with pytest.raises(ValidationError) as error:
        book(cast, at=local(day, time(10, 0)))
    assert "withdrawn" in error.value.message_dict["family"][0]
    assert not CallBooking.objects.exists()


def test_only_the_cohorts_facilitators_take_calls(cast, day):
    publish(cast.facilitator_a2, cast.site_a, day)
    with pytest.raises(ValidationError) as error:
        book(cast, at=local(day, time(10, 0)), facilitator=cast.facilitator_a2)
    assert "facilitator" in error.value.message_dict


def test_a_slot_cannot_be_taken_twice(cast, day):
    book(cast, at=local(day, time(10, 0)))
    family = cast.family_a2
    Enrolment.objects.filter(family=family).update(cohort=cast.cohort_a)
    with pytest.raises(ValidationError) as error:
        book(cast, at=local(day, time(10, 0)), family=family)
    assert "already taken" in error.value.message_dict["starts_at"][0]
    assert CallBooking.objects.count() == 1


def test_one_open_call_per_component(cast, day):
    book(cast, at=local(day, time(10, 0)))
    with pytest.raises(ValidationError) as error:
        book(cast, at=local(day, time(11, 0)))
    assert "component" in error.value.message_dict


def test_rescheduling_supersedes_messages_and_bumps_the_version(cast, day):
    booking = book(cast, at=local(day, time(10, 0)))
    call_reschedule(booking=booking, starts_at=local(day, time(14, 0)), changed_by=cast.midwife_a)
    booking.refresh_from_db()
    assert booking.version == 2
    assert timezone.localtime(booking.starts_at).time() == time(14, 0)
    v1 = Message.objects.filter(key__contains=":v1:")
    assert set(v1.values_list("status", flat=True)) == {"cancelled"}
    v2 = Message.objects.filter(key__contains=":v2:", status="pending")
    kinds = sorted(k.split(":v2:")[0].rsplit(":", 1)[1] for k in v2.values_list("key", flat=True))
    assert kinds == ["1h", "24h", "booked"]  # the first notice never went: no "moved"
    notice = v2.get(key__contains=":booked:")
    assert "SEQUENCE:2" in notice.attachments[0]["content"]


def test_a_parent_who_had_the_booking_notice_is_told_it_moved(cast, day):
    booking = book(cast, at=local(day, time(10, 0)))
    Message.objects.filter(key__contains=":booked:").update(status="sent")
    call_reschedule(booking=booking, starts_at=local(day, time(14, 0)), changed_by=cast.midwife_a)
    moved = Message.objects.get(key__contains=":moved:v2:")
    assert "has moved to" in moved.body


def test_moving_to_a_taken_slot_is_refused(cast, day):
    first = book(cast, at=local(day, time(10, 0)))
    Enrolment.objects.filter(family=cast.family_a2).update(cohort=cast.cohort_a)
    book(cast, at=local(day, time(11, 0)), family=cast.family_a2)
    with pytest.raises(ValidationError):
        call_reschedule(booking=first, starts_at=local(day, time(11, 0)), changed_by=cast.midwife_a)
    first.refresh_from_db()
    assert first.version == 1 and timezone.localtime(first.starts_at).time() == time(10, 0)


def test_cancelling_sends_a_calendar_cancellation(cast, day):
    booking = book(cast, at=local(day, time(10, 0)))
    with pytest.raises(ValidationError):
        call_cancel(booking=booking, reason="  ", cancelled_by=cast.midwife_a)
    call_cancel(booking=booking, reason="Family asked", cancelled_by=cast.midwife_a)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert not Message.objects.filter(key__startswith="reminder:", status="pending").exists()
    notice = Message.objects.get(key__contains=":cancelled:")
    assert "METHOD:CANCEL" in notice.attachments[0]["content"]
    assert "Family asked" not in notice.body  # the reason stays with staff


def test_no_show_only_after_the_time_then_rebook(cast, day):
    booking = book(cast, at=local(day, time(10, 0)))
    with pytest.raises(ValidationError):
        call_no_show(booking=booking, recorded_by=cast.midwife_a)
    later = booking.starts_at + timedelta(minutes=20)
    call_no_show(booking=booking, recorded_by=cast.midwife_a, now=later)
    booking.refresh_from_db()
    assert booking.status == "no_show"
    again = call_rebook(
        booking=booking,
        starts_at=local(day, time(15, 0)),
        facilitator=cast.midwife_a,
        booked_by=cast.midwife_a,
        now=later,
    )
    assert again.rebook_of == booking and again.status == "booked"


def test_booking_fills_the_familys_planned_call(cast, day):
    from babysteps.bookings.services import planned_call_catch_up
    from babysteps.cohorts.services import cohort_schedule_generate

    sessions = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    call = planned_call_catch_up(
        family=cast.family_a, session=sessions["S3"], created_by=cast.midwife_a
    )
    booking = book(cast, at=local(day, time(10, 0)), component=Component.objects.get(code="S3"))
    call.refresh_from_db()
    assert booking.planned_call == call and call.status == PlannedCall.Status.BOOKED
    call_cancel(booking=booking, reason="Ill", cancelled_by=cast.midwife_a)
    call.refresh_from_db()
    assert call.status == PlannedCall.Status.OPEN


def test_a_parent_books_their_own_family_only(cast, day):
    from babysteps.bookings.services import call_book

    with pytest.raises(ValidationError):
        call_book(
            family=cast.family_a2,
            component=Component.objects.get(code="S3"),
            facilitator=cast.midwife_a,
            starts_at=local(day, time(10, 0)),
            booked_by_parent=cast.family_a.mother,
        )
    booking = call_book(
        family=cast.family_a,
        component=Component.objects.get(code="S3"),
        facilitator=cast.midwife_a,
        starts_at=local(day, time(10, 0)),
        booked_by_parent=cast.family_a.mother,
    )
    assert booking.booked_by is None and booking.booked_by_parent == cast.family_a.mother


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start_time": time(12), "end_time": time(10)}, "end_time"),  # ends before it starts
        ({"valid_from": future_day() - timedelta(days=30), "kind": "one_off"}, "valid_from"),
        ({"slot_minutes": 5}, "slot_minutes"),
        ({"kind": "weekly", "weekday": None}, "weekday"),
    ],
)
def test_bad_availability_is_refused_and_nothing_is_saved(cast, change, field):
    from babysteps.bookings.models import Availability
    from babysteps.bookings.services import availability_add

    values = {
        "facilitator": cast.midwife_a,
        "site": cast.site_a,
        "created_by": cast.midwife_a,
        "kind": "one_off",
        "valid_from": future_day(),
        "start_time": time(9),
        "end_time": time(12),
        "slot_minutes": 30,
    }
    values.update(change)
    with pytest.raises(ValidationError) as error:
        availability_add(**values)
    assert field in error.value.message_dict
    assert not Availability.objects.exists()
