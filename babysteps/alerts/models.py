"""Safety alerts: raised when a questionnaire trips a safety item or lands in the highest
band, shown to the family's facilitators and site manager until a named practitioner
acknowledges it with the action taken, and escalated to the site manager if nobody does.

Kept apart from ``measures`` so that other apps (a safe-and-well referral) can point at an
alert without depending on questionnaire internals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Alert(models.Model):
    class Reason(models.TextChoices):
        SAFETY_ITEM = "safety_item", _("Safety item answered above 0")
        HIGHEST_BAND = "highest_band", _("Total in the highest band")

    class Escalation(models.TextChoices):
        WAITING = "waiting", _("Not yet due")
        ESCALATED = "escalated", _("Escalated to the site manager")
        NOT_NEEDED = "not_needed", _("Acknowledged in time")

    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="alerts")
    site = models.ForeignKey("licensing.Site", on_delete=models.PROTECT, related_name="alerts")
    parent = models.ForeignKey("families.Parent", on_delete=models.CASCADE, related_name="alerts")
    parent_role = models.CharField(max_length=10)
    administration = models.ForeignKey(
        "measures.Administration", on_delete=models.CASCADE, related_name="alerts"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=200, help_text=_("What tripped, e.g. 'EPDS item 10'."))
    raised_at = models.DateTimeField()
    escalate_at = models.DateTimeField(help_text=_("When it goes to the site manager if open."))
    escalation = models.CharField(
        max_length=12, choices=Escalation.choices, default=Escalation.WAITING
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="acknowledged_alerts",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(blank=True)
    # Closed because its questionnaire was entered in error (the reason is the action).
    entered_in_error = models.BooleanField(default=False)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["administration", "reason"], name="alert_once_per_reason"
            ),
            models.CheckConstraint(
                name="alert_acknowledged_with_action",
                condition=Q(acknowledged_at__isnull=True)
                | (Q(acknowledged_by__isnull=False) & ~Q(action_taken="")),
                violation_error_message="An acknowledgement needs a practitioner and an action.",
            ),
        ]
        indexes = [
            models.Index(fields=["acknowledged_at", "escalate_at"], name="alert_open_idx"),
        ]

    def __str__(self) -> str:
        # No family details: this string can reach logs.
        return f"Alert {self.pk} ({self.reason})"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None
