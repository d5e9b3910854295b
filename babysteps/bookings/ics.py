"""Calendar invitations (RFC 5545) for booked calls, built with ``icalendar``.

One event per booking, with a stable UID; rescheduling sends the same UID with a higher
SEQUENCE and cancelling sends METHOD:CANCEL, so calendar apps move or remove the entry
instead of adding a second one. No family details go in: the component and the time.
"""

from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODID = "-//NSPCC Baby Steps//Call booking//EN"


def booking_uid(booking_id: int) -> str:
    return f"babysteps-call-{booking_id}@babysteps.local"


def call_invitation(
    *,
    booking_id: int,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    stamp: datetime,
    cancelled: bool = False,
) -> str:
    """The text of an .ics file for the call (aware datetimes; written in UTC)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", booking_uid(booking_id))
    event.add("sequence", sequence)
    # UTC throughout, so no VTIMEZONE block is needed.
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()
