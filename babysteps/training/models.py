"""The training register: courses (as data), their events, who attended, and the
completions that make a practitioner trained. ``PractitionerProfile.training_completed_on``
is derived from the latest completion (the rules that only trained facilitators may
facilitate read it), never typed in."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Course(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    events_required = models.PositiveSmallIntegerField(
        help_text=_("Events a practitioner attends.")
    )
    days = models.PositiveSmallIntegerField(help_text=_("Training days across the events."))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingEvent(models.Model):
    """One event of a course (e.g. event 2 of 3), with its dates, place and trainer."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="events")
    number = models.PositiveSmallIntegerField(help_text=_("Which of the course's events this is."))
    starts_on = models.DateField()
    ends_on = models.DateField()
    place = models.CharField(max_length=200)
    trainer = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="training_event_ends_after_start", condition=Q(ends_on__gte=F("starts_on"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} event {self.number} ({self.starts_on:%d %b %Y})"


class TrainingAttendance(models.Model):
    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attendances"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="training_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"


class TrainingCompletion(models.Model):
    class Source(models.TextChoices):
        REGISTER = "register", _("Every event of the course attended")
        IMPORTED = "imported", _("Recorded before the register (a date given)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_completions"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "completed_on"], name="training_completion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} completed {self.course} on {self.completed_on}"


class TrainingRequest(models.Model):
    """A site manager asks the NSPCC to train a member of their staff."""

    site = models.ForeignKey("licensing.Site", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Training request for {self.user}"
