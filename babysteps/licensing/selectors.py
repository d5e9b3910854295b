"""Reads for licences."""

from babysteps.accounts.models import Role, User
from babysteps.licensing.models import Licence


def allowance_used(licence: Licence) -> int:
    """Trained facilitators at the licence's sites, counted against its allowance."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.FACILITATOR,
            memberships__site__licence=licence,
            practitioner__training_completed_on__isnull=False,
        )
        .distinct()
        .count()
    )
