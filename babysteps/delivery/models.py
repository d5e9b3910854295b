"""Delivery of the programme: contacts (a component delivered to a family, or a group
session to many, with its register), the remote-delivery switch and its history, and
follow-up tasks after shortened home visits.
 Special-category data: reach rows through the access chokepoints (``babysteps.delivery.access``)
and write them through ``babysteps.delivery.services``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from babysteps.bookings.models import CallMode
from babysteps.delivery import rules


class Mode(models.TextChoices):
    GROUP = "group", _("Group session (face-to-face)")
    HOME_VISIT = "home_visit", _("Home visit")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


REMOTE_MODES = (Mode.PHONE, Mode.VIDEO)


class DeliverySwitch(models.Model):
    """One use of the remote-delivery switch: group delivery paused (group sessions become
    per-family calls) or resumed, for a whole site or one cohort, from a date. Append-only:
    together these rows are the delivery history."""

    class Action(models.TextChoices):
        PAUSE = "pause", _("Group sessions paused (per-family calls instead)")
        RESUME = "resume", _("Group sessions resumed")

    site = models.ForeignKey("licensing.Site", on_delete=models.PROTECT, related_name="+")
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivery_switches",
        help_text=_("Empty: every cohort of the site."),
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    from_date = models.DateField()
    remote_mode = models.CharField(max_length=8, choices=CallMode.choices, blank=True)
    prework = models.BooleanField(default=True)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # What the switch did when it was made (later families are handled by the sync job).
    sessions_changed = models.PositiveIntegerField(default=0)
    calls_created = models.PositiveIntegerField(default=0)
    calls_withdrawn = models.PositiveIntegerField(default=0)
    bookings_cancelled = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "delivery switches"
        constraints = [
            models.CheckConstraint(
                name="switch_pause_has_mode",
                condition=~Q(action="pause") | ~Q(remote_mode=""),
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery switch {self.pk} ({self.action})"

    def as_point(self) -> rules.SwitchPoint:
        """The switch as the pure rules see it (``rules.governing_on``)."""
        return rules.SwitchPoint(
            id=self.pk,
            site_level=self.cohort_id is None,
            action=self.action,
            from_date=self.from_date,
            created_at=self.created_at,
            mode=self.remote_mode,
            prework=self.prework,
        )


class SessionConversion(models.Model):
    """A cohort's group session being delivered as per-family remote calls. Ended (never
    deleted) when group delivery resumes before the session."""

    planned_session = models.ForeignKey(
        "cohorts.PlannedSession", on_delete=models.PROTECT, related_name="conversions"
    )
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.PROTECT, related_name="+")
    switch = models.ForeignKey(
        DeliverySwitch,
        on_delete=models.PROTECT,
        related_name="conversions",
        help_text=_("The pause that governs it."),
    )
    mode = models.CharField(max_length=8, choices=CallMode.choices)
    prework = models.BooleanField(default=True)
    converted_at = models.DateTimeField()
    ended_by = models.ForeignKey(
        DeliverySwitch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ended_conversions",
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["planned_session__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["planned_session"],
                condition=Q(ended_at__isnull=True),
                name="conversion_one_live_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.planned_session_id} as calls"


class Contact(models.Model):
    """One component delivered: to one family (home visit, phone or video call), or a
    group session to the families on its register (``Attendance``)."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.PROTECT, related_name="contacts")
    component = models.ForeignKey(
        "programme.Component", on_delete=models.PROTECT, related_name="contacts"
    )
    mode = models.CharField(max_length=12, choices=Mode.choices)
    starts_at = models.DateTimeField()
    planned_minutes = models.PositiveSmallIntegerField()
    actual_minutes = models.PositiveSmallIntegerField(
        help_text=_("Time actually spent (in a home visit: time in the home).")
    )
    planned_session = models.ForeignKey(
        "cohorts.PlannedSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    planned_call = models.ForeignKey(
        "bookings.PlannedCall",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    booking = models.OneToOneField(
        "bookings.CallBooking",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact",
    )
    catch_up = models.BooleanField(
        default=False, help_text=_("Catches up a group session the family missed.")
    )
    interpreter_used = models.BooleanField(
        default=False, help_text=_("An interpreter took part (a one-family contact).")
    )
    interpreter_language = models.CharField(max_length=60, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="delivered_contacts"
    )
    key_messages = models.ManyToManyField(
        "programme.KeyMessage", blank=True, related_name="contacts"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who last corrected the record (the audit trail keeps every correction)."),
    )
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="contact_minutes_range",
                condition=Q(planned_minutes__gte=1)
                & Q(planned_minutes__lte=480)
                & Q(actual_minutes__gte=1)
                & Q(actual_minutes__lte=480),
            ),
            models.UniqueConstraint(
                fields=["planned_session"],
                condition=Q(mode="group"),
                name="contact_one_register_per_session",
                violation_error_message="This session's register is already recorded.",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "starts_at"], name="contact_cohort_idx")]

    def __str__(self) -> str:
        return f"Contact {self.pk} ({self.mode})"

    @property
    def is_group(self) -> bool:
        return self.mode == Mode.GROUP

    @property
    def is_remote(self) -> bool:
        return self.mode in REMOTE_MODES


class Attendance(models.Model):
    """A family on a contact: present or not, who came, and whether they had watched the
    component's videos beforehand (None: not known)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="attendances")
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="attendances"
    )
    present = models.BooleanField(default=True)
    mother = models.BooleanField(default=False)
    partner = models.BooleanField(default=False)
    baby = models.BooleanField(default=False)
    supporter = models.BooleanField(default=False, help_text=_("A supporting friend or relative."))
    watched_videos_beforehand = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["contact_id", "family_id"]
        constraints = [
            models.UniqueConstraint(fields=["contact", "family"], name="attendance_unique"),
            models.CheckConstraint(
                name="attendance_present_has_someone",
                condition=Q(present=False) | Q(mother=True) | Q(partner=True) | Q(supporter=True),
                violation_error_message="Say who took part.",
            ),
        ]

    def __str__(self) -> str:
        return f"Family {self.family_id} at contact {self.contact_id}"

    @property
    def attendees(self) -> list[str]:
        names = [("mother", "mother"), ("partner", "partner"), ("baby", "baby")]
        names.append(("supporter", "supporter"))
        return [label for field, label in names if getattr(self, field)]


class Correction(models.Model):
    """One correction of a contact: who, when, and what they changed (field names, and for
    a register the families whose row changed; never the old values, which the record no
    longer claims). The session or contact page lists them."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="corrections")
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField()
    fields = models.JSONField(default=list, help_text=_("The contact's fields changed."))
    family_ids = models.JSONField(
        default=list, help_text=_("The families whose register row changed.")
    )

    class Meta:
        ordering = ["contact_id", "-corrected_at", "-pk"]

    def __str__(self) -> str:
        return f"Correction of contact {self.contact_id}"


class FollowUpTask(models.Model):
    """A phone call the children's services co-facilitator owes a family after a home
    visit that was shortened or done by the health practitioner alone, to reinforce the
    component's key messages. Open until the call is recorded or it is closed with a reason."""

    class Reason(models.TextChoices):
        SHORTENED = "shortened", _("Visit shortened")
        HEALTH_ALONE = "health_alone", _("Health practitioner visited alone")
        BOTH = "both", _("Shortened, health practitioner alone")

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Call made")
        CLOSED = "closed", _("Closed")

    visit = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="follow_up_tasks")
    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="follow_up_tasks"
    )
    component = models.ForeignKey("programme.Component", on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_tasks",
        help_text=_("Empty when the cohort has no children's services practitioner."),
    )
    reason = models.CharField(max_length=14, choices=Reason.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    done_call = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="follow_up_done"
    )
    closed_reason = models.CharField(max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "family"], name="follow_up_one_per_visit"),
            models.CheckConstraint(
                name="follow_up_closed_has_reason",
                condition=~Q(status="closed") | ~Q(closed_reason=""),
                violation_error_message="Say why the follow-up call is not needed.",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up task {self.pk} (family {self.family_id})"


class ParentDelivery(models.Model):
    """What one parent of a family has attended, kept up to date on every change of an
    attendance line or a contact (``delivery.summaries``): the evaluation and its dose
    figures read 100,000 families' rows instead of aggregating 1.6 million lines. Derived
    entirely from ``Attendance`` and ``Contact``; ``manage.py rebuild_summaries`` makes it
    again from them."""

    # A family merge leaves these rows to be worked out again (families.merging).
    derived_from_records = True

    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(
        max_length=8, choices=[("mother", _("Mother")), ("partner", _("Partner"))]
    )
    attended = models.PositiveIntegerField(default=0)  # sessions, calls and visits
    remote = models.PositiveIntegerField(default=0)  # of which by phone or video call
    components = models.PositiveIntegerField(default=0)  # distinct programme components
    remote_watch_known = models.PositiveIntegerField(default=0)
    remote_watched = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family", "role"], name="parent_delivery_unique")
        ]

    def __str__(self) -> str:
        return f"Delivery to the {self.role} of family {self.family_id}"
