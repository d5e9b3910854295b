"""Recording what a parent has really watched: the ranges their player reports, merged."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.families.models import Parent
from babysteps.videos.intervals import clean_intervals, is_watched, merge_intervals, seconds_played
from babysteps.videos.models import Video, VideoWatch


@transaction.atomic
def watch_record(
    *, parent: Parent, video: Video, intervals: Any, now: datetime | None = None
) -> VideoWatch:
    """Merge the played ranges a parent's player reports into what they have watched.

    Idempotent and order-free (a union of ranges), so the player may batch, retry and
    resend after being offline. The caller has checked that the video is released to
    the parent's family (``access.video_for_parent``).
    """
    moment = now or timezone.now()
    duration = video.length_seconds
    if not isinstance(intervals, list):
        raise ValidationError({"intervals": _("Send a list of [start, end] ranges.")})
    try:
        reported = clean_intervals(intervals, duration=duration)
    except ValueError as exc:
        raise ValidationError({"intervals": str(exc)}) from None
    # Create the row if needed (get_or_create survives a concurrent first report), then
    # lock it so two tabs reporting at once cannot lose each other's ranges.
    VideoWatch.objects.get_or_create(
        video=video,
        parent=parent,
        defaults={
            "family_id": parent.family_id,
            "first_played_at": moment,
            "last_played_at": moment,
        },
    )
    watch = VideoWatch.objects.select_for_update().get(video=video, parent=parent)
    known = [(float(s), float(e)) for s, e in watch.intervals]
    merged = merge_intervals(known, reported)
    watch.intervals = [[round(s, 2), round(e, 2)] for s, e in merged]
    watch.seconds_watched = min(seconds_played(merged), duration)
    if reported:
        watch.last_played_at = moment
    watch.reports += 1
    if watch.completed_at is None and is_watched(
        seconds=watch.seconds_watched, duration=duration, fraction=settings.VIDEO_WATCHED_FRACTION
    ):
        watch.completed_at = moment
    watch.save()
    return watch
