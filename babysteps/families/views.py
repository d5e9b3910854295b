"""Family pages: the caseload, a family's record, and the forms that change it. Every family is
reached through the access chokepoints (``babysteps.families.access``); writes go through
services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.selectors import audit_events_for_family
from babysteps.audit.services import audit_record
from babysteps.core.forms import add_service_errors
from babysteps.core.pagination import paginate
from babysteps.core.panels import render_panels
from babysteps.families import selectors
from babysteps.families.access import families_for_user, family_for_user
from babysteps.families.forms import (
    BabyForm,
    ConsentForm,
    FamilyForm,
    FamilySearchForm,
)
from babysteps.families.services import baby_record, consent_record, family_update

family_staff = staff_required(lambda roles: roles.sees_family_records)


@family_staff
def family_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The caseload: every family the user may see, searchable, paginated."""
    scoped = families_for_user(request.user)
    # Site staff filter by their sites' cohorts; a national list of every cohort (10,000
    # or more) would be no use as a drop-down, so NSPCC admins use the cohort pages.
    cohorts = (
        [] if roles_for(request.user).is_admin else selectors.caseload_cohorts(families=scoped)
    )
    form = FamilySearchForm(request.GET, cohorts=cohorts)
    data = form.cleaned_data if form.is_valid() else {}
    query = data.get("q", "")
    filters = selectors.CaseloadFilters(
        sort=data.get("sort") or "next",
        cohort=data.get("cohort"),
        stage=data.get("stage", ""),
        consent_missing=data.get("consent_missing", False),
        open_alert=data.get("open_alert", False),
    )
    searched = selectors.family_search(families=scoped, query=query)
    families = selectors.caseload(families=searched, filters=filters)
    count = selectors.caseload_filtered(families=searched, filters=filters).count()
    page = paginate(families, page=request.GET.get("page"), count=count)
    missing = selectors.without_consent(family_ids=[f.pk for f in page.object_list])
    for family in page.object_list:
        family.consent_missing = family.pk in missing
    # One event for the list: who looked, whether they searched (never the search terms,
    # which may be an NHS number), and which families were shown.
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="family",
        reason="caseload",
        detail={"searched": bool(query), "family_ids": [f.pk for f in page.object_list]},
    )
    return TemplateResponse(
        request,
        "families/family_list.html",
        {
            "form": form,
            "page_obj": page,
            "query": query,
            "filtered": bool(query) or filters != selectors.CaseloadFilters(sort=filters.sort),
            "page_query": _without_page(request),
        },
    )


def _without_page(request: AuthenticatedHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@family_staff
def family_detail(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    family = family_for_user(request.user, family_id, reason="family record")
    context = selectors.family_detail(family=family)
    roles = roles_for(request.user)
    context.update(
        family=family,
        can_see_audit=roles.is_admin or family.site_id in roles.managed_site_ids,
        # Other apps add sections (alerts at the top; cohort places, contacts,
        # questionnaires below).
        top_panels=render_panels("family_top", request, family),
        panels=render_panels("family", request, family),
    )
    return TemplateResponse(request, "families/family_detail.html", context)


@family_staff
@require_http_methods(["GET", "POST"])
def family_edit(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    family = family_for_user(
        request.user,
        family_id,
        action=Action.VIEW if request.method == "GET" else Action.CHANGE,
        reason="edit form",
    )
    form = FamilyForm(request.POST or None, initial=FamilyForm.initial_for(family))
    if request.method == "POST" and form.is_valid():
        try:
            family_update(
                family=family,
                changed_by=request.user,
                mother=form.mother(),
                partner=form.partner(),
                remove_partner=not form.cleaned_data.get("partner_role"),
                **form.family_values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The family's details have been saved."))
            return redirect("families:detail", family_id=family.pk)
    return TemplateResponse(
        request, "families/family_form.html", {"form": form, "family": family, "new": False}
    )


def _family_subform(
    request: AuthenticatedHttpRequest,
    family_id: int,
    *,
    form_class: type,
    template: str,
    save: object,
    done: str,
) -> HttpResponse:
    """A small form that adds one thing to a family (a birth, a consent decision)."""
    family = family_for_user(
        request.user, family_id, action=Action.VIEW if request.method == "GET" else Action.CHANGE
    )
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(family=family, recorded_by=request.user, **form.cleaned_data)  # type: ignore[operator]
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("families:detail", family_id=family.pk)
    return TemplateResponse(request, template, {"form": form, "family": family})


@family_staff
@require_http_methods(["GET", "POST"])
def baby_create(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    return _family_subform(
        request,
        family_id,
        form_class=BabyForm,
        template="families/baby_form.html",
        save=baby_record,
        done="The birth has been recorded.",
    )


@family_staff
@require_http_methods(["GET", "POST"])
def consent_create(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    return _family_subform(
        request,
        family_id,
        form_class=ConsentForm,
        template="families/consent_form.html",
        save=consent_record,
        done="The consent decision has been recorded.",
    )


@family_staff
def family_audit(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """Who has looked at or changed this family's record (managers and NSPCC admins)."""
    family = family_for_user(request.user, family_id, reason="audit trail")
    roles = roles_for(request.user)
    if not (roles.is_admin or family.site_id in roles.managed_site_ids):
        raise PermissionDenied
    page = paginate(audit_events_for_family(family_id=family.pk), page=request.GET.get("page"))
    return TemplateResponse(
        request, "families/family_audit.html", {"family": family, "page_obj": page}
    )
