"""The audit trail: who read or changed which record, when, and why. Append-only."""

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    DELETE = "delete", "Removed"
    EXPORT = "export", "Exported"
    ACKNOWLEDGE = "acknowledge", "Acknowledged"
    SIGN_IN = "sign_in", "Signed in"


class AuditEvent(models.Model):
    """One access to, or change of, sensitive data.

    ``detail`` carries field *names* and ids, never values: the trail must not become a
    second copy of the record.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        help_text="Empty for the system or a parent (see actor_label).",
    )
    actor_label = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    family_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    site_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    channel = models.CharField(max_length=10, default="web", help_text="web, api, command, task")
    reason = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
