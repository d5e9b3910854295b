"""The private video library: videos per curriculum component, their versions (file,
captions, poster, transcript), what each parent has really watched, and when a
component's videos were released to a family."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from babysteps.core.languages import CAPTION_LANGUAGES, code_for


class Video(models.Model):
    """One video in the library. National (made by the NSPCC, ``site`` empty) or local
    to one site. Its content lives in versions; viewing history belongs to the video, so
    replacing the file keeps it."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        PUBLISHED = "published", gettext_lazy("Published")
        RETIRED = "retired", gettext_lazy("Retired")

    component = models.ForeignKey(
        "programme.Component", on_delete=models.PROTECT, related_name="videos"
    )
    site = models.ForeignKey(
        "licensing.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_videos",
        help_text=gettext_lazy(
            "Empty for a national NSPCC video; a site for that site's own families."
        ),
    )
    order = models.PositiveSmallIntegerField(
        default=1, help_text=gettext_lazy("Position within the component.")
    )
    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=60, default="English")
    captions_on_by_default = models.BooleanField(
        default=True, help_text=gettext_lazy("Show captions as soon as the video starts.")
    )
    external_url = models.URLField(
        blank=True,
        help_text=gettext_lazy(
            "An unlisted hosted video (https) shown embedded, instead of an uploaded file."
        ),
    )
    external_captions_confirmed = models.BooleanField(
        default=False,
        help_text=gettext_lazy("The hosted video has captions (needed to publish it)."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "VideoVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["component__order", "order", "pk"]
        indexes = [models.Index(fields=["component", "status"], name="video_component_status_idx")]
        constraints = [
            models.CheckConstraint(
                name="video_retired_has_time",
                condition=~Q(status="retired") | Q(retired_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def length_seconds(self) -> float:
        """The current version's length; 0 before any version (a draft: never shown to
        families, who see only published videos, which always have one)."""
        return self.current_version.duration_seconds if self.current_version else 0.0

    @property
    def is_external(self) -> bool:
        return bool(self.external_url)

    @property
    def caption_language(self) -> str:
        """The code of its own captions' language (the video's; English if unknown)."""
        return code_for(self.language) or "en"


def _version_path(instance: "VideoVersion", filename: str) -> str:
    # Never the uploaded name: it can carry anything. The extension comes from the sniffed type.
    ext = filename.rsplit(".", 1)[-1][:5] if "." in filename else "bin"
    return f"videos/{instance.video_id}/{secrets.token_hex(8)}.{ext}"


class VideoVersion(models.Model):
    """The content of a video at one time. Versions are never edited: a change (a new
    file, corrected captions) is a new version, which becomes the current one."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=_version_path, blank=True, max_length=200)
    content_type = models.CharField(max_length=40, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    duration_seconds = models.FloatField(help_text=gettext_lazy("Length of the video in seconds."))
    poster = models.FileField(upload_to=_version_path, blank=True, max_length=200)
    poster_type = models.CharField(max_length=20, blank=True)
    captions = models.TextField(blank=True, help_text=gettext_lazy("WebVTT, checked on upload."))
    transcript = models.TextField(blank=True)
    note = models.CharField(max_length=200, blank=True, help_text=gettext_lazy("What changed."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["video_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["video", "number"], name="video_version_unique"),
            models.CheckConstraint(
                name="video_version_duration_positive", condition=Q(duration_seconds__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.video} (version {self.number})"

    @property
    def length_display(self) -> str:
        """Plain words: "45 seconds", "3 min 5 s"."""
        seconds = round(self.duration_seconds)
        if seconds < 60:
            return ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
        minutes, rest = divmod(seconds, 60)
        if rest:
            return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": rest}
        return _("%(minutes)s min") % {"minutes": minutes}


class CaptionTrack(models.Model):
    """Captions in one more language for a version (its ``captions`` are in the video's
    own language). Like the version, a track is never edited: a new track makes a new
    version, which carries the other tracks over."""

    version = models.ForeignKey(VideoVersion, on_delete=models.CASCADE, related_name="tracks")
    language = models.CharField(max_length=8, choices=CAPTION_LANGUAGES)
    captions = models.TextField(help_text=gettext_lazy("WebVTT, checked on upload."))

    class Meta:
        ordering = ["version_id", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "language"], name="caption_track_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} captions of {self.version}"


class VideoRelease(models.Model):
    """A component's videos were released to a family (and the family was told). Access
    is computed from the schedule; this row makes the notice and reminder happen once."""

    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="video_releases"
    )
    component = models.ForeignKey("programme.Component", on_delete=models.PROTECT, related_name="+")
    touchpoint_at = models.DateTimeField(
        help_text=gettext_lazy("The call or session the videos prepare for.")
    )
    released_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["family_id", "component__order"]
        constraints = [
            models.UniqueConstraint(fields=["family", "component"], name="video_release_unique")
        ]

    def __str__(self) -> str:
        return f"Release of component {self.component_id} to family {self.family_id}"


class VideoWatch(models.Model):
    """What one parent has really played of one video: merged played intervals, never
    just the furthest position, so scrubbing to the end does not count."""

    video = models.ForeignKey(Video, on_delete=models.PROTECT, related_name="watches")
    parent = models.ForeignKey("families.Parent", on_delete=models.CASCADE, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.CASCADE, related_name="+")
    intervals = models.JSONField(
        default=list, help_text=gettext_lazy("[[start, end], ...] in seconds, merged.")
    )
    seconds_watched = models.FloatField(default=0)
    completed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy("When the watched share first reached the threshold."),
    )
    first_played_at = models.DateTimeField()
    last_played_at = models.DateTimeField()
    reports = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["family_id", "video_id", "parent_id"]
        constraints = [
            models.UniqueConstraint(fields=["video", "parent"], name="video_watch_unique")
        ]
        indexes = [models.Index(fields=["family", "video"], name="video_watch_family_idx")]

    def __str__(self) -> str:
        return f"Watch of video {self.video_id} by parent {self.parent_id}"
