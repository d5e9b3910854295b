"""Delivery and booking objects for each of the access matrix's object sets (cohort A,
cohort A2, site B), so every new route is walked with ids inside and outside scope."""

from datetime import time, timedelta

from django.utils import timezone

from babysteps.bookings.models import Availability
from babysteps.delivery.models import FollowUpTask
from babysteps.delivery.services import AttendanceIn, contact_record
from babysteps.programme.models import Component
from tests.bookings.helpers import book, future_day, local, publish


def delivery_objects(cast) -> dict[str, dict[str, int]]:
    day = future_day(5)
    hv2 = Component.objects.get(code="HV2")
    out = {}
    for name, cohort, family, facilitator, site in (
        ("cohort_a", cast.cohort_a, cast.family_a, cast.support_a, cast.site_a),
        ("cohort_a2", cast.cohort_a2, cast.family_a2, cast.facilitator_a2, cast.site_a),
        ("site_b", cast.cohort_b, cast.family_b, cast.facilitator_b, cast.site_b),
    ):
        availability = publish(facilitator, site, day, start=time(9), end=time(10))
        booking = book(
            cast,
            at=local(day, time(9)),
            family=family,
            facilitator=facilitator,
            booked_by=facilitator,
        )
        visit = contact_record(
            family=family,
            cohort=cohort,
            component=hv2,
            mode="home_visit",
            starts_at=timezone.now() - timedelta(hours=3),
            planned_minutes=60,
            actual_minutes=20,  # shortened: a follow-up task is created
            facilitators=[facilitator],
            recorded_by=facilitator,
            attendance=AttendanceIn(mother=True),
        )
        out[name] = {
            "availability_id": availability.pk,
            "booking_id": booking.pk,
            "contact_id": visit.pk,
            "task_id": FollowUpTask.objects.get(visit=visit).pk,
            "site_id": site.pk,
        }
    assert Availability.objects.count() == 3
    return out
