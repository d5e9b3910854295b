"""Legal holds, erasure requests and the retention schedule (data, with sources)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LegalHold(models.Model):
    """A hold an NSPCC admin places on a family's records: nothing of theirs is erased
    (on request or by the retention schedule) until it is released."""

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(
        max_length=200,
        help_text=_("Why the records must be kept, e.g. a court order or a complaint. No names."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-placed_at"]
        indexes = [
            models.Index(
                fields=["family"], condition=Q(released_at=None), name="privacy_hold_active_idx"
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} on family {self.family_id}"


class ErasureRequest(models.Model):
    """Two people erase a family: a site manager asks, an NSPCC admin approves. Either can
    cancel before approval."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        DONE = "done", _("Erased")
        CANCELLED = "cancelled", _("Cancelled")

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200, help_text=_("Why (no names or other personal data)."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status="requested"),
                name="privacy_one_pending_erasure",
                violation_error_message="An erasure of this family is already waiting.",
            )
        ]

    def __str__(self) -> str:
        return f"Erasure request {self.pk} ({self.get_status_display()})"


class RecordClass(models.TextChoices):
    FAMILY_RECORDS = "family_records", _("Family records")
    QUESTIONNAIRES = "questionnaires", _("Questionnaires kept for the evaluation")
    SAFEGUARDING = "safeguarding", _("Safe-and-well referrals")
    MESSAGES = "messages", _("Messages to parents")
    PORTAL_SIGN_IN = "portal_sign_in", _("Portal sign-in records")
    AUDIT_EVENTS = "audit_events", _("Audit events")
    PETITION_UNCONFIRMED = "petition_unconfirmed", _("Petition signatures never confirmed")
    PETITION_SIGNATURES = "petition_signatures", _("Petition signers' details")
    ENQUIRY_UNCONFIRMED = "enquiry_unconfirmed", _("Licence enquiries never confirmed")
    ENQUIRY_CONTACTS = "enquiry_contacts", _("Licence enquirers' contact details")


class RetentionRule(models.Model):
    """One period per record class, with where it comes from: the schedule as data. The
    defaults are the organisation's decision to confirm (docs/data-protection.md)."""

    record_class = models.CharField(max_length=20, choices=RecordClass.choices, unique=True)
    period_days = models.PositiveIntegerField()
    starts_from = models.CharField(max_length=120, help_text=_("What the period counts from."))
    action = models.CharField(max_length=120, help_text=_("What happens when it ends."))
    source = models.TextField(help_text=_("The policy or guidance behind the period."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["record_class"]

    def __str__(self) -> str:
        return f"{self.get_record_class_display()}: {self.period_days} days"


class RetentionRun(models.Model):
    """What one run of the retention job did (or, in a dry run, would do), by class."""

    started_at = models.DateTimeField()
    dry_run = models.BooleanField()
    report = models.JSONField(default=dict)
    channel = models.CharField(max_length=10)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return (
            f"Retention run {self.started_at:%Y-%m-%d %H:%M}{' (dry run)' if self.dry_run else ''}"
        )
