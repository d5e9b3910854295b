"""When a message may be delivered. Pure: no database, no Django.

A family's safe times to call (e.g. 10:00-14:00, when a partner is at work) bound every
message to them; on top of that nobody gets a message in the quiet hours of the night.
"""

from datetime import datetime, time, timedelta


def within(moment: time, start: time, end: time) -> bool:
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # a window across midnight


def next_whole_minute(moment: datetime) -> datetime:
    """``moment`` if it is a whole minute, else the next whole minute."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def next_allowed(
    moment: datetime,
    *,
    safe_from: time | None,
    safe_to: time | None,
    quiet_from: time,
    quiet_to: time,
) -> datetime:
    """The first moment at or after ``moment`` (a local, aware datetime) that is inside
    the safe window (if any) and outside the quiet hours. Checked minute by minute over
    at most two days, so any pair of windows that overlap somewhere is found."""
    candidate = next_whole_minute(moment)
    for _ in range(2 * 24 * 60):
        clock = candidate.time()
        safe = safe_from is None or safe_to is None or within(clock, safe_from, safe_to)
        if safe and not within(clock, quiet_from, quiet_to):
            return candidate
        candidate += timedelta(minutes=1)
    raise ValueError("The safe times and quiet hours never overlap.")
