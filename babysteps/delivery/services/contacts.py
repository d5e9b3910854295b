"""Recording a contact with one family (home visit, phone or video call), and the checks
every contact shares (corrections: ``corrections.py``; follow-up calls: ``follow_ups.py``;
group sessions: ``registers.py``)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import Membership, Role, User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.bookings.services import booking_complete, planned_call_done
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.delivery import prework
from babysteps.delivery.models import (
    REMOTE_MODES,
    Attendance,
    Contact,
    FollowUpTask,
    Mode,
)
from babysteps.delivery.services.follow_ups import follow_up_if_needed
from babysteps.families.models import Family
from babysteps.programme.models import Component, KeyMessage

# A contact may be recorded a few minutes "ahead" (clocks differ); never for a later time.
CLOCK_TOLERANCE = timedelta(minutes=5)
# How long before a cohort starts its first contact (the antenatal home visit) may be.
EARLIEST_BEFORE_START = timedelta(days=120)


@dataclass(frozen=True)
class AttendanceIn:
    """Who took part for one family. ``watched_videos_beforehand`` is what the facilitator
    knows; a registered prework source (the video library) overrides it when it knows."""

    present: bool = True
    mother: bool = False
    partner: bool = False
    baby: bool = False
    supporter: bool = False
    watched_videos_beforehand: bool | None = None

    @property
    def anyone(self) -> bool:
        return self.mother or self.partner or self.supporter


def on_roll(*, family_id: int, cohort: Cohort, day: date) -> bool:
    """Whether the family held a place in the cohort on that day (a family that withdrew
    later still counts for the sessions before)."""
    rows = Enrolment.objects.filter(family_id=family_id, cohort=cohort)
    return (
        rows.filter(status__in=Enrolment.HOLDS_PLACE).exists()
        or rows.filter(status=Enrolment.Status.WITHDRAWN, status_changed_on__gte=day).exists()
    )


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def validate_common(
    *,
    cohort: Cohort,
    component: Component,
    starts_at: datetime | None,
    planned_minutes: int | None,
    actual_minutes: int | None,
    facilitators: Sequence[User],
    key_messages: Sequence[KeyMessage],
    moment: datetime,
    errors: dict[str, str],
) -> None:
    if starts_at is None:
        errors["starts_at"] = _("Give the date and time.")
    elif starts_at > moment + CLOCK_TOLERANCE:
        errors["starts_at"] = _(
            "That time is in the future: record a contact once it has happened."
        )
    else:
        earliest = timezone.make_aware(
            datetime.combine(cohort.start_date - EARLIEST_BEFORE_START, datetime.min.time())
        )
        if starts_at < earliest:
            errors["starts_at"] = _("That date is long before the cohort started. Check the year.")
    validate_lengths_and_messages(
        component=component,
        planned_minutes=planned_minutes,
        actual_minutes=actual_minutes,
        key_messages=key_messages,
        errors=errors,
    )
    if not facilitators:
        errors["facilitators"] = _("Choose who delivered it.")
    else:
        allowed = set(
            Membership.objects.filter(
                role=Role.FACILITATOR, site_id=cohort.site_id, user__in=facilitators
            ).values_list("user_id", flat=True)
        )
        strangers = [u for u in facilitators if u.pk not in allowed]
        if strangers:
            errors["facilitators"] = _("Only facilitators of the cohort's site can deliver it.")


def validate_lengths_and_messages(
    *,
    component: Component,
    planned_minutes: int | None,
    actual_minutes: int | None,
    key_messages: Sequence[KeyMessage],
    errors: dict[str, str],
) -> None:
    """What a contact records, and a correction may change, about the lengths and the key
    messages covered."""
    for field, value in (("planned_minutes", planned_minutes), ("actual_minutes", actual_minutes)):
        if value is None or not 1 <= value <= 480:
            errors[field] = _("Give a length between 1 and 480 minutes.")
    if any(m.component_id != component.pk for m in key_messages):
        errors["key_messages"] = _("Choose key messages of this component.")


def fill_prework(
    contact: Contact, rows: Sequence[Attendance], given: Mapping[int, bool | None]
) -> None:
    for row in rows:
        if not row.present:
            row.watched_videos_beforehand = None
            continue
        known = prework.watched_beforehand(
            family=row.family, component=contact.component, before=contact.starts_at
        )
        row.watched_videos_beforehand = known if known is not None else given.get(row.family_id)


def audit_contact(contact: Contact, action: str, user: User, *, family_id: int | None) -> None:
    audit_object(
        actor=user,
        action=action,
        obj=contact,
        family_id=family_id,
        site_id=contact.cohort.site_id,
        detail={"mode": contact.mode, "component": contact.component.code},
    )


def _check_mode(mode: str, component: Component, errors: dict[str, str]) -> None:
    if mode == Mode.GROUP:
        errors["mode"] = _("Record a group session with its register.")
    elif mode not in Mode.values:
        errors["mode"] = _("Choose a home visit, a phone call or a video call.")
    elif mode == Mode.HOME_VISIT and not component.is_home_visit:
        errors["mode"] = _("%(code)s is a group session, not a home visit.") % {
            "code": component.code
        }


def booking_not_yet_due(booking: CallBooking, moment: datetime) -> bool:
    """A booked call cannot be recorded before its time: it has not happened (a call that
    took place earlier than booked is recorded as a call of its own, and the booking
    cancelled)."""
    return booking.starts_at > moment + CLOCK_TOLERANCE


def _check_links(
    *,
    family: Family,
    component: Component,
    mode: str,
    booking: CallBooking | None,
    planned_call: PlannedCall | None,
    follow_up: FollowUpTask | None,
    moment: datetime,
    errors: dict[str, str],
) -> PlannedCall | None:
    """Check what the contact fulfils (a booked call, a planned call, a follow-up) belongs
    to this family and component and is still open; returns the planned call it fulfils
    (a booked call's own, if none was given)."""
    if booking is not None:
        if booking.family_id != family.pk or booking.component_id != component.pk:
            errors["booking"] = _("That booking is for another family or component.")
        elif booking.status != CallBooking.Status.BOOKED:
            errors["booking"] = _("That call is %(status)s already.") % {
                "status": booking.get_status_display().lower()
            }
        elif booking_not_yet_due(booking, moment):
            errors["booking"] = _(
                "This call is booked for %(when)s: record it once it has happened (if it "
                "took place earlier, record it from the family's page and cancel the booking)."
            ) % {"when": formats.date_format(timezone.localtime(booking.starts_at), "D j M, H:i")}
        elif mode not in REMOTE_MODES:
            errors["mode"] = _("A booked call is a phone or video call.")
        else:
            planned_call = planned_call or booking.planned_call
    if planned_call is not None and (
        planned_call.family_id != family.pk or planned_call.component_id != component.pk
    ):
        errors["planned_call"] = _("That planned call is for another family or component.")
    if follow_up is not None:
        if follow_up.family_id != family.pk or follow_up.status != FollowUpTask.Status.OPEN:
            errors["follow_up"] = _("That follow-up is for another family, or already closed.")
        elif mode not in REMOTE_MODES:
            errors["mode"] = _("A follow-up is a phone or video call.")
    return planned_call


@transaction.atomic
def contact_record(
    *,
    family: Family,
    cohort: Cohort,
    component: Component,
    mode: str,
    starts_at: datetime,
    planned_minutes: int,
    actual_minutes: int,
    facilitators: Sequence[User],
    recorded_by: User,
    attendance: AttendanceIn,
    key_messages: Sequence[KeyMessage] = (),
    notes: str = "",
    booking: CallBooking | None = None,
    planned_call: PlannedCall | None = None,
    follow_up: FollowUpTask | None = None,
    catch_up: bool = False,
    interpreter_used: bool = False,
    interpreter_language: str = "",
    now: datetime | None = None,
) -> Contact:
    """Record one component delivered to one family: a home visit, or a phone or video
    call (booked, planned, a catch-up for a missed session, or a follow-up after a home
    visit). Group sessions are recorded with ``register_record``.

    A booked call is marked as having taken place; a planned call as done; a follow-up
    task as done. A home visit that was shortened, or made by the health practitioner
    alone, creates a follow-up call task for the cohort's children's services practitioner.
    """
    moment = now or timezone.now()
    errors: dict[str, str] = {}
    _check_mode(mode, component, errors)
    planned_call = _check_links(
        family=family,
        component=component,
        mode=mode,
        booking=booking,
        planned_call=planned_call,
        follow_up=follow_up,
        moment=moment,
        errors=errors,
    )
    if starts_at is not None and not on_roll(
        family_id=family.pk, cohort=cohort, day=local_day(starts_at)
    ):
        errors["family"] = _("This family is not in %(cohort)s.") % {"cohort": cohort}
    if not attendance.present or not attendance.anyone:
        errors["attendance"] = _("Say who took part (the mother, partner or a supporter).")
    interpreter_language = " ".join(interpreter_language.split()) if interpreter_used else ""
    if interpreter_used and not interpreter_language:
        errors["interpreter_language"] = _("Say which language the interpreter spoke.")
    validate_common(
        cohort=cohort,
        component=component,
        starts_at=starts_at,
        planned_minutes=planned_minutes,
        actual_minutes=actual_minutes,
        facilitators=facilitators,
        key_messages=key_messages,
        moment=moment,
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    contact = Contact.objects.create(
        cohort=cohort,
        component=component,
        mode=mode,
        starts_at=starts_at,
        planned_minutes=planned_minutes,
        actual_minutes=actual_minutes,
        planned_call=planned_call,
        booking=booking,
        catch_up=catch_up,
        interpreter_used=interpreter_used,
        interpreter_language=interpreter_language,
        notes=notes.strip(),
        recorded_by=recorded_by,
        recorded_at=moment,
    )
    contact.facilitators.set(facilitators)
    contact.key_messages.set(key_messages)
    row = Attendance(
        contact=contact,
        family=family,
        present=True,
        mother=attendance.mother,
        partner=attendance.partner,
        baby=attendance.baby,
        supporter=attendance.supporter,
    )
    fill_prework(contact, [row], {family.pk: attendance.watched_videos_beforehand})
    row.save()
    if booking is not None:
        booking_complete(booking=booking, now=moment)
    if mode in REMOTE_MODES:
        # A call delivers the component: any call still planned for it is done.
        pending = PlannedCall.objects.filter(
            family=family,
            component=component,
            status__in=[PlannedCall.Status.OPEN, PlannedCall.Status.BOOKED],
        ).exclude(bookings__status=CallBooking.Status.BOOKED)
        for call in pending:
            planned_call_done(call=call, now=moment)
    if follow_up is not None:
        follow_up.status = FollowUpTask.Status.DONE
        follow_up.done_call = contact
        follow_up.save(update_fields=["status", "done_call"])
    audit_contact(contact, Action.CREATE, recorded_by, family_id=family.pk)
    if mode == Mode.HOME_VISIT:
        follow_up_if_needed(contact=contact, family=family, facilitators=facilitators)
    return contact
