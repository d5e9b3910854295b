"""Reads for the parent portal's pages and the facilitator's call preparation."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from babysteps.families.models import Family, Parent
from babysteps.portal.models import ParentQuestion
from babysteps.videos.models import Video, VideoWatch
from babysteps.videos.selectors import (
    ComponentVideos,
    component_videos_for_family,
    release_time,
    released_components,
    watch_summary,
    watches_for_family,
)
from babysteps.videos.touchpoints import (
    Touchpoint,
    next_touchpoint,
    touchpoints_for_family,
    upcoming_for_families,
)


@dataclass
class VideoRow:
    video: Video
    seconds: int
    percent: int
    watched: bool


@dataclass
class PortalHome:
    next_touchpoint: Touchpoint | None
    next_videos: list[VideoRow]
    next_released: bool
    next_opens_at: datetime | None
    earlier: list[tuple[ComponentVideos, list[VideoRow]]]
    questions: list[ParentQuestion]


def _rows(videos: list[Video], watches: dict[int, dict[int, VideoWatch]], parent_id: int):
    rows = []
    for video in videos:
        watch = watches.get(video.pk, {}).get(parent_id)
        summary = watch_summary(watch, video.length_seconds)
        rows.append(
            VideoRow(
                video, int(summary["seconds"]), int(summary["percent"]), bool(summary["watched"])
            )
        )
    return rows


def portal_home(*, parent: Parent, now: datetime) -> PortalHome:
    family = parent.family
    groups = released_components(family, now=now)
    watches = watches_for_family(family)
    upcoming = next_touchpoint(family, now=now)
    next_group = next(
        (g for g in groups if upcoming and g.component.pk == upcoming.component.pk), None
    )
    earlier = [
        (g, _rows(g.videos, watches, parent.pk))
        for g in reversed(groups)
        if g is not next_group and g.videos
    ]
    return PortalHome(
        next_touchpoint=upcoming,
        next_videos=_rows(next_group.videos, watches, parent.pk) if next_group else [],
        next_released=next_group is not None,
        next_opens_at=release_time(upcoming.starts_at) if upcoming else None,
        earlier=earlier,
        questions=list(ParentQuestion.objects.filter(parent=parent).order_by("-created_at")[:10]),
    )


@dataclass
class ParentWatch:
    parent: Parent
    seconds: int
    percent: int
    watched: bool
    last_played_at: datetime | None


@dataclass
class PrepVideo:
    video: Video
    duration: int
    by_parent: list[ParentWatch] = field(default_factory=list)


@dataclass
class CallPrep:
    touchpoint: Touchpoint | None
    touchpoints: list[Touchpoint]
    released: bool
    videos: list[PrepVideo]
    open_questions: list[ParentQuestion]
    discussed_questions: list[ParentQuestion]

    @property
    def opens_at(self) -> datetime | None:
        return release_time(self.touchpoint.starts_at) if self.touchpoint else None

    @property
    def urgent(self) -> list[ParentQuestion]:
        return [q for q in self.open_questions if q.call_me_soon]


def call_prep(*, family: Family, component_code: str | None, now: datetime) -> CallPrep:
    """What a facilitator needs before a call: per parent, how much of each of the
    component's videos they really watched; their questions, urgent ones first."""
    touchpoints = touchpoints_for_family(family)
    chosen = None
    if component_code:
        chosen = next((t for t in touchpoints if t.component.code == component_code), None)
    if chosen is None:
        chosen = next_touchpoint(family, now=now) or (touchpoints[-1] if touchpoints else None)
    videos: list[PrepVideo] = []
    if chosen is not None:
        watches = watches_for_family(family)
        parents = list(family.parents.all())
        for video in component_videos_for_family(
            family, chosen.component, touchpoint_at=chosen.starts_at
        ):
            duration = video.length_seconds
            row = PrepVideo(video=video, duration=round(duration))
            for parent in parents:
                watch = watches.get(video.pk, {}).get(parent.pk)
                summary = watch_summary(watch, duration)
                row.by_parent.append(
                    ParentWatch(
                        parent=parent,
                        seconds=int(summary["seconds"]),
                        percent=int(summary["percent"]),
                        watched=bool(summary["watched"]),
                        last_played_at=watch.last_played_at if watch else None,
                    )
                )
            videos.append(row)
    questions = list(
        ParentQuestion.objects.filter(family=family)
        .select_related("parent", "component", "discussed_by")
        .order_by("-call_me_soon", "created_at")
    )
    open_questions = [q for q in questions if q.discussed_at is None]
    discussed = [
        q
        for q in questions
        if q.discussed_at is not None
        and chosen is not None
        and q.component_id == chosen.component.pk
    ]
    return CallPrep(
        touchpoint=chosen,
        touchpoints=touchpoints,
        released=chosen is not None and release_time(chosen.starts_at) <= now,
        videos=videos,
        open_questions=open_questions,
        discussed_questions=discussed,
    )


def urgent_questions(*, families: QuerySet[Family], limit: int = 20) -> list[ParentQuestion]:
    """Undiscussed "please call me soon" questions of these families, oldest first."""
    return list(
        ParentQuestion.objects.filter(family__in=families, call_me_soon=True, discussed_at=None)
        .select_related("parent", "family")
        .prefetch_related("family__parents")
        .order_by("created_at")[:limit]
    )


@dataclass
class PrepRow:
    family_id: int
    family_name: str
    touchpoint: Touchpoint
    open_questions: int
    urgent: int


def calls_to_prepare(
    *, families: QuerySet[Family], start: datetime, end: datetime, limit: int = 30
) -> list[PrepRow]:
    """Calls or sessions of these families starting in [start, end), soonest first, with
    their open questions. One query whatever the number of families."""
    mother = Parent.objects.filter(family_id=OuterRef("for_family"), role=Parent.Role.MOTHER)
    questions = (
        ParentQuestion.objects.filter(family_id=OuterRef("for_family"), discussed_at=None)
        .values("family_id")
        .annotate(n=Count("pk"), urgent=Count("pk", filter=Q(call_me_soon=True)))
    )
    rows = upcoming_for_families(
        families=families,
        start=start,
        end=end,
        limit=limit,
        extra={
            "mother_name": Subquery(
                mother.annotate(name=Concat("given_name", Value(" "), "family_name")).values(
                    "name"
                )[:1]
            ),
            "open_questions": Coalesce(
                Subquery(questions.values("n")[:1], output_field=IntegerField()), 0
            ),
            "urgent": Coalesce(
                Subquery(questions.values("urgent")[:1], output_field=IntegerField()), 0
            ),
        },
    )
    return [
        PrepRow(
            family_id=family_id,
            family_name=values["mother_name"] or f"Family {family_id}",
            touchpoint=touchpoint,
            open_questions=values["open_questions"],
            urgent=values["urgent"],
        )
        for family_id, touchpoint, values in rows
    ]
