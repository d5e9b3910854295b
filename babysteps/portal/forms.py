from django import forms
from django.utils.translation import gettext_lazy as _

from babysteps.core.forms import TimeInput
from babysteps.families.models import Family

# The family's channels, in the parent's words.
CHANNELS = [
    (Family.Channel.EMAIL, _("Email")),
    (Family.Channel.SMS, _("Text message")),
    (Family.Channel.PHONE, _("Phone call")),
]


class SignInForm(forms.Form):
    address = forms.CharField(
        label=_("Your email address or mobile number"),
        max_length=254,
        help_text=_("The one your Baby Steps facilitator has for you."),
        # Email or a mobile number: a plain keyboard, not the email one (issue 12).
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your 6-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("What would you like to talk about?"),
        help_text=_("A question, a worry, anything at all. Only your Baby Steps team will see it."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    call_me_soon = forms.BooleanField(label=_("Please call me about this soon"), required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class ProfileForm(forms.Form):
    """What every parent may change for themselves."""

    captions_on = forms.BooleanField(
        label=_("Start videos with captions (subtitles) on"), required=False
    )


class FamilyContactForm(ProfileForm):
    """The mother also sets how and when the family may be contacted."""

    contact_by_email = forms.BooleanField(label=_("Email"), required=False)
    contact_by_sms = forms.BooleanField(label=_("Text message"), required=False)
    contact_by_phone = forms.BooleanField(label=_("Phone call"), required=False)
    preferred_channel = forms.ChoiceField(label=_("The best way to reach you"), choices=CHANNELS)
    safe_call_from = forms.TimeField(
        label=_("Safe to call from"),
        required=False,
        widget=TimeInput(),
        help_text=_("For example 10:00"),
    )
    safe_call_to = forms.TimeField(
        label=_("Safe to call until"),
        required=False,
        widget=TimeInput(),
        help_text=_("For example 16:00"),
    )
    voicemail_ok = forms.BooleanField(label=_("You may leave me a voicemail"), required=False)
    weekly_tips_opt_in = forms.BooleanField(
        label=_("Send us a weekly Baby Steps tip"), required=False
    )
    preferred_language = forms.CharField(label=_("Language you prefer"), max_length=60)
