"""Periodic jobs of delivery (run by ``manage.py run_periodic``)."""

from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.delivery.services import delivery_sync_all


@periodic("sync remote delivery")
def sync_remote_delivery(now: datetime) -> int:
    """Families who joined or left a paused cohort, sessions moved across a pause date."""
    return delivery_sync_all(now=now)
