"""Campaign petitions: a campaign, and the signatures of people who signed it. A signature
counts once its emailed link is followed (double opt-in); one per person per campaign
(the email normalised); withdrawing removes it from the count and erases who signed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField(help_text=_("What the petition asks for (plain text, paragraphs)."))
    target = models.PositiveIntegerField(help_text=_("How many signatures the campaign aims for."))
    opens_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    sign_wording = models.CharField(
        max_length=300,
        default="I want to add my name to this petition.",
        help_text=_("The consent to sign, stored with each signature as it was worded."),
    )
    updates_wording = models.CharField(
        max_length=300,
        default="Email me about this campaign (optional; you can stop at any time).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "title"]
        constraints = [
            models.CheckConstraint(
                name="campaign_closes_after_it_opens",
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                violation_error_message="A campaign closes on or after the day it opens.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Signature(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the email link")
        CONFIRMED = "confirmed", _("Confirmed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="signatures")
    name = models.CharField(max_length=120)
    email = models.CharField(max_length=254, help_text=_("Normalised: trimmed, NFKC, lower case."))
    postcode = models.CharField(max_length=10, blank=True)
    sign_consent = models.CharField(max_length=300, help_text=_("The wording they agreed to."))
    wants_updates = models.BooleanField(default=False)
    updates_consent = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "email"],
                condition=~Q(status="withdrawn"),
                name="signature_one_per_person",
            ),
            models.CheckConstraint(
                name="signature_confirmed_has_time",
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "confirmed_at"], name="signature_count_idx")
        ]

    def __str__(self) -> str:
        return f"Signature {self.pk} ({self.status})"
