"""Site managers' writes on their staff: invite, change roles, remove leavers.

Role grants and removals are audited where every one is seen (``accounts.tracking``), with
the manager as the actor; so is deactivation, which also revokes the account's API tokens.
A deactivated account's sessions end with it: Django signs no one in as an inactive user.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from babysteps.accounts.models import (
    SITE_ROLES,
    Membership,
    PractitionerProfile,
    Role,
    User,
    normalise_email,
)
from babysteps.accounts.selectors import forget_roles
from babysteps.audit.actor import acting_as
from babysteps.licensing.models import Site
from babysteps.staff.invitations import invitation_email
from babysteps.training.services import completion_import


def _site_roles(roles: Iterable[str]) -> set[str]:
    chosen = set(roles)
    if not chosen:
        raise ValidationError({"roles": _("Choose at least one role.")})
    unknown = chosen - set(SITE_ROLES)
    if unknown:
        raise ValidationError({"roles": _("Only site roles can be given here.")})
    return chosen


def _not_yourself(member: User, by: User, doing: str) -> None:
    if member.pk == by.pk:
        raise ValidationError(
            _(
                "You cannot %(doing)s yourself: ask another site manager or the NSPCC programme "
                "team."
            )
            % {"doing": doing}
        )


def _needs_profile(user: User | None, roles: set[str], professional_role: str) -> None:
    has_profile = user is not None and PractitionerProfile.objects.filter(user=user).exists()
    if Role.FACILITATOR in roles and not has_profile and not professional_role:
        raise ValidationError(
            {"professional_role": _("Say what a facilitator is professionally (midwife, ...).")}
        )


def _check_training(training_completed_on: date | None) -> None:
    if training_completed_on is not None and training_completed_on > timezone.localdate():
        raise ValidationError(
            {"training_completed_on": _("Training cannot be completed in the future.")}
        )


def _send_invitation(*, user: User, site: Site, invited_by: User) -> None:
    subject, body = invitation_email(user=user, site_name=site.name, invited_by=invited_by)
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def staff_invite(
    *,
    site: Site,
    email: str,
    full_name: str,
    roles: Iterable[str],
    invited_by: User,
    professional_role: str = "",
    training_completed_on: date | None = None,
) -> tuple[User, bool]:
    """Give someone roles at the site. A new address gets an account without a password
    and an emailed one-use link to set one; an existing colleague (from another site) just
    gains the roles. Returns the user and whether they were invited."""
    chosen = _site_roles(roles)
    email = normalise_email(email)
    full_name = full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": _("Give their full name.")})
    _check_training(training_completed_on)
    existing = User.objects.select_for_update().filter(email=email).first()
    if existing is not None and not existing.is_active:
        raise ValidationError(
            {
                "email": _(
                    "This address belongs to a deactivated account. The NSPCC programme "
                    "team can reactivate it."
                )
            }
        )
    if existing is not None and Membership.objects.filter(user=existing, site=site).exists():
        raise ValidationError(
            {"email": _("They are already on this site's staff: change their roles instead.")}
        )
    _needs_profile(existing, chosen, professional_role)
    with acting_as(invited_by):
        user = existing
        if user is None:
            user = User(email=email, full_name=full_name)
            user.set_unusable_password()
            user.full_clean(exclude=["password"])
            user.save()
        if professional_role and not PractitionerProfile.objects.filter(user=user).exists():
            PractitionerProfile.objects.create(user=user, professional_role=professional_role)
            if training_completed_on is not None:
                # Trained before joining: an imported completion in the register.
                completion_import(
                    user=user, completed_on=training_completed_on, recorded_by=invited_by
                )
        for role in sorted(chosen):
            Membership.objects.create(user=user, role=role, site=site)
        forget_roles(user)
        if existing is None:
            _send_invitation(user=user, site=site, invited_by=invited_by)
    return user, existing is None


@transaction.atomic
def staff_roles_set(
    *,
    site: Site,
    member: User,
    roles: Iterable[str],
    changed_by: User,
    professional_role: str = "",
) -> tuple[set[str], set[str]]:
    """Make the member's roles at the site exactly ``roles``. Returns (added, removed)."""
    _not_yourself(member, changed_by, "change the roles of")
    chosen = _site_roles(roles)
    held = set(
        Membership.objects.select_for_update()
        .filter(user=member, site=site, role__in=SITE_ROLES)
        .values_list("role", flat=True)
    )
    added, removed = chosen - held, held - chosen
    _needs_profile(member, added, professional_role)
    with acting_as(changed_by):
        if professional_role and not PractitionerProfile.objects.filter(user=member).exists():
            PractitionerProfile.objects.create(user=member, professional_role=professional_role)
        for membership in Membership.objects.filter(user=member, site=site, role__in=removed):
            membership.delete()
        for role in sorted(added):
            Membership.objects.create(user=member, role=role, site=site)
    forget_roles(member)
    return added, removed


@transaction.atomic
def staff_remove(*, site: Site, member: User, removed_by: User) -> bool:
    """A leaver: their roles at the site go. If they hold no other role anywhere, the
    account is deactivated (its sessions and API tokens end at once). Returns whether it
    was deactivated."""
    _not_yourself(member, removed_by, "remove")
    member = User.objects.select_for_update().get(pk=member.pk)
    with acting_as(removed_by):
        for membership in Membership.objects.filter(user=member, site=site):
            membership.delete()
        forget_roles(member)
        if Membership.objects.filter(user=member).exists():
            return False
        member.is_active = False
        member.save(update_fields=["is_active"])
    return True


@transaction.atomic
def invitation_resend(*, site: Site, member: User, invited_by: User) -> None:
    """A new link for someone who has not joined yet; the old link stops working."""
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.last_login is not None or member.has_usable_password():
        raise ValidationError(_("They have already joined: they can reset their own password."))
    with acting_as(invited_by):
        member.set_unusable_password()  # a new hash: the old link no longer matches
        member.save(update_fields=["password"])
        _send_invitation(user=member, site=site, invited_by=invited_by)


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> None:
    """The invited member sets their password (already checked by the validators)."""
    with acting_as(user):
        user.set_password(password)
        user.save(update_fields=["password"])
