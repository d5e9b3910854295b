"""When a safe-and-well referral is due, and when it is escalated. Pure: no Django.

A referral is due by the end of a working day (17:00 local time) of the family's UK
nation: the same working day (or the next one, if made after hours, at a weekend or on a
bank holiday), or the end of the 1st or 5th working day after the day it was made.

Escalation has three stages, each fired at most once:
- ``due_soon``: still unclaimed a few working hours before the due-by time;
- ``overdue``: not resolved (closed or withdrawn) by the due-by time;
- ``overdue_further``: still not resolved at the end of the next working day.
"""

from datetime import datetime, timedelta

from babysteps.core.working_time import WORKDAY_END, add_working_days, is_working_day

SAME_DAY = "same_day"
ONE_WORKING_DAY = "one_working_day"
FIVE_WORKING_DAYS = "five_working_days"
WORKING_DAYS = {SAME_DAY: 0, ONE_WORKING_DAY: 1, FIVE_WORKING_DAYS: 5}

# How long before the due-by time an unclaimed referral is escalated. The due-by time is
# always 17:00 on a working day, so these stay inside that day's working hours.
DUE_SOON_LEAD = {
    SAME_DAY: timedelta(hours=2),
    ONE_WORKING_DAY: timedelta(hours=4),
    FIVE_WORKING_DAYS: timedelta(hours=8),
}

DUE_SOON = "due_soon"
OVERDUE = "overdue"
OVERDUE_FURTHER = "overdue_further"
STAGES = (DUE_SOON, OVERDUE, OVERDUE_FURTHER)


def due_by(referred_at: datetime, urgency: str, nation: str = "england") -> datetime:
    """The due-by time of a referral made at ``referred_at`` (an aware datetime in local
    time, Europe/London) with the given urgency, in the family's nation."""
    if urgency not in WORKING_DAYS:
        raise ValueError(f"Unknown urgency: {urgency!r}")
    day = referred_at.date()
    days = WORKING_DAYS[urgency]
    if days == 0:
        in_working_day = is_working_day(day, nation) and referred_at.time() < WORKDAY_END
        due_day = day if in_working_day else add_working_days(day, 1, nation)
    else:
        due_day = add_working_days(day, days, nation)
    return datetime.combine(due_day, WORKDAY_END, tzinfo=referred_at.tzinfo)


def stage_times(
    referred_at: datetime, due: datetime, urgency: str, nation: str = "england"
) -> dict[str, datetime]:
    """When each escalation stage falls due. A referral made late in its window (a
    same-day referral at 16:30) is escalated as soon as it is made."""
    soon = max(due - DUE_SOON_LEAD[urgency], referred_at)
    return {DUE_SOON: soon, OVERDUE: due, OVERDUE_FURTHER: further_escalation(due, nation)}


def further_escalation(due: datetime, nation: str = "england") -> datetime:
    """The end of the working day after the due-by day (``due`` in local time)."""
    day = add_working_days(due.date(), 1, nation)
    return datetime.combine(day, WORKDAY_END, tzinfo=due.tzinfo)


def current_stage(
    times: dict[str, datetime], now: datetime, *, unclaimed: bool, unresolved: bool
) -> str | None:
    """The one stage that applies at ``now``, or None. Only the latest stage whose time
    has passed applies, so a worker that was stopped for a day sends one escalation, not
    a burst of stale ones. ``due_soon`` is about nobody having claimed the referral;
    the later stages are about it not being resolved, whoever holds it."""
    if not unresolved:
        return None
    if now >= times[OVERDUE_FURTHER]:
        return OVERDUE_FURTHER
    if now >= times[OVERDUE]:
        return OVERDUE
    if now >= times[DUE_SOON] and unclaimed:
        return DUE_SOON
    return None
