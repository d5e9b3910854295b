"""Questionnaire instruments (definitions as data) and administrations: one parent's
answers to one instrument at one time point, with the scores derived from them."""

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.measures.catalogue import keying_confirmed
from babysteps.measures.definition import Instrument as InstrumentDefinition
from babysteps.measures.definition import parse_definition


class Instrument(models.Model):
    """An instrument's definition (see ``definition.py``), loaded from the files shipped in
    ``instruments/`` or added by an NSPCC admin. ``version`` is the scoring version: it goes
    up whenever keying, bands, caseness, safety items or subscales change."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    definition = models.JSONField()
    wording = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy(
            "Licensed full wording from the deploying organisation's content file."
        ),
    )
    active = models.BooleanField(
        default=True, help_text=gettext_lazy("Offered for new questionnaires.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name

    def clean(self) -> None:
        if self.active and not keying_confirmed(self.definition or {}):
            raise ValidationError(
                {
                    "active": _(
                        "This questionnaire's item keying is not confirmed (%(reason)s). "
                        "Confirm it and set keying_confirmed to true first."
                    )
                    % {
                        "reason": (self.definition or {}).get(
                            "inactive_reason", "see its definition"
                        )
                    }
                }
            )

    @cached_property
    def spec(self) -> InstrumentDefinition:
        return parse_definition({**self.definition, "version": self.version})

    @property
    def has_full_wording(self) -> bool:
        return self.spec.wording == "included" or bool(self.wording.get("items"))


class InstrumentRevision(models.Model):
    """Every definition an instrument has had, so a score can be traced to its rules."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    definition = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument_id", "-changed_at"]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.version}"


class AdministrationQuerySet(models.QuerySet["Administration"]):
    def counted(self) -> "AdministrationQuerySet":
        """The administrations that count: not voided as entered in error."""
        return self.filter(voided_at__isnull=True)


class Administration(models.Model):
    class Timepoint(models.TextChoices):
        PRE = "pre", gettext_lazy("Pre (baseline)")
        MID = "mid", gettext_lazy("Mid (end of antenatal sessions)")
        POST = "post", gettext_lazy("Post (after the last session)")
        FOLLOW_UP = "follow_up", gettext_lazy("Follow-up")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", gettext_lazy("In person")
        PHONE = "phone", gettext_lazy("By phone")
        PORTAL = "portal", gettext_lazy("In the parent portal")

    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="administrations"
    )
    parent = models.ForeignKey(
        "families.Parent", on_delete=models.CASCADE, related_name="administrations"
    )
    respondent_role = models.CharField(
        max_length=10, help_text=gettext_lazy("The parent's role when answering.")
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="administrations",
        help_text=gettext_lazy("The family's cohort place when answering (for the evaluation)."),
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="administrations"
    )
    timepoint = models.CharField(max_length=10, choices=Timepoint.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    administered_on = models.DateField()
    # Item-level answers: the 0-based position of each chosen option, as printed.
    answers = models.JSONField()
    # Derived by scoring.py with the instrument's rules at ``scoring_version``.
    item_scores = models.JSONField()
    raw_total = models.IntegerField()
    total = models.FloatField()
    band = models.CharField(max_length=40, blank=True)
    is_case = models.BooleanField(default=False)
    elevated = models.BooleanField(default=False)
    safety_flag = models.BooleanField(default=False)
    subscales = models.JSONField(default=dict, blank=True)
    scoring_version = models.PositiveIntegerField()
    scored_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=gettext_lazy("Empty when the parent answered in the portal."),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Entered in error: kept (never deleted), out of every figure, with who, when and why.
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    void_reason = models.CharField(max_length=500, blank=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["-administered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "instrument", "timepoint", "cohort"],
                condition=Q(cohort__isnull=False, voided_at__isnull=True),
                name="administration_once_per_timepoint",
                violation_error_message="Already recorded at this time point.",
            ),
            models.UniqueConstraint(
                fields=["parent", "instrument", "timepoint"],
                condition=Q(cohort__isnull=True, voided_at__isnull=True),
                name="administration_once_per_timepoint_uncohorted",
            ),
            models.CheckConstraint(
                name="administration_void_has_who_and_why",
                condition=Q(voided_at__isnull=True)
                | (Q(voided_by__isnull=False) & ~Q(void_reason="")),
            ),
        ]
        indexes = [models.Index(fields=["instrument", "timepoint"], name="administration_eval_idx")]

    def __str__(self) -> str:
        return f"{self.instrument} {self.timepoint} for family {self.family_id}"

    @property
    def total_display(self) -> str:
        return f"{self.total:g}"
