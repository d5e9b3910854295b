from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from babysteps.core.working_time import (
    add_working_days,
    add_working_hours,
    bank_holiday_name,
    is_working_day,
)

LONDON = ZoneInfo("Europe/London")


def test_weekends_are_not_working_days():
    assert is_working_day(date(2026, 11, 27))  # Friday
    assert not is_working_day(date(2026, 11, 28))  # Saturday


@pytest.mark.parametrize(
    ("start", "days", "nation", "expected"),
    [
        (date(2026, 11, 27), 1, "england", date(2026, 11, 30)),  # Friday -> Monday
        (date(2026, 11, 27), 5, "england", date(2026, 12, 4)),
        # Late summer bank holiday differs: England 31 Aug 2026, Scotland 3 Aug 2026.
        (date(2026, 8, 28), 1, "england", date(2026, 9, 1)),
        (date(2026, 8, 28), 1, "scotland", date(2026, 8, 31)),
        (date(2026, 7, 31), 1, "scotland", date(2026, 8, 4)),
        (date(2026, 7, 31), 1, "england", date(2026, 8, 3)),
        # St Andrew's Day (30 Nov) is a Scottish bank holiday.
        (date(2026, 11, 27), 1, "scotland", date(2026, 12, 1)),
        (date(2026, 12, 24), 1, "england", date(2026, 12, 29)),  # Christmas, Boxing Day substitute
        # 1 Jan 2027 is a Friday; Scotland moves 2 January (a Saturday) to Monday 4th.
        (date(2026, 12, 31), 1, "scotland", date(2027, 1, 5)),
        (date(2026, 12, 31), 1, "england", date(2027, 1, 4)),
        (date(2026, 11, 27), 0, "england", date(2026, 11, 27)),
    ],
)
def test_add_working_days(start, days, nation, expected):
    assert add_working_days(start, days, nation) == expected


def test_bank_holiday_names_are_per_nation():
    assert bank_holiday_name(date(2026, 8, 3), "scotland")
    assert bank_holiday_name(date(2026, 8, 3), "england") is None


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (datetime(2026, 11, 26, 10, 0), 4, datetime(2026, 11, 26, 14, 0)),
        (datetime(2026, 11, 26, 15, 0), 4, datetime(2026, 11, 27, 11, 0)),
        (datetime(2026, 11, 27, 15, 0), 4, datetime(2026, 11, 30, 11, 0)),  # over a weekend
        (datetime(2026, 11, 28, 20, 0), 4, datetime(2026, 11, 30, 13, 0)),  # raised on Saturday
        (datetime(2026, 11, 26, 7, 0), 4, datetime(2026, 11, 26, 13, 0)),  # before 09:00
        (datetime(2026, 12, 24, 16, 0), 4, datetime(2026, 12, 29, 12, 0)),  # Christmas
    ],
)
def test_add_working_hours(start, hours, expected):
    start = start.replace(tzinfo=LONDON)
    assert add_working_hours(start, hours) == expected.replace(tzinfo=LONDON)
