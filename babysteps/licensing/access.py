"""Which sites a member of staff may reach: NSPCC admins every site, others the sites
where they hold a role."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.core.access import one
from babysteps.licensing.models import Site


def sites_for_user(user: User) -> QuerySet[Site]:
    """Sites whose records the user may see (admins: all)."""
    roles = roles_for(user)
    if roles.is_admin:
        return Site.objects.all()
    return Site.objects.filter(pk__in=roles.site_ids)


def managed_sites_for_user(user: User) -> QuerySet[Site]:
    """Sites the user manages (admins: all): where they may import, merge, train."""
    roles = roles_for(user)
    if roles.is_admin:
        return Site.objects.all()
    return Site.objects.filter(pk__in=roles.managed_site_ids)


def site_for_user(user: User, site_id: int | str, *, manage: bool = False) -> Site:
    """A site the user belongs to (or any, for admins); ``manage`` asks for a manager."""
    roles = roles_for(user)
    site = one(sites_for_user(user).select_related("licence", "organisation"), site_id)
    if manage and not (roles.is_admin or site.pk in roles.managed_site_ids):
        raise PermissionDenied(_("Only the site's managers can do this."))
    return site
