from datetime import datetime

from django.db import transaction
from django.utils import timezone

from babysteps.accounts.models import Role
from babysteps.accounts.selectors import users_with_national_role
from babysteps.core.periodic import periodic
from babysteps.licensing.services import licences_refresh
from babysteps.notifications.services import message_to_staff


@periodic("licence renewals and expiry")
def refresh_licences(now: datetime) -> int:
    """Mark licences renewal due or expired, and tell the NSPCC admins once each."""
    with transaction.atomic():
        changed = licences_refresh(today=timezone.localdate(now))
        admins = list(users_with_national_role(role=Role.NSPCC_ADMIN))
        for licence in changed:
            for admin in admins:
                message_to_staff(
                    user=admin,
                    key=f"licence:{licence.pk}:{licence.status}:{admin.pk}",
                    subject=f"Licence {licence.reference}: {licence.get_status_display()}",
                    body=(
                        f"The Baby Steps licence {licence.reference} "
                        f"({licence.organisation.name}) is now "
                        f"{licence.get_status_display().lower()}; it ends on "
                        f"{licence.end_date:%-d %B %Y}."
                    ),
                )
    return len(changed)
