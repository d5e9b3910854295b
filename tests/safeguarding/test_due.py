"""Due-by in working days of the family's nation, and the escalation stage times."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from babysteps.safeguarding import due

LONDON = ZoneInfo("Europe/London")


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("referred", "urgency", "nation", "expected"),
    [
        # Across a weekend: Friday -> Monday.
        (at(2026, 11, 20), "one_working_day", "england", at(2026, 11, 23, 17)),
        (at(2026, 11, 18), "five_working_days", "england", at(2026, 11, 25, 17)),
        # Late summer bank holiday: Monday 31 August 2026 in England only.
        (at(2026, 8, 28), "one_working_day", "england", at(2026, 9, 1, 17)),
        (at(2026, 8, 28), "one_working_day", "scotland", at(2026, 8, 31, 17)),
        # ... and Monday 3 August 2026 in Scotland only.
        (at(2026, 7, 31), "one_working_day", "scotland", at(2026, 8, 4, 17)),
        (at(2026, 7, 31), "one_working_day", "england", at(2026, 8, 3, 17)),
        # Five working days over the weekend and the English bank holiday.
        (at(2026, 8, 26), "five_working_days", "england", at(2026, 9, 3, 17)),
        (at(2026, 8, 26), "five_working_days", "scotland", at(2026, 9, 2, 17)),
        # St Andrew's Day (Monday 30 November 2026) is a bank holiday in Scotland.
        (at(2026, 11, 27), "one_working_day", "scotland", at(2026, 12, 1, 17)),
        (at(2026, 11, 27), "one_working_day", "england", at(2026, 11, 30, 17)),
        # Same day: by 17:00 today on a working day...
        (at(2026, 11, 25, 9, 30), "same_day", "england", at(2026, 11, 25, 17)),
        # ... the next working day if made after 17:00, at a weekend or on a bank holiday.
        (at(2026, 11, 27, 17, 30), "same_day", "england", at(2026, 11, 30, 17)),
        (at(2026, 11, 27, 17, 30), "same_day", "scotland", at(2026, 12, 1, 17)),
        (at(2026, 11, 28, 11), "same_day", "england", at(2026, 11, 30, 17)),
        (at(2026, 8, 31, 11), "same_day", "england", at(2026, 9, 1, 17)),
        (at(2026, 8, 31, 11), "same_day", "scotland", at(2026, 8, 31, 17)),
        # Christmas: Friday 25 and Monday 28 December (Boxing Day substitute) in England.
        (at(2026, 12, 24, 12), "one_working_day", "england", at(2026, 12, 29, 17)),
    ],
)
def test_due_by_counts_working_days_of_the_nation(referred, urgency, nation, expected):
    assert due.due_by(referred, urgency, nation) == expected


def test_unknown_urgency_is_refused():
    with pytest.raises(ValueError, match="Unknown urgency"):
        due.due_by(at(2026, 11, 25), "whenever", "england")


def test_stage_times_stay_inside_the_working_day_and_skip_holidays():
    referred = at(2026, 8, 27, 10)  # Thursday
    deadline = due.due_by(referred, "one_working_day", "england")  # Fri 28 Aug 17:00
    times = due.stage_times(referred, deadline, "one_working_day", "england")
    assert times[due.DUE_SOON] == at(2026, 8, 28, 13)
    assert times[due.OVERDUE] == at(2026, 8, 28, 17)
    assert times[due.OVERDUE_FURTHER] == at(2026, 9, 1, 17)  # over the bank holiday
    scottish = due.stage_times(referred, deadline, "one_working_day", "scotland")
    assert scottish[due.OVERDUE_FURTHER] == at(2026, 8, 31, 17)


def test_a_late_same_day_referral_is_due_soon_at_once():
    referred = at(2026, 11, 25, 16, 30)
    deadline = due.due_by(referred, "same_day", "england")
    assert due.stage_times(referred, deadline, "same_day", "england")[due.DUE_SOON] == referred


def test_only_the_latest_stage_applies():
    referred = at(2026, 11, 23, 9)
    deadline = due.due_by(referred, "one_working_day", "england")  # Tue 24 Nov 17:00
    times = due.stage_times(referred, deadline, "one_working_day", "england")

    def stage(now, *, unclaimed=True, unresolved=True):
        return due.current_stage(times, now, unclaimed=unclaimed, unresolved=unresolved)

    assert stage(at(2026, 11, 24, 12, 59)) is None
    assert stage(at(2026, 11, 24, 13)) == due.DUE_SOON
    assert stage(at(2026, 11, 24, 13), unclaimed=False) is None  # someone holds it
    assert stage(at(2026, 11, 24, 17)) == due.OVERDUE
    assert stage(at(2026, 11, 24, 17), unclaimed=False) == due.OVERDUE
    assert stage(at(2026, 11, 25, 17) + timedelta(minutes=1)) == due.OVERDUE_FURTHER
    assert stage(at(2026, 11, 30, 9), unresolved=False) is None
