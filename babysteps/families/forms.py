"""Forms for family records. They parse input; the services validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.core.forms import DateInput, TimeInput, choice, model_choice
from babysteps.core.phones import display as display_phone
from babysteps.families.models import Baby, Consent, Family, IdentifierTypeChoices, Parent
from babysteps.families.services import FAMILY_FIELDS, ParentDetails
from babysteps.licensing.models import Site

PARTNER_CHOICES = [
    ("", "No partner or supporter"),
    (Parent.Role.PARTNER, "Partner (father or co-parent)"),
    (Parent.Role.SUPPORTER, "Supporter (friend or relative)"),
]


class FamilyForm(forms.Form):
    mother_given_name = forms.CharField(label=gettext_lazy("Mother's first name"), max_length=100)
    mother_family_name = forms.CharField(label=gettext_lazy("Mother's last name"), max_length=100)
    mother_email = forms.EmailField(label=gettext_lazy("Mother's email"), required=False)
    mother_mobile = forms.CharField(
        label=gettext_lazy("Mother's mobile number"), max_length=20, required=False
    )
    partner_role = forms.ChoiceField(
        label=gettext_lazy("Partner or supporter"), choices=PARTNER_CHOICES, required=False
    )
    partner_given_name = forms.CharField(
        label=gettext_lazy("Their first name"), max_length=100, required=False
    )
    partner_family_name = forms.CharField(
        label=gettext_lazy("Their last name"), max_length=100, required=False
    )
    partner_email = forms.EmailField(label=gettext_lazy("Their email"), required=False)
    partner_mobile = forms.CharField(
        label=gettext_lazy("Their mobile number"), max_length=20, required=False
    )
    estimated_due_date = forms.DateField(
        label=gettext_lazy("Estimated due date (agreed)"), widget=DateInput()
    )
    identifier_type = forms.ChoiceField(
        label=gettext_lazy("Identifier type"), choices=IdentifierTypeChoices.choices
    )
    identifier = forms.CharField(
        label=gettext_lazy("Mother's NHS, CHI or H&C number"),
        max_length=14,
        required=False,
        help_text=gettext_lazy("10 digits, e.g. 943 476 5919"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postcode = forms.CharField(max_length=10, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    preferred_language = forms.CharField(max_length=60, initial="English")
    interpreter_needed = forms.BooleanField(required=False)
    contact_by_email = forms.BooleanField(
        label=gettext_lazy("May contact by email"), required=False
    )
    contact_by_sms = forms.BooleanField(
        label=gettext_lazy("May contact by text message"), required=False
    )
    contact_by_phone = forms.BooleanField(
        label=gettext_lazy("May contact by phone call"), required=False
    )
    preferred_channel = forms.ChoiceField(choices=Family.Channel.choices)
    safe_call_from = forms.TimeField(
        label=gettext_lazy("Safe to call from"), required=False, widget=TimeInput()
    )
    safe_call_to = forms.TimeField(
        label=gettext_lazy("Safe to call until"), required=False, widget=TimeInput()
    )
    safe_call_notes = forms.CharField(
        label=gettext_lazy("Notes on safe times"), max_length=200, required=False
    )
    voicemail_ok = forms.BooleanField(label=gettext_lazy("A voicemail may be left"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("partner_role"):
            for name in ("partner_given_name", "partner_family_name"):
                if not data.get(name):
                    self.add_error(name, _("Enter the partner's or supporter's name."))
        channel = data.get("preferred_channel")
        if channel and not data.get(f"contact_by_{channel}"):
            self.add_error("preferred_channel", _("The preferred channel must be one they allow."))
        return data

    def mother(self) -> ParentDetails:
        d = self.cleaned_data
        return ParentDetails(
            given_name=d["mother_given_name"],
            family_name=d["mother_family_name"],
            email=d["mother_email"],
            mobile=d["mother_mobile"],
            role=Parent.Role.MOTHER,
        )

    def partner(self) -> ParentDetails | None:
        d = self.cleaned_data
        if not d.get("partner_role"):
            return None
        return ParentDetails(
            given_name=d["partner_given_name"],
            family_name=d["partner_family_name"],
            email=d["partner_email"],
            mobile=d["partner_mobile"],
            role=d["partner_role"],
        )

    def family_values(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in FAMILY_FIELDS}

    @classmethod
    def initial_for(cls, family: Family) -> dict[str, Any]:
        initial: dict[str, Any] = {f: getattr(family, f) for f in FAMILY_FIELDS}
        for prefix, parent in (("mother", family.mother), ("partner", family.partner)):
            if parent is None:
                continue
            initial.update(
                {
                    f"{prefix}_given_name": parent.given_name,
                    f"{prefix}_family_name": parent.family_name,
                    f"{prefix}_email": parent.email,
                    f"{prefix}_mobile": display_phone(parent.mobile),
                }
            )
            if prefix == "partner":
                initial["partner_role"] = parent.role
        return initial


class NewFamilyForm(FamilyForm):
    """Recording a family also places it at a site and, usually, in a cohort."""

    site = forms.ModelChoiceField(queryset=Site.objects.none(), empty_label=None)
    # Cohorts sit above families: the caller gives the queryset of its cohorts.
    cohort: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Not in a cohort yet"),
        error_messages={"invalid_choice": gettext_lazy("Choose one of your site's cohorts.")},
    )

    field_order = ["site", "cohort"]

    def __init__(
        self, *args: Any, sites: Any, cohorts: Any, cohort_optional_at: Any, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        model_choice(self, "site").queryset = sites
        model_choice(self, "cohort").queryset = cohorts
        self.cohort_optional_at = cohort_optional_at
        self.order_fields(self.field_order)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        site, cohort = data.get("site"), data.get("cohort")
        if site and cohort and cohort.site_id != site.pk:
            self.add_error("cohort", _("Choose a cohort at the family's site."))
        elif site and cohort is None and not self.cohort_optional_at(site):
            self.add_error("cohort", _("Choose one of your cohorts for the family."))
        return data


class BabyForm(forms.Form):
    given_name = forms.CharField(label=gettext_lazy("Baby's first name (optional)"), required=False)
    date_of_birth = forms.DateField(widget=DateInput())
    gestation_weeks = forms.IntegerField(
        label=gettext_lazy("Gestation at birth (completed weeks)"), min_value=22, max_value=44
    )
    birth_weight_grams = forms.IntegerField(
        label=gettext_lazy("Birth weight (grams)"), min_value=300, max_value=6500
    )
    mode_of_birth = forms.ChoiceField(choices=Baby.ModeOfBirth.choices)


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Consent to"), choices=Consent.Kind.choices)
    given = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("yes", gettext_lazy("Given")), ("no", gettext_lazy("Refused or withdrawn"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    given_by = forms.ChoiceField(label=gettext_lazy("Decided by"), choices=Parent.Role.choices)
    method = forms.ChoiceField(label=gettext_lazy("How"), choices=Consent.Method.choices)
    decided_on = forms.DateField(label=gettext_lazy("Date of the decision"), widget=DateInput())


class FamilySearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search by name, NHS number or postcode"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=[
            ("next", gettext_lazy("Next session or visit")),
            ("due", gettext_lazy("Due date")),
            ("name", gettext_lazy("Mother's name")),
        ],
    )
    cohort = forms.TypedChoiceField(
        label=gettext_lazy("Cohort"), required=False, coerce=int, empty_value=None
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Stage"),
        required=False,
        choices=[
            ("", gettext_lazy("Any")),
            ("antenatal", gettext_lazy("Before the birth")),
            ("postnatal", gettext_lazy("After the birth")),
        ],
    )
    consent_missing = forms.BooleanField(
        label=gettext_lazy("Consent to take part not recorded"), required=False
    )
    open_alert = forms.BooleanField(label=gettext_lazy("With an open safety alert"), required=False)

    def __init__(self, *args: Any, cohorts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cohorts:
            choice(self, "cohort").choices = [("", gettext_lazy("All cohorts")), *cohorts]
        else:
            del self.fields["cohort"]
