"""Families: the expectant parents, their baby once born, identifiers, contact
preferences and consents. Special-category data: read and write only through
the access chokepoints (``babysteps.families.access``) and the services here."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from babysteps.core.languages import PORTAL_LANGUAGES, portal_language_for
from babysteps.families.identifiers import IdentifierType, display


class IdentifierTypeChoices(models.TextChoices):
    NHS = IdentifierType.NHS.value, _("NHS number")
    CHI = IdentifierType.CHI.value, _("CHI number (Scotland)")
    HC = IdentifierType.HC.value, _("H&C number (Northern Ireland)")


class Family(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")
        PHONE = "phone", _("Phone call")

    site = models.ForeignKey("licensing.Site", on_delete=models.PROTECT, related_name="families")
    estimated_due_date = models.DateField()
    identifier_type = models.CharField(
        max_length=3, choices=IdentifierTypeChoices.choices, default=IdentifierTypeChoices.NHS
    )
    identifier = models.CharField(
        max_length=10, blank=True, help_text=_("The mother's NHS, CHI or H&C number.")
    )
    postcode = models.CharField(max_length=8)
    preferred_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    # Contact preferences: which channels may be used, and which one first.
    contact_by_email = models.BooleanField(default=True)
    contact_by_sms = models.BooleanField(default=True)
    contact_by_phone = models.BooleanField(default=True)
    preferred_channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.SMS)
    # Safe times to call: messages and calls outside this window wait until it opens.
    safe_call_from = models.TimeField(null=True, blank=True)
    safe_call_to = models.TimeField(null=True, blank=True)
    safe_call_notes = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. not when her partner is at home")
    )
    voicemail_ok = models.BooleanField(default=False)
    weekly_tips_opt_in = models.BooleanField(
        default=False, help_text=_("The parents want a weekly programme tip (by their channel).")
    )
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
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the family's personal data was erased (on request or at the end of "
            "its retention period). What remains is anonymous: counts for reports."
        ),
    )

    class Meta:
        verbose_name_plural = "families"
        constraints = [
            models.UniqueConstraint(
                fields=["identifier_type", "identifier"],
                condition=~Q(identifier=""),
                name="family_identifier_unique",
                violation_error_message="A family with this identifier is already recorded.",
            ),
            models.CheckConstraint(
                name="family_safe_window_complete",
                condition=Q(safe_call_from__isnull=True, safe_call_to__isnull=True)
                | Q(safe_call_from__isnull=False, safe_call_to__isnull=False),
                violation_error_message="Give both ends of the safe time to call, or neither.",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: this string can reach logs and admin change messages.
        return f"Family {self.pk}"

    @property
    def identifier_display(self) -> str:
        return display(self.identifier)

    @property
    def mother(self) -> "Parent | None":
        return next((p for p in self.parents.all() if p.role == Parent.Role.MOTHER), None)

    @property
    def partner(self) -> "Parent | None":
        return next((p for p in self.parents.all() if p.role != Parent.Role.MOTHER), None)

    @property
    def latest_enrolment(self):
        """The newest cohort place (from prefetched ``enrolments``), or None."""
        rows = list(self.enrolments.all())
        return max(rows, key=lambda e: (e.created_at, e.pk)) if rows else None

    @property
    def display_name(self) -> str:
        """How staff refer to the family: the mother's name (from prefetched parents)."""
        mother = self.mother
        if self.anonymised_at is not None or not (mother and mother.full_name):
            return f"Family {self.pk}" + (" (erased)" if self.anonymised_at else "")
        return mother.full_name


class Parent(models.Model):
    """The mother, or her partner or supporter. Each has their own contact details."""

    class Role(models.TextChoices):
        MOTHER = "mother", _("Mother")
        PARTNER = "partner", _("Partner")
        SUPPORTER = "supporter", _("Supporter (friend or relative)")

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="parents")
    role = models.CharField(max_length=10, choices=Role.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=20, blank=True)
    language = models.CharField(
        max_length=8,
        blank=True,
        choices=PORTAL_LANGUAGES,
        help_text=_(
            "The parent's own choice for the portal and messages (empty: the "
            "family's preferred language, else English)."
        ),
    )

    class Meta:
        ordering = ["family_id", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(role="mother"),
                name="parent_one_mother_per_family",
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=~Q(role="mother"),
                name="parent_one_partner_per_family",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of family {self.family_id}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def portal_language(self) -> str:
        """The language of the portal and of messages to this parent."""
        return self.language or portal_language_for(self.family.preferred_language)


class Baby(models.Model):
    class ModeOfBirth(models.TextChoices):
        VAGINAL = "vaginal", _("Spontaneous vaginal")
        ASSISTED = "assisted", _("Assisted vaginal (forceps or ventouse)")
        PLANNED_CAESAREAN = "planned_caesarean", _("Planned caesarean")
        EMERGENCY_CAESAREAN = "emergency_caesarean", _("Emergency caesarean")

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="babies")
    given_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gestation_weeks = models.PositiveSmallIntegerField(
        help_text=_("Completed weeks of pregnancy at birth (22 to 44).")
    )
    birth_weight_grams = models.PositiveIntegerField(help_text=_("Between 300 and 6500 grams."))
    mode_of_birth = models.CharField(max_length=24, choices=ModeOfBirth.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "babies"
        constraints = [
            models.CheckConstraint(
                name="baby_gestation_range", condition=Q(gestation_weeks__range=(22, 44))
            ),
            models.CheckConstraint(
                name="baby_weight_range", condition=Q(birth_weight_grams__range=(300, 6500))
            ),
        ]

    def __str__(self) -> str:
        return f"Baby of family {self.family_id}"

    @property
    def is_premature(self) -> bool:
        return self.gestation_weeks < 37

    @property
    def is_low_birth_weight(self) -> bool:
        return self.birth_weight_grams < 2500


class Consent(models.Model):
    """A consent decision as recorded. Append-only: the latest of each kind stands."""

    class Kind(models.TextChoices):
        TAKE_PART = "take_part", _("To take part in Baby Steps")
        SHARE_WITH_NSPCC = "share_with_nspcc", _("To share information with the NSPCC")
        EVALUATION = "evaluation", _("To be included in the evaluation")

    class Method(models.TextChoices):
        VERBAL = "verbal", _("Verbally")
        WRITTEN = "written", _("In writing")
        PORTAL = "portal", _("In the parent portal")

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    given = models.BooleanField()
    given_by = models.CharField(max_length=10, choices=Parent.Role.choices, default="mother")
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.VERBAL)
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_id", "kind", "-decided_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {'yes' if self.given else 'no'}"


class FamilyMerge(models.Model):
    """Two records of one family made one: every record of the merged family moved to the
    one kept, and the merged family's row removed. This says which, who and when."""

    kept = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="merges")
    merged_family_id = models.BigIntegerField(help_text=_("The id of the family merged in."))
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    moved = models.JSONField(
        default=dict, help_text=_("How many records of each kind moved (no personal data).")
    )

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"Family {self.merged_family_id} merged into family {self.kept_id}"
