"""Safeguarding pages: the NSPCC queue, a referral's page (the site's view or the NSPCC check
view) and what its holder does there, the site's safeguarding view, the export and the audit
trail (signposting from a family's page: ``signpost_views.py``). Referrals are reached only
through the access chokepoints (``babysteps.safeguarding.access``)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record, audit_records
from babysteps.core.forms import add_service_errors
from babysteps.core.pagination import paginate
from babysteps.core.panels import render_panels
from babysteps.core.spreadsheets import SafeCsvWriter
from babysteps.families.access import families_for_user
from babysteps.safeguarding import notify, selectors, services
from babysteps.safeguarding.access import (
    can_assign_referral,
    can_claim_referral,
    can_see_referral_audit,
    can_withdraw_referral,
    can_work_referral,
    referral_for_change,
    referral_for_user,
    referrals_for_user,
)
from babysteps.safeguarding.forms import (
    AssignForm,
    CallAttemptForm,
    CloseForm,
    WithdrawForm,
)
from babysteps.safeguarding.models import SafeAndWellReferral

site_staff = staff_required(lambda roles: roles.sees_family_records)
safeguarding_staff = staff_required(
    lambda roles: roles.sees_family_records or roles.works_referrals
)
team_staff = staff_required(lambda roles: roles.works_referrals)
# Nothing posted to these pages (free text, the safe number) reaches an error report.
private_post = sensitive_post_parameters()


def _audit_list(
    request: AuthenticatedHttpRequest, rows: list[selectors.ReferralRow], reason: str
) -> None:
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="referral",
        reason=reason,
        detail={
            "referral_ids": [r.id for r in rows],
            # The families named on the list (the check lens names none).
            "family_ids": sorted({r.family_id for r in rows if r.family_name and r.family_id}),
        },
    )


# --- Lists ------------------------------------------------------------------------------


@site_staff
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The site's safeguarding view: open referrals (overdue first), who holds each, and
    those closed recently; open alerts come from the alerts app as panels."""
    user = request.user
    tab = "closed" if request.GET.get("tab") == "closed" else "open"
    referrals = referrals_for_user(user).filter(family__in=families_for_user(user))
    if tab == "closed":
        chosen = selectors.site_recent_referrals(referrals=referrals)
    else:
        chosen = selectors.site_open_referrals(referrals=referrals)
    page = paginate(chosen, page=request.GET.get("page"))
    now = timezone.now()
    rows = [selectors.referral_row(r, site_lens=True, now=now) for r in page.object_list]
    _audit_list(request, rows, reason=f"safeguarding view ({tab})")
    roles = roles_for(user)
    return TemplateResponse(
        request,
        "safeguarding/overview.html",
        {
            "tab": tab,
            "page_obj": page,
            "rows": rows,
            "counts": selectors.queue_counts(referrals=referrals, user=user, now=now),
            "can_export": roles.is_admin or roles.is_manager,
            "panels": render_panels("safeguarding", request),
        },
    )


@team_staff
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The NSPCC safe-and-well queue, soonest due first."""
    user = request.user
    roles = roles_for(user)
    tabs = dict(selectors.QUEUE_TABS)
    if not roles.is_safe_and_well_lead:
        tabs.pop("team")
    tab = request.GET.get("tab", "waiting")
    tab = tab if tab in tabs else "waiting"
    referrals = referrals_for_user(user)
    now = timezone.now()
    page = paginate(
        selectors.queue(referrals=referrals, user=user, tab=tab, now=now),
        page=request.GET.get("page"),
    )
    rows = [selectors.referral_row(r, site_lens=False, now=now) for r in page.object_list]
    _audit_list(request, rows, reason=f"safe-and-well queue ({tab})")
    return TemplateResponse(
        request,
        "safeguarding/queue.html",
        {
            "tabs": tabs,
            "tab": tab,
            "tab_label": tabs[tab],
            "page_obj": page,
            "rows": rows,
            "counts": selectors.queue_counts(referrals=referrals, user=user, now=now),
        },
    )


EXPORT_COLUMNS = [
    "referral",
    "site",
    "family",
    "referred_at",
    "urgency",
    "consent",
    "due_by",
    "status",
    "held_by",
    "call_attempts",
    "outcome",
    "closed_or_withdrawn_at",
]


@site_staff
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The site's referrals as CSV (managers and NSPCC admins): no free text and no
    names of parents. Each referral exported is one EXPORT event in its audit trail."""
    roles = roles_for(request.user)
    if not (roles.is_admin or roles.is_manager):
        raise PermissionDenied
    referrals = referrals_for_user(request.user)
    if not roles.is_admin:
        referrals = referrals.filter(site_id__in=roles.managed_site_ids)
    loaded = selectors.for_lists(referrals, site_lens=False).order_by("referred_at", "pk")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="safe-and-well-referrals.csv"'
    writer = SafeCsvWriter(response)
    writer.writerow(EXPORT_COLUMNS)
    exported: list[SafeAndWellReferral] = []
    for referral in loaded:
        writer.writerow(
            [
                referral.pk,
                referral.site.name,
                referral.family_id,
                timezone.localtime(referral.referred_at).isoformat(timespec="minutes"),
                referral.urgency,
                referral.consent_basis,
                timezone.localtime(referral.due_by).isoformat(timespec="minutes"),
                referral.status,
                referral.claimed_by.email if referral.claimed_by else "",
                referral.attempt_count,  # type: ignore[attr-defined]  # annotated by the query
                referral.outcome,
                _iso(referral.closed_at or referral.withdrawn_at),
            ]
        )
        exported.append(referral)
    # One EXPORT event per referral, in its own trail; written together in one query.
    audit_records(
        [
            {
                "actor": request.user,
                "action": Action.EXPORT,
                "object_type": "referral",
                "object_id": r.pk,
                "family_id": r.family_id,
                "site_id": r.site_id,
                "reason": "safe-and-well export",
            }
            for r in exported
        ]
    )
    return response


def _iso(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


# --- One referral ----------------------------------------------------------------------


def _detail(request: AuthenticatedHttpRequest, referral_id: int, **forms: object) -> HttpResponse:
    """Render a referral's page (an audited read), with any bound forms that failed."""
    user = request.user
    referral = referral_for_user(user, referral_id, reason="referral page")
    view = selectors.referral_view_for(user=user, referral=referral)
    can_work = can_work_referral(user, referral)
    can_assign = can_assign_referral(user, referral)
    context = {
        "view": view,
        "site_lens": view.family_id is not None,
        "can_claim": can_claim_referral(user, referral),
        "can_work": can_work,
        "can_assign": can_assign,
        "can_withdraw": can_withdraw_referral(user, referral),
        "can_see_audit": can_see_referral_audit(user, referral),
        "attempts_needed": settings.SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED,
        "call_form": forms.get("call_form") or (CallAttemptForm() if can_work else None),
        "close_form": forms.get("close_form") or (CloseForm() if can_work else None),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "assign_form": forms.get("assign_form")
        or (AssignForm(team=notify.safe_and_well_team()) if can_assign else None),
    }
    return TemplateResponse(request, "safeguarding/referral_detail.html", context)


@safeguarding_staff
def referral_detail(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    return _detail(request, referral_id)


@safeguarding_staff
@require_POST
def referral_claim(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_for_change(request.user, referral_id, "claim")
    try:
        services.referral_claim(referral=referral, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("safeguarding:queue")
    messages.success(request, _("You hold this referral now."))
    return redirect("safeguarding:referral", referral_id=referral.pk)


def _referral_action(
    request: AuthenticatedHttpRequest,
    referral_id: int,
    *,
    change: str,
    form_name: str,
    make_form: Callable[[], Form],
    perform: Callable[[SafeAndWellReferral, dict[str, Any]], object],
    success: Callable[[dict[str, Any]], str],
) -> HttpResponse:
    """One form-backed change to a referral (``REFERRAL_CHANGES``): reach it for
    that change, validate the form, run the service; on an error, the referral page again
    with the form and its errors."""
    referral = referral_for_change(request.user, referral_id, change)
    form = make_form()
    if form.is_valid():
        try:
            perform(referral, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success(form.cleaned_data))
            return redirect("safeguarding:referral", referral_id=referral.pk)
    return _detail(request, referral_id, **{form_name: form})


@safeguarding_staff
@require_POST
def referral_assign(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    return _referral_action(
        request,
        referral_id,
        change="assign",
        form_name="assign_form",
        make_form=lambda: AssignForm(request.POST, team=notify.safe_and_well_team()),
        perform=lambda referral, data: services.referral_assign(
            referral=referral, to=data["user"], assigned_by=request.user
        ),
        success=lambda data: _("Given to %(full_name)s.") % {"full_name": data["user"].full_name},
    )


@safeguarding_staff
@require_POST
@private_post
def call_create(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    return _referral_action(
        request,
        referral_id,
        change="log_call",
        form_name="call_form",
        make_form=lambda: CallAttemptForm(request.POST),
        perform=lambda referral, data: services.call_attempt_record(
            referral=referral, made_by=request.user, **data
        ),
        success=lambda data: _("The call attempt has been logged."),
    )


@safeguarding_staff
@require_POST
@private_post
def referral_close(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    return _referral_action(
        request,
        referral_id,
        change="close",
        form_name="close_form",
        make_form=lambda: CloseForm(request.POST),
        perform=lambda referral, data: services.referral_close(
            referral=referral, closed_by=request.user, **data
        ),
        success=lambda data: _("The referral is closed and the referring site told."),
    )


@safeguarding_staff
@require_POST
@private_post
def referral_withdraw(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    return _referral_action(
        request,
        referral_id,
        change="withdraw",
        form_name="withdraw_form",
        make_form=lambda: WithdrawForm(request.POST),
        perform=lambda referral, data: services.referral_withdraw(
            referral=referral, withdrawn_by=request.user, reason=data["withdrawal_reason"]
        ),
        success=lambda data: _("The referral has been withdrawn. It stays on record."),
    )


@safeguarding_staff
def referral_audit(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    """Who has looked at or changed this referral (site managers, NSPCC admins, lead)."""
    referral = referral_for_user(request.user, referral_id, reason="audit trail")
    if not can_see_referral_audit(request.user, referral):
        raise PermissionDenied
    page = paginate(
        selectors.referral_audit_events(referral_id=referral.pk), page=request.GET.get("page")
    )
    return TemplateResponse(
        request, "safeguarding/referral_audit.html", {"referral": referral, "page_obj": page}
    )
