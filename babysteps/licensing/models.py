"""Licensed organisations, their licences and the sites that deliver Baby Steps."""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        NHS_TRUST = "nhs_trust", "NHS trust or health board"
        PARTNERSHIP = "partnership", "Partnership"
        VOLUNTARY = "voluntary", "Voluntary organisation"
        OTHER = "other", "Other"

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
        ENQUIRY = "enquiry", "Enquiry"
        READINESS = "readiness", "Readiness assessment"
        APPROVED = "approved", "Approved"
        ACTIVE = "active", "Active"
        RENEWAL_DUE = "renewal_due", "Renewal due"
        EXPIRED = "expired", "Expired"
        SUSPENDED = "suspended", "Suspended"

    # A licence in these states lets its sites deliver (renewal due is still in force).
    DELIVERING = (Status.ACTIVE, Status.RENEWAL_DUE)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="licences"
    )
    reference = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENQUIRY)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
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
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
        JERSEY = "jersey", "Jersey"

    class Offer(models.TextChoices):
        UNIVERSAL = "universal", "Universal (all expectant parents)"
        TARGETED = "targeted", "Targeted (families more likely to need help)"

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
