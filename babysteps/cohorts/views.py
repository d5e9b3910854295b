"""Cohort pages: the list, a cohort's roster, schedule and staffing, and the manager's
forms that change them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.models import Role, User
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.cohorts import selectors, services
from babysteps.cohorts.access import (
    can_manage_cohort,
    cohort_for_user,
    cohort_page_shows,
    cohorts_for_user,
    planned_session_for_user,
)
from babysteps.cohorts.forms import CohortForm, FacilitatorForm, NewCohortForm, PlannedSessionForm
from babysteps.core.access import NOT_FOUND
from babysteps.core.forms import add_service_errors
from babysteps.core.pagination import paginate
from babysteps.core.panels import render_panels
from babysteps.licensing.access import sites_for_user

cohort_staff = staff_required(lambda roles: roles.sees_family_records)


@cohort_staff
def cohort_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    cohorts = selectors.cohorts_with_staffing(cohorts_for_user(request.user))
    page = paginate(cohorts.order_by("-start_date", "name"), page=request.GET.get("page"))
    rows = [(c, selectors.cohort_cofacilitation(cohort=c)) for c in page.object_list]
    roles = roles_for(request.user)
    return TemplateResponse(
        request,
        "cohorts/cohort_list.html",
        {"page_obj": page, "rows": rows, "can_create": roles.is_admin or roles.is_manager},
    )


@cohort_staff
@require_http_methods(["GET", "POST"])
def cohort_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    roles = roles_for(request.user)
    if not (roles.is_admin or roles.is_manager):
        raise PermissionDenied
    sites = sites_for_user(request.user)
    if not roles.is_admin:
        sites = sites.filter(pk__in=roles.managed_site_ids)
    form = NewCohortForm(request.POST or None, sites=sites)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            cohort = services.cohort_create(created_by=request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The cohort has been created and its schedule planned."))
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return TemplateResponse(request, "cohorts/cohort_form.html", {"form": form, "new": True})


@cohort_staff
def cohort_detail(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_for_user(request.user, cohort_id, reason="cohort page")
    staffed = selectors.cohorts_with_staffing(type(cohort).objects.filter(pk=cohort.pk)).get()
    roster = list(selectors.cohort_roster(cohort=cohort))
    cohort_page_shows(request.user, cohort, [e.family_id for e in roster], where="cohort page")
    return TemplateResponse(
        request,
        "cohorts/cohort_detail.html",
        {
            "cohort": staffed,
            "cofacilitation": selectors.cohort_cofacilitation(cohort=staffed),
            "roster": roster,
            "schedule": list(selectors.cohort_schedule(cohort=cohort)),
            "can_manage": can_manage_cohort(request.user, cohort),
            "can_deliver": cohort.site.can_deliver(),
            "now": timezone.now(),
            "panels": render_panels("cohort", request, cohort),
        },
    )


@cohort_staff
@require_http_methods(["GET", "POST"])
def cohort_edit(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_for_user(request.user, cohort_id, action=Action.CHANGE)
    initial = {f: getattr(cohort, f) for f in services.COHORT_FIELDS}
    form = CohortForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, changed_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The cohort has been updated."))
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return TemplateResponse(
        request, "cohorts/cohort_form.html", {"form": form, "cohort": cohort, "new": False}
    )


def _facilitator_candidates(cohort_site_id: int):
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.FACILITATOR,
            memberships__site_id=cohort_site_id,
        )
        .select_related("practitioner")
        .distinct()
    )


@cohort_staff
@require_http_methods(["GET", "POST"])
def cohort_facilitators(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    """Add a facilitator (managers). Only trained facilitators of the site are accepted."""
    cohort = cohort_for_user(request.user, cohort_id, action=Action.CHANGE)
    form = FacilitatorForm(request.POST or None, candidates=_facilitator_candidates(cohort.site_id))
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_facilitator_add(
                cohort=cohort, user=form.cleaned_data["user"], added_by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The facilitator has been added."))
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return TemplateResponse(
        request, "cohorts/facilitator_form.html", {"form": form, "cohort": cohort}
    )


@cohort_staff
@require_POST
def cohort_facilitator_remove(
    request: AuthenticatedHttpRequest, cohort_id: int, user_id: int
) -> HttpResponse:
    cohort = cohort_for_user(request.user, cohort_id, action=Action.CHANGE)
    user = cohort.facilitators.filter(pk=user_id).first()
    if user is None:
        raise Http404(NOT_FOUND)
    services.cohort_facilitator_remove(cohort=cohort, user=user, removed_by=request.user)
    messages.success(request, _("%(user)s no longer facilitates this cohort.") % {"user": user})
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@cohort_staff
@require_POST
def cohort_schedule_regenerate(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_for_user(request.user, cohort_id, action=Action.CHANGE)
    services.cohort_schedule_generate(cohort=cohort)
    messages.success(request, _("The schedule has been re-planned (edited sessions were kept)."))
    return redirect("cohorts:detail", cohort_id=cohort.pk)


@cohort_staff
@require_http_methods(["GET", "POST"])
def planned_session_edit(
    request: AuthenticatedHttpRequest, cohort_id: int, session_id: int
) -> HttpResponse:
    cohort = cohort_for_user(request.user, cohort_id, action=Action.CHANGE)
    session = planned_session_for_user(request.user, session_id, cohort=cohort)
    initial = {
        "starts_at": timezone.localtime(session.starts_at),
        "duration_minutes": session.duration_minutes,
        "location": session.location,
    }
    form = PlannedSessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_session_update(
                session=session, changed_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(code)s has been rescheduled.") % {"code": session.component.code}
            )
            return redirect("cohorts:detail", cohort_id=cohort.pk)
    return TemplateResponse(
        request,
        "cohorts/session_form.html",
        {"form": form, "cohort": cohort, "session": session},
    )
