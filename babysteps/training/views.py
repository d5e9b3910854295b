"""The training register: NSPCC admins record events and attendance; site managers see
their staff's training and ask for more."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.models import Role, User
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.core.access import one
from babysteps.core.forms import add_service_errors
from babysteps.licensing.access import managed_sites_for_user
from babysteps.licensing.models import Site
from babysteps.training import selectors, services
from babysteps.training.forms import AttendanceForm, EventForm, RequestForm
from babysteps.training.models import TrainingEvent, TrainingRequest

register_staff = staff_required(lambda roles: roles.is_admin or roles.is_manager)
admins = staff_required(lambda roles: roles.is_admin)


@register_staff
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = roles_for(request.user)
    today = timezone.localdate()
    form = EventForm(request.POST or None) if roles.is_admin else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is in the register."))
            return redirect("training:event", event_id=event.pk)
    sites = list(managed_sites_for_user(request.user))
    context = {
        "form": form,
        "is_admin": roles.is_admin,
        "events": TrainingEvent.objects.select_related("course")[:50],
        "requests": TrainingRequest.objects.filter(closed_at__isnull=True).select_related(
            "user", "site"
        )[:100]
        if roles.is_admin
        else [],
        "sites": [] if roles.is_admin else sites,
        "standing": []
        if roles.is_admin
        else selectors.practitioners(site_ids=[s.pk for s in sites], today=today),
        "refresher_years": settings.TRAINING_REFRESHER_YEARS,
    }
    return TemplateResponse(request, "training/register.html", context)


@admins
@require_http_methods(["GET", "POST"])
def event_page(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    event = one(TrainingEvent.objects.select_related("course"), event_id)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        addresses = form.addresses()
        users = list(User.objects.filter(email__in=addresses, is_active=True))
        unknown = sorted(set(addresses) - {u.email for u in users})
        if unknown:
            form.add_error(
                "emails", "No member of staff has these addresses: " + ", ".join(unknown)
            )
        else:
            try:
                done = services.attendance_record(
                    event=event, users=users, recorded_by=request.user
                )
            except ValidationError as exc:
                form.add_error("emails", " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Attendance recorded. %(count)s practitioner(s) completed the training.")
                    % {"count": len(done)},
                )
                return redirect("training:event", event_id=event.pk)
    return TemplateResponse(
        request,
        "training/event.html",
        {
            "event": event,
            "form": form,
            "attendances": event.attendances.select_related("user").order_by("user__full_name"),
        },
    )


@register_staff
@require_POST
def request_training(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A site manager asks for training for one of their facilitators."""
    form = RequestForm(request.POST)
    roles = roles_for(request.user)
    if form.is_valid():
        site = one(Site.objects.filter(pk__in=roles.managed_site_ids), form.cleaned_data["site"])
        user = one(
            User.objects.filter(memberships__site=site, memberships__role=Role.FACILITATOR),
            form.cleaned_data["user"],
        )
        try:
            services.training_request(
                site=site, user=user, requested_by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Training requested for %(full_name)s.") % {"full_name": user.full_name}
            )
    else:
        messages.error(request, _("Choose the facilitator to train."))
    return redirect("training:register")
