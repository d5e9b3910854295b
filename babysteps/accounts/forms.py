from django import forms
from django.contrib.auth.forms import AuthenticationForm


class EmailAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, asking for an email address. Its error message is the same
    for an unknown email and a wrong password, so it never confirms an account exists."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct email address and password.",
    }


class StaffDetailsForm(forms.Form):
    work_mobile = forms.CharField(
        label="Work mobile for urgent alerts (optional)",
        required=False,
        max_length=20,
        help_text=(
            "If you give one, safety alerts also come to you by text. Texts carry a link, "
            "never family details. Leave it empty for email only."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text=(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
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
        label="Why the second factor is reset",
        max_length=200,
        help_text="e.g. a lost phone, confirmed by calling the person on a number we hold.",
    )
    confirm = forms.BooleanField(
        label="I have confirmed who is asking, by a route other than email",
        required=True,
    )
