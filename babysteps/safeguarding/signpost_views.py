"""Signposting a family to the NSPCC safe-and-well check from its page (or from a safety
alert, or a call), and recording that immediate risk was acted on."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.alerts.access import alert_for_user
from babysteps.audit.models import Action
from babysteps.core.forms import add_service_errors
from babysteps.families.access import family_for_user
from babysteps.families.models import Family
from babysteps.safeguarding import services
from babysteps.safeguarding.access import (
    can_signpost,
    referrals_for_user,
)
from babysteps.safeguarding.forms import (
    ImmediateRiskForm,
    SignpostForm,
)
from babysteps.safeguarding.models import SafeAndWellReferral

site_staff = staff_required(lambda roles: roles.sees_family_records)
# Nothing posted to these pages (free text, the safe number) reaches an error report.
private_post = sensitive_post_parameters()


@site_staff
@require_http_methods(["GET", "POST"])
@private_post
def signpost(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Signpost a family to the NSPCC safe-and-well check (never for immediate risk).

    Opened from an alert (``?source=alert&ref=<alert id>``), the alert is reached through
    its chokepoint (404 outside the user's scope), shown, and filled in; the form's alert
    number is what the referral is linked to, checked again on submit."""
    user = request.user
    reading = request.method == "GET"
    source = request.GET.get("source", "")
    ref = request.GET.get("ref", "")
    from_alert = source == SafeAndWellReferral.Source.ALERT and bool(ref)
    # A refused alert leaves no read of the family behind either.
    with transaction.atomic():
        family = family_for_user(
            user,
            family_id,
            action=Action.VIEW if reading else Action.CHANGE,
            reason="signposting form",
        )
        alert = None
        if from_alert:
            # Named on the page's one read event (the family's), not an event of its own.
            alert = alert_for_user(
                user,
                ref,
                action=Action.VIEW if reading else Action.CHANGE,
                reason="signposting form",
                shown_on=family,
            )
    if not can_signpost(user, family):
        raise PermissionDenied(_("Facilitators and managers of the family's site signpost."))
    alert_elsewhere = alert is not None and alert.family_id != family.pk
    if alert_elsewhere:
        alert = None
    initial: dict[str, object] = {}
    if alert is not None:
        initial = {"source": SafeAndWellReferral.Source.ALERT, "alert": alert.pk}
    elif source in SafeAndWellReferral.Source.values and not from_alert:
        initial = {"source": source, "source_reference": ref[:40]}
    form = SignpostForm(
        request.POST or None,
        family=family,
        initial=initial,
        offer_acknowledge=alert is not None and alert.is_open,
        parent=alert.parent if alert is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        referral = _signpost_submit(request, family, form)
        if referral is not None:
            due = timezone.localtime(referral.due_by)
            messages.success(
                request,
                _(
                    "The family has been signposted and the NSPCC safe-and-well team told. It is "
                    "due by %(due)s."
                )
                % {"due": f"{due:%H:%M on %A %-d %B}"},
            )
            return redirect("safeguarding:referral", referral_id=referral.pk)
    open_referral = (
        referrals_for_user(user)
        .filter(family=family, status__in=SafeAndWellReferral.OPEN_STATUSES)
        .first()
    )
    return TemplateResponse(
        request,
        "safeguarding/signpost_form.html",
        {
            "family": family,
            "form": form,
            "open_referral": open_referral,
            "alert": alert,
            "alert_elsewhere": alert_elsewhere,
        },
    )


@sensitive_variables()
def _signpost_submit(
    request: AuthenticatedHttpRequest, family: Family, form: SignpostForm
) -> SafeAndWellReferral | None:
    """Make the referral from a valid form; None (with the errors on the form) if not.
    The alert number is resolved only through the alerts chokepoint: an unknown alert
    and one outside the user's scope read the same."""
    values = dict(form.cleaned_data)
    alert_id = values.pop("alert", None)
    alert = None
    if alert_id is not None:
        try:
            alert = alert_for_user(request.user, alert_id, action=Action.CHANGE)
        except Http404:
            form.add_error("alert", _("There is no safety alert with that number for you."))
            return None
    try:
        return services.referral_create(
            family=family, referred_by=request.user, alert=alert, **values
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@site_staff
@require_http_methods(["GET", "POST"])
@private_post
def immediate_risk(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Record that immediate risk was handled: 999 called, local procedures followed."""
    family = family_for_user(
        request.user,
        family_id,
        action=Action.VIEW if request.method == "GET" else Action.CHANGE,
        reason="immediate-risk form",
    )
    if not can_signpost(request.user, family):
        raise PermissionDenied(_("Facilitators and managers of the family's site record this."))
    form = ImmediateRiskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.immediate_risk_record(
                family=family, recorded_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recorded on the family's page."))
            return redirect("families:detail", family_id=family.pk)
    return TemplateResponse(
        request, "safeguarding/immediate_risk_form.html", {"family": family, "form": form}
    )
