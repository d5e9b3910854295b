"""The access chokepoints: the only way views, API endpoints and commands reach
family-level records.

Each ``*_for_user`` function answers "may this user reach this object?" and either
returns it or raises ``Http404`` (never 403, which would confirm that another site's
record exists). Reads are written to the audit trail here, once per call, so a view
cannot forget to. Writes are audited by the service that performs them, inside its
transaction, so a failed write leaves no event.

Scope:
- NSPCC programme admin: every site.
- Site manager: the families and cohorts of their sites.
- Facilitator: the families enrolled in cohorts they facilitate, at their sites.
- NSPCC evaluator and safe-and-well practitioner: no identifiable family records here.
- Anyone else (parents, role-less accounts): nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from babysteps.accounts.models import User
from babysteps.accounts.selectors import Roles, roles_for
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.families.models import Family
from babysteps.licensing.models import Site

NOT_FOUND = "Not found."
# Actions recorded by the chokepoint itself; CHANGE is recorded by the writing service.
_AUDITED_HERE = (Action.VIEW, Action.EXPORT)


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


def sites_for_user(user: User) -> QuerySet[Site]:
    """Sites whose records the user may see (admins: all)."""
    roles = roles_for(user)
    if roles.is_admin:
        return Site.objects.all()
    return Site.objects.filter(pk__in=roles.site_ids)


def cohorts_for_user(user: User) -> QuerySet[Cohort]:
    """The cohorts the user may open. No audit: a list of cohorts names no family."""
    roles = roles_for(user)
    if not roles.sees_family_records:
        return Cohort.objects.none()
    scope = _cohort_scope(user, roles)
    if scope is None:
        return Cohort.objects.all()
    return Cohort.objects.filter(pk__in=Cohort.objects.filter(scope).values("pk"))


def families_for_user(user: User) -> QuerySet[Family]:
    """The families the user may open. Callers that show the list audit it as a LIST."""
    roles = roles_for(user)
    if not roles.sees_family_records:
        return Family.objects.none()
    if roles.is_admin:
        return Family.objects.all()
    scope = Q(pk__in=[])
    if roles.managed_site_ids:
        scope |= Q(site_id__in=roles.managed_site_ids)
    if roles.facilitator_site_ids:
        facilitated = Enrolment.objects.filter(
            cohort__in=cohorts_for_user(user), cohort__site_id__in=roles.facilitator_site_ids
        ).values("family_id")
        scope |= Q(pk__in=facilitated)
    return Family.objects.filter(scope)


def _audit_read(
    user: User,
    action: str,
    obj_type: str,
    obj_id: int,
    family_id: int | None,
    site_id: int,
    channel: str | None,
    reason: str,
) -> None:
    if action in _AUDITED_HERE:
        audit_record(
            actor=user,
            action=action,
            object_type=obj_type,
            object_id=obj_id,
            family_id=family_id,
            site_id=site_id,
            channel=channel,
            reason=reason,
        )


def _as_id(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None


def family_for_user(
    user: User,
    family_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Family:
    """The family, if the user may reach it, with site and parents loaded; else 404.

    ``action`` is VIEW or EXPORT for reads (audited here) or CHANGE before a write (the
    service audits the write).
    """
    family = (
        families_for_user(user)
        .select_related("site", "site__licence")
        .prefetch_related("parents")
        .filter(pk=_as_id(family_id))
        .first()
    )
    if family is None:
        raise Http404(NOT_FOUND)
    _audit_read(user, action, "family", family.pk, family.pk, family.site_id, channel, reason)
    return family


def can_record_family_without_cohort(user: User, site: Site) -> bool:
    """Managers and admins may record a family before it has a cohort place. A facilitator
    must place it in one of their cohorts, or they could not see what they recorded."""
    roles = roles_for(user)
    return roles.is_admin or site.pk in roles.managed_site_ids


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Managers of the cohort's site and NSPCC admins run cohorts (staffing, schedule)."""
    roles = roles_for(user)
    return roles.is_admin or cohort.site_id in roles.managed_site_ids


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
    cohort = (
        cohorts_for_user(user)
        .select_related("site", "site__licence")
        .filter(pk=_as_id(cohort_id))
        .first()
    )
    if cohort is None:
        raise Http404(NOT_FOUND)
    if action == Action.CHANGE and not can_manage_cohort(user, cohort):
        raise PermissionDenied("Only the site's managers can change this cohort.")
    # The cohort page lists its families by name, so reading it is audited too.
    _audit_read(user, action, "cohort", cohort.pk, None, cohort.site_id, channel, reason)
    return cohort


def site_for_user(user: User, site_id: int | str, *, manage: bool = False) -> Site:
    """A site the user belongs to (or any, for admins); ``manage`` asks for a manager."""
    roles = roles_for(user)
    site = sites_for_user(user).select_related("licence", "organisation")
    site = site.filter(pk=_as_id(site_id)).first()
    if site is None:
        raise Http404(NOT_FOUND)
    if manage and not (roles.is_admin or site.pk in roles.managed_site_ids):
        raise PermissionDenied("Only the site's managers can do this.")
    return site


def enrolment_for_user(user: User, enrolment_id: int | str, *, family: Family) -> Enrolment:
    """An enrolment of a family already reached through ``family_for_user``."""
    enrolment = (
        Enrolment.objects.filter(pk=_as_id(enrolment_id), family=family)
        .select_related("cohort")
        .first()
    )
    if enrolment is None:
        raise Http404(NOT_FOUND)
    return enrolment


def planned_session_for_user(
    user: User, session_id: int | str, *, cohort: Cohort
) -> PlannedSession:
    """A planned session of a cohort already reached through ``cohort_for_user``."""
    session = (
        PlannedSession.objects.filter(pk=_as_id(session_id), cohort=cohort)
        .select_related("component")
        .first()
    )
    if session is None:
        raise Http404(NOT_FOUND)
    return session


# --- measures ----------------------------------------------------------------------------
from babysteps.measures.models import Administration  # noqa: E402


def administrations_for_user(user: User) -> QuerySet[Administration]:
    """Questionnaires of the families the user may open (identifiable: not evaluators)."""
    return Administration.objects.filter(family__in=families_for_user(user))


def administration_for_user(
    user: User,
    administration_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Administration:
    """One questionnaire with its family, parent and instrument loaded; else 404."""
    administration = (
        administrations_for_user(user)
        .select_related("family__site", "parent", "instrument", "recorded_by", "cohort")
        .filter(pk=_as_id(administration_id))
        .first()
    )
    if administration is None:
        raise Http404(NOT_FOUND)
    _audit_read(
        user,
        action,
        "administration",
        administration.pk,
        administration.family_id,
        administration.family.site_id,
        channel,
        reason,
    )
    return administration


# --- alerts ------------------------------------------------------------------------------
from babysteps.alerts.models import Alert  # noqa: E402


def alerts_for_user(user: User) -> QuerySet[Alert]:
    """Alerts about the families the user may open."""
    return Alert.objects.filter(family__in=families_for_user(user))


def alerts_to_act_on(user: User) -> QuerySet[Alert]:
    """Open alerts for the home page: those of the cohorts the user facilitates and of the
    sites they manage (the people an alert is for). NSPCC admins see alerts on family
    pages, not on their home page."""
    roles = roles_for(user)
    scope = Q(pk__in=[])
    if roles.managed_site_ids:
        scope |= Q(site_id__in=roles.managed_site_ids)
    if roles.facilitator_site_ids:
        scope |= Q(
            site_id__in=roles.facilitator_site_ids,
            administration__cohort__facilitator_links__user=user,
        )
    return Alert.objects.filter(
        pk__in=Alert.objects.filter(scope, acknowledged_at__isnull=True).values("pk")
    )


def alert_for_user(
    user: User,
    alert_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Alert:
    """One alert (with family, parent, questionnaire) if the user may see it; else 404."""
    alert = (
        alerts_for_user(user)
        .select_related(
            "family__site", "parent", "administration__instrument", "acknowledged_by", "site"
        )
        .filter(pk=_as_id(alert_id))
        .first()
    )
    if alert is None:
        raise Http404(NOT_FOUND)
    _audit_read(user, action, "alert", alert.pk, alert.family_id, alert.site_id, channel, reason)
    return alert


# --- evaluation --------------------------------------------------------------------------


def may_evaluate(user: User) -> bool:
    """NSPCC evaluators and admins (every site, pseudonymised) and site managers (theirs)."""
    roles = roles_for(user)
    return roles.is_admin or roles.is_evaluator or roles.is_manager


def evaluation_site_ids(user: User) -> frozenset[int] | None:
    """The sites whose pseudonymised outcomes the user may evaluate: None means every site.
    Raises PermissionDenied for anyone else."""
    roles = roles_for(user)
    if roles.is_admin or roles.is_evaluator:
        return None
    if roles.is_manager:
        return roles.managed_site_ids
    raise PermissionDenied("Only evaluators, NSPCC admins and site managers see the evaluation.")


def may_export_participants(user: User) -> bool:
    """The participant-level (pseudonymised) file is for NSPCC evaluators and admins."""
    roles = roles_for(user)
    return roles.is_admin or roles.is_evaluator
