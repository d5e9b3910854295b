from datetime import date, timedelta

from babysteps.cohorts.schedule import ComponentSpec, plan_schedule
from babysteps.programme.curriculum import STANDARD_CURRICULUM

SPECS = [
    ComponentSpec(c["code"], c["kind"], c["phase"], c["order"], c["typical_duration_minutes"])
    for c in STANDARD_CURRICULUM
]


def test_the_standard_curriculum_has_eleven_components_in_order():
    assert [c["code"] for c in STANDARD_CURRICULUM] == [
        "HV1", "S1", "S2", "S3", "S4", "S5", "S6", "HV2", "S7", "S8", "S9",
    ]  # fmt: skip


def test_plan_puts_every_component_in_programme_order():
    start, latest_due = date(2026, 1, 8), date(2026, 3, 20)
    slots = plan_schedule(start_date=start, latest_due_date=latest_due, components=SPECS)
    by_code = {s.code: s.day for s in slots}
    assert by_code["HV1"] == start - timedelta(days=14)
    assert [by_code[f"S{i}"] for i in range(1, 7)] == [start + timedelta(weeks=i) for i in range(6)]
    assert by_code["HV2"] == latest_due + timedelta(days=14)
    assert by_code["S7"] == latest_due + timedelta(days=35)
    assert by_code["S9"] == by_code["S7"] + timedelta(weeks=2)
    days = [s.day for s in slots]
    assert days == sorted(days)


def test_plan_follows_the_latest_due_date():
    start = date(2026, 1, 8)
    early = plan_schedule(start_date=start, latest_due_date=date(2026, 3, 1), components=SPECS)
    late = plan_schedule(start_date=start, latest_due_date=date(2026, 4, 1), components=SPECS)
    assert early[-1].day < late[-1].day
    assert early[1].day == late[1].day  # antenatal sessions do not move
