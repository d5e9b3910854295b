"""Site managers' pages for their staff, and the invited member's set-password page."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.models import User
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.core.forms import add_service_errors
from babysteps.core.pagination import paginate
from babysteps.staff import services
from babysteps.staff.access import managed_site, managed_sites, member_at_site
from babysteps.staff.forms import InviteForm, MemberRolesForm
from babysteps.staff.invitations import invitation_tokens
from babysteps.staff.selectors import as_member, roles_at_site, site_members

manager_required = staff_required(lambda roles: roles.is_manager)
INVITATION_SESSION_KEY = "staff_invitation"


@manager_required
def sites(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The sites whose staff the user manages (straight to the one, if only one)."""
    mine = list(managed_sites(request.user))
    if len(mine) == 1:
        return redirect("staff:members", site_id=mine[0].pk)
    return TemplateResponse(request, "staff/sites.html", {"sites": mine})


@manager_required
def members(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    site = managed_site(request.user, site_id)
    page = paginate(site_members(site), page=request.GET.get("page"))
    return TemplateResponse(
        request,
        "staff/members.html",
        {"site": site, "page_obj": page, "members": [as_member(u) for u in page]},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    site = managed_site(request.user, site_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, invited = services.staff_invite(
                site=site, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"{user.full_name} is invited: they have an email with a link to set their "
                "password."
                if invited
                else f"{user.full_name} already has an account: they now have the role here.",
            )
            return redirect("staff:members", site_id=site.pk)
    return TemplateResponse(
        request,
        "staff/invite.html",
        {"site": site, "form": form},
        status=422 if form.errors else 200,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def member(request: AuthenticatedHttpRequest, site_id: int, user_id: int) -> HttpResponse:
    site = managed_site(request.user, site_id)
    person = member_at_site(site, user_id)
    form = MemberRolesForm(request.POST or None, initial={"roles": roles_at_site(person, site)})
    if request.method == "POST" and form.is_valid():
        try:
            added, removed = services.staff_roles_set(
                site=site, member=person, changed_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, "Roles changed." if added or removed else "Nothing has changed."
            )
            return redirect("staff:members", site_id=site.pk)
    return TemplateResponse(
        request,
        "staff/member.html",
        {
            "site": site,
            "member": as_member(person),
            "form": form,
            "is_you": person.pk == request.user.pk,
        },
        status=422 if form.errors else 200,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def remove(request: AuthenticatedHttpRequest, site_id: int, user_id: int) -> HttpResponse:
    """A leaver: a confirmation page, then their roles here go (and the account, if it
    has no other)."""
    site = managed_site(request.user, site_id)
    person = member_at_site(site, user_id)
    error = ""
    if request.method == "POST":
        try:
            deactivated = services.staff_remove(site=site, member=person, removed_by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request,
                f"{person.full_name} is removed and their account deactivated: they are "
                "signed out everywhere."
                if deactivated
                else f"{person.full_name} is removed from this site (they keep roles elsewhere).",
            )
            return redirect("staff:members", site_id=site.pk)
    return TemplateResponse(
        request,
        "staff/remove.html",
        {"site": site, "member": as_member(person), "error": error},
        status=422 if error else 200,
    )


@manager_required
@require_POST
def resend(request: AuthenticatedHttpRequest, site_id: int, user_id: int) -> HttpResponse:
    site = managed_site(request.user, site_id)
    person = member_at_site(site, user_id)
    try:
        services.invitation_resend(site=site, member=person, invited_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("A new invitation is on its way to %(full_name)s.") % {"full_name": person.full_name},
        )
    return redirect("staff:members", site_id=site.pk)


def _invited_user(uid: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@require_http_methods(["GET"])
def invitation(request: HttpRequest) -> HttpResponse:
    """The emailed link. The token moves into the session at once and the browser goes on
    to a page whose address carries no secret."""
    user = _invited_user(request.GET.get("uid", ""))
    token = request.GET.get("token", "")
    if user is None or not invitation_tokens.check_token(user, token):
        return TemplateResponse(request, "staff/invitation_invalid.html", status=404)
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)  # someone else was signed in on this browser
    request.session[INVITATION_SESSION_KEY] = {"user_id": user.pk, "token": token}
    return redirect("staff:invitation_password")


@require_http_methods(["GET", "POST"])
def invitation_password(request: HttpRequest) -> HttpResponse:
    held = request.session.get(INVITATION_SESSION_KEY) or {}
    user = User.objects.filter(pk=int(held.get("user_id") or 0), is_active=True).first()
    if user is None or not invitation_tokens.check_token(user, held.get("token")):
        request.session.pop(INVITATION_SESSION_KEY, None)
        return TemplateResponse(request, "staff/invitation_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(user=user, password=form.cleaned_data["new_password1"])
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(
            request, _("Your password is set. Sign in, then set up your second factor.")
        )
        return redirect("accounts:login")
    return TemplateResponse(
        request,
        "staff/invitation_password.html",
        {"form": form, "invited": user},
        status=422 if form.errors else 200,
    )
