"""Who may reach a family's record.

Scope:
- NSPCC programme admin: every family.
- Site manager: the families of their sites.
- Facilitator: the families enrolled in cohorts they facilitate, at their sites.
- NSPCC evaluators and the safe-and-well team: no identifiable family records (the team
  reaches the referrals in its queue: ``babysteps.safeguarding.access``).
- Anyone else (parents, role-less accounts): nothing.
"""

from django.db.models import Q, QuerySet

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.audit.models import Action
from babysteps.audit.reads import read_record, read_shows
from babysteps.core.access import one
from babysteps.families.models import Family
from babysteps.licensing.models import Site


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
        # One filter() call: the site and the facilitator are those of the same cohort.
        # Read as a list (a facilitator has a few hundred families at most): as a subquery
        # PostgreSQL cannot tell how few rows it gives and joins every family in the
        # country first (a caseload page took 200 ms at 100,000 families, 5 ms this way).
        facilitated = list(
            Family.objects.filter(
                enrolments__cohort__site_id__in=roles.facilitator_site_ids,
                enrolments__cohort__facilitator_links__user=user,
            )
            .values_list("pk", flat=True)
            .distinct()
        )
        scope |= Q(pk__in=facilitated)
    return Family.objects.filter(scope)


def family_for_user(
    user: User,
    family_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
) -> Family:
    """The family, if the user may reach it, with site and parents loaded; else 404.

    ``action`` is VIEW or EXPORT for reads (audited here: one event per request, which the
    page's panels add to with ``family_page_shows``) or CHANGE before a write (the service
    audits the write).
    """
    family = one(
        families_for_user(user).select_related("site", "site__licence").prefetch_related("parents"),
        family_id,
    )
    read_record(
        actor=user,
        action=action,
        object_type="family",
        object_id=family.pk,
        family_id=family.pk,
        site_id=family.site_id,
        channel=channel,
        reason=reason,
    )
    return family


def family_page_shows(family: Family, kind: str, ids: list[int]) -> None:
    """Name, on this request's read of the family, the ids of other records a panel showed
    on its page (alerts, referral outcomes), instead of writing events of their own."""
    read_shows("family", family.pk, kind, ids)


def can_record_family_without_cohort(user: User, site: Site) -> bool:
    """Managers and admins may record a family before it has a cohort place. A facilitator
    must place it in one of their cohorts, or they could not see what they recorded."""
    roles = roles_for(user)
    return roles.is_admin or site.pk in roles.managed_site_ids
