"""Forms for the public enquiry and the NSPCC admins' pipeline pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from babysteps.core.forms import DateInput, HoneypotField
from babysteps.licensing.models import Licence, ReadinessItem, Site


class EnquiryForm(forms.Form):
    organisation_name = forms.CharField(label=_("Your organisation"), max_length=200)
    area = forms.CharField(label=_("The area you would deliver in"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send a link to confirm your enquiry."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = forms.CharField(label=_("Phone (optional)"), max_length=30, required=False)
    plan = forms.CharField(
        label=_("What would you like to deliver?"),
        help_text=_(
            "For example how many groups a year, universal or targeted, with which partners."
        ),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label=_("Why Baby Steps, and why now?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    website = HoneypotField()


class ReadinessForm(forms.Form):
    item = forms.ModelChoiceField(queryset=ReadinessItem.objects.filter(active=True))
    note = forms.CharField(max_length=500, required=False, label=_("Note (optional)"))
    document = forms.FileField(required=False, label=_("Evidence (optional document)"))


class StepForm(forms.Form):
    to = forms.ChoiceField(choices=Licence.Status.choices)
    reason = forms.CharField(max_length=500, required=False, label=_("Reason or note"))
    start_date = forms.DateField(required=False, widget=DateInput())
    end_date = forms.DateField(required=False, widget=DateInput())
    support_until = forms.DateField(required=False, widget=DateInput(), label=_("Support until"))
    facilitator_allowance = forms.IntegerField(
        required=False, min_value=1, max_value=100, initial=12, label=_("Facilitator allowance")
    )
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False)
    site_name = forms.CharField(max_length=200, required=False, label=_("Or a new site's name"))

    def __init__(self, *args: Any, licence: Licence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(  # type: ignore[attr-defined]
            organisation_id=licence.organisation_id
        )
