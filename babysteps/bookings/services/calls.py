# Over 400 lines: a call's whole life shares the slot lock and the checks on it.
"""A call's life: booked in a published slot, moved, cancelled, missed and rebooked, or
marked as having taken place (by ``babysteps.delivery`` when it records the call)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object, audit_record
from babysteps.bookings import reminders, selectors
from babysteps.bookings.models import CallBooking, CallMode, PlannedCall
from babysteps.cohorts.models import Cohort, CohortFacilitator, Enrolment
from babysteps.families.models import Family, Parent
from babysteps.programme.models import Component


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


# --- Availability --------------------------------------------------------------------------


def _audit(
    booking: CallBooking,
    action: str,
    *,
    user: User | None,
    parent: Parent | None,
    fields: list[str],
) -> None:
    if user is not None:
        audit_object(
            actor=user,
            action=action,
            obj=booking,
            family_id=booking.family_id,
            site_id=booking.cohort.site_id,
            detail={"fields": fields},
        )
    else:
        audit_record(
            actor=None,
            actor_label=f"parent {parent.pk}" if parent else "system",
            action=action,
            object_type="callbooking",
            object_id=booking.pk,
            family_id=booking.family_id,
            site_id=booking.cohort.site_id,
            detail={"fields": fields},
        )


def _place_for_booking(family: Family) -> Enrolment:
    place = selectors.family_place(family=family)
    if place is not None:
        return place
    if Enrolment.objects.filter(family=family, status=Enrolment.Status.WITHDRAWN).exists():
        raise ValidationError(
            {"family": _("This family has withdrawn from the programme, so no call can be booked.")}
        )
    raise ValidationError({"family": _("This family has no place in a cohort yet.")})


def _check_slot(
    *,
    facilitator: User,
    cohort: Cohort,
    starts_at: datetime | None,
    moment: datetime,
    errors: dict[str, str],
) -> tuple[datetime, datetime] | None:
    """Validate the facilitator and the slot; return the slot's (start, end)."""
    if not CohortFacilitator.objects.filter(cohort=cohort, user=facilitator).exists():
        errors["facilitator"] = _("Choose one of the facilitators of the family's cohort.")
        return None
    if starts_at is None:
        errors["starts_at"] = _("Choose a time.")
        return None
    if starts_at <= moment:
        errors["starts_at"] = _("That time has passed. Choose a slot in the future.")
        return None
    slot = selectors.published_slot(facilitator=facilitator, starts_at=starts_at)
    if slot is None:
        errors["starts_at"] = _("That is not one of the facilitator's published times.")
    return slot


def _lock_and_check_free(
    *, facilitator: User, starts_at: datetime, ends_at: datetime, exclude: int | None = None
) -> None:
    """Serialise bookings per facilitator (row lock on PostgreSQL; SQLite's write lock
    does the same), then check nothing overlaps the slot. The unique constraint on the
    facilitator's slot start is the last line of defence."""
    User.objects.select_for_update().filter(pk=facilitator.pk).first()
    clash = CallBooking.objects.filter(
        facilitator=facilitator,
        status__in=CallBooking.HOLDS_SLOT,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationError({"starts_at": _("That slot is already taken. Choose another time.")})


def _taken_error(family: Family, component: Component, exclude: int | None) -> ValidationError:
    booked = CallBooking.objects.filter(
        family=family, component=component, status=CallBooking.Status.BOOKED
    )
    if exclude is not None:
        booked = booked.exclude(pk=exclude)
    if booked.exists():
        return ValidationError({"component": _("The family already has a call booked for this.")})
    return ValidationError({"starts_at": _("That slot has just been taken. Choose another time.")})


def _interpreted_end(end: datetime, interpreted: bool) -> datetime:
    """An interpreted call holds its slot and some minutes more."""
    return end + timedelta(minutes=settings.INTERPRETED_CALL_EXTRA_MINUTES) if interpreted else end


@transaction.atomic
def call_book(
    *,
    family: Family,
    component: Component,
    facilitator: User,
    starts_at: datetime,
    mode: str = CallMode.PHONE,
    booked_by: User | None = None,
    booked_by_parent: Parent | None = None,
    planned_call: PlannedCall | None = None,
    rebook_of: CallBooking | None = None,
    interpreter_needed: bool | None = None,
    interpreter_booked: bool = False,
    notify: bool = True,
    now: datetime | None = None,
) -> CallBooking:
    """Book a family's call for a component in one of a facilitator's published slots.

    Whether an interpreter is needed (and in which language) comes from the family's
    record unless given; an interpreted call holds ``INTERPRETED_CALL_EXTRA_MINUTES``
    more than its slot.

    Booked by a member of staff (``booked_by``) or by a parent in the portal
    (``booked_by_parent``). The facilitator must facilitate the family's cohort, the slot
    must lie ahead and be free, and a withdrawn family cannot book. The parents get a
    notice with a calendar invitation, then reminders 24 hours and 1 hour before.
    ``notify=False`` is for loading history (the demo), when no message should go.
    """
    if (booked_by is None) == (booked_by_parent is None):
        raise ValueError(_("Give exactly one of booked_by and booked_by_parent."))
    moment = _now(now)
    errors: dict[str, str] = {}
    if booked_by_parent is not None and booked_by_parent.family_id != family.pk:
        raise ValidationError({"family": _("A parent can only book their own family's calls.")})
    place = _place_for_booking(family)
    cohort = place.cohort
    if mode not in CallMode.values:
        errors["mode"] = _("Choose a phone call or a video call.")
    if planned_call is not None:
        if planned_call.family_id != family.pk:
            errors["planned_call"] = _("That planned call is for another family.")
        elif planned_call.status != PlannedCall.Status.OPEN:
            errors["planned_call"] = _("That call is already booked, done or withdrawn.")
        else:
            component = planned_call.component
    if rebook_of is not None and (
        rebook_of.family_id != family.pk
        or rebook_of.status not in (CallBooking.Status.NO_SHOW, CallBooking.Status.CANCELLED)
    ):
        errors["rebook_of"] = _("Only a missed or cancelled call of this family can be rebooked.")
    if not cohort.site.can_deliver(timezone.localtime(moment).date()):
        errors["family"] = _("%(site)s's licence is not in force, so calls cannot be booked.") % {
            "site": cohort.site
        }
    slot = _check_slot(
        facilitator=facilitator, cohort=cohort, starts_at=starts_at, moment=moment, errors=errors
    )
    if errors:
        raise ValidationError(errors)
    assert slot is not None
    start, end = slot
    interpreted = family.interpreter_needed if interpreter_needed is None else interpreter_needed
    end = _interpreted_end(end, interpreted)
    _lock_and_check_free(facilitator=facilitator, starts_at=start, ends_at=end)
    if CallBooking.objects.filter(
        family=family, component=component, status=CallBooking.Status.BOOKED
    ).exists():
        raise ValidationError({"component": _("The family already has a call booked for this.")})
    if planned_call is None:
        # Booking a component the family has a call to book for fills that call.
        planned_call = (
            PlannedCall.objects.filter(
                family=family, component=component, status=PlannedCall.Status.OPEN
            )
            .order_by("due_at")
            .first()
        )
    try:
        with transaction.atomic():
            booking = CallBooking.objects.create(
                family=family,
                cohort=cohort,
                component=component,
                facilitator=facilitator,
                planned_call=planned_call,
                starts_at=start,
                ends_at=end,
                mode=mode,
                interpreter_needed=interpreted,
                interpreter_language=family.preferred_language if interpreted else "",
                interpreter_booked=interpreted and interpreter_booked,
                status_changed_at=moment,
                booked_by=booked_by,
                booked_by_parent=booked_by_parent,
                rebook_of=rebook_of,
                created_at=moment,
            )
    except IntegrityError:
        raise _taken_error(family, component, None) from None
    if planned_call is not None:
        planned_call_set_status(planned_call, PlannedCall.Status.BOOKED, moment)
    _audit(booking, Action.CREATE, user=booked_by, parent=booked_by_parent, fields=["starts_at"])
    if notify:
        reminders.booking_notice(booking=booking, event="booked", now=moment)
        reminders.booking_reminders(booking=booking, now=moment)
    return booking


def _require_booked(booking: CallBooking) -> None:
    if booking.status != CallBooking.Status.BOOKED:
        raise ValidationError(
            {
                "booking": _("This call is %(status)s, not booked.")
                % {"status": booking.get_status_display().lower()}
            }
        )


@transaction.atomic
def call_reschedule(
    *,
    booking: CallBooking,
    starts_at: datetime,
    facilitator: User | None = None,
    mode: str | None = None,
    changed_by: User | None = None,
    changed_by_parent: Parent | None = None,
    now: datetime | None = None,
) -> CallBooking:
    """Move a booked call to another free slot (of the same or another facilitator of
    the cohort). Pending reminders for the old time are cancelled; the parents get a
    notice with the updated invitation and new reminders."""
    if (changed_by is None) == (changed_by_parent is None):
        raise ValueError(_("Give exactly one of changed_by and changed_by_parent."))
    moment = _now(now)
    booking = (
        CallBooking.objects.select_for_update().select_related("cohort__site").get(pk=booking.pk)
    )
    _require_booked(booking)
    if changed_by_parent is not None and changed_by_parent.family_id != booking.family_id:
        raise ValidationError({"booking": _("A parent can only move their own family's calls.")})
    who = facilitator or booking.facilitator
    errors: dict[str, str] = {}
    if mode is not None and mode not in CallMode.values:
        errors["mode"] = _("Choose a phone call or a video call.")
    slot = _check_slot(
        facilitator=who, cohort=booking.cohort, starts_at=starts_at, moment=moment, errors=errors
    )
    unchanged = slot is not None and (slot[0], who) == (booking.starts_at, booking.facilitator)
    if not errors and unchanged and (mode is None or mode == booking.mode):
        errors["starts_at"] = _("That is the time the call already has.")
    if errors:
        raise ValidationError(errors)
    assert slot is not None
    start, end = slot[0], _interpreted_end(slot[1], booking.interpreter_needed)
    _lock_and_check_free(facilitator=who, starts_at=start, ends_at=end, exclude=booking.pk)
    changed = ["starts_at", "ends_at", "version", "status_changed_at"]
    booking.starts_at, booking.ends_at = start, end
    booking.version += 1
    booking.status_changed_at = moment
    if who != booking.facilitator:
        booking.facilitator = who
        changed.append("facilitator")
    if mode is not None and mode != booking.mode:
        booking.mode = mode
        changed.append("mode")
    try:
        with transaction.atomic():
            booking.save(update_fields=changed)
    except IntegrityError:
        raise _taken_error(booking.family, booking.component, booking.pk) from None
    _audit(booking, Action.CHANGE, user=changed_by, parent=changed_by_parent, fields=changed)
    # If the first notice never went (e.g. held for a safe time), the new one just says
    # "booked" for the new time rather than "moved" from a time they never heard of.
    told = reminders.parents_were_told(booking=booking)
    reminders.booking_messages_supersede(booking=booking)
    reminders.booking_notice(booking=booking, event="moved" if told else "booked", now=moment)
    reminders.booking_reminders(booking=booking, now=moment)
    return booking


@transaction.atomic
def call_cancel(
    *,
    booking: CallBooking,
    reason: str,
    cancelled_by: User | None = None,
    cancelled_by_parent: Parent | None = None,
    withdraw_planned_call: bool = False,
    notify: bool = True,
    now: datetime | None = None,
) -> CallBooking:
    """Cancel a booked call, with a reason (kept for staff, never sent to the parents).
    Neither ``cancelled_by`` nor ``cancelled_by_parent``: the system did it (a job).
    Pending reminders are cancelled and the parents get a cancellation that removes the
    call from their calendar. The planned call, if any, goes back to "to be booked"
    (or is withdrawn, when group sessions resume)."""
    if cancelled_by is not None and cancelled_by_parent is not None:
        raise ValueError(_("Give at most one of cancelled_by and cancelled_by_parent."))
    moment = _now(now)
    booking = CallBooking.objects.select_for_update().select_related("cohort").get(pk=booking.pk)
    _require_booked(booking)
    if cancelled_by_parent is not None and cancelled_by_parent.family_id != booking.family_id:
        raise ValidationError({"booking": _("A parent can only cancel their own family's calls.")})
    text = " ".join(reason.split())
    if not text:
        raise ValidationError({"reason": _("Say why the call is cancelled.")})
    booking.status = CallBooking.Status.CANCELLED
    booking.status_reason = text[:200]
    booking.status_changed_at = moment
    booking.save(update_fields=["status", "status_reason", "status_changed_at"])
    call = booking.planned_call
    if call is not None:
        if withdraw_planned_call:
            planned_call_set_status(call, PlannedCall.Status.WITHDRAWN, moment, reason=text)
        elif call.status == PlannedCall.Status.BOOKED:
            planned_call_set_status(call, PlannedCall.Status.OPEN, moment)
    _audit(
        booking,
        Action.CHANGE,
        user=cancelled_by,
        parent=cancelled_by_parent,
        fields=["status", "status_reason"],
    )
    reminders.booking_messages_supersede(booking=booking)
    if notify and booking.starts_at > moment:
        reminders.booking_notice(booking=booking, event="cancelled", now=moment)
    return booking


@transaction.atomic
def call_no_show(
    *, booking: CallBooking, recorded_by: User, now: datetime | None = None
) -> CallBooking:
    """Record that the family could not be reached for the call. Only once the call's
    time has come. The planned call goes back to "to be booked", and the page offers a
    rebook."""
    moment = _now(now)
    booking = CallBooking.objects.select_for_update().select_related("cohort").get(pk=booking.pk)
    _require_booked(booking)
    if booking.starts_at > moment:
        raise ValidationError(
            {"booking": _("A call can only be recorded as missed once its time has come.")}
        )
    booking.status = CallBooking.Status.NO_SHOW
    booking.status_changed_at = moment
    booking.save(update_fields=["status", "status_changed_at"])
    call = booking.planned_call
    if call is not None and call.status == PlannedCall.Status.BOOKED:
        planned_call_set_status(call, PlannedCall.Status.OPEN, moment)
    _audit(booking, Action.CHANGE, user=recorded_by, parent=None, fields=["status"])
    reminders.booking_messages_supersede(booking=booking)
    return booking


@transaction.atomic
def call_interpreter_set(
    *, booking: CallBooking, needed: bool, booked: bool, language: str, changed_by: User
) -> CallBooking:
    """Record whether a booked call needs an interpreter, in which language, and whether
    one is booked. Only what changed is saved (and audited)."""
    booking = CallBooking.objects.select_for_update().get(pk=booking.pk)
    _require_booked(booking)
    language = " ".join(language.split())
    if needed and not language:
        raise ValidationError(
            {"interpreter_language": _("Say which language the interpreter speaks.")}
        )
    if booked and not needed:
        raise ValidationError(
            {"interpreter_booked": _("An interpreter is booked only when needed.")}
        )
    values = {
        "interpreter_needed": needed,
        "interpreter_language": language if needed else "",
        "interpreter_booked": booked,
    }
    changed = [f for f, v in values.items() if getattr(booking, f) != v]
    if not changed:
        return booking
    if "interpreter_needed" in changed:
        # The call's length follows: an interpreted call holds some minutes more.
        extra = timedelta(minutes=settings.INTERPRETED_CALL_EXTRA_MINUTES)
        base_end = booking.ends_at - extra if booking.interpreter_needed else booking.ends_at
        end = _interpreted_end(base_end, needed)
        _lock_and_check_free(
            facilitator=booking.facilitator,
            starts_at=booking.starts_at,
            ends_at=end,
            exclude=booking.pk,
        )
        booking.ends_at = end
        changed.append("ends_at")
    for field, value in values.items():
        setattr(booking, field, value)
    booking.save(update_fields=changed)
    _audit(booking, Action.CHANGE, user=changed_by, parent=None, fields=changed)
    return booking


def call_rebook(
    *,
    booking: CallBooking,
    starts_at: datetime,
    facilitator: User,
    booked_by: User,
    mode: str | None = None,
    notify: bool = True,
    now: datetime | None = None,
) -> CallBooking:
    """Book a new call in place of a missed or cancelled one (same family and component)."""
    booking = CallBooking.objects.select_related("planned_call", "family", "component").get(
        pk=booking.pk
    )
    planned = booking.planned_call
    if planned is not None and planned.status != PlannedCall.Status.OPEN:
        planned = None
    return call_book(
        family=booking.family,
        component=booking.component,
        facilitator=facilitator,
        starts_at=starts_at,
        mode=mode or booking.mode,
        booked_by=booked_by,
        planned_call=planned,
        rebook_of=booking,
        notify=notify,
        now=now,
    )


@transaction.atomic
def booking_complete(*, booking: CallBooking, now: datetime | None = None) -> CallBooking:
    """Mark a booked call as having taken place (the contact recording it is written by
    ``babysteps.delivery``, in the same transaction). Anything still pending about it
    (a late reminder) is cancelled."""
    moment = _now(now)
    booking = CallBooking.objects.select_for_update().get(pk=booking.pk)
    _require_booked(booking)
    booking.status = CallBooking.Status.COMPLETED
    booking.status_changed_at = moment
    booking.save(update_fields=["status", "status_changed_at"])
    if booking.planned_call is not None:
        planned_call_set_status(booking.planned_call, PlannedCall.Status.DONE, moment)
    reminders.booking_messages_supersede(booking=booking)
    return booking


# --- Planned calls ------------------------------------------------------------------------


def planned_call_set_status(
    call: PlannedCall, status: str, moment: datetime, *, reason: str = ""
) -> None:
    call.status = status
    call.status_changed_at = moment
    call.status_reason = reason[:200]
    call.save(update_fields=["status", "status_changed_at", "status_reason"])
