"""Delivery pages: recording a contact or a register, a contact's record, the remote-
delivery switch, and follow-up tasks. Reports are in ``report_views``."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.bookings.access import call_booking_for_user, planned_call_for_user
from babysteps.bookings.models import PlannedCall
from babysteps.bookings.selectors import family_place
from babysteps.cohorts.access import (
    cohort_for_delivery,
    cohort_page_shows,
    planned_session_for_user,
)
from babysteps.core.access import NOT_FOUND
from babysteps.core.forms import add_service_errors
from babysteps.delivery import selectors, services
from babysteps.delivery.access import contact_for_user, follow_up_task_for_user
from babysteps.delivery.forms import (
    CloseTaskForm,
    ContactCorrectForm,
    ContactForm,
    RegisterForm,
)
from babysteps.delivery.models import Contact, Mode
from babysteps.families.access import family_for_user
from babysteps.programme.models import Component

delivery_staff = staff_required(lambda roles: roles.sees_family_records)


def _action(request: AuthenticatedHttpRequest) -> str:
    return Action.VIEW if request.method == "GET" else Action.CHANGE


def _rounded_now() -> datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


@delivery_staff
@require_http_methods(["GET", "POST"])
def contact_new(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Record a home visit or a call with one family. From a booked call (``?booking=``),
    a planned call (``?call=``), a follow-up task (``?task=``) or a component
    (``?component=``); with none of them, choose the component first."""
    family = family_for_user(request.user, family_id, action=_action(request))
    place = family_place(family=family)
    if place is None:
        return TemplateResponse(request, "delivery/contact_no_place.html", {"family": family})
    booking = task = call = None
    component = None
    params = request.GET
    if params.get("booking"):
        booking = call_booking_for_user(request.user, params["booking"], action=Action.CHANGE)
        if booking.family_id != family.pk:
            raise Http404(NOT_FOUND)
        component, call = booking.component, booking.planned_call
    elif params.get("task"):
        task = follow_up_task_for_user(request.user, params["task"], action=Action.CHANGE)
        if task.family_id != family.pk:
            raise Http404(NOT_FOUND)
        component = task.component
    elif params.get("call"):
        call = planned_call_for_user(request.user, params["call"], family=family)
        component = call.component
    elif params.get("component"):
        component = Component.objects.filter(code=params["component"]).first()
    if component is None:
        return TemplateResponse(
            request,
            "delivery/contact_component.html",
            {"family": family, "components": Component.objects.order_by("order")},
        )
    cohort = booking.cohort if booking else place.cohort
    if booking is not None and services.booking_not_yet_due(booking, timezone.now()):
        return TemplateResponse(
            request, "delivery/contact_not_yet.html", {"family": family, "booking": booking}
        )
    session = cohort.planned_sessions.filter(component=component).first()
    planned = (
        booking.duration_minutes
        if booking
        else (session.duration_minutes if session else component.typical_duration_minutes)
    )
    if booking or call or task:
        planned = booking.duration_minutes if booking else min(planned, 60)
    initial = {
        # A booked call took place at its booked time unless the facilitator says otherwise.
        "starts_at": timezone.localtime(booking.starts_at) if booking else _rounded_now(),
        "planned_minutes": planned,
        "mode": (booking.mode if booking else call.mode if call else "")
        or (Mode.HOME_VISIT if component.is_home_visit and not task else Mode.PHONE),
        "facilitators": [request.user] if roles_for(request.user).is_facilitator else [],
        "mother": True,
        "catch_up": bool(call and call.reason == PlannedCall.Reason.CATCH_UP),
        "interpreter_used": booking.interpreter_booked if booking else family.interpreter_needed,
        "interpreter_language": (booking.interpreter_language if booking else "")
        or (family.preferred_language if family.interpreter_needed else ""),
    }
    form = ContactForm(
        request.POST or None,
        initial=initial,
        component=component,
        facilitators=selectors.site_facilitators(cohort.site_id),
        remote_only=bool(booking or task),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_record(
                family=family,
                cohort=cohort,
                component=component,
                mode=data["mode"],
                starts_at=data["starts_at"],
                planned_minutes=data["planned_minutes"],
                actual_minutes=data["actual_minutes"],
                facilitators=list(data["facilitators"]),
                recorded_by=request.user,
                attendance=form.attendance(),
                key_messages=list(data["key_messages"]),
                notes=data["notes"],
                booking=booking,
                planned_call=call,
                follow_up=task,
                catch_up=data.get("catch_up", False),
                interpreter_used=data["interpreter_used"],
                interpreter_language=data["interpreter_language"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(code)s has been recorded.") % {"code": component.code})
            return redirect("families:detail", family_id=family.pk)
    return TemplateResponse(
        request,
        "delivery/contact_form.html",
        {
            "form": form,
            "family": family,
            "component": component,
            "cohort": cohort,
            "booking": booking,
            "task": task,
            "call": call,
        },
    )


@delivery_staff
def contact_detail(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = contact_for_user(request.user, contact_id)
    contact = selectors.contacts_loaded(Contact.objects.filter(pk=contact.pk)).get()
    register = selectors.contact_register(contact=contact)
    return TemplateResponse(
        request,
        "delivery/contact_detail.html",
        {
            "contact": contact,
            "register": register,
            "corrections": selectors.contact_corrections(contact=contact, register=register),
            "key_messages": list(contact.key_messages.order_by("order")),
        },
    )


@delivery_staff
@require_http_methods(["GET", "POST"])
def contact_correct(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    """Correct a one-family contact (a group session is corrected through its register).
    Audited as a change naming the fields corrected."""
    contact = contact_for_user(
        request.user, contact_id, action=_action(request), reason="correct a contact"
    )
    if contact.is_group:
        return redirect("delivery:register", contact.cohort_id, contact.planned_session_id)
    attendance = contact.attendances.select_related("family").get()
    form = ContactCorrectForm(request.POST or None, contact=contact, attendance=attendance)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contact_correct(
                contact=contact,
                corrected_by=request.user,
                planned_minutes=data["planned_minutes"],
                actual_minutes=data["actual_minutes"],
                attendance=form.attendance(),
                key_messages=list(data["key_messages"]),
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The record has been corrected."))
            return redirect("delivery:contact", contact_id=contact.pk)
    return TemplateResponse(
        request,
        "delivery/contact_correct.html",
        {"form": form, "contact": contact, "family": attendance.family},
        status=422 if request.method == "POST" else 200,
    )


@delivery_staff
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest, cohort_id: int, session_id: int) -> HttpResponse:
    """One form marks attendance for every family on a group session's register."""
    cohort = cohort_for_delivery(request.user, cohort_id, action=_action(request))
    session = planned_session_for_user(request.user, session_id, cohort=cohort)
    if not session.component.is_group_session:
        return TemplateResponse(
            request, "delivery/register_home_visit.html", {"cohort": cohort, "session": session}
        )
    if services.session_not_started(session=session, moment=timezone.now()):
        return TemplateResponse(
            request, "delivery/register_not_yet.html", {"cohort": cohort, "session": session}
        )
    families = services.register_families(session=session)
    cohort_page_shows(request.user, cohort, [f.pk for f in families], where="group register")
    existing = (
        Contact.objects.filter(planned_session=session, mode=Mode.GROUP)
        .prefetch_related("attendances", "facilitators", "key_messages")
        .first()
    )
    initial: dict[str, object] = {
        "starts_at": timezone.localtime(session.starts_at),
        "planned_minutes": session.duration_minutes,
        "facilitators": list(cohort.facilitators.all()),
        "offer_catch_up": True,
    }
    if existing is not None:
        initial.update(
            starts_at=timezone.localtime(existing.starts_at),
            planned_minutes=existing.planned_minutes,
            actual_minutes=existing.actual_minutes,
            facilitators=list(existing.facilitators.all()),
            key_messages=list(existing.key_messages.all()),
            notes=existing.notes,
        )
        for row in existing.attendances.all():
            for name in RegisterForm.PER_FAMILY:
                initial[f"{name}_{row.family_id}"] = getattr(row, name)
            watched = row.watched_videos_beforehand
            initial[f"watched_{row.family_id}"] = (
                "" if watched is None else "yes" if watched else "no"
            )
    form = RegisterForm(
        request.POST or None,
        initial=initial,
        families=families,
        facilitators=selectors.site_facilitators(cohort.site_id),
        component=session.component,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.register_record(
                session=session,
                starts_at=data["starts_at"],
                planned_minutes=data["planned_minutes"],
                actual_minutes=data["actual_minutes"],
                facilitators=list(data["facilitators"]),
                recorded_by=request.user,
                attendance=form.attendance(),
                key_messages=list(data["key_messages"]),
                notes=data["notes"],
                offer_catch_up=data["offer_catch_up"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The register for %(code)s is saved.") % {"code": session.component.code}
            )
            return redirect(reverse("cohorts:detail", args=[cohort.pk]) + "#delivery")
    return TemplateResponse(
        request,
        "delivery/register_form.html",
        {
            "form": form,
            "cohort": cohort,
            "session": session,
            "existing": existing,
            "is_remote": services.session_is_remote(session=session),
        },
    )


@delivery_staff
@require_http_methods(["GET", "POST"])
def task_close(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    """Close a follow-up task without a call, with a reason."""
    task = follow_up_task_for_user(request.user, task_id, action=_action(request))
    form = CloseTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_close(
                task=task, reason=form.cleaned_data["reason"], closed_by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up has been closed."))
            return redirect("home:index")
    return TemplateResponse(request, "delivery/task_close.html", {"form": form, "task": task})
