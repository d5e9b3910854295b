"""Planning a cohort's schedule of components. Pure: no database, no Django.

The standard model: the antenatal home visit (HV1) about two weeks before the first
group session; the antenatal group sessions weekly from the start date; the postnatal
home visit (HV2) about two weeks after the latest due date (beside the new-baby review at
10-14 days); the postnatal sessions weekly from five weeks after the latest due date, when
every baby should have arrived. A manager edits the plan afterwards.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta

HV1_DAYS_BEFORE_START = 14
HV2_DAYS_AFTER_LATEST_DUE = 14
POSTNATAL_DAYS_AFTER_LATEST_DUE = 35
GROUP_SESSION_TIME = time(18, 30)  # evenings, so that working partners can come
HOME_VISIT_TIME = time(10, 0)


@dataclass(frozen=True)
class ComponentSpec:
    code: str
    kind: str  # "home_visit" or "group_session"
    phase: str  # "antenatal" or "postnatal"
    order: int
    duration_minutes: int


@dataclass(frozen=True)
class PlannedSlot:
    code: str
    day: date
    at: time
    duration_minutes: int


def plan_schedule(
    *, start_date: date, latest_due_date: date, components: list[ComponentSpec]
) -> list[PlannedSlot]:
    """One slot per component, in curriculum order."""
    slots: list[PlannedSlot] = []
    antenatal_week = 0
    postnatal_week = 0
    postnatal_start = latest_due_date + timedelta(days=POSTNATAL_DAYS_AFTER_LATEST_DUE)
    for spec in sorted(components, key=lambda c: c.order):
        if spec.kind == "home_visit":
            day = (
                start_date - timedelta(days=HV1_DAYS_BEFORE_START)
                if spec.phase == "antenatal"
                else latest_due_date + timedelta(days=HV2_DAYS_AFTER_LATEST_DUE)
            )
            at = HOME_VISIT_TIME
        elif spec.phase == "antenatal":
            day = start_date + timedelta(weeks=antenatal_week)
            antenatal_week += 1
            at = GROUP_SESSION_TIME
        else:
            day = postnatal_start + timedelta(weeks=postnatal_week)
            postnatal_week += 1
            at = GROUP_SESSION_TIME
        slots.append(PlannedSlot(spec.code, day, at, spec.duration_minutes))
    return slots
