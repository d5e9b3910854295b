from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.national.selectors import snapshot_refresh


@periodic("national dashboard figures")
def refresh(now: datetime) -> int:
    return snapshot_refresh(now)
