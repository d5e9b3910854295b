from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.cohorts.models import Cohort
from babysteps.core.forms import DateInput, model_choice
from babysteps.evaluation import dose, selectors
from babysteps.licensing.models import Site


def _choices(mapping: Mapping[str, str], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *mapping.items()]


class EvaluationFilterForm(forms.Form):
    site = forms.ModelChoiceField(
        queryset=Site.objects.none(), required=False, empty_label=gettext_lazy("All your sites")
    )
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=gettext_lazy("All cohorts"),
        help_text=gettext_lazy("Across many sites, choose a site first to list its cohorts."),
    )
    date_from = forms.DateField(
        label=gettext_lazy("Baseline from"), required=False, widget=DateInput()
    )
    date_to = forms.DateField(label=gettext_lazy("Baseline to"), required=False, widget=DateInput())
    parent_role = forms.ChoiceField(
        label=gettext_lazy("Parent role"),
        choices=_choices(selectors.PARENT_ROLES, "Mothers and partners"),
        required=False,
    )
    delivery_mode = forms.ChoiceField(
        label=gettext_lazy("Delivered mode"),
        choices=_choices(selectors.DELIVERY_MODES, "All modes"),
        required=False,
        help_text=gettext_lazy(
            "What each parent attended (by phone or video call, or in person), not "
            "the cohort's label."
        ),
    )
    planned_mode = forms.ChoiceField(
        label=gettext_lazy("Planned mode"),
        choices=_choices(selectors.PLANNED_MODES, "All cohorts"),
        required=False,
        help_text=gettext_lazy("The cohort's label when it was set up."),
    )
    baseline_band = forms.ChoiceField(
        label=gettext_lazy("Baseline band"),
        choices=_choices(selectors.BASELINE_BANDS, "Everyone"),
        required=False,
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("Subgroups"),
        choices=_choices(selectors.GROUP_BY, "No subgroups"),
        required=False,
    )
    mode_a = forms.ChoiceField(
        label=gettext_lazy("Compare delivered mode"),
        choices=list(selectors.DELIVERY_MODES.items()),
        required=False,
        initial=dose.FACE_TO_FACE,
    )
    mode_b = forms.ChoiceField(
        label="with",
        choices=list(selectors.DELIVERY_MODES.items()),
        required=False,
        initial=dose.REMOTE,
    )

    mixed_model = forms.BooleanField(
        label=gettext_lazy("Add the mixed-model sensitivity analysis"),
        required=False,
        help_text=gettext_lazy(
            "A random intercept per cohort (and per family where both parents "
            "answered). It can take a while across every site."
        ),
    )

    def __init__(self, *args: Any, sites: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "site").queryset = sites
        model_choice(self, "cohort").queryset = cohorts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range must be on or after its start."))
        return data

    def filters(self) -> selectors.Filters:
        if not self.is_bound or not self.is_valid():
            return selectors.Filters()
        d = self.cleaned_data
        return selectors.Filters(
            site=d["site"].pk if d.get("site") else None,
            cohort=d["cohort"].pk if d.get("cohort") else None,
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            parent_role=d.get("parent_role") or "",
            delivery_mode=d.get("delivery_mode") or "",
            planned_mode=d.get("planned_mode") or "",
            baseline_band=d.get("baseline_band") or "",
            group_by=d.get("group_by") or "",
        )

    def wants_mixed_model(self) -> bool:
        return bool(self.is_bound and self.is_valid() and self.cleaned_data.get("mixed_model"))

    def modes(self) -> tuple[str, str]:
        if self.is_bound and self.is_valid():
            a = self.cleaned_data.get("mode_a") or dose.FACE_TO_FACE
            b = self.cleaned_data.get("mode_b") or dose.REMOTE
            return a, b
        return dose.FACE_TO_FACE, dose.REMOTE
