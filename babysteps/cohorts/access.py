"""Who may reach a cohort, its planned sessions and its enrolments.

NSPCC admins reach every cohort; site managers the cohorts of their sites; facilitators
the cohorts they facilitate at their sites. Only managers and admins run a cohort
(staffing, schedule, the remote-delivery switch); facilitators record its sessions.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from babysteps.accounts.models import User
from babysteps.accounts.selectors import Roles, roles_for
from babysteps.audit.models import Action
from babysteps.audit.reads import page_names_families, read_record
from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.core.access import one
from babysteps.families.models import Family


def _cohort_scope(user: User, roles: Roles) -> Q | None:
    """A filter on Cohort for what the user may reach; None means everything."""
    if roles.is_admin:
        return None
    scope = Q(pk__in=[])
    if roles.managed_site_ids:
        scope |= Q(site_id__in=roles.managed_site_ids)
    if roles.facilitator_site_ids:
        scope |= Q(site_id__in=roles.facilitator_site_ids, facilitator_links__user=user)
    return scope


def cohorts_for_user(user: User) -> QuerySet[Cohort]:
    """The cohorts the user may open. No audit: a list of cohorts names no family."""
    roles = roles_for(user)
    if not roles.sees_family_records:
        return Cohort.objects.none()
    scope = _cohort_scope(user, roles)
    if scope is None:
        return Cohort.objects.all()
    # Read as a list (a site's cohorts, a facilitator's few): as a subquery through the
    # facilitator links PostgreSQL cannot tell how few rows it gives, and a facilitator's
    # contact list joined every contact in the country first (170 ms, not 5).
    ids = list(Cohort.objects.filter(scope).values_list("pk", flat=True).distinct())
    return Cohort.objects.filter(pk__in=ids)


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Managers of the cohort's site and NSPCC admins run cohorts (staffing, schedule)."""
    roles = roles_for(user)
    return roles.is_admin or cohort.site_id in roles.managed_site_ids


def _cohort_read(
    user: User, cohort_id: int | str, *, action: str, channel: str | None, reason: str
) -> Cohort:
    cohort = one(cohorts_for_user(user).select_related("site", "site__licence"), cohort_id)
    # The cohort page lists its families by name, so reading it is audited too.
    read_record(
        actor=user,
        action=action,
        object_type="cohort",
        object_id=cohort.pk,
        family_id=None,
        site_id=cohort.site_id,
        channel=channel,
        reason=reason,
    )
    return cohort


def cohort_for_user(
    user: User,
    cohort_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Cohort:
    """The cohort, if the user may reach it; else 404. A CHANGE also needs the right to
    manage it (PermissionDenied for a facilitator, who can see but not run it)."""
    cohort = _cohort_read(user, cohort_id, action=action, channel=channel, reason=reason)
    if action == Action.CHANGE and not can_manage_cohort(user, cohort):
        raise PermissionDenied(_("Only the site's managers can change this cohort."))
    return cohort


def cohort_for_delivery(
    user: User, cohort_id: int | str, *, action: str = Action.VIEW, channel: str | None = None
) -> Cohort:
    """A cohort whose sessions the user may record (its facilitators, the site's managers,
    NSPCC admins); else 404. Unlike ``cohort_for_user``, a CHANGE needs no manager: the
    facilitators record registers. Reads are audited."""
    return _cohort_read(user, cohort_id, action=action, channel=channel, reason="")


def cohort_page_shows(user: User, cohort: Cohort, family_ids: list[int], *, where: str) -> None:
    """A page of the cohort (its roster, a register) names these families: they join the
    cohort's read event (or, after a refused write, the request's list of families named)."""
    page_names_families(user, "cohort", cohort.pk, family_ids, where=where)


def enrolment_for_user(user: User, enrolment_id: int | str, *, family: Family) -> Enrolment:
    """An enrolment of a family already reached through ``family_for_user``."""
    return one(Enrolment.objects.filter(family=family).select_related("cohort"), enrolment_id)


def planned_session_for_user(
    user: User, session_id: int | str, *, cohort: Cohort
) -> PlannedSession:
    """A planned session of a cohort already reached through ``cohort_for_user``."""
    return one(PlannedSession.objects.filter(cohort=cohort).select_related("component"), session_id)
