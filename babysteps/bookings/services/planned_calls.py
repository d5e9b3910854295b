"""Planned calls: the per-family calls that replace a group session while group
delivery is paused (made and withdrawn by ``babysteps.delivery``'s switch), and catch-ups
for a missed session."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.bookings.models import CallBooking, CallMode, PlannedCall
from babysteps.bookings.services.calls import call_cancel, planned_call_set_status
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.families.models import Family


@transaction.atomic
def planned_call_done(*, call: PlannedCall, now: datetime | None = None) -> None:
    """A call was delivered for this planned call without a booking."""
    if call.status in (PlannedCall.Status.OPEN, PlannedCall.Status.BOOKED):
        planned_call_set_status(call, PlannedCall.Status.DONE, now or timezone.now())


@dataclass
class CallChanges:
    """What a change to a session's remote calls did, and to which families."""

    created: int = 0
    withdrawn: int = 0
    bookings_cancelled: int = 0
    families: set[int] = field(default_factory=set)

    def add(self, other: "CallChanges") -> None:
        self.created += other.created
        self.withdrawn += other.withdrawn
        self.bookings_cancelled += other.bookings_cancelled
        self.families |= other.families


@transaction.atomic
def planned_calls_ensure(
    *,
    session: PlannedSession,
    families: list[Family],
    mode: str,
    prework: bool,
    now: datetime | None = None,
) -> CallChanges:
    """Make sure each family has a live remote call for the session, in the given mode
    (open calls follow a change of mode or of the session's time). Idempotent and safe
    to run twice at once. ``families`` names the families touched (created or changed)."""
    moment = now or timezone.now()
    changes = CallChanges()
    live = {
        c.family_id: c
        for c in PlannedCall.objects.filter(
            planned_session=session, reason=PlannedCall.Reason.REMOTE
        ).exclude(status=PlannedCall.Status.WITHDRAWN)
    }
    for family in families:
        call = live.get(family.pk)
        if call is None:
            try:
                with transaction.atomic():
                    PlannedCall.objects.create(
                        family=family,
                        cohort=session.cohort,
                        component=session.component,
                        planned_session=session,
                        due_at=session.starts_at,
                        mode=mode,
                        prework=prework,
                        reason=PlannedCall.Reason.REMOTE,
                        status_changed_at=moment,
                        created_at=moment,
                    )
            except IntegrityError:
                continue  # another process made it a moment ago
            changes.created += 1
            changes.families.add(family.pk)
        elif call.status == PlannedCall.Status.OPEN and (
            call.mode != mode or call.prework != prework or call.due_at != session.starts_at
        ):
            if call.mode != mode:
                changes.families.add(family.pk)
            call.mode, call.prework, call.due_at = mode, prework, session.starts_at
            call.save(update_fields=["mode", "prework", "due_at"])
    return changes


@transaction.atomic
def planned_calls_withdraw(
    *,
    session: PlannedSession,
    reason: str,
    changed_by: User | None,
    notify: bool = True,
    now: datetime | None = None,
    families: list[int] | None = None,
) -> CallChanges:
    """Withdraw the session's remote calls (group delivery is back for it). Calls already
    made are kept. A call booked for a time still ahead is cancelled and the parents are
    told; one whose time has passed is left for its facilitator to record or mark missed.
    ``families`` limits this to some families (e.g. those who withdrew)."""
    moment = now or timezone.now()
    changes = CallChanges()
    calls = PlannedCall.objects.filter(
        planned_session=session,
        reason=PlannedCall.Reason.REMOTE,
        status__in=[PlannedCall.Status.OPEN, PlannedCall.Status.BOOKED],
    )
    if families is not None:
        calls = calls.filter(family_id__in=families)
    for call in calls:
        booking = None
        if call.status == PlannedCall.Status.BOOKED:
            booking = call.bookings.filter(status=CallBooking.Status.BOOKED).first()
            if booking is not None and booking.starts_at <= moment:
                continue
        if booking is not None:
            call_cancel(
                booking=booking,
                reason=reason,
                cancelled_by=changed_by,
                withdraw_planned_call=True,
                notify=notify,
                now=moment,
            )
            changes.bookings_cancelled += 1
        else:
            planned_call_set_status(call, PlannedCall.Status.WITHDRAWN, moment, reason=reason)
        changes.withdrawn += 1
        changes.families.add(call.family_id)
    return changes


@transaction.atomic
def planned_call_catch_up(
    *,
    family: Family,
    session: PlannedSession,
    created_by: User,
    mode: str = CallMode.PHONE,
    now: datetime | None = None,
) -> PlannedCall:
    """Offer a family a catch-up call for a session it missed (idempotent)."""
    moment = now or timezone.now()
    if not Enrolment.objects.filter(
        family=family, cohort_id=session.cohort_id, status__in=Enrolment.HOLDS_PLACE
    ).exists():
        raise ValidationError({"family": _("This family has no place in the session's cohort.")})
    existing = (
        PlannedCall.objects.filter(
            family=family, planned_session=session, reason=PlannedCall.Reason.CATCH_UP
        )
        .exclude(status=PlannedCall.Status.WITHDRAWN)
        .first()
    )
    if existing is not None:
        return existing
    call = PlannedCall.objects.create(
        family=family,
        cohort=session.cohort,
        component=session.component,
        planned_session=session,
        due_at=max(session.starts_at, moment),
        mode=mode,
        prework=True,
        reason=PlannedCall.Reason.CATCH_UP,
        status_changed_at=moment,
        created_at=moment,
    )
    audit_object(
        actor=created_by,
        action=Action.CREATE,
        obj=call,
        family_id=family.pk,
        site_id=family.site_id,
        detail={"reason": "catch_up"},
    )
    return call


@transaction.atomic
def catch_up_withdraw(
    *, family: Family, session: PlannedSession, now: datetime | None = None
) -> int:
    """The family came after all (a corrected register): withdraw an unbooked catch-up."""
    moment = now or timezone.now()
    calls = PlannedCall.objects.filter(
        family=family,
        planned_session=session,
        reason=PlannedCall.Reason.CATCH_UP,
        status=PlannedCall.Status.OPEN,
    )
    for call in calls:
        planned_call_set_status(call, PlannedCall.Status.WITHDRAWN, moment, reason="Attended.")
    return len(calls)
