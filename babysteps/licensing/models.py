"""Licensed organisations, their licences and the sites that deliver Baby Steps."""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        NHS_TRUST = "nhs_trust", _("NHS trust or health board")
        PARTNERSHIP = "partnership", _("Partnership")
        VOLUNTARY = "voluntary", _("Voluntary organisation")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.LOCAL_AUTHORITY)
    contact_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Licence(models.Model):
    """The NSPCC's licence to an organisation to deliver Baby Steps."""

    class Status(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry")
        READINESS = "readiness", _("Readiness assessment")
        APPROVED = "approved", _("Approved")
        ACTIVE = "active", _("Active")
        RENEWAL_DUE = "renewal_due", _("Renewal due")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")

    # A licence in these states lets its sites deliver (renewal due is still in force).
    DELIVERING = (Status.ACTIVE, Status.RENEWAL_DUE)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="licences"
    )
    reference = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENQUIRY)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Terms, set on approval.
    support_until = models.DateField(
        null=True, blank=True, help_text=_("The end of the NSPCC's implementation support.")
    )
    facilitator_allowance = models.PositiveSmallIntegerField(
        default=12, help_text=_("Facilitators the licence includes training for.")
    )
    suspended_reason = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "-start_date"]
        constraints = [
            models.CheckConstraint(
                name="licence_end_after_start",
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=F("start_date")),
                violation_error_message="A licence must end after it starts.",
            ),
            models.CheckConstraint(
                name="licence_delivering_has_dates",
                condition=~Q(status__in=["active", "renewal_due"])
                | (Q(start_date__isnull=False) & Q(end_date__isnull=False)),
                violation_error_message="An active licence needs start and end dates.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    def permits_delivery(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.status in self.DELIVERING
            and self.start_date is not None
            and self.end_date is not None
            and self.start_date <= day <= self.end_date
        )


class Site(models.Model):
    """A place that delivers the programme under an organisation's licence."""

    class Nation(models.TextChoices):
        ENGLAND = "england", _("England")
        WALES = "wales", _("Wales")
        SCOTLAND = "scotland", _("Scotland")
        NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")
        JERSEY = "jersey", _("Jersey")

    class Offer(models.TextChoices):
        UNIVERSAL = "universal", _("Universal (all expectant parents)")
        TARGETED = "targeted", _("Targeted (families more likely to need help)")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="sites")
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="sites"
    )
    name = models.CharField(max_length=200, unique=True)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    offer = models.CharField(max_length=20, choices=Offer.choices, default=Offer.UNIVERSAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def can_deliver(self, on: date | None = None) -> bool:
        """Only a site whose licence is in force may deliver sessions."""
        return self.licence is not None and self.licence.permits_delivery(on)


class ReadinessItem(models.Model):
    """One thing an organisation must have in place before its licence is approved (the
    readiness checklist, kept as data)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


def _readiness_path(instance: "ReadinessCheck", filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1][:5].lower() if "." in filename else "bin"
    return f"licensing/{instance.licence_id}/{secrets.token_hex(8)}.{ext}"


class ReadinessCheck(models.Model):
    """An item of the checklist confirmed for a licence: who, when, and the evidence."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(ReadinessItem, on_delete=models.PROTECT, related_name="checks")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    document = models.FileField(upload_to=_readiness_path, blank=True, max_length=200)

    class Meta:
        ordering = ["item__order"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "item"], name="readiness_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} for {self.licence}"


class LicenceStep(models.Model):
    """One move of a licence along its life cycle, shown on its page (the audit trail
    holds the same)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=20, choices=Licence.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Licence.Status.choices)
    reason = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.licence}: {self.from_status} to {self.to_status}"


class Enquiry(models.Model):
    """A licence enquiry from the public page. It enters the pipeline (as a licence in
    "enquiry") only once its emailed link is followed."""

    organisation_name = models.CharField(max_length=200)
    area = models.CharField(max_length=200, help_text=_("Where they would deliver."))
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    plan = models.TextField(max_length=3000, help_text=_("What they would like to deliver."))
    reason = models.TextField(max_length=3000, help_text=_("Why."))
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    licence = models.OneToOneField(
        Licence, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiry"
    )

    class Meta:
        verbose_name_plural = "enquiries"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Enquiry {self.pk}"
