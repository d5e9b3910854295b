"""Writes for staff accounts, roles and practitioner profiles."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from babysteps.accounts.models import (
    SITE_ROLES,
    Membership,
    PractitionerProfile,
    Role,
    User,
    clean_work_mobile,
    normalise_email,
)
from babysteps.accounts.selectors import forget_roles
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record


@transaction.atomic
def staff_create(
    *,
    email: str,
    full_name: str,
    password: str | None,
    professional_role: str | None = None,
    training_completed_on: date | None = None,
    work_mobile: str = "",
) -> User:
    """Create a staff account; practitioners also get a profile. A work mobile (for urgent
    alerts by text) is checked and normalised."""
    user = User.objects.create_user(
        normalise_email(email),
        password,
        full_name=full_name,
        work_mobile=clean_work_mobile(work_mobile),
    )
    if professional_role:
        PractitionerProfile.objects.create(
            user=user,
            professional_role=professional_role,
            training_completed_on=training_completed_on,
        )
    return user


@transaction.atomic
def membership_grant(*, user: User, role: str, site_id: int | None = None) -> Membership:
    """Give a user a role, at a site for site roles or nationally for NSPCC roles."""
    if role not in SITE_ROLES:
        membership, _created = Membership.objects.get_or_create(user=user, role=role, site=None)
    elif site_id is None:
        raise ValueError(_("%(label)s needs a site.") % {"label": Role(role).label})
    else:
        membership, _created = Membership.objects.get_or_create(
            user=user, role=role, site_id=site_id
        )
    forget_roles(user)
    return membership


@transaction.atomic
def staff_details_update(*, user: User, work_mobile: str) -> list[str]:
    """A member of staff changes their own details (the work mobile for urgent alerts).
    Returns the changed field names, which the audit event records (not the values)."""
    work_mobile = clean_work_mobile(work_mobile)
    if work_mobile == user.work_mobile:
        return []
    user.work_mobile = work_mobile
    user.save(update_fields=["work_mobile"])
    audit_record(
        actor=user,
        action=Action.CHANGE,
        object_type="user",
        object_id=user.pk,
        detail={"fields": ["work_mobile"]},
    )
    return ["work_mobile"]
