"""Reference rates that the evaluation's birth outcomes are set beside."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BirthOutcome(models.TextChoices):
    PRETERM = "preterm", _("Premature birth (under 37 weeks)")
    LOW_BIRTH_WEIGHT = "low_birth_weight", _("Low birth weight (under 2,500 g)")
    PLANNED_CAESAREAN = "planned_caesarean", _("Planned caesarean")
    EMERGENCY_CAESAREAN = "emergency_caesarean", _("Emergency caesarean")


class ReferenceRate(models.Model):
    """A published general-population rate (kept as data, editable by NSPCC admins)."""

    outcome = models.CharField(max_length=24, choices=BirthOutcome.choices, unique=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    population = models.CharField(max_length=120)
    year = models.CharField(max_length=20)
    source = models.CharField(max_length=300)
    url = models.URLField(max_length=300, blank=True)
    checked = models.BooleanField(
        default=False, help_text=_("The value has been checked against the source.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["outcome"]
        constraints = [
            models.CheckConstraint(
                name="reference_rate_percent_range",
                condition=models.Q(percent__gte=0) & models.Q(percent__lte=100),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: {self.percent}% ({self.year})"
