from django import forms
from django.utils.translation import gettext_lazy as _

REASON_HELP = "No names or other personal data: the reason is kept in the audit trail."


class SubjectAccessForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Whose information"),
        choices=[
            ("family", _("The whole family")),
            ("mother", _("The mother")),
            ("partner", _("The partner")),
        ],
        widget=forms.RadioSelect,
        initial="family",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, help_text=REASON_HELP)
