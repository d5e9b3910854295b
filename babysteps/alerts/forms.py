from django import forms


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label="Action taken",
        help_text="What you did, e.g. 'Called the mother; safety plan agreed; GP informed'. "
        "Your name and the time are recorded with it.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
