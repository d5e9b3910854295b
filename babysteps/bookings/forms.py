"""Forms for publishing availability and booking calls."""

from collections import OrderedDict
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from babysteps.accounts.models import User
from babysteps.bookings.models import Availability, CallMode
from babysteps.bookings.selectors import Slot
from babysteps.core.forms import DateInput, TimeInput, choice, model_choice
from babysteps.programme.models import Component

TAKEN = "That time is no longer free. Choose another."


class AvailabilityForm(forms.Form):
    facilitator = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)
    kind = forms.ChoiceField(
        label=_("How often"), choices=Availability.Kind.choices, widget=forms.RadioSelect
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week (every week)"),
        choices=[("", "-"), *Availability.Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    valid_from = forms.DateField(
        label=_("Date (one date) or first date (every week)"), widget=DateInput()
    )
    valid_until = forms.DateField(
        label=_("Last date (every week; leave empty for no end)"),
        widget=DateInput(),
        required=False,
    )
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    slot_minutes = forms.IntegerField(
        label=_("Length of each call (minutes)"), min_value=10, max_value=120, initial=30
    )

    def __init__(self, *args: Any, facilitators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "facilitator").queryset = facilitators
        if facilitators.count() == 1:
            self.fields["facilitator"].widget = forms.HiddenInput()
            self.fields["facilitator"].initial = facilitators.first()


def slot_choices(slots: list[Slot]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Slots grouped by day, for a select with an option group per day."""
    days: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
    for slot in slots:
        start = timezone.localtime(slot.starts_at)
        end = timezone.localtime(slot.ends_at)
        day = start.strftime("%A %-d %B")
        label = f"{start:%H:%M} to {end:%H:%M} with {slot.facilitator.full_name}"
        days.setdefault(day, []).append((slot.value, label))
    return list(days.items())


class SlotField(forms.ChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid_choice": TAKEN})
        super().__init__(*args, **kwargs)


def parse_slot(value: str) -> tuple[int, datetime]:
    facilitator, _, start = value.partition("|")
    return int(facilitator), datetime.fromisoformat(start)


class ComponentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code}: {obj.title}"


class BookingForm(forms.Form):
    component = ComponentField(
        queryset=Component.objects.none(), label=_("Session"), empty_label=None
    )
    slot = SlotField(label=_("Time"))
    mode = forms.ChoiceField(label=_("Call by"), choices=CallMode.choices)

    def __init__(
        self, *args: Any, slots: list[Slot], components: Any, fixed: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "slot").choices = slot_choices(slots)
        model_choice(self, "component").queryset = components
        if fixed:
            del self.fields["component"]


class RescheduleForm(forms.Form):
    slot = SlotField(label=_("New time"))
    mode = forms.ChoiceField(label=_("Call by"), choices=CallMode.choices)

    def __init__(self, *args: Any, slots: list[Slot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "slot").choices = slot_choices(slots)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the call cancelled?"),
        max_length=200,
        help_text=_("Kept for staff; the family is told only that it is cancelled."),
    )


class InterpreterForm(forms.Form):
    interpreter_needed = forms.BooleanField(label=_("An interpreter is needed"), required=False)
    interpreter_language = forms.CharField(label=_("Language"), max_length=60, required=False)
    interpreter_booked = forms.BooleanField(label=_("An interpreter is booked"), required=False)
