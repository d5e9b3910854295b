"""Call pages: facilitators' times for calls, booking a family's call, and a booked
call's page (move, cancel, record a no-show and rebook, calendar file)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.models import Membership, Role, User
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.bookings import reminders, selectors, services
from babysteps.bookings.access import (
    availability_for_user,
    call_booking_for_user,
    planned_call_for_user,
)
from babysteps.bookings.forms import (
    AvailabilityForm,
    BookingForm,
    CancelForm,
    InterpreterForm,
    RescheduleForm,
    parse_slot,
)
from babysteps.bookings.ics import call_invitation
from babysteps.bookings.models import Availability, CallBooking, CallMode
from babysteps.bookings.selectors import Slot
from babysteps.cohorts.models import Cohort
from babysteps.core.access import NOT_FOUND
from babysteps.core.forms import add_service_errors
from babysteps.families.access import family_for_user
from babysteps.licensing.access import site_for_user
from babysteps.programme.models import Component

booking_staff = staff_required(lambda roles: roles.sees_family_records)
# How far ahead the booking pages offer slots.
BOOKING_HORIZON_DAYS = 28


def _action(request: AuthenticatedHttpRequest) -> str:
    return Action.VIEW if request.method == "GET" else Action.CHANGE


def _facilitators_for(user: User) -> QuerySet[User]:
    """Whose times the user may publish: their own; managers, their sites' facilitators;
    admins, anyone's."""
    roles = roles_for(user)
    people = User.objects.filter(is_active=True, memberships__role=Role.FACILITATOR)
    if not roles.is_admin:
        people = people.filter(memberships__site_id__in=roles.managed_site_ids) | people.filter(
            pk=user.pk, memberships__site_id__in=roles.facilitator_site_ids
        )
    return people.distinct().order_by("full_name")


@booking_staff
@require_http_methods(["GET", "POST"])
def availability(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Publish times for calls, and see those already published."""
    facilitators = _facilitators_for(request.user)
    if not facilitators.exists():
        raise PermissionDenied(_("Only facilitators (and their managers) publish times for calls."))
    form = AvailabilityForm(
        request.POST or None,
        facilitators=facilitators,
        initial={"kind": Availability.Kind.WEEKLY, "valid_from": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = data.pop("facilitator")
        roles = roles_for(request.user)
        site_ids = Membership.objects.filter(user=person, role=Role.FACILITATOR).values_list(
            "site_id", flat=True
        )
        allowed = [s for s in site_ids if roles.is_admin or s in roles.site_ids]
        try:
            if not allowed:
                raise ValidationError({"facilitator": _("Choose a facilitator of your site.")})
            services.availability_add(
                facilitator=person,
                site=site_for_user(request.user, allowed[0]),
                created_by=request.user,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The times have been published."))
            return redirect("bookings:availability")
    rows = (
        Availability.objects.filter(facilitator__in=facilitators, active=True)
        .select_related("facilitator")
        .order_by("facilitator__full_name", "kind", "weekday", "valid_from", "start_time")
    )
    return TemplateResponse(
        request, "bookings/availability.html", {"form": form, "rows": list(rows)}
    )


@booking_staff
@require_http_methods(["GET", "POST"])
def availability_remove(request: AuthenticatedHttpRequest, availability_id: int) -> HttpResponse:
    row = availability_for_user(request.user, availability_id)
    if request.method == "POST":
        services.availability_remove(availability=row, removed_by=request.user)
        messages.success(request, _("Those times are withdrawn. Calls already booked stand."))
        return redirect("bookings:availability")
    return TemplateResponse(request, "bookings/availability_remove.html", {"row": row})


def _slots(cohort: Cohort) -> list[Slot]:
    """Free times of the cohort's facilitators over the booking horizon."""
    today = timezone.localdate()
    people = selectors.cohort_facilitators(cohort=cohort)
    return selectors.free_slots(
        facilitators=people, first=today, last=today + timedelta(days=BOOKING_HORIZON_DAYS)
    )


@booking_staff
@require_http_methods(["GET", "POST"])
def book(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Book a family's call in a free slot of one of its cohort's facilitators: for a
    planned call (``?call=``), instead of a missed one (``?rebook=``), or any component."""
    family = family_for_user(request.user, family_id, action=_action(request))
    place = selectors.family_place(family=family)
    if place is None:
        return TemplateResponse(request, "bookings/no_place.html", {"family": family})
    call = rebook = None
    if request.GET.get("call"):
        call = planned_call_for_user(request.user, request.GET["call"], family=family)
    elif request.GET.get("rebook"):
        rebook = call_booking_for_user(request.user, request.GET["rebook"])
        if rebook.family_id != family.pk:
            raise Http404(NOT_FOUND)
    given = call or rebook
    fixed = given is not None
    slots = _slots(place.cohort)
    initial: dict[str, object] = {"mode": given.mode if given is not None else CallMode.PHONE}
    wanted = request.GET.get("component")
    if wanted:
        initial["component"] = Component.objects.filter(code=wanted).first()
    form = BookingForm(
        request.POST or None,
        slots=slots,
        components=Component.objects.order_by("order"),
        fixed=fixed,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        facilitator_id, starts_at = parse_slot(data["slot"])
        facilitator = next(s.facilitator for s in slots if s.facilitator.pk == facilitator_id)
        try:
            if rebook is not None:
                booking = services.call_rebook(
                    booking=rebook,
                    starts_at=starts_at,
                    facilitator=facilitator,
                    booked_by=request.user,
                    mode=data["mode"],
                )
            else:
                booking = services.call_book(
                    family=family,
                    component=call.component if call else data["component"],
                    facilitator=facilitator,
                    starts_at=starts_at,
                    mode=data["mode"],
                    booked_by=request.user,
                    planned_call=call,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The call is booked. The family has been sent the time and a reminder.")
            )
            return redirect("bookings:detail", booking_id=booking.pk)
    return TemplateResponse(
        request,
        "bookings/book.html",
        {
            "form": form,
            "family": family,
            "cohort": place.cohort,
            "call": call,
            "rebook": rebook,
            "has_slots": bool(slots),
        },
    )


@booking_staff
def detail(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    booking = call_booking_for_user(request.user, booking_id)
    now = timezone.now()
    return TemplateResponse(
        request,
        "bookings/detail.html",
        {
            "booking": booking,
            "family": booking.family,
            "started": booking.starts_at <= now,
            "is_open": booking.status == CallBooking.Status.BOOKED,
            "rebooked": booking.rebookings.exists(),
            "told": reminders.parents_were_told(booking=booking),
            "extra_minutes": settings.INTERPRETED_CALL_EXTRA_MINUTES,
            "interpreter_form": InterpreterForm(
                initial={
                    "interpreter_needed": booking.interpreter_needed,
                    "interpreter_language": booking.interpreter_language
                    or booking.family.preferred_language,
                    "interpreter_booked": booking.interpreter_booked,
                }
            ),
        },
    )


@booking_staff
@require_POST
def interpreter(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    booking = call_booking_for_user(request.user, booking_id, action=Action.CHANGE)
    form = InterpreterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the interpreter's details."))
        return redirect("bookings:detail", booking_id=booking.pk)
    try:
        services.call_interpreter_set(
            booking=booking,
            needed=form.cleaned_data["interpreter_needed"],
            booked=form.cleaned_data["interpreter_booked"],
            language=form.cleaned_data["interpreter_language"],
            changed_by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The interpreter's details are saved."))
    return redirect("bookings:detail", booking_id=booking.pk)


@booking_staff
@require_http_methods(["GET", "POST"])
def reschedule(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    booking = call_booking_for_user(request.user, booking_id, action=_action(request))
    slots = _slots(booking.cohort)
    form = RescheduleForm(request.POST or None, slots=slots, initial={"mode": booking.mode})
    if request.method == "POST" and form.is_valid():
        facilitator_id, starts_at = parse_slot(form.cleaned_data["slot"])
        facilitator = next(s.facilitator for s in slots if s.facilitator.pk == facilitator_id)
        try:
            services.call_reschedule(
                booking=booking,
                starts_at=starts_at,
                facilitator=facilitator,
                mode=form.cleaned_data["mode"],
                changed_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The call has moved. The family has been told."))
            return redirect("bookings:detail", booking_id=booking.pk)
    return TemplateResponse(
        request,
        "bookings/reschedule.html",
        {"form": form, "booking": booking, "has_slots": bool(slots)},
    )


@booking_staff
@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    booking = call_booking_for_user(request.user, booking_id, action=_action(request))
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.call_cancel(
                booking=booking, reason=form.cleaned_data["reason"], cancelled_by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The call is cancelled. The family has been told."))
            return redirect("bookings:detail", booking_id=booking.pk)
    return TemplateResponse(request, "bookings/cancel.html", {"form": form, "booking": booking})


@booking_staff
@require_POST
def no_show(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    booking = call_booking_for_user(request.user, booking_id, action=Action.CHANGE)
    try:
        services.call_no_show(booking=booking, recorded_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded as missed. Offer the family another time."))
    return redirect("bookings:detail", booking_id=booking.pk)


@booking_staff
def calendar_file(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    """The call as an .ics file, for the facilitator's own calendar."""
    booking = call_booking_for_user(request.user, booking_id, action=Action.EXPORT)
    content = call_invitation(
        booking_id=booking.pk,
        sequence=booking.version,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=f"Baby Steps call: {booking.component.code}",
        description="Baby Steps call. Details in the Baby Steps app.",
        stamp=timezone.now(),
        cancelled=booking.status == CallBooking.Status.CANCELLED,
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="baby-steps-call-{booking.pk}.ics"'
    return response
