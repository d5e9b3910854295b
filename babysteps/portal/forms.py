from django import forms

from babysteps.core.forms import TimeInput
from babysteps.families.models import Family


class SignInForm(forms.Form):
    address = forms.CharField(
        label="Your email address or mobile number",
        max_length=254,
        help_text="The one your Baby Steps facilitator has for you.",
        widget=forms.TextInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Your 6-digit code",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="What would you like to talk about?",
        help_text="A question, a worry, anything at all. Only your Baby Steps team will see it.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    call_me_soon = forms.BooleanField(label="Please call me about this soon", required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class ProfileForm(forms.Form):
    """What every parent may change for themselves."""

    captions_on = forms.BooleanField(
        label="Start videos with captions (subtitles) on", required=False
    )


class FamilyContactForm(ProfileForm):
    """The mother also sets how and when the family may be contacted."""

    contact_by_email = forms.BooleanField(label="Email", required=False)
    contact_by_sms = forms.BooleanField(label="Text message", required=False)
    contact_by_phone = forms.BooleanField(label="Phone call", required=False)
    preferred_channel = forms.ChoiceField(
        label="The best way to reach you", choices=Family.Channel.choices
    )
    safe_call_from = forms.TimeField(
        label="Safe to call from", required=False, widget=TimeInput(), help_text="For example 10:00"
    )
    safe_call_to = forms.TimeField(
        label="Safe to call until",
        required=False,
        widget=TimeInput(),
        help_text="For example 16:00",
    )
    voicemail_ok = forms.BooleanField(label="You may leave me a voicemail", required=False)
    weekly_tips_opt_in = forms.BooleanField(label="Send us a weekly Baby Steps tip", required=False)
    preferred_language = forms.CharField(label="Language you prefer", max_length=60)
