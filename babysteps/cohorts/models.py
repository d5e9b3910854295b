"""Cohorts (a group of families going through the programme together), who facilitates
them, their planned schedule of the eleven components, and enrolment of families."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    class DeliveryMode(models.TextChoices):
        GROUP = "group", _("Group (face-to-face)")
        REMOTE = "remote", _("Remote (calls and videos)")
        BLENDED = "blended", _("Blended")

    site = models.ForeignKey("licensing.Site", on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120)
    start_date = models.DateField(help_text=_("Date of the first antenatal group session (S1)."))
    due_date_from = models.DateField(help_text=_("Earliest expected due date of the families."))
    due_date_to = models.DateField(help_text=_("Latest expected due date of the families."))
    capacity = models.PositiveSmallIntegerField(default=8, help_text=_("Families (couples)."))
    delivery_mode = models.CharField(
        max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.GROUP
    )
    venue = models.CharField(max_length=200, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CohortFacilitator", related_name="facilitated_cohorts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="cohort_name_unique_per_site"),
            models.CheckConstraint(
                name="cohort_due_window_ordered",
                condition=Q(due_date_to__gte=F("due_date_from")),
                violation_error_message="The due-date window must end on or after it starts.",
            ),
            models.CheckConstraint(
                name="cohort_capacity_range",
                condition=Q(capacity__gte=1) & Q(capacity__lte=20),
                violation_error_message="Capacity must be between 1 and 20 families.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CohortFacilitator(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="facilitator_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohort_links"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="cohort_facilitator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} facilitates {self.cohort}"


class PlannedSession(models.Model):
    """When a component is planned for the cohort. Generated, then editable."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="planned_sessions")
    component = models.ForeignKey(
        "programme.Component", on_delete=models.PROTECT, related_name="planned_sessions"
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    location = models.CharField(max_length=200, blank=True)
    edited = models.BooleanField(
        default=False, help_text=_("Changed by hand; regeneration leaves it alone.")
    )

    class Meta:
        ordering = ["starts_at", "component__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "component"], name="planned_session_unique_component"
            ),
            models.CheckConstraint(
                name="planned_session_duration_range",
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} {self.component.code}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        ENROLLED = "enrolled", _("Enrolled")
        ACTIVE = "active", _("Taking part")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN = (Status.REFERRED, Status.ENROLLED, Status.ACTIVE)
    # Families that hold a place in the cohort (count against capacity).
    HOLDS_PLACE = (Status.REFERRED, Status.ENROLLED, Status.ACTIVE, Status.COMPLETED)

    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="enrolments"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    status_changed_on = models.DateField()
    withdrawal_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Empty when brought in by the import_families command (the audit trail "
            "names the operator)."
        ),
    )

    class Meta:
        ordering = ["cohort_id", "family_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status__in=["referred", "enrolled", "active"]),
                name="enrolment_one_open_per_family",
                violation_error_message="This family is already in an open cohort place.",
            ),
            models.CheckConstraint(
                name="enrolment_withdrawal_has_reason",
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                violation_error_message="A withdrawal needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"Family {self.family_id} in {self.cohort} ({self.get_status_display()})"
