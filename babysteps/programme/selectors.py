"""Reads of the curriculum."""

from django.db.models import QuerySet

from babysteps.programme.models import Component


def components_in_order() -> QuerySet[Component]:
    return Component.objects.prefetch_related("key_messages").order_by("order")
