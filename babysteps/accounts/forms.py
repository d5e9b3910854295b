from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from django_otp.models import Device

from babysteps.accounts.lockout import account_failed, account_stepped_up
from babysteps.accounts.models import User, normalise_email

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "autocapitalize": "off",
    "spellcheck": "false",
}
STEP_UP = (
    "There have been many failed attempts to sign in to this account, so enter the code "
    "from your authenticator app (or a recovery code) as well as your password."
)


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, asking for an email address. Its error message is the same
    for an unknown email and a wrong password, so it never confirms an account exists.

    An account under attack from many addresses is stepped up (``lockout.py``): its
    password is checked only together with a code from its second factor, which then
    counts as passed."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=20,
        widget=forms.HiddenInput,
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password.",
    }

    def clean(self) -> dict[str, Any]:
        username = normalise_email(self.cleaned_data.get("username") or "")
        self.device: Device | None = None
        credentials = {"username": username}
        if username and AxesProxyHandler.is_locked(self.request, credentials):
            # Locked for this account from this address: axes' middleware answers 429.
            self.request.axes_locked_out = True  # type: ignore[union-attr]
            self.request.axes_credentials = credentials  # type: ignore[union-attr]
            raise self.get_invalid_login_error()
        if username and account_stepped_up(username):
            self.fields["code"].widget = forms.TextInput(attrs=CODE_ATTRS)
            user = User.objects.filter(email=username, is_active=True).first()
            code = "".join((self.cleaned_data.get("code") or "").split()).lower()
            self.device = match_token(user, code) if user is not None and code else None
            if self.device is None:
                account_failed(username)
                raise ValidationError(STEP_UP, code="step_up")
        try:
            return super().clean()
        except ValidationError:
            if username:
                account_failed(username)
            raise


class StaffDetailsForm(forms.Form):
    work_mobile = forms.CharField(
        label=_("Work mobile for urgent alerts (optional)"),
        required=False,
        max_length=20,
        help_text=(
            _(
                "If you give one, safety alerts also come to you by text. Texts carry a link, "
                "never family details. Leave it empty for email only."
            )
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=(
            _("The 6-digit code your authenticator app shows now, or one of your recovery codes.")
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class SecondFactorResetForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the second factor is reset"),
        max_length=200,
        help_text=_("e.g. a lost phone, confirmed by calling the person on a number we hold."),
    )
    confirm = forms.BooleanField(
        label=_("I have confirmed who is asking, by a route other than email"),
        required=True,
    )
