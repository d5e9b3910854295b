from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.videos.releases import release_due
from babysteps.videos.reminders import reminders_due
from babysteps.videos.reports import national_engagement_refresh


@periodic("videos: release to families")
def release(now: datetime) -> int:
    return release_due(now=now)


@periodic("videos: not-watched reminders")
def remind(now: datetime) -> int:
    return reminders_due(now=now)


@periodic("videos: national engagement report")
def national_report(now: datetime) -> int:
    return national_engagement_refresh(now)
