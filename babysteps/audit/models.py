"""The audit trail: who read or changed which record, when, and why.

Append-only at the database level (triggers refuse UPDATE and DELETE; the retention purge
is the one, narrow exception) and tamper-evident (each event is chained to the one before
by an HMAC: ``chain.py``, ``manage.py audit_verify``).
"""

from datetime import UTC
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    DELETE = "delete", _("Removed")
    ERASE = "erase", _("Erased")
    HOLD = "hold", _("Held")
    PURGE = "purge", _("Purged")
    EXPORT = "export", _("Exported")
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")
    SIGN_IN = "sign_in", _("Signed in")


class AuditEvent(models.Model):
    """One access to, or change of, sensitive data.

    ``detail`` carries field *names* and ids, never values: the trail must not become a
    second copy of the record.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        help_text=_("Empty for the system or a parent (see actor_label)."),
    )
    actor_label = models.CharField(max_length=120, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    family_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    site_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    channel = models.CharField(max_length=10, default="web", help_text=_("web, api, command, task"))
    reason = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def chained_content(self) -> dict[str, Any]:
        """What the hash covers: every field but the id and the hashes themselves."""
        return chained_content(
            at=self.at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            family_id=self.family_id,
            site_id=self.site_id,
            channel=self.channel,
            reason=self.reason,
            detail=self.detail,
        )


CHAINED_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "family_id",
    "site_id",
    "channel",
    "reason",
    "detail",
)


def chained_content(**fields: Any) -> dict[str, Any]:
    """The canonical form of an event's fields (the time in UTC to the microsecond)."""
    content = {name: fields[name] for name in CHAINED_FIELDS}
    content["at"] = fields["at"].astimezone(UTC).isoformat(timespec="microseconds")
    return content
