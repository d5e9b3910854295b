"""Questionnaire pages: choose an instrument, record it item by item, read it back. Families are
reached through the access chokepoints (``babysteps.measures.access``); the write is
``administration_submit``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.models import Action
from babysteps.core.forms import add_service_errors
from babysteps.families.access import family_for_user
from babysteps.measures import selectors
from babysteps.measures.access import administration_for_user, can_void
from babysteps.measures.forms import AdministrationForm, VoidForm
from babysteps.measures.services import administration_submit, administration_void

family_staff = staff_required(lambda roles: roles.sees_family_records)


@family_staff
@require_http_methods(["GET", "POST"])
def administration_create(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Choose a questionnaire (no ``instrument``), then record it item by item."""
    family = family_for_user(
        request.user,
        family_id,
        action=Action.VIEW if request.method == "GET" else Action.CHANGE,
        reason="questionnaire form",
    )
    code = request.GET.get("instrument", "")
    instrument = selectors.instruments_offered().filter(code=code).first() if code else None
    if instrument is None:
        return TemplateResponse(
            request,
            "measures/choose_instrument.html",
            {
                "family": family,
                "instruments": selectors.instruments_offered(),
                "unknown": bool(code),
            },
        )
    text = selectors.questionnaire_text(instrument=instrument)
    today = timezone.localdate()
    form = AdministrationForm(request.POST or None, family=family, text=text, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            result = administration_submit(
                family=family,
                parent=form.chosen_parent(),
                instrument=instrument,
                timepoint=form.cleaned_data["timepoint"],
                mode=form.cleaned_data["mode"],
                administered_on=form.cleaned_data["administered_on"],
                answers=form.answers(),
                recorded_by=request.user,
                safety_confirmed=form.cleaned_data["confirm_safety"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if result.alerts:
                messages.error(
                    request,
                    _(
                        "A safety alert has been raised. Follow your safeguarding and clinical "
                        "procedures now, then acknowledge the alert with the action you took."
                    ),
                )
            else:
                messages.success(
                    request,
                    _("The %(short_name)s has been recorded.")
                    % {"short_name": instrument.short_name},
                )
            return redirect("measures:detail", administration_id=result.administration.pk)
    return TemplateResponse(
        request,
        "measures/administration_form.html",
        {
            "family": family,
            "instrument": instrument,
            "text": text,
            "form": form,
            "safety_check": "confirm_safety" in form.errors or form["confirm_safety"].value(),
            "safety_items": selectors.safety_items_answered(
                instrument=instrument, text=text, answers=form.answers() if form.is_bound else []
            ),
        },
    )


@family_staff
def administration_detail(
    request: AuthenticatedHttpRequest, administration_id: int
) -> HttpResponse:
    administration = administration_for_user(
        request.user, administration_id, reason="questionnaire page"
    )
    return TemplateResponse(
        request,
        "measures/administration_detail.html",
        {
            "administration": administration,
            "family": administration.family,
            "spec": administration.instrument.spec,
            "result": selectors.result_in_words(administration=administration),
            "rows": selectors.administration_answers(administration=administration),
            "alerts": list(administration.alerts.select_related("acknowledged_by")),
            "can_void": administration.voided_at is None and can_void(request.user, administration),
        },
    )


@family_staff
@require_http_methods(["GET", "POST"])
def administration_void_view(
    request: AuthenticatedHttpRequest, administration_id: int
) -> HttpResponse:
    """Void a questionnaire entered in error, with a reason (confirmation page)."""
    administration = administration_for_user(
        request.user,
        administration_id,
        action=Action.VIEW if request.method == "GET" else Action.CHANGE,
        reason="void a questionnaire",
    )
    if not can_void(request.user, administration):
        raise PermissionDenied(_("Only facilitators and managers of the family's site void this."))
    if administration.voided_at is not None:
        return redirect("measures:detail", administration_id=administration.pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            administration_void(
                administration=administration,
                voided_by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The questionnaire is marked as entered in error and has left the figures."),
            )
            return redirect("measures:detail", administration_id=administration.pk)
    return TemplateResponse(
        request,
        "measures/administration_void.html",
        {
            "administration": administration,
            "family": administration.family,
            "form": form,
            "alerts": list(administration.alerts.all()),
        },
    )
