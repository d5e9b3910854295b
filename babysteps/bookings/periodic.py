"""Periodic jobs of bookings (run by ``manage.py run_periodic``): group-session reminders
as they fall due, and the weekly tips. Call reminders are queued when a call is booked."""

from datetime import datetime

from babysteps.bookings.reminders import session_reminders_due, weekly_tips_due
from babysteps.core.periodic import periodic


@periodic("queue group-session reminders")
def queue_session_reminders(now: datetime) -> int:
    return session_reminders_due(now=now)


@periodic("queue weekly tips")
def queue_weekly_tips(now: datetime) -> int:
    return weekly_tips_due(now=now)
