"""Reads: the public count, counts by day, the export of confirmed signatures."""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from babysteps.campaigns.models import Campaign, Signature


def confirmed(campaign: Campaign) -> QuerySet[Signature]:
    return Signature.objects.filter(campaign=campaign, status=Signature.Status.CONFIRMED)


def signature_count(campaign: Campaign) -> int:
    return confirmed(campaign).count()


def counts_by_day(campaign: Campaign) -> list[tuple[date, int]]:
    """Confirmed signatures per day of confirmation (local days)."""
    rows = (
        confirmed(campaign)
        .annotate(day=TruncDate("confirmed_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in rows]


def campaigns_with_counts() -> QuerySet[Campaign]:
    return Campaign.objects.annotate(
        signed=Count("signatures", filter=Q(signatures__status=Signature.Status.CONFIRMED)),
    ).order_by("-opens_on", "title")
