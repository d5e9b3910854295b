from django.db.models import QuerySet

from babysteps.families.models import Family
from babysteps.notifications.models import Message


def messages_for_family(*, family: Family) -> QuerySet[Message]:
    return Message.objects.filter(family=family).order_by("-send_after")
