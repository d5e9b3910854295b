"""The second factor's pages: passing it after the password, setting it up (at first
sign-in, or to replace an app), new recovery codes, and an NSPCC admin's reset of another
person's lost factor."""

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp_webauthn.models import WebAuthnCredential

from babysteps.accounts import second_factor as factors
from babysteps.accounts.access import staff_member_for_admin
from babysteps.accounts.decorators import staff_required, verified_required
from babysteps.accounts.forms import SecondFactorForm, SecondFactorResetForm
from babysteps.accounts.models import User
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.core.forms import add_service_errors

admin_only = staff_required(lambda roles: roles.is_admin)


def _to(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': _next(request)})}")


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe and wanted.startswith("/") else "/"


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, a recovery code, or a passkey."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: User = request.user
    if factors.passed(user):
        return redirect(_next(request))
    if not factors.has_second_factor(user):
        return _to("accounts:second_factor_setup", request)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if factors.verify(request, user=user, code=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code",
            _(
                "That code is not right, or it was used already. Try the code the app shows now "
                "(after a few wrong tries you have to wait a little longer each time)."
            ),
        )
    context = {
        "form": form,
        "next": _next(request),
        "has_passkey": WebAuthnCredential.objects.filter(user=user).exists(),
    }
    return TemplateResponse(request, "accounts/second_factor.html", context)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a passkey): at first sign-in, or to replace the app
    (only once the current factor has been passed)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: User = request.user
    if factors.has_second_factor(user) and not factors.passed(user):
        return _to("accounts:second_factor", request)
    device = factors.totp_setup(user=user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolled = factors.totp_confirm(
                user=user, device=device, code=form.cleaned_data["code"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not factors.passed(user):
                otp_login(request, enrolled.device)
            return TemplateResponse(
                request,
                "accounts/recovery_codes.html",
                {"codes": enrolled.recovery_codes, "next": _next(request)},
            )
    uri = factors.provisioning_uri(device, email=user.email)
    context = {
        "form": form,
        "next": _next(request),
        "secret": factors.base32_secret(device),
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5),
        "first_time": not factors.has_second_factor(user),
    }
    return TemplateResponse(request, "accounts/second_factor_setup.html", context)


@never_cache
@verified_required
@require_http_methods(["POST"])
def recovery_codes_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ten new recovery codes (the old ones stop working), shown once."""
    codes = factors.recovery_codes_issue(user=request.user)
    return TemplateResponse(
        request, "accounts/recovery_codes.html", {"codes": codes, "next": "/accounts/your-details/"}
    )


@admin_only
@require_http_methods(["GET", "POST"])
def second_factor_reset(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """An NSPCC admin resets another person's lost second factor (never their own)."""
    person = staff_member_for_admin(request.user, user_id)
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factors.second_factor_reset(
                user=person, reset_by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _(
                    "%(full_name)s's second factor is reset: they set up a new one at their next "
                    "sign-in."
                )
                % {"full_name": person.full_name},
            )
            return redirect("accounts:second_factor_reset", user_id=person.pk)
    return TemplateResponse(
        request, "accounts/second_factor_reset.html", {"form": form, "person": person}
    )
