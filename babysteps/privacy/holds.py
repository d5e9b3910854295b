"""What stops a family's records being erased: a legal hold an admin placed, or an open
safe-and-well referral (a safeguarding record in use). Each is named, so the refusal
says exactly why."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from babysteps.families.models import Family
from babysteps.privacy.models import LegalHold
from babysteps.safeguarding.models import SafeAndWellReferral


@dataclass(frozen=True)
class Hold:
    kind: str  # "legal hold" or "open referral"
    description: str


def active_holds() -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(released_at__isnull=True)


def holds_on(family: Family) -> list[Hold]:
    holds = [
        Hold(
            "legal hold",
            f"a legal hold placed by {hold.placed_by} on "
            f"{timezone.localtime(hold.placed_at):%-d %B %Y}: {hold.reason}",
        )
        for hold in active_holds().filter(family=family).select_related("placed_by")
    ]
    holds += [
        Hold(
            "open referral",
            "an open safe-and-well referral (made "
            f"{timezone.localtime(referral.referred_at):%-d %B %Y}, "
            f"{referral.get_status_display().lower()})",
        )
        for referral in SafeAndWellReferral.objects.filter(
            family=family, status__in=SafeAndWellReferral.OPEN_STATUSES
        )
    ]
    return holds


def held_family_ids(*, safeguarding_kept_after: datetime | None = None) -> QuerySet:
    """Ids of families under any hold (for the retention job): legal holds, open
    referrals and, when given, referrals closed after ``safeguarding_kept_after`` (still
    within the safeguarding period)."""
    held = Family.objects.filter(pk__in=active_holds().values("family_id")) | Family.objects.filter(
        pk__in=SafeAndWellReferral.objects.filter(
            status__in=SafeAndWellReferral.OPEN_STATUSES
        ).values("family_id")
    )
    if safeguarding_kept_after is not None:
        held = held | Family.objects.filter(
            pk__in=SafeAndWellReferral.objects.exclude(status__in=SafeAndWellReferral.OPEN_STATUSES)
            .filter(updated_at__gte=safeguarding_kept_after)
            .values("family_id")
        )
    return held.values("pk")
