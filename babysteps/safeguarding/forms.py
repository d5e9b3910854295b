"""Forms for signposting and working a referral. They parse input; the services
validate the rules and write."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from babysteps.accounts.models import User
from babysteps.core.forms import DateInput, DateTimeInput, TimeInput, model_choice
from babysteps.families.models import Family, Parent
from babysteps.safeguarding.models import (
    CallAttempt,
    ReferralReason,
    SafeAndWellReferral,
    Urgency,
)

Referral = SafeAndWellReferral


class ParentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Parent) -> str:
        return f"{obj.full_name} ({obj.get_role_display().lower()})"


class SignpostForm(forms.Form):
    parents = ParentChoiceField(
        label=_("Who is this about?"),
        queryset=Parent.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the parent or parents concerned.")},
    )
    reasons = forms.ModelMultipleChoiceField(
        label=_("Reasons"),
        queryset=ReferralReason.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one reason.")},
    )
    summary = forms.CharField(
        label=_("What are you worried about?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you have noticed and what the parent has said. The NSPCC "
            "practitioner reads this before calling. Do not include other people's details."
        ),
    )
    urgency = forms.ChoiceField(
        label=_("How soon should the NSPCC call?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text=_("Counted in working days (not weekends or bank holidays)."),
    )
    consent_basis = forms.ChoiceField(
        label=_("Consent"), choices=Referral.ConsentBasis.choices, widget=forms.RadioSelect
    )
    consent_given_by = forms.ChoiceField(
        label=_("Consent given by"),
        choices=[("", _("Choose")), *Parent.Role.choices],
        required=False,
    )
    consent_given_on = forms.DateField(
        label=_("Date consent was given"), required=False, widget=DateInput()
    )
    consent_method = forms.ChoiceField(
        label=_("How consent was given"),
        choices=[("", _("Choose")), *Referral.ConsentMethod.choices],
        required=False,
    )
    no_consent_reason = forms.CharField(
        label=_("Safeguarding reason for going ahead without consent"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only if the parent refused or was not asked. Say why signposting without "
            "consent is justified, as your local safeguarding procedures require."
        ),
    )
    safe_number = forms.CharField(
        label=_("Safe number to call"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        help_text=_("Confirmed with the parent: a number only they answer."),
    )
    safe_call_from = forms.TimeField(
        label=_("Safe to call from"), required=False, widget=TimeInput()
    )
    safe_call_to = forms.TimeField(
        label=_("Safe to call until"), required=False, widget=TimeInput()
    )
    safe_times_notes = forms.CharField(
        label=_("Notes on safe times"),
        max_length=200,
        required=False,
        help_text=_("e.g. weekdays only; not when her partner is at home"),
    )
    voicemail_ok = forms.BooleanField(label=_("A voicemail may be left"), required=False)
    language = forms.CharField(label=_("Language for the call"), max_length=60)
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    source = forms.ChoiceField(
        label=_("Where did the concern come from?"),
        choices=Referral.Source.choices,
        initial=Referral.Source.FAMILY_PAGE,
    )
    alert = forms.IntegerField(
        label=_("Safety alert number"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_(
            "When the concern came from a safety alert about this family. Filled in "
            "when you signpost from the alert's page."
        ),
    )
    acknowledge_alert = forms.BooleanField(
        label=_("Also acknowledge the alert, with this referral as the action taken"),
        required=False,
        help_text=_(
            "The alert then leaves the home pages and is not escalated. Leave this "
            "unticked if you will record other action on the alert's page."
        ),
    )
    source_reference = forms.CharField(
        label=_("Reference (optional)"),
        max_length=40,
        required=False,
        help_text=_("e.g. the reference of the call it came from (not for an alert)"),
    )

    def __init__(
        self,
        *args: Any,
        family: Family,
        offer_acknowledge: bool = False,
        parent: Parent | None = None,
        **kwargs: Any,
    ) -> None:
        # What the family's record already says, as a starting point to confirm. From an
        # alert: the parent it is about, and that parent's own number (both editable).
        concerned = {"parents": [parent.pk], "safe_number": parent.mobile} if parent else {}
        initial = {
            **concerned,
            "safe_call_from": family.safe_call_from,
            "safe_call_to": family.safe_call_to,
            "safe_times_notes": family.safe_call_notes,
            "voicemail_ok": family.voicemail_ok,
            "language": family.preferred_language,
            "interpreter_needed": family.interpreter_needed,
            "consent_given_on": timezone.localdate(),
            **kwargs.pop("initial", {}),
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        model_choice(self, "parents").queryset = family.parents.all()
        model_choice(self, "reasons").queryset = ReferralReason.objects.filter(active=True)
        if not offer_acknowledge:
            # Offered only when signposting from an open alert of this family.
            del self.fields["acknowledge_alert"]

    FIELDSETS = [
        (_("Who and why"), "", ["parents", "reasons", "summary", "urgency"]),
        (
            _("Consent"),
            _(
                "Ask the parent, on their own, whether they agree to the NSPCC calling them. If "
                "they refused, or it was not safe or right to ask, give the safeguarding reason "
                "for going ahead."
            ),
            [
                "consent_basis",
                "consent_given_by",
                "consent_given_on",
                "consent_method",
                "no_consent_reason",
            ],
        ),
        (
            _("Reaching the parent safely"),
            "",
            [
                "safe_number",
                "safe_call_from",
                "safe_call_to",
                "safe_times_notes",
                "voicemail_ok",
                "language",
                "interpreter_needed",
            ],
        ),
        (
            _("Where this came from"),
            "",
            ["source", "alert", "acknowledge_alert", "source_reference"],
        ),
    ]

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [
            (str(legend), str(hint), [self[name] for name in names if name in self.fields])
            for legend, hint, names in self.FIELDSETS
        ]


class CallAttemptForm(forms.Form):
    at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=CallAttempt.Outcome.choices, widget=forms.RadioSelect
    )
    voicemail_left = forms.BooleanField(label=_("A voicemail was left"), required=False)
    outside_safe_times_reason = forms.CharField(
        label=_("If you called outside the parent's safe times, why"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "call")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("at", timezone.localtime().replace(second=0, microsecond=0))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Referral.Outcome.choices, widget=forms.RadioSelect
    )
    onward_to = forms.ChoiceField(
        label=_("Referred on to"),
        choices=[("", _("Not referred on")), *Referral.OnwardTo.choices],
        required=False,
    )
    onward_service = forms.CharField(
        label=_("Name of the other service"), max_length=200, required=False
    )
    onward_reference = forms.CharField(label=_("Their reference"), max_length=60, required=False)
    note_for_site = forms.CharField(
        label=_("Note for the referring site"),
        help_text=_(
            "What the Baby Steps team may know, shown to them with the outcome: only what "
            "the parent agreed to share, or what they need to act on."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome_notes = forms.CharField(
        label=_("Notes for the NSPCC record (optional, not shared with the site)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "close")
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    withdrawal_reason = forms.CharField(
        label=_("Why is the referral being withdrawn?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "withdraw")
        super().__init__(*args, **kwargs)


class AssignForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Give it to"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Choose a member of the safe-and-well team.")},
    )

    def __init__(self, *args: Any, team: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        model_choice(self, "user").queryset = team


class ImmediateRiskForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    called_999 = forms.BooleanField(label=_("999 was called"), required=False)
    followed_local_procedures = forms.BooleanField(
        label=_("Local safeguarding procedures were followed"), required=False
    )
    reference = forms.CharField(
        label=_("Reference (optional)"),
        max_length=60,
        required=False,
        help_text=_("e.g. a police incident number or your safeguarding team's reference"),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )
