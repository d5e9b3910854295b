from datetime import datetime

from django.conf import settings
from django.utils import timezone

from babysteps.core.channel import audit_channel
from babysteps.core.periodic import periodic
from babysteps.privacy.models import RetentionRun
from babysteps.privacy.services import retention_run


@periodic("retention schedule (daily)")
def daily_retention(now: datetime) -> int:
    """Once a day, from ``RETENTION_HOUR`` local time: the first run of the day applies
    the schedule; later ones find it done."""
    local = timezone.localtime(now)
    if local.hour < settings.RETENTION_HOUR:
        return 0
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if RetentionRun.objects.filter(dry_run=False, started_at__gte=day_start).exists():
        return 0
    with audit_channel("task"):
        report = retention_run(now=now, dry_run=False, channel="task")
    return sum(result.done for result in report.classes.values())
