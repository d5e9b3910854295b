"""Questionnaire forms: one radio group per item, built from the instrument.

``QuestionnaireItemsForm`` is the items alone (what a parent answers in the portal);
``AdministrationForm`` adds who answered, when and how, for staff."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.core.forms import DateInput, choice
from babysteps.families.models import Family, Parent
from babysteps.measures.models import Administration
from babysteps.measures.selectors import QuestionnaireText

STAFF_MODES = [
    (Administration.Mode.IN_PERSON, Administration.Mode.IN_PERSON.label),
    (Administration.Mode.PHONE, Administration.Mode.PHONE.label),
]


class QuestionnaireItemsForm(forms.Form):
    """The items of a questionnaire as required radio groups (``item_1``, ``item_2``...),
    whose values are option positions. Invalid or missing answers are field errors."""

    def __init__(self, *args: Any, text: QuestionnaireText, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in text.items:
            self.fields[f"item_{item.number}"] = forms.TypedChoiceField(
                label=f"{item.number}. {item.text}",
                choices=[(str(i), label) for i, label in enumerate(item.options)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer for item %(number)s.")
                    % {"number": item.number},
                    "invalid_choice": _("Choose one of the options for item %(number)s.")
                    % {"number": item.number},
                },
            )
        self.item_count = len(text.items)

    @property
    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{n}"] for n in range(1, self.item_count + 1)]

    def answers(self) -> list[Any]:
        return [self.cleaned_data.get(f"item_{n}") for n in range(1, self.item_count + 1)]


class AdministrationForm(QuestionnaireItemsForm):
    parent = forms.ChoiceField(label=gettext_lazy("Who is answering"))
    timepoint = forms.ChoiceField(
        label=gettext_lazy("Time point"), choices=Administration.Timepoint.choices
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("How"), choices=STAFF_MODES, widget=forms.RadioSelect
    )
    administered_on = forms.DateField(label=gettext_lazy("Date answered"), widget=DateInput())
    confirm_safety = forms.BooleanField(
        label=gettext_lazy(
            "I have checked: this is the answer the parent gave, and it raises a safety alert"
        ),
        required=False,
    )

    def __init__(
        self, *args: Any, family: Family, text: QuestionnaireText, today: date, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {"administered_on": today, "mode": "in_person"})
        super().__init__(*args, text=text, **kwargs)
        self.family = family
        choice(self, "parent").choices = [
            (str(p.pk), f"{p.get_role_display()}: {p.full_name}") for p in family.parents.all()
        ]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("parent", "timepoint", "mode", "administered_on")]

    def chosen_parent(self) -> Parent:
        return next(
            p for p in self.family.parents.all() if str(p.pk) == self.cleaned_data["parent"]
        )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why was it entered in error?"),
        help_text=gettext_lazy(
            "For example: the wrong option was chosen for item 10; the parent answered "
            "'never'. The questionnaire is kept, marked as entered in error, and leaves the "
            "evaluation; its alerts are closed with this reason."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
    )
