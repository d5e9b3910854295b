"""Calls between a facilitator and a family: the facilitators' published availability,
the calls a family should have (``PlannedCall``: a group session delivered remotely, or a
catch-up for a missed one), and the booked calls themselves (``CallBooking``).
 Every family-level row here is reached through the access chokepoints
(``babysteps.bookings.access``); writes go through ``babysteps.bookings.services``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class CallMode(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class Availability(models.Model):
    """Times a facilitator offers for calls: every week on a weekday, or on one date.
    Cut into slots of ``slot_minutes``; a booking must take one of those slots."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Every week")
        ONE_OFF = "one_off", _("On one date")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="availability"
    )
    site = models.ForeignKey("licensing.Site", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    valid_from = models.DateField(help_text=_("The one date, or the first week it applies."))
    valid_until = models.DateField(
        null=True, blank=True, help_text=_("Weekly: the last date it applies (empty: open-ended).")
    )
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(default=30)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "availability"
        ordering = ["facilitator_id", "kind", "weekday", "valid_from", "start_time"]
        constraints = [
            models.CheckConstraint(
                name="availability_ends_after_start",
                condition=Q(end_time__gt=F("start_time")),
                violation_error_message="The time must end after it starts.",
            ),
            models.CheckConstraint(
                name="availability_slot_length",
                condition=Q(slot_minutes__gte=10) & Q(slot_minutes__lte=120),
            ),
            models.CheckConstraint(
                name="availability_weekly_has_weekday",
                condition=(Q(kind="weekly") & Q(weekday__isnull=False))
                | (Q(kind="one_off") & Q(weekday__isnull=True) & Q(valid_until__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"Availability {self.pk} of user {self.facilitator_id}"


class PlannedCall(models.Model):
    """A call a family should have for a component: one of the per-family remote sessions
    that replace a group session while group delivery is paused (with video pre-work), or
    a catch-up for a session the family missed. Booking it makes a ``CallBooking``."""

    class Reason(models.TextChoices):
        REMOTE = "remote", _("Group session delivered as a call")
        CATCH_UP = "catch_up", _("Catch-up for a missed session")

    class Status(models.TextChoices):
        OPEN = "open", _("To be booked")
        BOOKED = "booked", _("Booked")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="planned_calls"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.PROTECT, related_name="planned_calls"
    )
    component = models.ForeignKey(
        "programme.Component", on_delete=models.PROTECT, related_name="planned_calls"
    )
    planned_session = models.ForeignKey(
        "cohorts.PlannedSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="planned_calls",
        help_text=_("The cohort's session this call replaces or catches up."),
    )
    due_at = models.DateTimeField(
        help_text=_("When the group session was planned: call around then.")
    )
    mode = models.CharField(max_length=8, choices=CallMode.choices, default=CallMode.PHONE)
    prework = models.BooleanField(
        default=True, help_text=_("Parents are asked to watch the component's videos first.")
    )
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.REMOTE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    status_reason = models.CharField(max_length=200, blank=True)
    status_changed_at = models.DateTimeField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "planned_session", "reason"],
                condition=~Q(status="withdrawn"),
                name="planned_call_one_live_per_family_session",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="planned_call_cohort_idx")]

    def __str__(self) -> str:
        return f"Planned call {self.pk} (family {self.family_id})"


class CallBooking(models.Model):
    """A call booked in a facilitator's slot. Rescheduling moves it and bumps ``version``
    (reminder keys carry the version, so reminders for the old time are superseded)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        COMPLETED = "completed", _("Took place")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Family did not answer (no-show)")

    # Bookings that hold their facilitator's slot.
    HOLDS_SLOT = (Status.BOOKED, Status.COMPLETED)

    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="call_bookings"
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.PROTECT, related_name="call_bookings"
    )
    component = models.ForeignKey(
        "programme.Component", on_delete=models.PROTECT, related_name="call_bookings"
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_bookings"
    )
    planned_call = models.ForeignKey(
        PlannedCall, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=8, choices=CallMode.choices, default=CallMode.PHONE)
    interpreter_needed = models.BooleanField(
        default=False, help_text=_("The call needs an interpreter (from the family's record).")
    )
    interpreter_language = models.CharField(max_length=60, blank=True)
    interpreter_booked = models.BooleanField(
        default=False, help_text=_("An interpreter has been booked for the call.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    status_reason = models.CharField(max_length=200, blank=True)
    status_changed_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The member of staff who booked it (empty if a parent did)."),
    )
    booked_by_parent = models.ForeignKey(
        "families.Parent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rebook_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rebookings",
        help_text=_("The missed or cancelled call this one replaces."),
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="booking_ends_after_start",
                condition=Q(ends_at__gt=F("starts_at")),
                violation_error_message="A call must end after it starts.",
            ),
            # The last line of defence against double booking (the service also locks
            # the facilitator and checks for overlaps).
            models.UniqueConstraint(
                fields=["facilitator", "starts_at"],
                condition=Q(status__in=["booked", "completed"]),
                name="booking_one_call_per_facilitator_slot",
                violation_error_message="That slot has just been taken.",
            ),
            models.UniqueConstraint(
                fields=["family", "component"],
                condition=Q(status="booked"),
                name="booking_one_open_call_per_component",
                violation_error_message="The family already has a call booked for this.",
            ),
        ]
        indexes = [
            models.Index(fields=["facilitator", "status", "starts_at"], name="booking_fac_idx"),
            models.Index(fields=["family", "status"], name="booking_family_idx"),
        ]

    def __str__(self) -> str:
        return f"Call booking {self.pk} (family {self.family_id})"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def message_group(self) -> str:
        """Every message about this call, so rescheduling can cancel them together."""
        return f"booking:{self.pk}"
