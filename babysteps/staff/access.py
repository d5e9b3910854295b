"""Who may manage whose account: a site manager, the staff of the sites they manage.
Anything else is the common 404 (another site's staff are not confirmed to exist)."""

from django.db.models import QuerySet

from babysteps.accounts.models import SITE_ROLES, User
from babysteps.accounts.selectors import roles_for
from babysteps.core.access import one
from babysteps.licensing.models import Site


def managed_sites(user: User) -> QuerySet[Site]:
    """The sites whose staff the user manages (their site-manager roles)."""
    return Site.objects.filter(pk__in=roles_for(user).managed_site_ids)


def managed_site(user: User, site_id: int | str) -> Site:
    return one(managed_sites(user), site_id)


def member_at_site(site: Site, user_id: int | str) -> User:
    """Someone holding a site role at ``site`` (joined or still invited); else 404."""
    members = User.objects.filter(
        memberships__site=site, memberships__role__in=SITE_ROLES
    ).distinct()
    return one(members, user_id)
