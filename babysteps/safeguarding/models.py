"""Signposting a family to the NSPCC safe-and-well check: the referral, its call
attempts and escalations, the configurable list of reasons, and the record that a
situation of immediate risk was handled outside the referral (999, local procedures).

Referrals are never deleted: a site withdraws one with a reason. Free text (the summary,
the safeguarding reason for proceeding without consent, notes) is special-category data:
it never reaches logs, ``__str__``, audit details or staff emails."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from babysteps.safeguarding import due


class ReferralReason(models.Model):
    """Why a family is signposted. Edited by NSPCC admins in the Django admin; a reason
    no longer offered is made inactive (past referrals keep it), never deleted."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    help_text = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True, help_text=_("Offered on the signposting form."))

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class Urgency(models.TextChoices):
    SAME_DAY = due.SAME_DAY, _("Same day")
    ONE_WORKING_DAY = due.ONE_WORKING_DAY, _("Within 1 working day")
    FIVE_WORKING_DAYS = due.FIVE_WORKING_DAYS, _("Within 5 working days")


class SafeAndWellReferral(models.Model):
    """A family signposted to the NSPCC safe-and-well check: open (waiting in the queue)
    -> claimed (a practitioner holds it) -> closed with an outcome; or withdrawn by the
    site. Due-by is fixed when it is made, in working days of the family's nation."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting to be claimed")
        CLAIMED = "claimed", _("Claimed")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        # Where the concern came from. A referral from a safety alert points at it
        # (``alert``); for a call (until the call records have a model to point at) or
        # anything else, ``source_reference`` holds a reference.
        FAMILY_PAGE = "family_page", _("The family's record")
        ALERT = "alert", _("A safety alert")
        CALL = "call", _("A call or contact with the family")
        OTHER = "other", _("Something else")

    class ConsentBasis(models.TextChoices):
        GIVEN = "given", _("The parent consented")
        REFUSED = "refused", _("The parent refused: proceeding without consent")
        NOT_SOUGHT = "not_sought", _("Consent not sought: proceeding without it")

    class ConsentMethod(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone or video call")
        WRITTEN = "written", _("In writing")

    class Outcome(models.TextChoices):
        SAFE_AND_WELL = "safe_and_well", _("Safe and well")
        SUPPORT_ACCEPTED = "support_accepted", _("Support offered and accepted")
        ONWARD_REFERRAL = "onward_referral", _("Onward referral")
        DECLINED = "declined", _("Declined")
        NOT_REACHED = "not_reached", _("Not reached")

    class OnwardTo(models.TextChoices):
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children's social care")
        OTHER_SERVICE = "other_service", _("Another service")

    OPEN_STATUSES = (Status.OPEN, Status.CLAIMED)

    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="safe_and_well_referrals"
    )
    site = models.ForeignKey(
        "licensing.Site",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The referring site (the family's site when the referral was made)."),
    )
    parents = models.ManyToManyField(
        "families.Parent", related_name="+", help_text=_("The parent or parents concerned.")
    )
    reasons = models.ManyToManyField(ReferralReason, related_name="referrals")
    summary = models.TextField(max_length=4000)
    urgency = models.CharField(max_length=20, choices=Urgency.choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.FAMILY_PAGE)
    source_reference = models.CharField(
        max_length=40, blank=True, help_text=_("e.g. the reference of the call it came from")
    )
    alert = models.ForeignKey(
        "alerts.Alert",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        help_text=_("The safety alert it came from (source 'alert')."),
    )
    # Consent, or the safeguarding reason for going ahead without it.
    consent_basis = models.CharField(max_length=12, choices=ConsentBasis.choices)
    consent_given_by = models.CharField(max_length=10, blank=True)
    consent_given_on = models.DateField(null=True, blank=True)
    consent_method = models.CharField(max_length=12, choices=ConsentMethod.choices, blank=True)
    no_consent_reason = models.TextField(max_length=2000, blank=True)
    # How to reach the parent safely.
    safe_number = models.CharField(max_length=20)
    safe_call_from = models.TimeField(null=True, blank=True)
    safe_call_to = models.TimeField(null=True, blank=True)
    safe_times_notes = models.CharField(max_length=200, blank=True)
    voicemail_ok = models.BooleanField(default=False)
    language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    # The loop.
    referred_at = models.DateTimeField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_by = models.DateTimeField()
    due_soon_at = models.DateTimeField(help_text=_("When it is escalated if still unclaimed."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_referrals",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    onward_to = models.CharField(max_length=24, choices=OnwardTo.choices, blank=True)
    onward_service = models.CharField(max_length=200, blank=True)
    onward_reference = models.CharField(max_length=60, blank=True)
    outcome_notes = models.TextField(
        max_length=2000, blank=True, help_text=_("The NSPCC team's own notes (not shared).")
    )
    note_for_site = models.TextField(
        max_length=2000,
        blank=True,
        help_text=_("What the NSPCC shares with the referring site, written on closing."),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_by", "pk"]
        indexes = [models.Index(fields=["status", "due_by"], name="referral_status_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status__in=["open", "claimed"]),
                name="referral_one_open_per_family",
                violation_error_message="This family already has an open referral.",
            ),
            models.CheckConstraint(
                name="referral_consent_or_reason",
                condition=(
                    Q(consent_basis="given", consent_given_on__isnull=False, no_consent_reason="")
                    & ~Q(consent_method="")
                    & ~Q(consent_given_by="")
                )
                | (Q(consent_basis__in=["refused", "not_sought"]) & ~Q(no_consent_reason="")),
                violation_error_message=(
                    "Record the parent's consent, or the safeguarding reason for going ahead "
                    "without it."
                ),
            ),
            models.CheckConstraint(
                name="referral_claimed_has_holder",
                condition=~Q(status="claimed") | Q(claimed_by__isnull=False),
            ),
            models.CheckConstraint(
                name="referral_closed_has_outcome",
                condition=~Q(status="closed") | (~Q(outcome="") & Q(closed_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="referral_withdrawn_has_reason",
                condition=~Q(status="withdrawn")
                | (~Q(withdrawal_reason="") & Q(withdrawn_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="referral_onward_has_reference",
                condition=~Q(outcome="onward_referral")
                | (~Q(onward_to="") & ~Q(onward_reference="")),
            ),
            models.CheckConstraint(
                name="referral_alert_is_its_source",
                condition=Q(alert__isnull=True) | Q(source="alert"),
                violation_error_message="A referral made from an alert has the source 'alert'.",
            ),
            models.CheckConstraint(
                name="referral_safe_window_complete",
                condition=Q(safe_call_from__isnull=True, safe_call_to__isnull=True)
                | Q(safe_call_from__isnull=False, safe_call_to__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        # Never a name or free text: this string can reach logs and admin messages.
        return f"Referral {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def with_consent(self) -> bool:
        return self.consent_basis == self.ConsentBasis.GIVEN

    def is_overdue(self, now: datetime) -> bool:
        return self.is_open and now > self.due_by

    @property
    def outcome_display(self) -> str:
        """The outcome as the referring site reads it."""
        if not self.outcome:
            return ""
        if self.outcome == self.Outcome.ONWARD_REFERRAL:
            to = self.onward_service or self.get_onward_to_display()
            return f"Onward referral to {to} (reference {self.onward_reference})"
        return self.get_outcome_display()


class CallAttempt(models.Model):
    """One attempt by the safe-and-well practitioner to reach the parent."""

    class Outcome(models.TextChoices):
        SPOKE = "spoke", _("Spoke to the parent")
        NO_ANSWER = "no_answer", _("No answer")
        ENGAGED = "engaged", _("Engaged")
        NOT_SAFE = "not_safe", _("Not safe to talk: call ended")
        WRONG_NUMBER = "wrong_number", _("Wrong number or not in service")

    referral = models.ForeignKey(
        SafeAndWellReferral, on_delete=models.PROTECT, related_name="call_attempts"
    )
    at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    voicemail_left = models.BooleanField(default=False)
    outside_safe_times_reason = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Why the call was made outside the parent's safe times, if it was."),
    )
    note = models.CharField(max_length=500, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="call_attempt_no_voicemail_when_spoken",
                condition=~Q(outcome="spoke") | Q(voicemail_left=False),
            )
        ]

    def __str__(self) -> str:
        return f"Call attempt {self.pk} on referral {self.referral_id}"

    @property
    def reached(self) -> bool:
        return self.outcome == self.Outcome.SPOKE


class Escalation(models.Model):
    """An escalation of a referral at one stage. The unique constraint is what makes an
    escalation happen once per stage, whichever worker or retry gets there first."""

    class Stage(models.TextChoices):
        DUE_SOON = due.DUE_SOON, _("Due soon and not claimed")
        OVERDUE = due.OVERDUE, _("Past its due-by time")
        OVERDUE_FURTHER = due.OVERDUE_FURTHER, _("A working day past its due-by time")

    referral = models.ForeignKey(
        SafeAndWellReferral, on_delete=models.PROTECT, related_name="escalations"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField()
    notified = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "stage"], name="escalation_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"Escalation of referral {self.referral_id} ({self.stage})"


class ImmediateRiskAction(models.Model):
    """Immediate risk is not a referral: staff call 999 and follow local safeguarding
    procedures. This records that they did, on the family's record."""

    family = models.ForeignKey(
        "families.Family", on_delete=models.PROTECT, related_name="immediate_risk_actions"
    )
    occurred_at = models.DateTimeField()
    called_999 = models.BooleanField(default=False)
    followed_local_procedures = models.BooleanField(default=False)
    reference = models.CharField(
        max_length=60, blank=True, help_text=_("e.g. a police incident number or MASH reference")
    )
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="immediate_risk_action_taken",
                condition=Q(called_999=True) | Q(followed_local_procedures=True),
                violation_error_message="Say what was done: 999 called, or local procedures.",
            )
        ]

    def __str__(self) -> str:
        return f"Immediate risk action {self.pk} for family {self.family_id}"
