"""The pages that place a family in a cohort: recording a new family (with its first
place), giving a family a place, and changing a place's status. They live with the
cohorts because a place (an ``Enrolment``) is a cohort's record; their addresses stay
under /families/."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.models import Action
from babysteps.cohorts.access import cohorts_for_user, enrolment_for_user
from babysteps.cohorts.forms import EnrolmentForm, EnrolmentStatusForm
from babysteps.cohorts.services import enrolment_change_status, enrolment_create, family_register
from babysteps.core.forms import add_service_errors
from babysteps.families.access import can_record_family_without_cohort, family_for_user
from babysteps.families.forms import NewFamilyForm
from babysteps.licensing.access import sites_for_user

family_staff = staff_required(lambda roles: roles.sees_family_records)


@family_staff
@require_http_methods(["GET", "POST"])
def family_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewFamilyForm(
        request.POST or None,
        sites=sites_for_user(request.user),
        cohorts=cohorts_for_user(request.user).select_related("site"),
        cohort_optional_at=lambda site: can_record_family_without_cohort(request.user, site),
    )
    if request.method == "POST" and form.is_valid():
        try:
            family = family_register(
                site=form.cleaned_data["site"],
                cohort=form.cleaned_data["cohort"],
                created_by=request.user,
                mother=form.mother(),
                partner=form.partner(),
                **form.family_values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The family has been recorded."))
            return redirect("families:detail", family_id=family.pk)
    return TemplateResponse(request, "families/family_form.html", {"form": form, "new": True})


@family_staff
@require_POST
def enrolment_add(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    family = family_for_user(request.user, family_id, action=Action.CHANGE)
    form = EnrolmentForm(
        request.POST,
        cohorts=cohorts_for_user(request.user).filter(site_id=family.site_id),
    )
    if form.is_valid():
        try:
            enrolment_create(
                family=family, cohort=form.cleaned_data["cohort"], created_by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The family has been given a place in the cohort."))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("families:detail", family_id=family.pk)


@family_staff
@require_POST
def enrolment_status(
    request: AuthenticatedHttpRequest, family_id: int, enrolment_id: int
) -> HttpResponse:
    family = family_for_user(request.user, family_id, action=Action.CHANGE)
    enrolment = enrolment_for_user(request.user, enrolment_id, family=family)
    form = EnrolmentStatusForm(request.POST)
    if form.is_valid():
        try:
            enrolment_change_status(
                enrolment=enrolment,
                status=form.cleaned_data["status"],
                withdrawal_reason=form.cleaned_data["withdrawal_reason"],
                changed_by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The enrolment status has been updated."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("families:detail", family_id=family.pk)
