from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.accounts.models import SITE_ROLES, ProfessionalRole, Role
from babysteps.core.forms import DateInput

ROLE_CHOICES = [(role.value, Role(role).label) for role in SITE_ROLES]
PROFESSION_CHOICES = [("", "Not a facilitator / already recorded"), *ProfessionalRole.choices]


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            choices=ROLE_CHOICES,
            widget=forms.CheckboxSelectMultiple,
            label=_("Roles at this site"),
            **kwargs,  # type: ignore[arg-type]
        )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Work email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    roles = RolesField()
    professional_role = forms.ChoiceField(
        label=gettext_lazy("Professional role"),
        choices=PROFESSION_CHOICES,
        required=False,
        help_text=gettext_lazy(
            "Needed for a facilitator: it decides which side of the co-facilitation "
            "pair they take (health or children's services)."
        ),
    )
    training_completed_on = forms.DateField(
        label=gettext_lazy("Baby Steps training completed on"),
        required=False,
        widget=DateInput,
        help_text=gettext_lazy("Leave empty if they have not completed it yet."),
    )


class MemberRolesForm(forms.Form):
    roles = RolesField()
    professional_role = forms.ChoiceField(
        label=gettext_lazy("Professional role (for a new facilitator)"),
        choices=PROFESSION_CHOICES,
        required=False,
    )
