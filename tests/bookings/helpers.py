"""Helpers shared by the booking and delivery tests."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.bookings.models import Availability, CallBooking
from babysteps.bookings.services import availability_add, call_book
from babysteps.licensing.models import Site
from tests.factories import today


def local(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def future_day(days: int = 3) -> date:
    """A weekday ``days`` or more ahead (calls are offered on weekdays here)."""
    day = today() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def publish(
    user: User,
    site: Site,
    day: date,
    start: time = time(9, 0),
    end: time = time(17, 0),
    minutes: int = 30,
) -> Availability:
    return availability_add(
        facilitator=user,
        site=site,
        created_by=user,
        kind=Availability.Kind.ONE_OFF,
        valid_from=day,
        start_time=start,
        end_time=end,
        slot_minutes=minutes,
    )


def book(cast, *, at: datetime, family=None, facilitator=None, component=None, **extra):
    from babysteps.programme.models import Component

    return call_book(
        family=family or cast.family_a,
        component=component or Component.objects.get(code="S3"),
        facilitator=facilitator or cast.midwife_a,
        starts_at=at,
        booked_by=extra.pop("booked_by", cast.midwife_a),
        **extra,
    )


def happened(booking, *, ago: timedelta) -> datetime:
    """Move a booked call so that it started ``ago`` (time passes in a test). Done in UTC:
    arithmetic on London times across a change of the clocks would be an hour out."""
    length = booking.ends_at - booking.starts_at
    starts_at = timezone.now() - ago
    CallBooking.objects.filter(pk=booking.pk).update(
        starts_at=starts_at, ends_at=starts_at + length
    )
    return starts_at
