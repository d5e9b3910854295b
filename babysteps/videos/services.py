# Over 400 lines: a video's whole life (versions, captions, publishing) shares its checks.
"""Writes for the video library: creating videos, adding versions (checked by content),
publishing and retiring (what parents watch: ``watching.py``)."""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.models import Action
from babysteps.audit.services import audit_object
from babysteps.core.languages import CAPTION_LANGUAGES, caption_name
from babysteps.licensing.models import Site
from babysteps.programme.models import Component
from babysteps.videos.access import can_manage_video
from babysteps.videos.captions import CaptionsError, parse_captions, transcript_from_cues
from babysteps.videos.containers import IMAGE_TYPES, SNIFF_BYTES, VIDEO_TYPES, probe_duration, sniff
from babysteps.videos.models import CaptionTrack, Video, VideoVersion

VIDEO_FIELDS = (
    "title",
    "summary",
    "language",
    "order",
    "captions_on_by_default",
    "external_url",
    "external_captions_confirmed",
)
MAX_POSTER_BYTES = 5 * 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _check_external_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise ValidationError({"external_url": _("Give the video's private https:// address.")})
    origin = f"https://{parts.netloc}"
    if origin not in settings.CSP_FRAME_SRC:
        raise ValidationError(
            {
                "external_url": _(
                    "Videos from %(netloc)s cannot be shown on this server. Ask for %(origin)s to "
                    "be added to CSP_FRAME_SRC."
                )
                % {"netloc": parts.netloc, "origin": origin}
            }
        )
    return url


def _clean_video_values(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    errors: dict[str, str] = {}
    if "title" in values and not (values["title"] or "").strip():
        errors["title"] = _("Give the video a title.")
    if "language" in values and not (values["language"] or "").strip():
        errors["language"] = _("Say which language the video is in.")
    if "external_url" in values:
        try:
            cleaned["external_url"] = _check_external_url(values["external_url"] or "")
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def video_create(
    *, created_by: User, component: Component, site: Site | None, **values: Any
) -> Video:
    unknown = set(values) - set(VIDEO_FIELDS)
    if unknown:
        raise ValueError(f"Not video fields: {sorted(unknown)}")
    if not can_manage_video(user=created_by, site=site):
        raise ValidationError({"site": _("You can add videos only for a site you manage.")})
    cleaned = _clean_video_values({"title": "", "language": "English", **values})
    video = Video.objects.create(component=component, site=site, created_by=created_by, **cleaned)
    audit_object(
        actor=created_by,
        action=Action.CREATE,
        obj=video,
        site_id=video.site_id,
        detail={"fields": sorted(cleaned)},
    )
    return video


@transaction.atomic
def video_update(*, video: Video, changed_by: User, **values: Any) -> Video:
    unknown = set(values) - set(VIDEO_FIELDS)
    if unknown:
        raise ValueError(f"Not video fields: {sorted(unknown)}")
    cleaned = _clean_video_values(values)
    changed = [f for f, v in cleaned.items() if getattr(video, f) != v]
    for name in changed:
        setattr(video, name, cleaned[name])
    if video.status == Video.Status.PUBLISHED:
        _check_publishable(video)
    if changed:
        video.save(update_fields=changed)
        audit_object(
            actor=changed_by,
            action=Action.CHANGE,
            obj=video,
            site_id=video.site_id,
            detail={"fields": changed},
        )
    return video


MAX_DURATION_SECONDS = 4 * 3600


@dataclass(frozen=True)
class _CheckedFile:
    mime: str
    duration: float | None  # None when the header cannot be read
    digest: str
    size: int


def _check_video_upload(upload: UploadedFile) -> _CheckedFile:
    """The real type, the duration if readable, and the SHA-256 of an uploaded video."""
    limit = settings.VIDEO_MAX_UPLOAD_MB * 1024 * 1024
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            {
                "file": _(
                    "The file is %(megabytes)s; the largest video accepted is "
                    "%(VIDEO_MAX_UPLOAD_MB)s MB."
                )
                % {
                    "megabytes": _megabytes(size),
                    "VIDEO_MAX_UPLOAD_MB": settings.VIDEO_MAX_UPLOAD_MB,
                }
            }
        )
    upload.seek(0)
    mime = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if mime not in VIDEO_TYPES:
        raise ValidationError(
            {
                "file": _(
                    "This file is not a video that browsers can play: its content is not "
                    "MP4 or WebM, whatever its name says. Export the video as MP4 (H.264) or "
                    "WebM and upload that."
                )
            }
        )
    duration = probe_duration(cast(BinaryIO, upload), mime=mime, size=size)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return _CheckedFile(mime, duration, digest.hexdigest(), size)


def _check_poster(upload: UploadedFile) -> str:
    if (upload.size or 0) > MAX_POSTER_BYTES:
        raise ValidationError({"poster": _("The poster image must be smaller than 5 MB.")})
    upload.seek(0)
    mime = sniff(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if mime not in IMAGE_TYPES:
        raise ValidationError({"poster": _("The poster must be a JPEG, PNG or WebP image.")})
    return mime


def _length_ok(seconds: float) -> bool:
    """A length a video can have: a real number of seconds, above 0, at most 4 hours (a
    crafted header can say NaN, a negative or 1e297 seconds)."""
    return math.isfinite(seconds) and 0 < seconds <= MAX_DURATION_SECONDS


def _version_duration(
    *,
    typed: float | None,
    probed: _CheckedFile | None,
    previous: VideoVersion | None,
    errors: dict[str, str],
) -> float | None:
    """The new version's length: typed by the uploader, else read from the file's header
    (checked the same way), else the previous version's when the file is unchanged."""
    if typed is not None:
        if not _length_ok(typed):
            errors["duration_seconds"] = _("Give the length in seconds (up to 4 hours).")
        return typed
    if probed is not None:
        if probed.duration is not None and _length_ok(probed.duration):
            return probed.duration
        if "file" not in errors:
            errors["duration_seconds"] = _(
                "Enter the length of the video in seconds: it could not be read from the file."
            )
        return None
    if previous is not None:
        return previous.duration_seconds
    if "file" not in errors:
        errors["duration_seconds"] = _(
            "Enter the length of the video in seconds: it could not be read from the file."
        )
    return None


def _checked_parts(
    video: Video,
    *,
    file: UploadedFile | None,
    poster: UploadedFile | None,
    previous: VideoVersion | None,
    errors: dict[str, str],
) -> tuple[_CheckedFile | None, str | None]:
    """The uploaded file and poster, checked (problems go into ``errors``)."""
    checked = poster_type = None
    if file is not None:
        if video.is_external:
            errors["file"] = _("This video is an external link: it has no uploaded file.")
        else:
            try:
                checked = _check_video_upload(file)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
    elif previous is None and not video.is_external:
        errors["file"] = _("Choose the video file to upload.")
    if poster is not None:
        try:
            poster_type = _check_poster(poster)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    return checked, poster_type


@transaction.atomic
def video_version_add(
    *,
    video: Video,
    uploaded_by: User,
    file: UploadedFile | None = None,
    captions: UploadedFile | bytes | None = None,
    poster: UploadedFile | None = None,
    transcript: str = "",
    duration_seconds: float | None = None,
    note: str = "",
) -> VideoVersion:
    """Add a version and make it current. What is not given (file, captions, poster,
    transcript) is carried over from the current version, so fixing the captions does
    not mean uploading the video again. Everything is checked before anything is kept."""
    previous = video.current_version
    errors: dict[str, str] = {}
    checked, poster_type = _checked_parts(
        video, file=file, poster=poster, previous=previous, errors=errors
    )
    duration = _version_duration(
        typed=duration_seconds,
        probed=checked if file is not None else None,
        previous=previous,
        errors=errors,
    )
    captions_text = previous.captions if previous else ""
    cues = None
    if captions is not None:
        raw = captions if isinstance(captions, bytes) else captions.read()
        try:
            captions_text, cues = parse_captions(raw, duration=duration)
        except CaptionsError as exc:
            errors["captions"] = str(exc)
    if errors or duration is None:
        raise ValidationError(errors)
    version = VideoVersion(
        video=video,
        number=(previous.number + 1) if previous else 1,
        duration_seconds=duration,
        captions=captions_text,
        transcript=(transcript or "").strip()
        or (transcript_from_cues(cues) if cues else (previous.transcript if previous else "")),
        note=note[:200],
        uploaded_by=uploaded_by,
    )
    if file is not None and checked is not None:
        file.name = f"video.{VIDEO_TYPES[checked.mime]}"
        version.file = file
        version.content_type = checked.mime
        version.size_bytes = checked.size
        version.sha256 = checked.digest
    elif previous is not None:
        version.file = previous.file.name
        version.content_type = previous.content_type
        version.size_bytes = previous.size_bytes
        version.sha256 = previous.sha256
    if poster is not None and poster_type is not None:
        poster.name = f"poster.{IMAGE_TYPES[poster_type]}"
        version.poster = poster
        version.poster_type = poster_type
    elif previous is not None:
        version.poster = previous.poster.name
        version.poster_type = previous.poster_type
    version.save()
    if previous is not None:
        CaptionTrack.objects.bulk_create(
            CaptionTrack(version=version, language=t.language, captions=t.captions)
            for t in previous.tracks.all()
        )
    video.current_version = version
    video.save(update_fields=["current_version"])
    audit_object(
        actor=uploaded_by,
        action=Action.CREATE,
        obj=version,
        site_id=video.site_id,
        detail={
            "video": video.pk,
            "fields": [
                name
                for name, given in (
                    ("file", file),
                    ("captions", captions),
                    ("poster", poster),
                    ("transcript", transcript),
                    ("duration_seconds", duration_seconds),
                )
                if given
            ],
        },
    )
    return version


@transaction.atomic
def caption_track_add(
    *, video: Video, language: str, captions: UploadedFile | bytes, uploaded_by: User
) -> CaptionTrack:
    """Add (or replace) the captions in one more language: a new version, carrying the
    file and the other tracks over, becomes current. The WebVTT is checked as on upload."""
    previous = video.current_version
    if previous is None:
        raise ValidationError({"captions": _("Upload the video before its captions.")})
    errors: dict[str, str] = {}
    if language not in dict(CAPTION_LANGUAGES):
        errors["language"] = _("Choose a language from the list.")
    elif language == video.caption_language:
        errors["language"] = _(
            "The video is in %(language)s: replace its own captions with a new version."
        ) % {"language": video.language}
    raw = captions if isinstance(captions, bytes) else captions.read()
    try:
        text, _cues = parse_captions(raw, duration=previous.duration_seconds)
    except CaptionsError as exc:
        errors["captions"] = str(exc)
    if errors:
        raise ValidationError(errors)
    name = caption_name(language)
    version = video_version_add(
        video=video, uploaded_by=uploaded_by, note=f"Captions in {name} added"
    )
    track, _created = CaptionTrack.objects.update_or_create(
        version=version, language=language, defaults={"captions": text}
    )
    audit_object(
        actor=uploaded_by,
        action=Action.CREATE,
        obj=track,
        site_id=video.site_id,
        detail={"video": video.pk, "language": language},
    )
    return track


def _check_publishable(video: Video) -> None:
    version = video.current_version
    if version is None:
        raise ValidationError({"status": _("Upload the video before publishing it.")})
    if video.is_external:
        if not (version.captions or video.external_captions_confirmed):
            raise ValidationError(
                {"status": _("Confirm the hosted video has captions, or upload WebVTT captions.")}
            )
    elif not version.captions:
        raise ValidationError({"status": _("Add WebVTT captions before publishing the video.")})


@transaction.atomic
def video_publish(*, video: Video, changed_by: User, now: datetime | None = None) -> Video:
    _check_publishable(video)
    video.status = Video.Status.PUBLISHED
    video.published_at = video.published_at or now or timezone.now()
    video.retired_at = None
    video.save(update_fields=["status", "published_at", "retired_at"])
    audit_object(
        actor=changed_by,
        action=Action.CHANGE,
        obj=video,
        site_id=video.site_id,
        detail={"fields": ["status"]},
    )
    return video


@transaction.atomic
def video_retire(*, video: Video, changed_by: User, now: datetime | None = None) -> Video:
    """Hide the video from families it is released to from now on; families who
    already had it keep it, with their viewing history."""
    if video.status != Video.Status.PUBLISHED:
        raise ValidationError({"status": _("Only a published video can be retired.")})
    video.status = Video.Status.RETIRED
    video.retired_at = now or timezone.now()
    video.save(update_fields=["status", "retired_at"])
    audit_object(
        actor=changed_by,
        action=Action.CHANGE,
        obj=video,
        site_id=video.site_id,
        detail={"fields": ["status"]},
    )
    return video
