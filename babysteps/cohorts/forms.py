from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from babysteps.accounts.models import User
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.core.forms import DateInput, DateTimeInput, model_choice
from babysteps.licensing.models import Site


class CohortForm(forms.Form):
    name = forms.CharField(max_length=120)
    start_date = forms.DateField(
        label=_("First group session (S1)"), widget=DateInput(), help_text=_("Around 30 weeks.")
    )
    due_date_from = forms.DateField(label=_("Earliest due date"), widget=DateInput())
    due_date_to = forms.DateField(label=_("Latest due date"), widget=DateInput())
    capacity = forms.IntegerField(
        min_value=1, max_value=20, initial=8, help_text=_("Families (couples); usually up to 8.")
    )
    delivery_mode = forms.ChoiceField(choices=Cohort.DeliveryMode.choices)
    venue = forms.CharField(max_length=200, required=False)


class NewCohortForm(CohortForm):
    site = forms.ModelChoiceField(queryset=Site.objects.none(), empty_label=None)
    field_order = ["site"]

    def __init__(self, *args: Any, sites: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "site").queryset = sites
        self.order_fields(self.field_order)


class FacilitatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "practitioner", None)
        if profile is None:
            return f"{obj} (no practitioner profile)"
        trained = "trained" if profile.is_trained() else "not trained"
        return f"{obj}, {profile.get_professional_role_display()} ({trained})"


class FacilitatorForm(forms.Form):
    user = FacilitatorField(
        label=_("Facilitator"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("That person is not a facilitator at this site.")},
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "user").queryset = candidates


class PlannedSessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480)
    location = forms.CharField(max_length=200, required=False)


class EnrolmentForm(forms.Form):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        error_messages={"invalid_choice": _("Choose one of your site's cohorts.")},
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "cohort").queryset = cohorts


class EnrolmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Enrolment.Status.choices)
    withdrawal_reason = forms.CharField(
        label=_("Reason for withdrawing"), max_length=300, required=False
    )
