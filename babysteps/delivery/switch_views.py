"""The remote-delivery switch pages: pause or resume group sessions for a cohort or a
whole site, with a preview of what changes before the manager confirms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.models import Action
from babysteps.cohorts.access import cohort_for_user
from babysteps.core.forms import add_service_errors
from babysteps.delivery import services
from babysteps.delivery.forms import SwitchForm
from babysteps.delivery.views import delivery_staff
from babysteps.licensing.access import site_for_user


def _switch_page(request: AuthenticatedHttpRequest, *, site, cohort) -> HttpResponse:
    today = timezone.localdate()
    state = (
        services.cohort_governing(cohort=cohort, day=today)
        if cohort is not None
        else services.site_governing(site=site, day=today)
    )
    form = SwitchForm(
        request.POST or None,
        initial={
            "action": "resume" if state.paused else "pause",
            "from_date": today,
            "mode": "video" if state.paused and state.mode == "phone" else "phone",
            "prework": True,
        },
    )
    preview = None
    if request.method == "POST" and form.is_valid() and not request.POST.get("confirm"):
        # First the preview: what confirming would change, computed and rolled back.
        data = form.cleaned_data
        try:
            preview = services.delivery_switch_preview(
                action=data["action"],
                site=site,
                cohort=cohort,
                from_date=data["from_date"],
                reason=data["reason"],
                mode=data["mode"] or "",
                prework=data["prework"],
                changed_by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "pause":
                services.delivery_pause(
                    site=site,
                    cohort=cohort,
                    from_date=data["from_date"],
                    reason=data["reason"],
                    mode=data["mode"] or "",
                    prework=data["prework"],
                    changed_by=request.user,
                )
            else:
                services.delivery_resume(
                    site=site,
                    cohort=cohort,
                    from_date=data["from_date"],
                    reason=data["reason"],
                    changed_by=request.user,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            day = formats.date_format(data["from_date"], "l j F Y")
            messages.success(
                request,
                (
                    _("Group sessions are paused from %(day)s; families and facilitators are told.")
                    if data["action"] == "pause"
                    else _("Group sessions resume on %(day)s; families and facilitators are told.")
                )
                % {"day": day},
            )
            if cohort is not None:
                return redirect(reverse("cohorts:detail", args=[cohort.pk]) + "#delivery")
            return redirect("delivery:site", site_id=site.pk)
    return TemplateResponse(
        request,
        "delivery/switch_form.html",
        {"form": form, "site": site, "cohort": cohort, "state": state, "preview": preview},
    )


@delivery_staff
@require_http_methods(["GET", "POST"])
def cohort_switch(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    """Pause or resume group delivery for one cohort (its site's managers, NSPCC admins)."""
    cohort = cohort_for_user(request.user, cohort_id, action=Action.CHANGE)
    return _switch_page(request, site=cohort.site, cohort=cohort)


@staff_required(lambda roles: roles.is_admin or roles.is_manager)
@require_http_methods(["GET", "POST"])
def site_switch(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    """Pause or resume group delivery for every cohort of a site."""
    site = site_for_user(request.user, site_id, manage=True)
    return _switch_page(request, site=site, cohort=None)
