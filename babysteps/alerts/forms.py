from django import forms
from django.utils.translation import gettext_lazy as _


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label=_("Action taken"),
        help_text=_(
            "What you did, e.g. 'Called the mother; safety plan agreed; GP informed'. "
            "Your name and the time are recorded with it."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
