"""Reads for the video library: which videos a family may watch (and since when), what
each parent has watched, and the library lists."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from babysteps.core.languages import EXPECTED_CAPTIONS, caption_name
from babysteps.families.models import Family
from babysteps.programme.models import Component
from babysteps.videos.intervals import is_watched
from babysteps.videos.models import Video, VideoVersion, VideoWatch
from babysteps.videos.touchpoints import Touchpoint, touchpoints_for_family


def release_time(touchpoint_at: datetime) -> datetime:
    """When a component's videos open to a family: N days before its call or session."""
    return touchpoint_at - timedelta(days=settings.VIDEO_RELEASE_DAYS_BEFORE)


def watched_fraction() -> float:
    return settings.VIDEO_WATCHED_FRACTION


@dataclass
class ComponentVideos:
    """A released component of a family's programme and the videos they may watch."""

    touchpoint: Touchpoint
    released_at: datetime
    videos: list[Video] = field(default_factory=list)

    @property
    def component(self) -> Component:
        return self.touchpoint.component


def visible_for(
    candidates: Iterable[Video], *, site_id: int, language: str, released_at: datetime
) -> list[Video]:
    """Which of one component's videos a family sees: national or their site's own, with
    a version; published, or retired only after the family already had it; in the
    family's language where the component has any, else in the default language."""
    usable = [
        v
        for v in candidates
        if (v.site_id is None or v.site_id == site_id)
        and v.current_version_id is not None
        and (
            v.status == Video.Status.PUBLISHED
            or (v.status == Video.Status.RETIRED and v.retired_at and v.retired_at > released_at)
        )
    ]
    for wanted in (language, settings.VIDEO_DEFAULT_LANGUAGE):
        chosen = [v for v in usable if v.language.lower() == wanted.lower()]
        if chosen:
            return chosen
    return usable


def _library_rows(component_ids: Iterable[int]) -> QuerySet[Video]:
    return (
        Video.objects.filter(
            component_id__in=list(component_ids),
            status__in=[Video.Status.PUBLISHED, Video.Status.RETIRED],
        )
        .select_related("current_version", "component")
        .order_by("component__order", "order", "pk")
    )


def released_components(family: Family, *, now: datetime) -> list[ComponentVideos]:
    """The family's components whose videos are released (soonest call last), each with
    the videos the family may watch. Three queries, whatever the library's size."""
    touchpoints = [t for t in touchpoints_for_family(family) if release_time(t.starts_at) <= now]
    if not touchpoints:
        return []
    by_component: dict[int, list[Video]] = {}
    for video in _library_rows(t.component.pk for t in touchpoints):
        by_component.setdefault(video.component_id, []).append(video)
    result = []
    for t in touchpoints:
        opened = release_time(t.starts_at)
        videos = visible_for(
            by_component.get(t.component.pk, []),
            site_id=family.site_id,
            language=family.preferred_language,
            released_at=opened,
        )
        result.append(ComponentVideos(touchpoint=t, released_at=opened, videos=videos))
    return result


def video_released_to_family(family: Family, video_id: int, *, now: datetime) -> Video | None:
    """The video, if it is released to this family now; else None."""
    for group in released_components(family, now=now):
        for video in group.videos:
            if video.pk == video_id:
                return video
    return None


def component_videos_for_family(
    family: Family, component: Component, *, touchpoint_at: datetime
) -> list[Video]:
    """The videos a family has (or will have) for one component, release aside."""
    return visible_for(
        _library_rows([component.pk]),
        site_id=family.site_id,
        language=family.preferred_language,
        released_at=release_time(touchpoint_at),
    )


def watches_for_family(family: Family) -> dict[int, dict[int, VideoWatch]]:
    """{video id: {parent id: watch}} for every video the family has played."""
    result: dict[int, dict[int, VideoWatch]] = {}
    for watch in VideoWatch.objects.filter(family=family):
        result.setdefault(watch.video_id, {})[watch.parent_id] = watch
    return result


def published_before(videos: Iterable[Video], moment: datetime) -> list[Video]:
    """The videos that were there to watch before ``moment`` (a call or session): a video
    published later says nothing about it."""
    return [v for v in videos if v.published_at is not None and v.published_at < moment]


def family_watched_before(*, family: Family, component: Component, before: datetime) -> bool | None:
    """Whether, before ``before`` (the call), the family had watched every video of the
    component (each by at least one parent, to the watched threshold). None when the
    component had no videos for them then (a video published after the call was not
    there to watch: a 2019 session says "not known", never "no")."""
    videos = published_before(
        component_videos_for_family(family, component, touchpoint_at=before), before
    )
    if not videos:
        return None
    done = set(
        VideoWatch.objects.filter(
            family=family, video__in=videos, completed_at__isnull=False, completed_at__lt=before
        ).values_list("video_id", flat=True)
    )
    return all(v.pk in done for v in videos)


def watch_summary(watch: VideoWatch | None, duration: float) -> dict[str, float | bool]:
    seconds = watch.seconds_watched if watch else 0.0
    return {
        "seconds": round(seconds),
        "percent": round(100 * seconds / duration) if duration else 0,
        "watched": bool(watch and watch.completed_at)
        or is_watched(seconds=seconds, duration=duration, fraction=watched_fraction()),
    }


def library(*, videos: QuerySet[Video]) -> QuerySet[Video]:
    """Library rows with component, site, current version and viewer counts."""
    return (
        videos.select_related("component", "site", "current_version")
        .prefetch_related("current_version__tracks")
        .annotate(
            viewers=Count("watches", distinct=True),
            completions=Count(
                "watches", filter=Q(watches__completed_at__isnull=False), distinct=True
            ),
            version_count=Count("versions", distinct=True),
        )
        .order_by("component__order", "site_id", "order", "pk")
    )


@dataclass(frozen=True)
class CaptionLanguages:
    """The caption tracks a version offers (its own language first), and which of the
    portal's languages it still lacks."""

    tracks: list[tuple[str, str]]  # (code, name)
    missing: list[str]  # names


def caption_languages(video: Video, version: VideoVersion | None) -> CaptionLanguages:
    """From prefetched ``tracks``."""
    tracks: list[tuple[str, str]] = []
    if version is not None:
        own = video.caption_language
        if version.captions:
            tracks.append((own, caption_name(own)))
        tracks += [(t.language, caption_name(t.language)) for t in version.tracks.all()]
    have = {code for code, _ in tracks}
    return CaptionLanguages(
        tracks=tracks, missing=[caption_name(c) for c in EXPECTED_CAPTIONS if c not in have]
    )


def caption_text(video: Video, version: VideoVersion, language: str | None) -> str:
    """The WebVTT for a language (the version's own captions when none is asked)."""
    if not language or language == video.caption_language:
        return version.captions
    track = next((t for t in version.tracks.all() if t.language == language), None)
    return track.captions if track is not None else ""
