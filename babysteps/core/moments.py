"""A moment as people read it in a message or on a page: "Friday 4 December at 10:30",
in the active language (no leading zero, the local time)."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def day_and_time(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return _("%(day)s at %(time)s") % {
        "day": date_format(local, "l j F"),
        "time": date_format(local, "H:i"),
    }
