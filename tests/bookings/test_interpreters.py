"""Interpreters in delivery: bookings hold longer, contacts record who interpreted, the
facilitator-time report shows interpreted contacts apart."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from babysteps.bookings.services import call_interpreter_set
from babysteps.delivery.services import AttendanceIn, contact_record
from babysteps.families.models import Family
from babysteps.programme.models import Component
from tests.bookings.helpers import book, future_day, local, publish
from tests.factories import EnrolmentFactory, FamilyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def urdu(cast):
    Family.objects.filter(pk=cast.family_a.pk).update(
        interpreter_needed=True, preferred_language="Urdu"
    )
    cast.family_a.refresh_from_db()
    return cast.family_a


def test_an_interpreted_call_holds_longer_and_takes_the_language(cast, urdu, settings):
    settings.INTERPRETED_CALL_EXTRA_MINUTES = 20
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day, start=time(9), end=time(11), minutes=30)
    booking = book(cast, at=local(day, time(9)), family=urdu)
    assert booking.ends_at - booking.starts_at == timedelta(minutes=50)
    assert (booking.interpreter_needed, booking.interpreter_language) == (True, "Urdu")
    assert booking.interpreter_booked is False
    # The next slot overlaps the interpreted call: it cannot be booked by another family.
    other = FamilyFactory(site=cast.site_a, created_by=cast.manager_a)
    EnrolmentFactory(family=other, cohort=cast.cohort_a)
    with pytest.raises(ValidationError, match="already taken"):
        book(cast, at=local(day, time(9, 30)), family=other)


def test_marking_the_interpreter_booked_and_not_needed(cast, urdu):
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day, start=time(9), end=time(11), minutes=30)
    booking = book(cast, at=local(day, time(9)), family=urdu)
    booking = call_interpreter_set(
        booking=booking, needed=True, booked=True, language="Urdu", changed_by=cast.midwife_a
    )
    assert booking.interpreter_booked
    booking = call_interpreter_set(
        booking=booking, needed=False, booked=False, language="", changed_by=cast.midwife_a
    )
    assert booking.ends_at - booking.starts_at == timedelta(minutes=30)
    with pytest.raises(ValidationError, match="only when needed"):
        call_interpreter_set(
            booking=booking, needed=False, booked=True, language="", changed_by=cast.midwife_a
        )
    with pytest.raises(ValidationError, match="which language"):
        call_interpreter_set(
            booking=booking, needed=True, booked=False, language=" ", changed_by=cast.midwife_a
        )


def test_the_booking_page_saves_the_interpreter(cast, urdu, client_for):
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day, start=time(9), end=time(11), minutes=30)
    booking = book(cast, at=local(day, time(9)), family=urdu)
    client = client_for(cast.midwife_a)
    page = client.get(reverse("bookings:detail", args=[booking.pk])).content.decode()
    assert "Needed: Urdu" in page and "Not booked yet" in page
    client.post(
        reverse("bookings:interpreter", args=[booking.pk]),
        {"interpreter_needed": "on", "interpreter_language": "Urdu", "interpreter_booked": "on"},
    )
    booking.refresh_from_db()
    assert booking.interpreter_booked
    prep = client.get(reverse("prep:family", args=[urdu.pk])).content.decode()
    assert "data-interpreter-needed" in prep


def _call(cast, family, *, interpreted: bool, minutes: int):
    return contact_record(
        family=family,
        cohort=cast.cohort_a,
        component=Component.objects.get(code="S1"),
        mode="phone",
        starts_at=timezone.now() - timedelta(hours=2),
        planned_minutes=30,
        actual_minutes=minutes,
        facilitators=[cast.midwife_a],
        recorded_by=cast.midwife_a,
        attendance=AttendanceIn(mother=True),
        interpreter_used=interpreted,
        interpreter_language="Urdu" if interpreted else "",
    )


def test_a_contact_records_the_interpreter_and_the_time_report_shows_them_apart(
    cast, urdu, client_for
):
    contact = _call(cast, urdu, interpreted=True, minutes=50)
    assert (contact.interpreter_used, contact.interpreter_language) == (True, "Urdu")
    with pytest.raises(ValidationError, match="which language"):
        contact_record(
            family=urdu,
            cohort=cast.cohort_a,
            component=Component.objects.get(code="S2"),
            mode="phone",
            starts_at=timezone.now() - timedelta(hours=1),
            planned_minutes=30,
            actual_minutes=30,
            facilitators=[cast.midwife_a],
            recorded_by=cast.midwife_a,
            attendance=AttendanceIn(mother=True),
            interpreter_used=True,
        )
    page = (
        client_for(cast.manager_a)
        .get(reverse("delivery:site_time", args=[cast.site_a.pk]))
        .content.decode()
    )
    table = page[page.index('data-table="interpreted"') :]
    table = table[: table.index("</table>")]
    assert (
        '<th scope="row">With an interpreter</th><td class="num">1</td>'
        '<td class="num">50</td><td class="num">50</td>' in table
    )
    assert '<th scope="row">Without</th><td class="num">0</td>' in table
