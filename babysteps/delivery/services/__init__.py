"""Writes for delivery: one-family contacts (``contacts``, ``corrections``), follow-up
calls (``follow_ups``), group registers (``registers``) and the remote-delivery switch
(``switch``). Import from here."""

from babysteps.delivery.services.contacts import (
    AttendanceIn,
    booking_not_yet_due,
    contact_record,
    on_roll,
)
from babysteps.delivery.services.corrections import contact_correct
from babysteps.delivery.services.follow_ups import follow_up_close
from babysteps.delivery.services.registers import (
    register_families,
    register_record,
    session_is_remote,
    session_not_started,
)
from babysteps.delivery.services.switch import (
    cohort_delivery_sync,
    cohort_governing,
    cohorts_governing,
    delivery_pause,
    delivery_resume,
    delivery_sync_all,
    follow_switches_when_planned,
    site_governing,
    switches_for_cohort,
)
from babysteps.delivery.services.switch_preview import SwitchPreview, delivery_switch_preview

__all__ = [
    "AttendanceIn",
    "SwitchPreview",
    "booking_not_yet_due",
    "cohort_delivery_sync",
    "cohort_governing",
    "cohorts_governing",
    "contact_correct",
    "contact_record",
    "delivery_pause",
    "delivery_resume",
    "delivery_switch_preview",
    "delivery_sync_all",
    "follow_switches_when_planned",
    "follow_up_close",
    "on_roll",
    "register_families",
    "register_record",
    "session_is_remote",
    "session_not_started",
    "site_governing",
    "switches_for_cohort",
]
