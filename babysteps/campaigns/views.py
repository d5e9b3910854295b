"""The public petition pages (no sign-in) and NSPCC admins' campaign pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.campaigns import selectors, services
from babysteps.campaigns.forms import CampaignForm, SignForm
from babysteps.campaigns.models import Campaign
from babysteps.core.charts import columns
from babysteps.core.forms import add_service_errors
from babysteps.core.ratelimit import client_ip, hit
from babysteps.core.spreadsheets import SafeCsvWriter

SIGN_LIMIT = 10  # signings an hour from one address
admins = staff_required(lambda roles: roles.is_admin)


def _public(campaign_slug: str) -> Campaign:
    campaign = get_object_or_404(Campaign, slug=campaign_slug)
    if campaign.opens_on > timezone.localdate():
        raise Http404("Not found.")
    return campaign


@require_http_methods(["GET", "POST"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _public(slug)
    form = SignForm(request.POST or None, campaign=campaign)
    status = 200
    if request.method == "POST":
        if not hit("petition", client_ip(request), limit=SIGN_LIMIT, window_seconds=3600):
            return TemplateResponse(
                request, "campaigns/try_later.html", {"campaign": campaign}, status=429
            )
        if form.is_valid():
            if form.cleaned_data["website"]:
                return redirect("campaigns:check_email", slug=campaign.slug)  # a robot
            try:
                services.sign(
                    campaign=campaign,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    postcode=form.cleaned_data["postcode"],
                    wants_updates=form.cleaned_data["wants_updates"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("campaigns:check_email", slug=campaign.slug)
        status = 422
    return TemplateResponse(
        request,
        "campaigns/campaign.html",
        {
            "campaign": campaign,
            "form": form,
            "count": selectors.signature_count(campaign),
            "open": services.is_open(campaign),
        },
        status=status,
    )


def check_email(request: HttpRequest, slug: str) -> HttpResponse:
    return TemplateResponse(request, "campaigns/check_email.html", {"campaign": _public(slug)})


def _by_link(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    campaign = _public(slug)
    value = request.GET.get("t", "") if request.method == "GET" else request.POST.get("t", "")
    if request.method == "GET":  # a page to press, so mail scanners following links do nothing
        return TemplateResponse(
            request, "campaigns/link.html", {"campaign": campaign, "action": action, "t": value}
        )
    try:
        signature = (services.confirm if action == "confirm" else services.withdraw)(value=value)
    except ValidationError as exc:
        return TemplateResponse(
            request,
            "campaigns/link.html",
            {"campaign": campaign, "action": action, "error": " ".join(exc.messages)},
            status=422,
        )
    if signature.campaign_id != campaign.pk:
        raise Http404("Not found.")
    return TemplateResponse(
        request,
        "campaigns/done.html",
        {"campaign": campaign, "action": action, "count": selectors.signature_count(campaign)},
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, slug: str) -> HttpResponse:
    return _by_link(request, slug, "confirm")


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    return _by_link(request, slug, "withdraw")


# --- NSPCC admins ---------------------------------------------------------------------


@admins
def campaign_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "campaigns/list.html", {"campaigns": selectors.campaigns_with_counts()}
    )


@admins
@require_http_methods(["GET", "POST"])
def campaign_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The campaign is saved."))
            return redirect("campaigns:manage", slug=campaign.slug)
    return TemplateResponse(
        request, "campaigns/form.html", {"form": form}, status=422 if form.errors else 200
    )


@admins
def campaign_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    days = selectors.counts_by_day(campaign)
    chart = (
        columns(
            chart_id="signatures-by-day",
            title=f"Confirmed signatures by day: {campaign.title}",
            description=f"{sum(n for _, n in days)} confirmed signatures over {len(days)} days.",
            labels=[f"{day:%d %b}" for day, _ in days],
            values=[n for _, n in days],
            y_label="Signatures",
            x_label="Day confirmed",
        )
        if days
        else ""
    )
    return TemplateResponse(
        request,
        "campaigns/manage.html",
        {
            "campaign": campaign,
            "count": selectors.signature_count(campaign),
            "days": days,
            "chart": mark_safe(chart),  # noqa: S308 - built by core/charts, which escapes
        },
    )


@admins
def signatures_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    campaign = get_object_or_404(Campaign, slug=slug)
    rows = selectors.confirmed(campaign).order_by("confirmed_at", "pk")
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="signatures-{campaign.slug}.csv"'
    response["Cache-Control"] = "no-store"
    writer = SafeCsvWriter(response)
    writer.writerow(["name", "email", "postcode", "confirmed_at", "wants_updates", "consent"])
    count = 0
    for signature in rows.iterator(chunk_size=2000):
        writer.writerow(
            [
                signature.name,
                signature.email,
                signature.postcode,
                signature.confirmed_at.isoformat(timespec="seconds")
                if signature.confirmed_at
                else "",
                "yes" if signature.wants_updates else "no",
                signature.sign_consent,
            ]
        )
        count += 1
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="campaign",
        object_id=campaign.pk,
        reason="signatures export",
        detail={"rows": count},
    )
    return response
