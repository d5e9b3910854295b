from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.videos.releases import release_due
from babysteps.videos.reminders import reminders_due


@periodic("videos: release to families")
def release(now: datetime) -> int:
    return release_due(now=now)


@periodic("videos: not-watched reminders")
def remind(now: datetime) -> int:
    return reminders_due(now=now)
