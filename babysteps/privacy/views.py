"""Data-protection pages: subject access, legal holds, erasure requests and approval, the
retention schedule."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.core.forms import add_service_errors
from babysteps.core.pagination import paginate
from babysteps.privacy import services
from babysteps.privacy.access import (
    erasure_request_for_user,
    family_for_privacy,
    hold_for_admin,
)
from babysteps.privacy.forms import ReasonForm, SubjectAccessForm
from babysteps.privacy.holds import holds_on
from babysteps.privacy.models import ErasureRequest, RetentionRule, RetentionRun

managers = staff_required(lambda roles: roles.is_admin or roles.is_manager)
admins = staff_required(lambda roles: roles.is_admin)


@managers
@require_http_methods(["GET", "POST"])
def subject_access(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    """A page to choose whose information, then the ZIP (audited as an export)."""
    # The look-up is a read; the export itself is audited once, by the service.
    family = family_for_privacy(request.user, family_id, reason="subject access")
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scope = form.cleaned_data["scope"]
        try:
            content = services.subject_access_export(
                family=family, parent_role=None if scope == "family" else scope, actor=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            response = HttpResponse(content, content_type="application/zip")
            response["Content-Disposition"] = (
                f'attachment; filename="subject-access-family-{family.pk}-{scope}.zip"'
            )
            return response
    return TemplateResponse(
        request,
        "privacy/subject_access_form.html",
        {
            "family": family,
            "form": form,
            "redacts": settings.SUBJECT_ACCESS_REDACT_THIRD_PARTIES,
        },
        status=422 if form.errors else 200,
    )


@managers
@require_http_methods(["GET", "POST"])
def erasure_new(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    family = family_for_privacy(request.user, family_id, reason="erasure request")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = services.erasure_request(
                family=family, reason=form.cleaned_data["reason"], requested_by=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Erasure requested. An NSPCC programme admin approves it (or either of you "
                    "can cancel it first)."
                ),
            )
            return redirect("privacy:erasure_detail", request_id=erasure.pk)
    return TemplateResponse(
        request,
        "privacy/erasure_new.html",
        {"family": family, "form": form, "holds": holds_on(family)},
        status=422 if form.errors else 200,
    )


@admins
@require_POST
def hold_new(request: AuthenticatedHttpRequest, family_id: int) -> HttpResponse:
    family = family_for_privacy(request.user, family_id, action=Action.CHANGE)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give a reason for the hold (up to 200 characters)."))
        services.legal_hold_place(
            family=family, reason=form.cleaned_data["reason"], placed_by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Legal hold placed: nothing of this family's can be erased."))
    return redirect("families:detail", family_id=family.pk)


@admins
@require_POST
def hold_release(request: AuthenticatedHttpRequest, hold_id: int) -> HttpResponse:
    hold = hold_for_admin(request.user, hold_id)
    try:
        services.legal_hold_release(hold=hold, released_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Legal hold released."))
    return redirect("families:detail", family_id=hold.family_id)


@managers
def erasure_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    requests = ErasureRequest.objects.select_related("family__site", "requested_by", "decided_by")
    roles = roles_for(request.user)
    if not roles.is_admin:
        requests = requests.filter(family__site_id__in=roles.managed_site_ids)
    waiting = request.GET.get("state") != "decided"
    pending = Q(status=ErasureRequest.Status.REQUESTED)
    requests = requests.filter(pending) if waiting else requests.exclude(pending)
    page = paginate(requests.order_by("-requested_at", "-pk"), page=request.GET.get("page"))
    return TemplateResponse(
        request, "privacy/erasure_list.html", {"page_obj": page, "waiting": waiting}
    )


@managers
@require_http_methods(["GET", "POST"])
def erasure_detail(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    erasure = erasure_request_for_user(request.user, request_id)
    is_admin = roles_for(request.user).is_admin
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve" and is_admin:
                report = services.erasure_approve(request=erasure, approved_by=request.user)
                messages.success(
                    request,
                    _("Family %(family_id)s is erased (%(sum)s records changed).")
                    % {"family_id": erasure.family_id, "sum": sum(report.counts.values())},
                )
            elif action == "cancel" and (is_admin or erasure.requested_by_id == request.user.pk):
                services.erasure_cancel(request=erasure, cancelled_by=request.user)
                messages.success(request, _("The erasure request is cancelled."))
            else:
                raise ValidationError(_("You cannot do that with this request."))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("privacy:erasure_detail", request_id=erasure.pk)
    return TemplateResponse(
        request,
        "privacy/erasure_detail.html",
        {
            "erasure": erasure,
            "is_admin": is_admin,
            "holds": holds_on(erasure.family),
            "error": error,
            "can_cancel": erasure.status == ErasureRequest.Status.REQUESTED
            and (is_admin or erasure.requested_by_id == request.user.pk),
            "can_approve": erasure.status == ErasureRequest.Status.REQUESTED
            and is_admin
            and erasure.requested_by_id != request.user.pk,
        },
        status=422 if error else 200,
    )


@admins
def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "privacy/retention.html",
        {
            "rules": RetentionRule.objects.all(),
            "runs": RetentionRun.objects.all()[:10],
        },
    )
