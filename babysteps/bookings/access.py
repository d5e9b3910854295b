"""Who may reach a call booking, a planned call and a facilitator's published times.
Bookings and planned calls follow their family's scope; times for calls belong to the
facilitator (and, for changes, to the managers of their site)."""

from django.db.models import Q, QuerySet

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.reads import read_record
from babysteps.bookings.models import Availability, CallBooking, PlannedCall
from babysteps.core.access import one
from babysteps.families.access import families_for_user
from babysteps.families.models import Family


def call_bookings_for_user(user: User) -> QuerySet[CallBooking]:
    """Bookings of families the user may open."""
    return CallBooking.objects.filter(family__in=families_for_user(user))


def call_booking_for_user(
    user: User,
    booking_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> CallBooking:
    """A call booking of a family the user may reach; else 404. Audited."""
    booking = one(
        call_bookings_for_user(user)
        .select_related("family", "cohort", "cohort__site", "component", "facilitator")
        .prefetch_related("family__parents"),
        booking_id,
    )
    read_record(
        actor=user,
        action=action,
        object_type="callbooking",
        object_id=booking.pk,
        family_id=booking.family_id,
        site_id=booking.cohort.site_id,
        channel=channel,
        reason=reason,
    )
    return booking


def call_booking_for_family(family: Family, booking_id: int | str) -> CallBooking:
    """A booking of a family already reached through its own chokepoint (the parent
    portal reaches the family from the signed-in parent); else 404. Not audited here: the
    caller's chokepoint audited reaching the family."""
    return one(
        CallBooking.objects.filter(family=family).select_related(
            "cohort", "component", "facilitator", "planned_call"
        ),
        booking_id,
    )


def planned_call_for_user(user: User, call_id: int | str, *, family: Family) -> PlannedCall:
    """A planned call of a family already reached through ``family_for_user``."""
    return one(
        PlannedCall.objects.filter(family=family).select_related("component", "cohort"),
        call_id,
    )


def availability_for_user(user: User, availability_id: int | str) -> Availability:
    """Published times the user may change: their own, or (managers, admins) those of the
    facilitators of their sites; else 404. Names no family, so not audited as a read."""
    roles = roles_for(user)
    rows = Availability.objects.filter(active=True)
    if not roles.is_admin:
        rows = rows.filter(Q(facilitator=user) | Q(site_id__in=roles.managed_site_ids))
    return one(rows.select_related("facilitator", "site"), availability_id)
