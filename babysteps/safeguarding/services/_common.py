"""Helpers shared by the safeguarding write services."""

from datetime import timedelta

from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.audit.services import audit_record
from babysteps.safeguarding.models import SafeAndWellReferral

Status = SafeAndWellReferral.Status
# Clocks differ a little between devices; a call logged "now" may be seconds ahead.
CLOCK_SKEW = timedelta(minutes=5)


def audit_change(
    *,
    actor: User | None,
    referral: SafeAndWellReferral,
    action: str,
    fields: list[str],
    **extra: object,
) -> None:
    """Audit a change of the referral: the names of the fields, never their values."""
    audit_record(
        actor=actor,
        action=action,
        object_type="referral",
        object_id=referral.pk,
        family_id=referral.family_id,
        site_id=referral.site_id,
        detail={"fields": fields, **extra},
    )


def text(value: str | None) -> str:
    return (value or "").strip()


def check_length(errors: dict[str, list[str]], field: str, value: object, limit: int) -> None:
    if len(str(value)) > limit:
        errors.setdefault(field, []).append(
            _("Keep this to %(limit)s characters or fewer.") % {"limit": limit}
        )


def locked(referral: SafeAndWellReferral) -> SafeAndWellReferral:
    """The referral as it is now, locked for the rest of the transaction (PostgreSQL),
    so two people acting at once are serialised and the second sees the first's change."""
    return (
        SafeAndWellReferral.objects.select_for_update(of=("self",))
        .select_related("site", "family")
        .get(pk=referral.pk)
    )
