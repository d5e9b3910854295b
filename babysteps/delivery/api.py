"""Delivery in the JSON API: contacts, a group session's register, and the remote-delivery
switch. Same chokepoints, services and audit as the pages."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.api.common import page_of, responses
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.bookings.access import call_bookings_for_user
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.bookings.selectors import family_place
from babysteps.cohorts.access import cohort_for_delivery, cohort_for_user, planned_session_for_user
from babysteps.cohorts.models import Cohort
from babysteps.delivery import selectors, services
from babysteps.delivery.access import contact_for_user, contacts_for_user
from babysteps.delivery.api_schemas import (
    ID_MAX,
    ContactCorrectionIn,
    ContactIn,
    ContactOut,
    ContactPage,
    DeliveryStateOut,
    RegisterIn,
    RegisterOut,
    SwitchIn,
    SwitchOut,
)
from babysteps.delivery.models import Contact, DeliverySwitch, FollowUpTask, Mode
from babysteps.delivery.services import AttendanceIn
from babysteps.families.access import families_for_user, family_for_user
from babysteps.licensing.access import site_for_user
from babysteps.licensing.models import Site
from babysteps.programme.models import Component, KeyMessage

router = Router()


def _contact(contact: Contact) -> dict[str, object]:
    return {
        "id": contact.pk,
        "cohort": contact.cohort_id,
        "component": contact.component.code,
        "mode": contact.mode,
        "starts_at": contact.starts_at,
        "planned_minutes": contact.planned_minutes,
        "actual_minutes": contact.actual_minutes,
        "facilitators": [u.pk for u in contact.facilitators.all()],
        "key_messages": sorted(m.pk for m in contact.key_messages.all()),
        "catch_up": contact.catch_up,
        "booking": contact.booking_id,
        "planned_call": contact.planned_call_id,
        "notes": contact.notes,
        "attendance": [
            {
                "family": a.family_id,
                "present": a.present,
                "mother": a.mother,
                "partner": a.partner,
                "baby": a.baby,
                "supporter": a.supporter,
                "watched_videos_beforehand": a.watched_videos_beforehand,
            }
            for a in contact.attendances.all()
        ],
        "corrected_by": contact.corrected_by_id,
        "corrected_at": contact.corrected_at,
    }


def _loaded(contacts):
    return selectors.contacts_loaded(contacts).prefetch_related("key_messages")


def _switch(switch: DeliverySwitch) -> dict[str, object]:
    return {
        "id": switch.pk,
        "site": switch.site_id,
        "cohort": switch.cohort_id,
        "action": switch.action,
        "from_date": switch.from_date,
        "remote_mode": switch.remote_mode,
        "prework": switch.prework,
        "reason": switch.reason,
        "created_by": switch.created_by.full_name,
        "created_at": switch.created_at,
        "sessions_changed": switch.sessions_changed,
        "calls_created": switch.calls_created,
        "calls_withdrawn": switch.calls_withdrawn,
        "bookings_cancelled": switch.bookings_cancelled,
    }


def _people(request: AuthenticatedHttpRequest, ids: list[int], site_id: int):
    people = list(selectors.site_facilitators(site_id).filter(pk__in=ids))
    if len(people) != len(set(ids)):
        raise ValidationError({"facilitators": _("Only facilitators of the cohort's site.")})
    return people


def _messages(ids: list[int]) -> list[KeyMessage]:
    found = list(KeyMessage.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"key_messages": _("Unknown key message.")})
    return found


@router.get("/contacts", response=responses(200, ContactPage), summary="Contacts you can see")
def list_contacts(
    request: AuthenticatedHttpRequest,
    family: int | None = Query(None, ge=1, le=ID_MAX),
    cohort: int | None = Query(None, ge=1, le=ID_MAX),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict[str, object]:
    contacts = contacts_for_user(request.user)
    if family is not None:
        contacts = contacts.filter(attendances__family_id=family)
    if cohort is not None:
        contacts = contacts.filter(cohort_id=cohort)
    count, rows = page_of(
        _loaded(contacts.distinct()).order_by("-starts_at", "-pk"), page=page, page_size=page_size
    )
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="contact",
        detail={
            "contact_ids": [c.pk for c in rows],
            "family_ids": sorted({a.family_id for c in rows for a in c.attendances.all()}),
        },
    )
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "items": [_contact(c) for c in rows],
    }


@router.get(
    "/contacts/{contact_id}",
    response=responses(200, ContactOut, extra=(404,)),
    summary="One contact, with who attended",
)
def get_contact(request: AuthenticatedHttpRequest, contact_id: int) -> dict[str, object]:
    contact = contact_for_user(request.user, contact_id)
    return _contact(_loaded(Contact.objects.filter(pk=contact.pk)).get())


@router.post(
    "/contacts",
    response=responses(201, ContactOut),
    summary="Record a home visit or a call with one family",
)
def create_contact(request: AuthenticatedHttpRequest, payload: ContactIn) -> Status:
    family = families_for_user(request.user).filter(pk=payload.family).first()
    if family is None:
        raise ValidationError({"family": _("Unknown family.")})
    family = family_for_user(request.user, family.pk, action=Action.CHANGE)
    component = Component.objects.filter(code=payload.component).first()
    if component is None:
        raise ValidationError({"component": _("Unknown component.")})
    place = family_place(family=family)
    if place is None:
        raise ValidationError({"family": _("This family has no place in a cohort.")})
    booking = call = task = None
    if payload.booking is not None:
        booking = call_bookings_for_user(request.user).filter(pk=payload.booking).first()
        if booking is None:
            raise ValidationError({"booking": _("Unknown booking.")})
    if payload.planned_call is not None:
        call = PlannedCall.objects.filter(pk=payload.planned_call, family=family).first()
        if call is None:
            raise ValidationError({"planned_call": _("Unknown planned call.")})
    if payload.follow_up is not None:
        task = FollowUpTask.objects.filter(pk=payload.follow_up, family=family).first()
        if task is None:
            raise ValidationError({"follow_up": _("Unknown follow-up.")})
    cohort: Cohort = booking.cohort if isinstance(booking, CallBooking) else place.cohort
    contact = services.contact_record(
        family=family,
        cohort=cohort,
        component=component,
        mode=payload.mode,
        starts_at=payload.starts_at,
        planned_minutes=payload.planned_minutes,
        actual_minutes=payload.actual_minutes,
        facilitators=_people(request, payload.facilitators, cohort.site_id),
        recorded_by=request.user,
        attendance=AttendanceIn(present=True, **payload.attendance.dict()),
        key_messages=_messages(payload.key_messages),
        notes=payload.notes,
        booking=booking,
        planned_call=call,
        follow_up=task,
        catch_up=payload.catch_up,
    )
    return Status(201, _contact(_loaded(Contact.objects.filter(pk=contact.pk)).get()))


@router.patch(
    "/contacts/{contact_id}",
    response=responses(200, ContactOut, extra=(404,)),
    summary="Correct a one-family contact (lengths, who took part, key messages, notes)",
)
def correct_contact(
    request: AuthenticatedHttpRequest, contact_id: int, payload: ContactCorrectionIn
) -> dict[str, object]:
    contact = contact_for_user(request.user, contact_id, action=Action.CHANGE)
    if contact.is_group:
        raise ValidationError({"contact": _("Correct a group session through its register.")})
    row = contact.attendances.get()
    who = (
        payload.attendance.dict()
        if payload.attendance is not None
        else {f: getattr(row, f) for f in ("mother", "partner", "baby", "supporter")}
    )
    services.contact_correct(
        contact=contact,
        corrected_by=request.user,
        planned_minutes=payload.planned_minutes or contact.planned_minutes,
        actual_minutes=payload.actual_minutes or contact.actual_minutes,
        attendance=AttendanceIn(present=True, **who),
        key_messages=(
            _messages(payload.key_messages)
            if payload.key_messages is not None
            else list(contact.key_messages.all())
        ),
        notes=payload.notes if payload.notes is not None else contact.notes,
    )
    return _contact(_loaded(Contact.objects.filter(pk=contact.pk)).get())


def _register(request: AuthenticatedHttpRequest, cohort_id: int, session_id: int, action: str):
    cohort = cohort_for_delivery(request.user, cohort_id, action=action)
    session = planned_session_for_user(request.user, session_id, cohort=cohort)
    return cohort, session


def _register_out(session) -> dict[str, object]:
    existing = _loaded(Contact.objects.filter(planned_session=session, mode=Mode.GROUP)).first()
    return {
        "session": session.pk,
        "component": session.component.code,
        "planned_starts_at": session.starts_at,
        "delivered_as_calls": services.session_is_remote(session=session),
        "families": [
            {"family": f.pk, "name": f.display_name}
            for f in services.register_families(session=session)
        ],
        "contact": _contact(existing) if existing else None,
    }


@router.get(
    "/cohorts/{cohort_id}/sessions/{session_id}/register",
    response=responses(200, RegisterOut, extra=(404,)),
    summary="A group session's register: the families on it, and attendance if taken",
)
def get_register(
    request: AuthenticatedHttpRequest, cohort_id: int, session_id: int
) -> dict[str, object]:
    _, session = _register(request, cohort_id, session_id, Action.VIEW)
    return _register_out(session)


@router.put(
    "/cohorts/{cohort_id}/sessions/{session_id}/register",
    response=responses(200, RegisterOut, extra=(404,)),
    summary="Record or correct a group session's register (families left out were absent)",
)
def put_register(
    request: AuthenticatedHttpRequest, cohort_id: int, session_id: int, payload: RegisterIn
) -> dict[str, object]:
    cohort, session = _register(request, cohort_id, session_id, Action.CHANGE)
    attendance = {}
    for row in payload.attendance:
        if row.present:
            data = row.dict(exclude={"family", "present"})
            attendance[row.family] = AttendanceIn(present=True, **data)
    services.register_record(
        session=session,
        starts_at=payload.starts_at,
        planned_minutes=payload.planned_minutes,
        actual_minutes=payload.actual_minutes,
        facilitators=_people(request, payload.facilitators, cohort.site_id),
        recorded_by=request.user,
        attendance=attendance,
        key_messages=_messages(payload.key_messages),
        notes=payload.notes,
        offer_catch_up=payload.offer_catch_up,
    )
    return _register_out(session)


def _state(governing, history) -> dict[str, object]:
    return {
        "paused": governing.paused,
        "mode": governing.mode,
        "history": [_switch(s) for s in history],
    }


def _apply(
    request: AuthenticatedHttpRequest, payload: SwitchIn, *, site: Site, cohort: Cohort | None
):
    if payload.action is None:
        raise ValidationError({"action": _("Say whether to pause or resume.")})
    if payload.action == "pause":
        return services.delivery_pause(
            site=site,
            cohort=cohort,
            from_date=payload.from_date,
            reason=payload.reason,
            mode=payload.mode or "",
            prework=payload.prework,
            changed_by=request.user,
        )
    return services.delivery_resume(
        site=site,
        cohort=cohort,
        from_date=payload.from_date,
        reason=payload.reason,
        changed_by=request.user,
    )


@router.get(
    "/cohorts/{cohort_id}/switch",
    response=responses(200, DeliveryStateOut, extra=(404,)),
    summary="A cohort's delivery today and its switch history",
)
def cohort_switch_state(request: AuthenticatedHttpRequest, cohort_id: int) -> dict[str, object]:
    cohort = cohort_for_user(request.user, cohort_id)
    governing = services.cohort_governing(cohort=cohort, day=timezone.localdate())
    return _state(governing, selectors.cohort_history(cohort=cohort))


@router.post(
    "/cohorts/{cohort_id}/switch",
    response=responses(201, SwitchOut, extra=(403, 404)),
    summary="Pause or resume group delivery for one cohort (managers)",
)
def cohort_switch(request: AuthenticatedHttpRequest, cohort_id: int, payload: SwitchIn) -> Status:
    cohort = cohort_for_user(request.user, cohort_id, action=Action.CHANGE)
    switch = _apply(request, payload, site=cohort.site, cohort=cohort)
    return Status(201, _switch(switch))


@router.get(
    "/sites/{site_id}/switch",
    response=responses(200, DeliveryStateOut, extra=(403, 404)),
    summary="A site's own delivery state today and its switch history (managers)",
)
def site_switch_state(request: AuthenticatedHttpRequest, site_id: int) -> dict[str, object]:
    site = site_for_user(request.user, site_id, manage=True)
    governing = services.site_governing(site=site, day=timezone.localdate())
    return _state(governing, selectors.site_history(site=site))


@router.post(
    "/sites/{site_id}/switch",
    response=responses(201, SwitchOut, extra=(403, 404)),
    summary="Pause or resume group delivery for every cohort of a site (managers)",
)
def site_switch(request: AuthenticatedHttpRequest, site_id: int, payload: SwitchIn) -> Status:
    site = site_for_user(request.user, site_id, manage=True)
    switch = _apply(request, payload, site=site, cohort=None)
    return Status(201, _switch(switch))
