"""The engagement report: how the videos are used, and whether watching beforehand goes
with the call. Reads in a fixed number of queries; sums in plain Python."""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from babysteps.core import charts
from babysteps.core.snapshots import kept, refresh_if_due
from babysteps.families.models import Family
from babysteps.programme.models import Component
from babysteps.videos.models import Video, VideoWatch
from babysteps.videos.selectors import published_before, release_time, visible_for
from babysteps.videos.touchpoints import call_minutes, family_touchpoint_times


@dataclass
class Mean:
    """A running mean: a total and a count (a kept national report holds two numbers, not
    a million)."""

    total: float = 0
    count: int = 0

    def add(self, value: float) -> None:
        self.total += value
        self.count += 1

    @property
    def rounded(self) -> int | None:
        return round(self.total / self.count) if self.count else None


@dataclass
class VideoLine:
    video: Video
    released: int = 0  # families it is released to
    viewers: int = 0  # parents who played any of it
    families_started: int = 0
    families_completed: int = 0
    percents: Mean = field(default_factory=Mean)

    @property
    def completion_rate(self) -> int | None:
        return round(100 * self.families_completed / self.released) if self.released else None

    @property
    def average_percent(self) -> int | None:
        return self.percents.rounded


@dataclass
class ComponentLine:
    component: Component
    released: int = 0
    started: int = 0
    completed: int = 0
    calls_past: int = 0
    watched_before: int = 0
    minutes_watched: Mean = field(default_factory=Mean)
    minutes_not_watched: Mean = field(default_factory=Mean)

    @property
    def watched_before_share(self) -> int | None:
        return round(100 * self.watched_before / self.calls_past) if self.calls_past else None

    @property
    def mean_minutes_watched(self) -> int | None:
        return self.minutes_watched.rounded

    @property
    def mean_minutes_not_watched(self) -> int | None:
        return self.minutes_not_watched.rounded


@dataclass
class Engagement:
    videos: list[VideoLine]
    components: list[ComponentLine]
    families: int
    call_lengths_available: bool


class _Visibility:
    """``visible_for(published_before(...))`` for one library, remembered: which videos a
    family sees depends on times only through comparisons with the videos' own publication
    and retirement times, so each (component, site, language, place of the call among the
    publications, place of the release among the retirements) is worked out once, not once
    for each of a million calls."""

    def __init__(self, by_component: dict[int, list[Video]]) -> None:
        self.by_component = by_component
        self.published = {
            c: sorted(v.published_at for v in videos if v.published_at is not None)
            for c, videos in by_component.items()
        }
        self.retired = {
            c: sorted(v.retired_at for v in videos if v.retired_at is not None)
            for c, videos in by_component.items()
        }
        self.known: dict[tuple[int, int, str, int, int], list[Video]] = {}

    def __call__(
        self, component_id: int, *, site_id: int, language: str, starts_at: datetime
    ) -> tuple[datetime, list[Video]]:
        opened = release_time(starts_at)
        key = (
            component_id,
            site_id,
            language,
            bisect_left(self.published[component_id], starts_at),
            bisect_right(self.retired[component_id], opened),
        )
        if key not in self.known:
            self.known[key] = visible_for(
                published_before(self.by_component[component_id], starts_at),
                site_id=site_id,
                language=language,
                released_at=opened,
            )
        return opened, self.known[key]


def _count_videos(
    seen: list[tuple[VideoLine, list[tuple[float, datetime | None]]]], starts_at: datetime
) -> tuple[bool, bool, bool, bool]:
    """Count one family's watches of one component's videos (each video's line and that
    family's watch rows) into the lines; return whether they started any, started all,
    completed all, and completed all before the call."""
    started_any = False
    started_all = completed_all = before_all = True
    for line, rows in seen:
        line.released += 1
        if rows:
            started_any = True
            line.viewers += len(rows)
            line.families_started += 1
            for seconds, _done in rows:
                line.percents.add(min(100.0, 100 * seconds / line.video.length_seconds))
        else:
            started_all = False
        done = [d for _s, d in rows if d]
        if done:
            line.families_completed += 1
        else:
            completed_all = False
        if not any(d < starts_at for d in done):
            before_all = False
    return started_any, started_all, completed_all, before_all


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
    were not there for a 2019 session). Reads plain rows (no model per watch or family)
    with the families as a subquery, so a national report reads a million rows, not a
    million objects."""
    family_rows = {
        pk: (site_id, language)
        for pk, site_id, language in families.values_list("pk", "site_id", "preferred_language")
    }
    times = family_touchpoint_times(families)
    library = list(
        videos.filter(status__in=[Video.Status.PUBLISHED, Video.Status.RETIRED])
        .select_related("component", "site", "current_version")
        .order_by("component__order", "order", "pk")
    )
    by_component: dict[int, list[Video]] = {}
    for video in library:
        by_component.setdefault(video.component_id, []).append(video)
    visible_videos = _Visibility(by_component)
    watches: dict[tuple[int, int], list[tuple[float, datetime | None]]] = {}
    for family_id, video_id, seconds, completed_at in VideoWatch.objects.filter(
        family_id__in=families.values("pk"), video_id__in=[v.pk for v in library]
    ).values_list("family_id", "video_id", "seconds_watched", "completed_at"):
        watches.setdefault((family_id, video_id), []).append((seconds, completed_at))
    lines = {v.pk: VideoLine(v) for v in library}
    components: dict[int, ComponentLine] = {}
    past_calls: list[tuple[int, int, bool]] = []
    for (family_id, component_id), starts_at in times.items():
        if component_id not in by_component or family_id not in family_rows:
            continue
        site_id, language = family_rows[family_id]
        opened, visible = visible_videos(
            component_id, site_id=site_id, language=language, starts_at=starts_at
        )
        if opened > now or not visible:
            continue
        if (opened_from and opened < opened_from) or (opened_to and opened >= opened_to):
            continue
        line = components.setdefault(component_id, ComponentLine(visible[0].component))
        line.released += 1
        started_any, started_all, completed_all, before_all = _count_videos(
            [(lines[video.pk], watches.get((family_id, video.pk), [])) for video in visible],
            starts_at,
        )
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
                (target.minutes_watched if watched else target.minutes_not_watched).add(length)
    return Engagement(
        videos=list(lines.values()),
        components=sorted(components.values(), key=lambda c: c.component.order),
        families=len(family_rows),
        call_lengths_available=bool(minutes),
    )


# The national view of the last year: what NSPCC admins open first.
NATIONAL_DAYS = 365
NATIONAL_KEY = "videos:engagement:national:v1"


@dataclass(frozen=True)
class NationalEngagement:
    """The national report of the last ``NATIONAL_DAYS`` days as worked out at ``at``.
    Counts per video and component only: no family's data."""

    at: datetime
    date_from: date
    date_to: date
    result: Engagement


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _national_key(today: date) -> str:
    return f"{NATIONAL_KEY}:{today.isoformat()}"


def _national_computed(today: date) -> NationalEngagement:
    date_from = today - timedelta(days=NATIONAL_DAYS)
    at = timezone.now()
    return NationalEngagement(
        at=at,
        date_from=date_from,
        date_to=today,
        result=engagement(
            families=Family.objects.all(),
            videos=Video.objects.all(),
            now=at,
            opened_from=day_start(date_from),
            opened_to=day_start(today + timedelta(days=1)),
        ),
    )


def national_engagement(*, today: date) -> NationalEngagement:
    """Every site's engagement over the last year, kept for ``NATIONAL_SNAPSHOT_SECONDS``
    like the national dashboard (it reads every family's calls and watches: seconds at
    national scale) and worked out again ahead of time by the periodic job below, so an
    admin opening the report is not the one who waits. 0 works it out on every view."""
    return kept(_national_key(today), NationalEngagement, lambda: _national_computed(today))


def national_engagement_refresh(now: datetime) -> int:
    """Work the national report out again once it is half its lifetime old (or missing),
    so it never expires under a reader. Returns 1 if it did."""
    today = timezone.localdate(now)
    return refresh_if_due(
        _national_key(today), now, NationalEngagement, lambda: _national_computed(today)
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
