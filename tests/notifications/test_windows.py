from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from babysteps.notifications.windows import next_allowed

LONDON = ZoneInfo("Europe/London")
QUIET = {"quiet_from": time(21, 0), "quiet_to": time(8, 0)}


def at(h, m=0, day=2):
    return datetime(2026, 12, day, h, m, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "safe", "expected"),
    [
        (at(12), (None, None), at(12)),
        (at(22), (None, None), at(8, day=3)),  # quiet hours: wait until the morning
        (at(3), (None, None), at(8)),
        (at(9), (time(10), time(14)), at(10)),  # before the safe window
        (at(15), (time(10), time(14)), at(10, day=3)),  # after it: tomorrow
        (at(11, 30), (time(10), time(14)), at(11, 30)),
        (at(19), (time(18), time(23)), at(19)),
        (at(22), (time(18), time(23)), at(18, day=3)),  # safe but quiet: next evening
    ],
)
def test_next_allowed(moment, safe, expected):
    assert next_allowed(moment, safe_from=safe[0], safe_to=safe[1], **QUIET) == expected


def test_seconds_round_up_to_the_next_minute():
    moment = datetime(2026, 12, 2, 12, 0, 30, tzinfo=LONDON)
    assert next_allowed(moment, safe_from=None, safe_to=None, **QUIET) == at(12, 1)


def test_windows_that_never_meet_are_an_error():
    with pytest.raises(ValueError, match="never overlap"):
        next_allowed(at(12), safe_from=time(22), safe_to=time(23), **QUIET)
