"""Working days and hours: weekends and the bank holidays of a UK nation (from the
maintained ``holidays`` package). Pure: no database, no Django.

Used for safeguarding due-by times (working days) and alert escalation (working hours).
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

# Site.Nation value -> (country, subdivision) in the holidays package.
NATION_CALENDARS: dict[str, tuple[str, str | None]] = {
    "england": ("GB", "ENG"),
    "wales": ("GB", "WLS"),
    "scotland": ("GB", "SCT"),
    "northern_ireland": ("GB", "NIR"),
    "jersey": ("JE", None),
}
WORKDAY_START = time(9, 0)
WORKDAY_END = time(17, 0)


@lru_cache(maxsize=64)
def _calendar(nation: str, year: int) -> holidays.HolidayBase:
    country, subdiv = NATION_CALENDARS.get(nation, NATION_CALENDARS["england"])
    return holidays.country_holidays(country, subdiv=subdiv, years=year)


def is_working_day(day: date, nation: str = "england") -> bool:
    return day.weekday() < 5 and day not in _calendar(nation, day.year)


def bank_holiday_name(day: date, nation: str = "england") -> str | None:
    return _calendar(nation, day.year).get(day)


def add_working_days(start: date, days: int, nation: str = "england") -> date:
    """The working day ``days`` working days after ``start`` (``start`` itself is day 0,
    so 1 means the next working day)."""
    if days < 0:
        raise ValueError("days must be zero or more")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day, nation):
            days -= 1
    return day


def next_working_moment(moment: datetime, nation: str = "england") -> datetime:
    """``moment`` if it falls within working hours on a working day, else the start of
    the next working period. Keeps the time zone of ``moment``."""
    tz = moment.tzinfo
    local = moment
    if is_working_day(local.date(), nation) and WORKDAY_START <= local.time() < WORKDAY_END:
        return moment
    day = local.date()
    if is_working_day(day, nation) and local.time() < WORKDAY_START:
        return datetime.combine(day, WORKDAY_START, tzinfo=tz)
    day += timedelta(days=1)
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return datetime.combine(day, WORKDAY_START, tzinfo=tz)


def add_working_hours(start: datetime, hours: float, nation: str = "england") -> datetime:
    """``start`` plus ``hours`` of working time (09:00-17:00 on working days). Pass an
    aware datetime in the local time zone (Europe/London) so the working day is local."""
    remaining = timedelta(hours=hours)
    moment = next_working_moment(start, nation)
    while True:
        end_of_day = datetime.combine(moment.date(), WORKDAY_END, tzinfo=moment.tzinfo)
        available = end_of_day - moment
        if remaining <= available:
            return moment + remaining
        remaining -= available
        moment = next_working_moment(end_of_day, nation)
