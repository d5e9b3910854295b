"""Played intervals: which seconds of a video were actually played. Pure: no Django.

The player reports the ranges it has played (the browser's ``video.played``); merging
them is idempotent (sending the same ranges twice changes nothing) and order-free, so
reports may be batched, resent after being offline, or arrive out of order. Scrubbing to
the end adds no played range, so it cannot make a video "watched".
"""

import math
from collections.abc import Iterable

Interval = tuple[float, float]
# Gaps shorter than this between two played ranges are joined (rounding in the player).
JOIN_GAP_SECONDS = 0.25


def clean_intervals(raw: Iterable[object], *, duration: float, limit: int = 500) -> list[Interval]:
    """Validate reported ranges: pairs of finite numbers, start before end, clipped to
    [0, duration]. Raises ValueError with a short reason on anything malformed."""
    cleaned: list[Interval] = []
    for count, item in enumerate(raw, start=1):
        if count > limit:
            raise ValueError(f"At most {limit} ranges in one report.")
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise ValueError("Each range is a pair [start, end].")
        start, end = item
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (start, end)):
            raise ValueError("Range ends must be numbers of seconds.")
        start, end = float(start), float(end)
        if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end < start:
            raise ValueError("Each range must start at or after 0 and end after it starts.")
        start, end = min(start, duration), min(end, duration)
        if end > start:
            cleaned.append((start, end))
    return cleaned


def merge_intervals(*groups: Iterable[Interval]) -> list[Interval]:
    """The union of the ranges, sorted, with overlapping or touching ranges joined."""
    ranges = sorted((float(s), float(e)) for group in groups for s, e in group if e > s)
    merged: list[Interval] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + JOIN_GAP_SECONDS:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def seconds_played(intervals: Iterable[Interval]) -> float:
    """Total distinct seconds played (the intervals must already be merged)."""
    return sum(end - start for start, end in intervals)


def is_watched(*, seconds: float, duration: float, fraction: float) -> bool:
    """Watched once ``fraction`` (e.g. 0.9) of the duration has really been played."""
    if duration <= 0:
        return False
    return seconds >= fraction * duration - 1e-6
