"""Reads of the training register: each practitioner's standing (trained since, refresher
due, lapsed) and each licence's allowance."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from babysteps.accounts.models import PractitionerProfile, Role, User
from babysteps.core.dates import add_months
from babysteps.training.models import TrainingRequest


def refresher_due(trained_on: date | None) -> date | None:
    if trained_on is None:
        return None
    return add_months(trained_on, 12 * settings.TRAINING_REFRESHER_YEARS)


def lapsed(trained_on: date | None, today: date) -> bool:
    due = refresher_due(trained_on)
    return due is not None and due < today


@dataclass(frozen=True)
class Standing:
    user: User
    trained_on: date | None
    refresher_due: date | None
    lapsed: bool
    requested: bool


def practitioners(*, site_ids: list[int] | None, today: date) -> list[Standing]:
    """The facilitators of these sites (None: every site), with their training."""
    profiles = PractitionerProfile.objects.select_related("user").filter(user__is_active=True)
    if site_ids is not None:
        profiles = profiles.filter(
            user__memberships__role=Role.FACILITATOR, user__memberships__site_id__in=site_ids
        )
    requested = set(
        TrainingRequest.objects.filter(closed_at__isnull=True).values_list("user_id", flat=True)
    )
    return [
        Standing(
            user=p.user,
            trained_on=p.training_completed_on,
            refresher_due=refresher_due(p.training_completed_on),
            lapsed=lapsed(p.training_completed_on, today),
            requested=p.user_id in requested,
        )
        for p in profiles.distinct().order_by("user__full_name")
    ]
