"""Glue between service-layer validation and Django forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the
    form has that field, otherwise at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model-choice field, typed, for setting its queryset or labels per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, typed, for setting its choices per request."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class HoneypotField(forms.CharField):
    """A field people never see (the stylesheet hides its row from eyes and screen
    readers, and it is out of the tab order): a form that fills it in is a robot's.
    Public forms name it ``website``."""

    def __init__(self) -> None:
        super().__init__(
            required=False,
            label=_("Leave this empty"),
            widget=forms.TextInput(
                attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot"}
            ),
        )
