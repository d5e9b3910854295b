"""The public licence enquiry (/enquire/) and the NSPCC admins' pipeline (/licensing/)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.core.access import one
from babysteps.core.forms import add_service_errors
from babysteps.core.ratelimit import client_ip, hit
from babysteps.licensing import pipeline
from babysteps.licensing.forms import EnquiryForm, ReadinessForm, StepForm
from babysteps.licensing.models import Enquiry, Licence, ReadinessItem
from babysteps.licensing.selectors import allowance_used
from babysteps.licensing.services import TRANSITIONS

ENQUIRIES_PER_HOUR = 5  # from one address
admins = staff_required(lambda roles: roles.is_admin)


@require_http_methods(["GET", "POST"])
def enquire(request: HttpRequest) -> HttpResponse:
    form = EnquiryForm(request.POST or None)
    if request.method == "POST":
        if not hit("enquiry", client_ip(request), limit=ENQUIRIES_PER_HOUR, window_seconds=3600):
            return TemplateResponse(request, "licensing/enquire_later.html", {}, status=429)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.pop("website"):
                return redirect("enquiry:sent")  # a robot: nothing is kept
            try:
                pipeline.enquiry_submit(**data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("enquiry:sent")
    return TemplateResponse(
        request, "licensing/enquire.html", {"form": form}, status=422 if form.errors else 200
    )


def enquiry_sent(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "licensing/enquiry_sent.html", {})


@require_http_methods(["GET", "POST"])
def enquiry_confirm(request: HttpRequest) -> HttpResponse:
    """The emailed link opens a page with a button (mail scanners open links: they must
    not confirm anything); pressing it confirms."""
    value = (request.POST.get("token") or request.GET.get("token") or "")[:500]
    try:
        enquiry = pipeline.enquiry_from_token(value)
    except ValidationError as exc:
        return TemplateResponse(
            request, "licensing/enquiry_confirm.html", {"error": " ".join(exc.messages)}, status=404
        )
    if request.method == "POST":
        enquiry = pipeline.enquiry_confirm(value=value)
    return TemplateResponse(
        request,
        "licensing/enquiry_confirm.html",
        {"enquiry": enquiry, "token": value, "done": enquiry.confirmed_at is not None},
    )


@admins
def pipeline_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    licences = Licence.objects.select_related("organisation").annotate(site_count=Count("sites"))
    columns = [
        (status, label, [lic for lic in licences if lic.status == status])
        for status, label in Licence.Status.choices
    ]
    unconfirmed = Enquiry.objects.filter(confirmed_at__isnull=True).count()
    return TemplateResponse(
        request, "licensing/pipeline.html", {"columns": columns, "unconfirmed": unconfirmed}
    )


def _licence(licence_id: int) -> Licence:
    return one(Licence.objects.select_related("organisation"), licence_id)


@admins
def licence_page(request: AuthenticatedHttpRequest, licence_id: int) -> HttpResponse:
    licence = _licence(licence_id)
    checks = {c.item_id: c for c in licence.checks.select_related("confirmed_by")}
    return TemplateResponse(
        request,
        "licensing/licence.html",
        {
            "licence": licence,
            "enquiry": Enquiry.objects.filter(licence=licence).first(),
            "items": [
                (item, checks.get(item.pk)) for item in ReadinessItem.objects.filter(active=True)
            ],
            "steps": licence.steps.select_related("by"),
            "next": [
                (s, Licence.Status(s).label) for s in sorted(TRANSITIONS.get(licence.status, ()))
            ],
            "step_form": StepForm(licence=licence),
            "readiness_form": ReadinessForm(),
            "sites": licence.sites.all(),
            "allowance_used": allowance_used(licence),
        },
    )


@admins
@require_POST
def licence_step(request: AuthenticatedHttpRequest, licence_id: int) -> HttpResponse:
    licence = _licence(licence_id)
    form = StepForm(request.POST, licence=licence)
    if not form.is_valid():
        messages.error(request, "Check the step's details: " + form.errors.as_text())
        return redirect("licensing:licence", licence_id=licence.pk)
    data = form.cleaned_data
    terms = None
    if data["start_date"] and data["end_date"]:
        terms = pipeline.Terms(
            start_date=data["start_date"],
            end_date=data["end_date"],
            support_until=data["support_until"],
            facilitator_allowance=data["facilitator_allowance"] or 12,
        )
    try:
        pipeline.licence_step(
            licence=licence,
            to=data["to"],
            by=request.user,
            reason=data["reason"],
            terms=terms,
            site=data["site"],
            site_name=data["site_name"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The licence is now: %(label)s.") % {"label": Licence.Status(data["to"]).label},
        )
    return redirect("licensing:licence", licence_id=licence.pk)


@admins
@require_POST
def readiness_confirm(request: AuthenticatedHttpRequest, licence_id: int) -> HttpResponse:
    licence = _licence(licence_id)
    form = ReadinessForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the item to confirm."))
        return redirect("licensing:licence", licence_id=licence.pk)
    try:
        pipeline.readiness_confirm(
            licence=licence,
            item=form.cleaned_data["item"],
            confirmed_by=request.user,
            note=form.cleaned_data["note"],
            document=form.cleaned_data["document"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Confirmed."))
    return redirect("licensing:licence", licence_id=licence.pk)


@admins
def readiness_document(
    request: AuthenticatedHttpRequest, licence_id: int
) -> FileResponse | HttpResponse:
    licence = _licence(licence_id)
    if not request.GET.get("check"):
        return redirect("licensing:licence", licence_id=licence.pk)
    check = one(licence.checks.exclude(document=""), request.GET.get("check"))
    name = check.document.name or ""
    ext = name.rsplit(".", 1)[-1]
    return FileResponse(
        default_storage.open(name),
        as_attachment=True,
        filename=f"{licence.reference}-{check.item.code}.{ext}",
    )
