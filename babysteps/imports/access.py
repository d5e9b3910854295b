"""Who may bring families in from a spreadsheet: a site's managers (for their sites) and
NSPCC admins (any site)."""

from django.db.models import QuerySet

from babysteps.accounts.models import User
from babysteps.accounts.selectors import Roles
from babysteps.cohorts.models import Cohort
from babysteps.licensing.access import managed_sites_for_user


def may_import(roles: Roles) -> bool:
    return roles.is_admin or roles.is_manager


def import_cohorts_for_user(user: User) -> QuerySet[Cohort]:
    return Cohort.objects.filter(site__in=managed_sites_for_user(user)).select_related("site")
