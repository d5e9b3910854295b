"""Writes for delivery: one-family contacts and follow-ups (``contacts``), group
registers (``registers``) and the remote-delivery switch (``switch``). Import from here."""

from babysteps.delivery.services.contacts import (
    AttendanceIn,
    contact_correct,
    contact_record,
    follow_up_close,
    on_roll,
)
from babysteps.delivery.services.registers import (
    register_families,
    register_record,
    session_is_remote,
)
from babysteps.delivery.services.switch import (
    cohort_delivery_sync,
    cohort_governing,
    delivery_pause,
    delivery_resume,
    delivery_sync_all,
    site_governing,
    switches_for_cohort,
)

__all__ = [
    "AttendanceIn",
    "cohort_delivery_sync",
    "cohort_governing",
    "contact_correct",
    "contact_record",
    "delivery_pause",
    "delivery_resume",
    "delivery_sync_all",
    "follow_up_close",
    "on_roll",
    "register_families",
    "register_record",
    "session_is_remote",
    "site_governing",
    "switches_for_cohort",
]
