"""Every email and text message the platform sends, as a row: what, to whom, when it
may go, and what happened. The row's ``key`` makes sending idempotent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Claimed by a worker")  # outcome unknown if it stays here
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled or superseded")
        SKIPPED = "skipped", _("Not sent (no allowed channel or safe time)")
        # A worker claimed it and stopped (killed, or lost its database) before saying
        # whether it went: never re-sent blindly (it may have), shown to NSPCC admins.
        UNKNOWN = "unknown", _("Sent or not: unknown (the worker stopped)")

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text=_("Idempotency key: one message per key, ever (e.g. reminder:booking:42:24h:3)."),
    )
    group = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        help_text=_(
            "Messages about one thing (e.g. booking:42), so they can be cancelled together."
        ),
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    attachments = models.JSONField(
        default=list, blank=True, help_text=_("[{filename, content_type, content}] (text content)")
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    parent = models.ForeignKey(
        "families.Parent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    send_after = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_reason = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    batch = models.CharField(
        max_length=32,
        blank=True,
        help_text=_(
            "The batch a worker claimed it in, sent in id order: if the worker stops, the "
            "first of its batch still in sending is the one it was sending; the rest were "
            "never handed to the provider."
        ),
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["send_after", "pk"]
        indexes = [models.Index(fields=["status", "send_after"], name="message_due_idx")]

    def __str__(self) -> str:
        # No address or body here: this string can reach logs.
        return f"Message {self.pk} ({self.channel}, {self.status})"


class DeliveryRun(models.Model):
    """A moment at which one task delivers every message then due, in batches, rather
    than one task per message (10,000 reminders due at nine o'clock are one task, not
    10,000). Created with the first message due then; removed when its task runs. Holds
    no personal data."""

    run_at = models.DateTimeField(unique=True)

    def __str__(self) -> str:
        return f"Delivery run at {self.run_at:%Y-%m-%d %H:%M}"
