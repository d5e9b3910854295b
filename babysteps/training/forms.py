from django import forms
from django.utils.translation import gettext_lazy as _

from babysteps.core.forms import DateInput
from babysteps.training.models import Course


class EventForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.all(), empty_label=None)
    number = forms.IntegerField(min_value=1, max_value=20, label=_("Event number (of the course)"))
    starts_on = forms.DateField(widget=DateInput(), label=_("First day"))
    ends_on = forms.DateField(widget=DateInput(), label=_("Last day"))
    place = forms.CharField(max_length=200)
    trainer = forms.CharField(max_length=200)


class AttendanceForm(forms.Form):
    emails = forms.CharField(
        label=_("Who attended (one work email address a line)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
    )

    def addresses(self) -> list[str]:
        return [a.strip().lower() for a in self.cleaned_data["emails"].split() if a.strip()]


class RequestForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    site = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(max_length=500, required=False, label=_("Note (optional)"))
