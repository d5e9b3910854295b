from django import forms
from django.utils.translation import gettext_lazy as _

from babysteps.campaigns.models import Campaign
from babysteps.core.forms import DateInput, HoneypotField


class SignForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.CharField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to confirm your signature. It is not shown to anyone."),
    )
    postcode = forms.CharField(label=_("Postcode (optional)"), max_length=10, required=False)
    consent = forms.BooleanField(label="", required=True)
    wants_updates = forms.BooleanField(label="", required=False)
    website = HoneypotField()

    def __init__(self, *args: object, campaign: Campaign, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["consent"].label = campaign.sign_wording
        self.fields["consent"].error_messages["required"] = "Tick the box to sign."
        self.fields["wants_updates"].label = campaign.updates_wording


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "slug", "text", "target", "opens_on", "closes_on"]
        widgets = {"opens_on": DateInput(), "closes_on": DateInput()}
        help_texts = {"slug": "The address: /campaigns/<this>/ (letters, numbers, hyphens)."}
