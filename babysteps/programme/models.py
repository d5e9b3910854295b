"""The Baby Steps curriculum as data: components (home visits and group sessions) and
their key messages. Seeded by a data migration; NSPCC admins edit it in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Component(models.Model):
    class Kind(models.TextChoices):
        HOME_VISIT = "home_visit", _("Home visit")
        GROUP_SESSION = "group_session", _("Group session")

    class Phase(models.TextChoices):
        ANTENATAL = "antenatal", _("Antenatal")
        POSTNATAL = "postnatal", _("Postnatal")

    code = models.CharField(max_length=8, unique=True, help_text=_("e.g. HV1, S1"))
    order = models.PositiveSmallIntegerField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices)
    title = models.CharField(max_length=120)
    theme = models.CharField(max_length=200)
    typical_duration_minutes = models.PositiveSmallIntegerField(default=120)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def is_group_session(self) -> bool:
        return self.kind == self.Kind.GROUP_SESSION

    @property
    def is_home_visit(self) -> bool:
        return self.kind == self.Kind.HOME_VISIT


class KeyMessage(models.Model):
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="key_messages")
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["component__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["component", "order"], name="key_message_order_unique")
        ]

    def __str__(self) -> str:
        return self.text
