"""Alert pages: the list of open (or acknowledged) alerts in the user's scope, one alert, and
acknowledging it. Every read goes through the access chokepoints (``babysteps.alerts.access``) and
is audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.alerts.access import alert_for_user, alerts_for_user
from babysteps.alerts.forms import AcknowledgeForm
from babysteps.alerts.selectors import with_details
from babysteps.alerts.services import alert_acknowledge
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.forms import add_service_errors
from babysteps.core.pagination import paginate
from babysteps.core.panels import render_panels

family_staff = staff_required(lambda roles: roles.sees_family_records)


@family_staff
def alert_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    acknowledged = request.GET.get("state") == "acknowledged"
    alerts = alerts_for_user(request.user).filter(acknowledged_at__isnull=not acknowledged)
    order = "-acknowledged_at" if acknowledged else "raised_at"
    page = paginate(with_details(alerts).order_by(order, "pk"), page=request.GET.get("page"))
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="alert",
        reason="alert list",
        detail={
            "alert_ids": [a.pk for a in page.object_list],
            "family_ids": sorted({a.family_id for a in page.object_list}),
        },
    )
    return TemplateResponse(
        request, "alerts/alert_list.html", {"page_obj": page, "acknowledged": acknowledged}
    )


def _safe_next(request: AuthenticatedHttpRequest) -> str | None:
    """The page to return to, only if it is on this site (no open redirect)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@family_staff
@require_http_methods(["GET", "POST"])
def alert_detail(request: AuthenticatedHttpRequest, alert_id: int) -> HttpResponse:
    alert = alert_for_user(
        request.user,
        alert_id,
        action=Action.VIEW if request.method == "GET" else Action.CHANGE,
        reason="alert page",
    )
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert_acknowledge(
                alert=alert,
                acknowledged_by=request.user,
                action_taken=form.cleaned_data["action_taken"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The alert is acknowledged and the action recorded."))
            return redirect(_safe_next(request) or "home:index")
    # Other apps add to the alert's page (the safeguarding app: signposting from it and
    # the status of referrals made from it). Panels name what they show on the page's
    # one read event (``alert_for_user`` kept it on the alert).
    panels = render_panels("alert", request, alert)
    return TemplateResponse(
        request, "alerts/alert_detail.html", {"alert": alert, "form": form, "panels": panels}
    )
