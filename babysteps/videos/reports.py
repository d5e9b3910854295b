"""The engagement report: how the videos are used, and whether watching beforehand goes
with the call. Reads in a fixed number of queries; sums in plain Python."""

from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import mean

from django.db.models import QuerySet

from babysteps.core import charts
from babysteps.families.models import Family
from babysteps.programme.models import Component
from babysteps.videos.models import Video, VideoWatch
from babysteps.videos.selectors import published_before, release_time, visible_for
from babysteps.videos.touchpoints import call_minutes, family_touchpoint_times


@dataclass
class VideoLine:
    video: Video
    released: int = 0  # families it is released to
    viewers: int = 0  # parents who played any of it
    families_started: int = 0
    families_completed: int = 0
    percents: list[float] = field(default_factory=list)

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.families_completed / self.released) if self.released else None

    @property
    def average_percent(self) -> int | None:
        return round(mean(self.percents)) if self.percents else None


@dataclass
class ComponentLine:
    component: Component
    released: int = 0
    started: int = 0
    completed: int = 0
    calls_past: int = 0
    watched_before: int = 0
    minutes_watched: list[int] = field(default_factory=list)
    minutes_not_watched: list[int] = field(default_factory=list)

    @property
    def watched_before_share(self) -> int | None:
        return round(100 * self.watched_before / self.calls_past) if self.calls_past else None

    @property
    def mean_minutes_watched(self) -> int | None:
        return round(mean(self.minutes_watched)) if self.minutes_watched else None

    @property
    def mean_minutes_not_watched(self) -> int | None:
        return round(mean(self.minutes_not_watched)) if self.minutes_not_watched else None


@dataclass
class Engagement:
    videos: list[VideoLine]
    components: list[ComponentLine]
    families: int
    call_lengths_available: bool


def engagement(
    *,
    families: QuerySet[Family],
    videos: QuerySet[Video],
    now: datetime,
    opened_from: datetime | None = None,
    opened_to: datetime | None = None,
) -> Engagement:
    """Videos released (opened to a family) between ``opened_from`` and ``opened_to``; a
    video counts for a call only if it was published before the call (today's videos
    were not there for a 2019 session)."""
    family_rows = {f.pk: f for f in families.only("pk", "site_id", "preferred_language")}
    times = family_touchpoint_times(list(family_rows))
    library = list(
        videos.filter(status__in=[Video.Status.PUBLISHED, Video.Status.RETIRED])
        .select_related("component", "site", "current_version")
        .order_by("component__order", "order", "pk")
    )
    by_component: dict[int, list[Video]] = {}
    for video in library:
        by_component.setdefault(video.component_id, []).append(video)
    watches: dict[tuple[int, int], list[VideoWatch]] = {}
    for watch in VideoWatch.objects.filter(family_id__in=list(family_rows)).only(
        "video_id", "family_id", "parent_id", "seconds_watched", "completed_at"
    ):
        watches.setdefault((watch.family_id, watch.video_id), []).append(watch)
    lines = {v.pk: VideoLine(v) for v in library}
    components: dict[int, ComponentLine] = {}
    past_calls: list[tuple[int, int, bool]] = []
    for (family_id, component_id), starts_at in times.items():
        opened = release_time(starts_at)
        if opened > now or component_id not in by_component:
            continue
        if (opened_from and opened < opened_from) or (opened_to and opened >= opened_to):
            continue
        family = family_rows[family_id]
        visible = visible_for(
            published_before(by_component[component_id], starts_at),
            site_id=family.site_id,
            language=family.preferred_language,
            released_at=opened,
        )
        if not visible:
            continue
        line = components.setdefault(component_id, ComponentLine(visible[0].component))
        line.released += 1
        started_all = completed_all = before_all = True
        started_any = False
        for video in visible:
            vl = lines[video.pk]
            vl.released += 1
            rows = watches.get((family_id, video.pk), [])
            duration = video.length_seconds
            if rows:
                started_any = True
                vl.viewers += len(rows)
                vl.families_started += 1
                vl.percents.extend(min(100.0, 100 * w.seconds_watched / duration) for w in rows)
            else:
                started_all = False
            done = [w.completed_at for w in rows if w.completed_at]
            if done:
                vl.families_completed += 1
            else:
                completed_all = False
            if not any(d < starts_at for d in done):
                before_all = False
        line.started += int(started_any)
        line.completed += int(completed_all and started_all)
        if starts_at <= now:
            line.calls_past += 1
            line.watched_before += int(before_all)
            past_calls.append((family_id, component_id, before_all))
    minutes = call_minutes((f, c) for f, c, _ in past_calls)
    if minutes:
        for family_id, component_id, watched in past_calls:
            length = minutes.get((family_id, component_id))
            if length is not None:
                target = components[component_id]
                (target.minutes_watched if watched else target.minutes_not_watched).append(length)
    return Engagement(
        videos=list(lines.values()),
        components=sorted(components.values(), key=lambda c: c.component.order),
        families=len(family_rows),
        call_lengths_available=bool(minutes),
    )


def watched_before_chart(result: Engagement, *, date_from: date, date_to: date) -> str:
    """Per component, the share of families whose calls have happened who had watched all
    its videos beforehand (the table beside it has the counts)."""
    rows = [c for c in result.components if c.watched_before_share is not None]
    if not rows:
        return ""
    return charts.bars(
        chart_id="videos-watched-before",
        title="Families who watched the videos before their call",
        description=(
            f"Videos opened {date_from:%-d %B %Y} to {date_to:%-d %B %Y}. "
            + "; ".join(
                f"{c.component.code}: {c.watched_before_share}% of {c.calls_past} calls"
                for c in rows
            )
            + "."
        ),
        labels=[f"{c.component.code}: {c.component.title}" for c in rows],
        values=[c.watched_before_share or 0 for c in rows],
        x_label="Families who had watched every video of the component before the call (%)",
        unit="%",
    )
