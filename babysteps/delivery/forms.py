"""Forms for recording delivery and using the switch. They parse input; the services
validate the rules and their errors are shown on the fields they name."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.bookings.models import CallMode
from babysteps.core.forms import DateInput, DateTimeInput, choice, model_choice
from babysteps.delivery.models import Mode
from babysteps.delivery.services import AttendanceIn
from babysteps.families.models import Family
from babysteps.programme.models import Component

WATCHED_CHOICES = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


def watched_value(raw: str) -> bool | None:
    return {"yes": True, "no": False}.get(raw)


def _facilitator_label(user: Any) -> str:
    profile = getattr(user, "practitioner", None)
    return f"{user.full_name}, {profile.get_professional_role_display()}" if profile else str(user)


class FacilitatorsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return _facilitator_label(obj)


class KeyMessagesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Any) -> str:
        return obj.text


class _OneFamilyFields(forms.Form):
    """The lengths and who took part, as recorded and as corrected."""

    planned_minutes = forms.IntegerField(
        label=gettext_lazy("Planned length (minutes)"), min_value=1, max_value=480
    )
    actual_minutes = forms.IntegerField(
        label=gettext_lazy("Actual length (minutes)"),
        min_value=1,
        max_value=480,
        help_text=gettext_lazy("For a home visit, the time spent in the home."),
    )
    mother = forms.BooleanField(label=gettext_lazy("Mother took part"), required=False)
    partner = forms.BooleanField(label=gettext_lazy("Partner took part"), required=False)
    supporter = forms.BooleanField(label=gettext_lazy("A supporter took part"), required=False)
    baby = forms.BooleanField(label=gettext_lazy("Baby was there"), required=False)

    def attendance(self) -> AttendanceIn:
        data = self.cleaned_data
        return AttendanceIn(
            present=True,
            mother=data["mother"],
            partner=data["partner"],
            baby=data["baby"],
            supporter=data["supporter"],
            watched_videos_beforehand=watched_value(data.get("watched", "")),
        )


class ContactForm(_OneFamilyFields):
    """One component delivered to one family."""

    field_order = [
        "mode",
        "starts_at",
        "planned_minutes",
        "actual_minutes",
        "facilitators",
        "mother",
        "partner",
        "supporter",
        "baby",
    ]

    mode = forms.ChoiceField(label=gettext_lazy("How"))
    starts_at = forms.DateTimeField(label=gettext_lazy("When it started"), widget=DateTimeInput())
    facilitators = FacilitatorsField(label=gettext_lazy("Who delivered it"), queryset=None)
    watched = forms.ChoiceField(
        label=gettext_lazy("Had they watched the session's videos beforehand?"),
        choices=WATCHED_CHOICES,
        required=False,
        help_text=gettext_lazy("Filled in from the video portal where it knows."),
    )
    key_messages = KeyMessagesField(
        label=gettext_lazy("Key messages covered"), queryset=None, required=False
    )
    catch_up = forms.BooleanField(
        label=gettext_lazy("This catches up a group session the family missed"), required=False
    )
    interpreter_used = forms.BooleanField(
        label=gettext_lazy("An interpreter took part"), required=False
    )
    interpreter_language = forms.CharField(
        label=gettext_lazy("The interpreter's language"), max_length=60, required=False
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)

    def __init__(
        self,
        *args: Any,
        component: Component,
        facilitators: Any,
        remote_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The mode actually used: a call booked as a video call may have become a phone call.
        modes = [(Mode.PHONE, Mode.PHONE.label), (Mode.VIDEO, Mode.VIDEO.label)]
        if component.is_home_visit and not remote_only:
            modes.insert(0, (Mode.HOME_VISIT, Mode.HOME_VISIT.label))
        choice(self, "mode").choices = modes
        model_choice(self, "facilitators").queryset = facilitators
        model_choice(self, "key_messages").queryset = component.key_messages.order_by("order")
        if not component.is_group_session:
            del self.fields["catch_up"]


class ContactCorrectForm(_OneFamilyFields):
    """Correct a one-family contact: lengths, who took part, key messages, notes."""

    key_messages = KeyMessagesField(
        label=gettext_lazy("Key messages covered"), queryset=None, required=False
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)

    def __init__(self, *args: Any, contact: Any, attendance: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "planned_minutes": contact.planned_minutes,
                "actual_minutes": contact.actual_minutes,
                "notes": contact.notes,
                "key_messages": list(contact.key_messages.all()),
                **{f: getattr(attendance, f) for f in ("mother", "partner", "supporter", "baby")},
            },
        )
        super().__init__(*args, **kwargs)
        model_choice(self, "key_messages").queryset = contact.component.key_messages.order_by(
            "order"
        )


class RegisterForm(forms.Form):
    """A group session's register: the session's details, then one row per family."""

    starts_at = forms.DateTimeField(label=gettext_lazy("When it started"), widget=DateTimeInput())
    planned_minutes = forms.IntegerField(
        label=gettext_lazy("Planned length (minutes)"), min_value=1, max_value=480
    )
    actual_minutes = forms.IntegerField(
        label=gettext_lazy("Actual length (minutes)"), min_value=1, max_value=480
    )
    facilitators = FacilitatorsField(label=gettext_lazy("Who ran it"), queryset=None)
    key_messages = KeyMessagesField(
        label=gettext_lazy("Key messages covered"), queryset=None, required=False
    )
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=4000)
    offer_catch_up = forms.BooleanField(
        label=gettext_lazy("Offer families who missed it a catch-up call"),
        required=False,
        initial=True,
    )

    PER_FAMILY = ("present", "mother", "partner", "supporter", "baby")

    def __init__(
        self,
        *args: Any,
        families: list[Family],
        facilitators: Any,
        component: Component,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.families = families
        model_choice(self, "facilitators").queryset = facilitators
        model_choice(self, "key_messages").queryset = component.key_messages.order_by("order")
        for family in families:
            for name in self.PER_FAMILY:
                self.fields[f"{name}_{family.pk}"] = forms.BooleanField(
                    required=False, label=f"{name.capitalize()}: {family.display_name}"
                )
            self.fields[f"watched_{family.pk}"] = forms.ChoiceField(
                choices=WATCHED_CHOICES,
                required=False,
                label=_("Watched the videos beforehand: %(display_name)s")
                % {"display_name": family.display_name},
            )

    def rows(self) -> list[tuple[Family, list[forms.BoundField]]]:
        """Each family with its row of inputs, for the register table."""
        return [
            (f, [self[f"{n}_{f.pk}"] for n in (*self.PER_FAMILY, "watched")]) for f in self.families
        ]

    def static_fields(self) -> list[forms.BoundField]:
        names = (
            "starts_at",
            "planned_minutes",
            "actual_minutes",
            "facilitators",
            "key_messages",
            "notes",
            "offer_catch_up",
        )
        return [self[n] for n in names]

    def attendance(self) -> dict[int, AttendanceIn]:
        data = self.cleaned_data
        out = {}
        for family in self.families:
            if not data.get(f"present_{family.pk}"):
                continue
            out[family.pk] = AttendanceIn(
                present=True,
                mother=data[f"mother_{family.pk}"],
                partner=data[f"partner_{family.pk}"],
                supporter=data[f"supporter_{family.pk}"],
                baby=data[f"baby_{family.pk}"],
                watched_videos_beforehand=watched_value(data.get(f"watched_{family.pk}", "")),
            )
        return out


class SwitchForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("What to do"),
        widget=forms.RadioSelect,
        choices=[
            ("pause", gettext_lazy("Pause group sessions: each becomes a call with every family")),
            ("resume", gettext_lazy("Resume group sessions")),
        ],
    )
    from_date = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    mode = forms.ChoiceField(
        label=gettext_lazy("Calls by (when pausing)"),
        choices=CallMode.choices,
        required=False,
        help_text=gettext_lazy("Choose video calls to move to video-first delivery."),
    )
    prework = forms.BooleanField(
        label=gettext_lazy("Ask families to watch the session's videos before each call"),
        required=False,
        initial=True,
    )
    reason = forms.CharField(
        max_length=200, help_text=gettext_lazy("e.g. national lockdown. Seen by staff only.")
    )


class CloseTaskForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is no follow-up call needed?"),
        max_length=300,
        widget=forms.TextInput(),
    )
