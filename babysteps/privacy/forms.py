from django import forms

REASON_HELP = "No names or other personal data: the reason is kept in the audit trail."


class SubjectAccessForm(forms.Form):
    scope = forms.ChoiceField(
        label="Whose information",
        choices=[
            ("family", "The whole family"),
            ("mother", "The mother"),
            ("partner", "The partner"),
        ],
        widget=forms.RadioSelect,
        initial="family",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=200, help_text=REASON_HELP)
