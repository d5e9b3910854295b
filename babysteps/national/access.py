"""Who sees the national dashboard: NSPCC admins (with site names) and evaluators (with
pseudonyms in place of names). Everyone else gets the same 404 as a page that is not
there."""

from django.http import Http404
from django.utils.crypto import salted_hmac

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.core.access import NOT_FOUND


def national_viewer(user: User) -> str:
    """ "admin" or "evaluator"; else a 404."""
    roles = roles_for(user)
    if roles.is_admin:
        return "admin"
    if roles.is_evaluator:
        return "evaluator"
    raise Http404(NOT_FOUND)


def site_pseudonym(site_id: int) -> str:
    """A stable name that does not say which site it is (nor, by its order, its name)."""
    return "Site #" + salted_hmac("babysteps.national.site", str(site_id)).hexdigest()[:6].upper()
