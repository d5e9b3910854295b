"""Who may reach a safe-and-well referral, and make which change to it.

The referring side (the family's facilitators and site managers) reaches a referral
through the family's scope; the NSPCC safe-and-well team reaches only its queue: referrals
waiting to be claimed, and those a practitioner holds (the team lead: all of them). The
team never reaches the family record itself: it gets the check view
(``babysteps.safeguarding.selectors.referral_view_for``, check lens).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.reads import read_record
from babysteps.core.access import one
from babysteps.families.access import families_for_user
from babysteps.families.models import Family
from babysteps.safeguarding.models import SafeAndWellReferral


def referrals_for_user(user: User) -> QuerySet[SafeAndWellReferral]:
    """The referrals the user may open. Lists audit themselves (LIST, with the ids)."""
    roles = roles_for(user)
    if roles.is_admin or roles.is_safe_and_well_lead:
        return SafeAndWellReferral.objects.all()
    scope = Q(pk__in=[])
    if roles.site_ids:
        scope |= Q(family__in=families_for_user(user))
    if roles.is_safe_and_well:
        scope |= Q(status=SafeAndWellReferral.Status.OPEN, claimed_by__isnull=True)
        scope |= Q(claimed_by=user)
    return SafeAndWellReferral.objects.filter(scope)


def referral_for_user(
    user: User,
    referral_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> SafeAndWellReferral:
    """The referral, if the user may reach it; else 404. VIEW and EXPORT are audited
    here, once; a CHANGE is audited by the service that makes it."""
    referral = one(referrals_for_user(user).select_related("site", "claimed_by"), referral_id)
    read_record(
        actor=user,
        action=action,
        object_type="referral",
        object_id=referral.pk,
        family_id=referral.family_id,
        site_id=referral.site_id,
        channel=channel,
        reason=reason,
    )
    return referral


def referral_sees_family(user: User, referral: SafeAndWellReferral) -> bool:
    """Whether the user sees the referral from the family's side (the site lens: the
    family's id and names) rather than the NSPCC check lens."""
    roles = roles_for(user)
    if roles.is_admin:
        return True
    if not roles.site_ids:
        return False
    return families_for_user(user).filter(pk=referral.family_id).exists()


def can_signpost(user: User, family: Family) -> bool:
    """Facilitators and managers of the family's site signpost (the family has already
    been reached through ``family_for_user``)."""
    return family.site_id in roles_for(user).site_ids


def can_claim_referral(user: User, referral: SafeAndWellReferral) -> bool:
    return roles_for(user).works_referrals and (
        referral.status == SafeAndWellReferral.Status.OPEN and referral.claimed_by_id is None
    )


def can_work_referral(user: User, referral: SafeAndWellReferral) -> bool:
    """Log calls and record the outcome: the practitioner holding the referral."""
    return (
        roles_for(user).works_referrals
        and referral.status == SafeAndWellReferral.Status.CLAIMED
        and referral.claimed_by_id == user.pk
    )


def can_assign_referral(user: User, referral: SafeAndWellReferral) -> bool:
    return roles_for(user).is_safe_and_well_lead and referral.is_open


def can_withdraw_referral(user: User, referral: SafeAndWellReferral) -> bool:
    """The referring site withdraws (its facilitators and managers, and NSPCC admins)."""
    return referral.is_open and referral_sees_family(user, referral)


def can_see_referral_audit(user: User, referral: SafeAndWellReferral) -> bool:
    """Managers of the referring site, NSPCC admins and the safe-and-well team lead."""
    roles = roles_for(user)
    return (
        roles.is_admin or roles.is_safe_and_well_lead or referral.site_id in roles.managed_site_ids
    )


# Each change to a referral: who may make it, and what anyone else is told. Pages and the
# API both reach a referral for a change through ``referral_for_change``.
REFERRAL_CHANGES = {
    "claim": (can_claim_referral, "Only the safe-and-well team can claim a waiting referral."),
    "assign": (can_assign_referral, "Only the safe-and-well team lead can assign referrals."),
    "log_call": (can_work_referral, "Only the practitioner holding the referral logs calls."),
    "close": (can_work_referral, "Only the practitioner holding the referral closes it."),
    "withdraw": (can_withdraw_referral, "Only the referring site withdraws a referral."),
}


def referral_for_change(user: User, referral_id: int | str, change: str) -> SafeAndWellReferral:
    """The referral, reached for a CHANGE (404 outside the user's scope), if the user may
    make this change (one of ``REFERRAL_CHANGES``); PermissionDenied, saying who may,
    otherwise."""
    referral = referral_for_user(user, referral_id, action=Action.CHANGE)
    allowed, refusal = REFERRAL_CHANGES[change]
    if not allowed(user, referral):
        raise PermissionDenied(refusal)
    return referral
