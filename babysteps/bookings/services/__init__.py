"""Writes for calls: facilitators' availability, booking a call in a slot, moving,
cancelling, recording a no-show and rebooking, and the planned calls that the
remote-delivery switch and missed sessions create.

Every function validates everything first, runs in one transaction and audits what it
changed. Messages to parents are queued inside the same transaction (the notifications
layer enqueues delivery on commit), so a refused write sends nothing.
"""

from babysteps.bookings.services.availability import availability_add, availability_remove
from babysteps.bookings.services.calls import (
    booking_complete,
    call_book,
    call_cancel,
    call_interpreter_set,
    call_no_show,
    call_rebook,
    call_reschedule,
)
from babysteps.bookings.services.planned_calls import (
    CallChanges,
    catch_up_withdraw,
    planned_call_catch_up,
    planned_call_done,
    planned_calls_ensure,
    planned_calls_withdraw,
)

__all__ = [
    "CallChanges",
    "availability_add",
    "availability_remove",
    "booking_complete",
    "call_book",
    "call_cancel",
    "call_interpreter_set",
    "call_no_show",
    "call_rebook",
    "call_reschedule",
    "catch_up_withdraw",
    "planned_call_catch_up",
    "planned_call_done",
    "planned_calls_ensure",
    "planned_calls_withdraw",
]
