"""Writes for licences and sites."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.licensing.models import Licence, LicenceStep

S = Licence.Status
# Where a licence may go from each state. Suspension and expiry end in reinstatement or
# a fresh enquiry, never a silent jump back to active.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.ENQUIRY: frozenset({S.READINESS}),
    S.READINESS: frozenset({S.APPROVED, S.ENQUIRY}),
    S.APPROVED: frozenset({S.ACTIVE}),
    S.ACTIVE: frozenset({S.RENEWAL_DUE, S.SUSPENDED, S.EXPIRED}),
    S.RENEWAL_DUE: frozenset({S.ACTIVE, S.EXPIRED, S.SUSPENDED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.EXPIRED}),
    S.EXPIRED: frozenset({S.READINESS}),
}


def check_transition(licence: Licence, status: str) -> None:
    """Refuse a move the life cycle does not allow (nothing has changed yet)."""
    if status not in TRANSITIONS.get(licence.status, frozenset()):
        raise ValidationError(
            {
                "status": _("A licence cannot go from %(get_status_display)s to %(label)s.")
                % {"get_status_display": licence.get_status_display(), "label": S(status).label}
            }
        )


@transaction.atomic
def licence_change_status(
    *,
    licence: Licence,
    status: str,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Licence:
    """Move a licence along its life cycle; refuse a move the cycle does not allow."""
    check_transition(licence, status)
    licence.status = status
    if start_date is not None:
        licence.start_date = start_date
    if end_date is not None:
        licence.end_date = end_date
    licence.full_clean()
    licence.save(update_fields=["status", "start_date", "end_date", "updated_at"])
    return licence


RENEWAL_NOTICE_DAYS = 90


def licences_refresh(*, today: date) -> list[Licence]:
    """Move licences along with the calendar: an active licence within
    ``RENEWAL_NOTICE_DAYS`` of its end becomes renewal due; one past its end expires.
    Returns the licences that changed (callers tell the NSPCC admins)."""
    changed: list[Licence] = []
    candidates = Licence.objects.filter(
        status__in=Licence.DELIVERING, end_date__isnull=False
    ).select_related("organisation")
    for licence in candidates:
        if licence.end_date is None:  # excluded by the query; for the type checker
            continue
        if licence.end_date < today:
            target = Licence.Status.EXPIRED
        elif (licence.end_date - today).days <= RENEWAL_NOTICE_DAYS:
            target = Licence.Status.RENEWAL_DUE
        else:
            continue
        if target != licence.status:
            before = licence.status
            changed.append(licence_change_status(licence=licence, status=target))
            LicenceStep.objects.create(
                licence=licence,
                from_status=before,
                to_status=target,
                reason="By the calendar (the licence's end date)",
                at=timezone.now(),
            )
    return changed
