"""Who may act on a family's data-protection rights: the managers of the family's site and
NSPCC admins (subject access, asking for erasure); NSPCC admins alone approve an erasure
and place or release legal holds. Anyone else gets the common 404."""

from django.http import Http404

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.core.access import NOT_FOUND, one
from babysteps.families.access import family_for_user
from babysteps.families.models import Family
from babysteps.privacy.models import ErasureRequest, LegalHold


def can_act_for(user: User, family: Family) -> bool:
    roles = roles_for(user)
    return roles.is_admin or family.site_id in roles.managed_site_ids


def family_for_privacy(
    user: User, family_id: int | str, *, action: str = Action.VIEW, reason: str = ""
) -> Family:
    family = family_for_user(user, family_id, action=action, reason=reason)
    if not can_act_for(user, family):
        raise Http404(NOT_FOUND)
    return family


def erasure_request_for_user(user: User, request_id: int | str) -> ErasureRequest:
    """Admins reach every request; a site manager, those about their sites' families."""
    roles = roles_for(user)
    requests = ErasureRequest.objects.select_related("family", "family__site", "requested_by")
    if not roles.is_admin:
        requests = requests.filter(family__site_id__in=roles.managed_site_ids)
    return one(requests, request_id)


def hold_for_admin(user: User, hold_id: int | str) -> LegalHold:
    if not roles_for(user).is_admin:
        raise Http404(NOT_FOUND)
    return one(LegalHold.objects.select_related("family"), hold_id)
