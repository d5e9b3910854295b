from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp_webauthn.models import WebAuthnCredential

from babysteps.accounts.decorators import verified_required
from babysteps.accounts.forms import EmailAuthenticationForm, StaffDetailsForm
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.services import staff_details_update
from babysteps.audit.actor import acting_as
from babysteps.core.forms import add_service_errors
from babysteps.core.phones import display as display_phone
from babysteps.core.ratelimit import client_ip, hit


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.device is not None:
            # A stepped-up sign-in gave the code with the password: the factor is passed.
            otp_login(self.request, form.device)
        return response


class SignOutView(auth_views.LogoutView):
    """POST only (Django's default): a link cannot sign someone out."""


@verified_required
@require_http_methods(["GET", "POST"])
def your_details(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A member of staff's own details: the work mobile for urgent alerts, and a link to
    change their password."""
    form = StaffDetailsForm(
        request.POST or None, initial={"work_mobile": display_phone(request.user.work_mobile)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = staff_details_update(
                user=request.user, work_mobile=form.cleaned_data["work_mobile"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Saved." if changed else "Nothing has changed.")
            return redirect("accounts:details")
    return TemplateResponse(
        request,
        "accounts/details.html",
        {
            "form": form,
            "passkeys": WebAuthnCredential.objects.filter(user=request.user).order_by("pk"),
        },
        status=422 if form.errors else 200,
    )


@method_decorator(verified_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own (checks the old password and the password validators, keeps this
    session signed in); the change is audited."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:details")

    def form_valid(self, form):
        # The change is audited, and the account's API tokens revoked, where every
        # password change is seen (accounts.tracking).
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# Reset requests per hour from one IP address, and per quarter hour for one address.
RESETS_PER_IP, RESETS_PER_ADDRESS = 10, 3


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by email link (the page says the same whether or not the address has
    an account). Requests are rate-limited per IP address and per address, counted either
    way, so neither a flood of emails nor the limit says anything about an account."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        ip = client_ip(self.request)
        # Both are counted on every request, whatever the other says.
        ip_ok = hit("staff-reset-ip", ip, limit=RESETS_PER_IP, window_seconds=3600)
        address_ok = hit("staff-reset-address", email, limit=RESETS_PER_ADDRESS, window_seconds=900)
        within = ip_ok and address_ok
        if not within:
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Whoever holds the emailed link acts as the account's owner: the change is
        # audited under their name (accounts.tracking).
        with acting_as(form.user):
            return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
