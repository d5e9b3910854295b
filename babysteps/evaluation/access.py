"""Who may see the evaluation: NSPCC evaluators and admins (every site, pseudonymised)
and site managers (their sites' figures only)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for


def evaluation_site_ids(user: User) -> frozenset[int] | None:
    """The sites whose pseudonymised outcomes the user may evaluate: None means every site.
    Raises PermissionDenied for anyone else."""
    roles = roles_for(user)
    if roles.is_admin or roles.is_evaluator:
        return None
    if roles.is_manager:
        return roles.managed_site_ids
    raise PermissionDenied(_("Only evaluators, NSPCC admins and site managers see the evaluation."))


def may_export_participants(user: User) -> bool:
    """The participant-level (pseudonymised) file is for NSPCC evaluators and admins."""
    roles = roles_for(user)
    return roles.is_admin or roles.is_evaluator
