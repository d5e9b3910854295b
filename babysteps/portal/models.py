"""The parent portal: passwordless sign-in challenges, each parent's own portal
settings, and the questions and worries parents send ahead of a call."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SignInChallenge(models.Model):
    """A one-time sign-in: a link token and a 6-digit code, both stored only as hashes.
    Single use, short-lived, and limited in the number of guesses."""

    parent = models.ForeignKey("families.Parent", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    code_salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The member of staff who sent the link, if not asked for by the parent."),
    )
    browser_hash = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_(
            "Hash of the secret in the asking browser's session; empty for a link "
            "staff sent (which then needs the code too)."
        ),
    )

    class Meta:
        indexes = [models.Index(fields=["parent", "expires_at"], name="challenge_parent_idx")]

    def __str__(self) -> str:
        return f"Sign-in challenge {self.pk}"


class PortalProfile(models.Model):
    """A parent's own portal settings (the family's contact preferences, weekly tips
    included, stay on Family)."""

    parent = models.OneToOneField(
        "families.Parent", on_delete=models.CASCADE, related_name="portal_profile"
    )
    captions_on = models.BooleanField(default=True, help_text=_("Start videos with captions on."))
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Portal settings of parent {self.parent_id}"


class ParentQuestion(models.Model):
    """Something a parent would like to talk about in their next call or session."""

    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="portal_questions"
    )
    parent = models.ForeignKey("families.Parent", on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(
        "programme.Component",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The call or session it was asked ahead of."),
    )
    touchpoint_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField()
    call_me_soon = models.BooleanField(
        default=False, help_text=_("Please call me about this soon.")
    )
    submission_key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    discussed_at = models.DateTimeField(null=True, blank=True)
    discussed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "submission_key"],
                condition=~Q(submission_key=""),
                name="parent_question_submission_unique",
            ),
            models.CheckConstraint(
                name="parent_question_discussed_complete",
                condition=Q(discussed_at__isnull=True, discussed_by__isnull=True)
                | Q(discussed_at__isnull=False, discussed_by__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["family", "discussed_at"], name="question_family_idx")]

    def __str__(self) -> str:
        # Never the text: this string can reach logs.
        return f"Question {self.pk} of family {self.family_id}"
