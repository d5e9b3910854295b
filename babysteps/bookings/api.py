"""Call bookings in the JSON API: free slots, booking, moving, cancelling, no-shows.
Same chokepoints, services and audit as the pages."""

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from babysteps.accounts.models import User
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.api.common import page_of, responses
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.bookings import selectors, services
from babysteps.bookings.access import call_booking_for_user, call_bookings_for_user
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.cohorts.models import Cohort
from babysteps.families.access import families_for_user, family_for_user
from babysteps.programme.models import Component

router = Router()
ID_MAX = 2_147_483_647  # ids beyond this are unknown anyway; the database cannot take them
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
MAX_SLOT_DAYS = 62


class BookingOut(Schema):
    id: int
    family: int
    cohort: int
    component: str
    facilitator: int
    facilitator_name: str
    starts_at: datetime
    ends_at: datetime
    mode: str
    status: str
    version: int
    planned_call: int | None
    rebook_of: int | None


class BookingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[BookingOut]


class SlotOut(Schema):
    facilitator: int
    facilitator_name: str
    starts_at: datetime
    ends_at: datetime


class BookingIn(Schema):
    family: Id
    component: str | None = Field(None, max_length=8, description="Component code, e.g. S3")
    planned_call: Id | None = Field(None, description="Book this planned call instead")
    rebook_of: Id | None = Field(None, description="A missed or cancelled call this replaces")
    facilitator: Id
    starts_at: datetime
    mode: Literal["phone", "video"] = "phone"


class BookingPatch(Schema):
    """Move a booked call (``starts_at``, optionally ``facilitator`` and ``mode``), or
    change its status: ``cancelled`` (with a ``reason``, kept from the family) or
    ``no_show`` (after the call's time). No field is required, so an out-of-scope or
    unknown booking is a 404 whatever the body; an empty change is a 422."""

    starts_at: datetime | None = None
    facilitator: Id | None = None
    mode: Literal["phone", "video"] | None = None
    status: Literal["cancelled", "no_show"] | None = None
    reason: str = Field("", max_length=200)


def _out(booking: CallBooking) -> dict[str, object]:
    return {
        "id": booking.pk,
        "family": booking.family_id,
        "cohort": booking.cohort_id,
        "component": booking.component.code,
        "facilitator": booking.facilitator_id,
        "facilitator_name": booking.facilitator.full_name,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "mode": booking.mode,
        "status": booking.status,
        "version": booking.version,
        "planned_call": booking.planned_call_id,
        "rebook_of": booking.rebook_of_id,
    }


def _fresh(booking: CallBooking) -> dict[str, object]:
    return _out(CallBooking.objects.select_related("component", "facilitator").get(pk=booking.pk))


def _facilitator_of(cohort_id: int, person_id: int) -> User:
    people = selectors.cohort_facilitators(cohort=Cohort.objects.get(pk=cohort_id))
    person = next((u for u in people if u.pk == person_id), None)
    if person is None:
        raise ValidationError({"facilitator": _("Choose one of the facilitators of the cohort.")})
    return person


@router.get("", response=responses(200, BookingPage), summary="Call bookings you can see")
def list_bookings(
    request: AuthenticatedHttpRequest,
    family: int | None = Query(None, ge=1, le=ID_MAX),
    status: Literal["booked", "completed", "cancelled", "no_show"] | None = None,
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, object]:
    rows = call_bookings_for_user(request.user)
    if family is not None:
        rows = rows.filter(family_id=family)
    if status is not None:
        rows = rows.filter(status=status)
    count, items = page_of(
        rows.select_related("component", "facilitator").order_by("-starts_at", "-pk"),
        page=page,
        page_size=page_size,
    )
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="callbooking",
        detail={"family_ids": sorted({b.family_id for b in items})},
    )
    return {"count": count, "page": page, "page_size": page_size, "items": [_out(b) for b in items]}


@router.get(
    "/slots",
    response=responses(200, list[SlotOut], extra=(404,)),
    summary="Free slots of the facilitators of a family's cohort",
)
def free_slots(
    request: AuthenticatedHttpRequest,
    family: int = Query(..., ge=1, le=ID_MAX),
    first: date | None = None,
    last: date | None = None,
) -> list[dict[str, object]]:
    found = family_for_user(request.user, family)
    place = selectors.family_place(family=found)
    if place is None:
        return []
    today = timezone.localdate()
    start = max(first or today, today)
    end = last or start + timedelta(days=28)
    if end < start or (end - start).days > MAX_SLOT_DAYS:
        raise ValidationError(
            {
                "last": _("Ask for at most %(MAX_SLOT_DAYS)s days, ending after the first.")
                % {"MAX_SLOT_DAYS": MAX_SLOT_DAYS}
            }
        )
    slots = selectors.free_slots(
        facilitators=selectors.cohort_facilitators(cohort=place.cohort), first=start, last=end
    )
    return [
        {
            "facilitator": s.facilitator.pk,
            "facilitator_name": s.facilitator.full_name,
            "starts_at": s.starts_at,
            "ends_at": s.ends_at,
        }
        for s in slots
    ]


@router.post("", response=responses(201, BookingOut), summary="Book a family's call in a slot")
def create_booking(request: AuthenticatedHttpRequest, payload: BookingIn) -> Status:
    family = families_for_user(request.user).filter(pk=payload.family).first()
    if family is None:
        raise ValidationError({"family": _("Unknown family.")})
    family = family_for_user(request.user, family.pk, action=Action.CHANGE)
    call = rebook = component = None
    if payload.planned_call is not None:
        call = PlannedCall.objects.filter(pk=payload.planned_call, family=family).first()
        if call is None:
            raise ValidationError({"planned_call": _("Unknown planned call.")})
        component = call.component
    elif payload.rebook_of is not None:
        rebook = CallBooking.objects.filter(pk=payload.rebook_of, family=family).first()
        if rebook is None:
            raise ValidationError({"rebook_of": _("Unknown booking.")})
        component = rebook.component
    elif payload.component:
        component = Component.objects.filter(code=payload.component).first()
    if component is None:
        raise ValidationError(
            {"component": _("Give a known component, a planned call or a rebook.")}
        )
    place = selectors.family_place(family=family)
    if place is None:
        raise ValidationError({"family": _("This family has no place in a cohort (or withdrew).")})
    facilitator = _facilitator_of(place.cohort_id, payload.facilitator)
    if rebook is not None:
        booking = services.call_rebook(
            booking=rebook,
            starts_at=payload.starts_at,
            facilitator=facilitator,
            booked_by=request.user,
            mode=payload.mode,
        )
    else:
        booking = services.call_book(
            family=family,
            component=component,
            facilitator=facilitator,
            starts_at=payload.starts_at,
            mode=payload.mode,
            booked_by=request.user,
            planned_call=call,
        )
    return Status(201, _fresh(booking))


@router.get(
    "/{booking_id}", response=responses(200, BookingOut, extra=(404,)), summary="One booking"
)
def get_booking(request: AuthenticatedHttpRequest, booking_id: int) -> dict[str, object]:
    return _out(call_booking_for_user(request.user, booking_id))


@router.patch(
    "/{booking_id}",
    response=responses(200, BookingOut, extra=(404,)),
    summary="Move, cancel or mark as missed a booked call (the family is told)",
)
def change_booking(
    request: AuthenticatedHttpRequest, booking_id: int, payload: BookingPatch
) -> dict[str, object]:
    booking = call_booking_for_user(request.user, booking_id, action=Action.CHANGE)
    moving = payload.starts_at is not None or payload.facilitator is not None
    if payload.status is not None and moving:
        raise ValidationError({"status": _("Move a call or change its status, not both at once.")})
    if payload.status == "cancelled":
        services.call_cancel(booking=booking, reason=payload.reason, cancelled_by=request.user)
    elif payload.status == "no_show":
        services.call_no_show(booking=booking, recorded_by=request.user)
    elif moving or payload.mode is not None:
        facilitator = (
            _facilitator_of(booking.cohort_id, payload.facilitator)
            if payload.facilitator is not None
            else None
        )
        services.call_reschedule(
            booking=booking,
            starts_at=payload.starts_at or booking.starts_at,
            facilitator=facilitator,
            mode=payload.mode,
            changed_by=request.user,
        )
    else:
        raise ValidationError({"starts_at": _("Give a new time, or a status to change to.")})
    return _fresh(booking)
