"""Who a user is in the programme: their roles, computed once per request."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from babysteps.accounts.models import Membership, Role, User


@dataclass(frozen=True)
class Roles:
    """The roles a user holds. Site roles carry the ids of their sites."""

    is_admin: bool = False
    is_evaluator: bool = False
    is_safe_and_well: bool = False
    is_safe_and_well_lead: bool = False
    managed_site_ids: frozenset[int] = frozenset()
    facilitator_site_ids: frozenset[int] = frozenset()

    @property
    def is_manager(self) -> bool:
        return bool(self.managed_site_ids)

    @property
    def is_facilitator(self) -> bool:
        return bool(self.facilitator_site_ids)

    @property
    def site_ids(self) -> frozenset[int]:
        return self.managed_site_ids | self.facilitator_site_ids

    @property
    def works_referrals(self) -> bool:
        """On the NSPCC safe-and-well team (a practitioner or its lead): works the queue."""
        return self.is_safe_and_well or self.is_safe_and_well_lead

    @property
    def is_staff_member(self) -> bool:
        """Holds any staff role. Parents and role-less accounts are not staff."""
        return self.is_admin or self.is_evaluator or self.works_referrals or bool(self.site_ids)

    @property
    def sees_family_records(self) -> bool:
        """May open identifiable family records at all (evaluators see pseudonyms only)."""
        return self.is_admin or bool(self.site_ids)


NO_ROLES = Roles()
_CACHE_ATTR = "_babysteps_roles"


def roles_for(user: User | AnonymousUser) -> Roles:
    """The user's roles, cached on the user object for the rest of the request."""
    if not user.is_authenticated or not user.is_active:
        return NO_ROLES
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rows = list(Membership.objects.filter(user=user).values_list("role", "site_id"))
    roles = Roles(
        is_admin=any(role == Role.NSPCC_ADMIN for role, _ in rows),
        is_evaluator=any(role == Role.NSPCC_EVALUATOR for role, _ in rows),
        is_safe_and_well=any(role == Role.NSPCC_SAFE_AND_WELL for role, _ in rows),
        is_safe_and_well_lead=any(role == Role.NSPCC_SAFE_AND_WELL_LEAD for role, _ in rows),
        managed_site_ids=frozenset(s for role, s in rows if role == Role.SITE_MANAGER),
        facilitator_site_ids=frozenset(s for role, s in rows if role == Role.FACILITATOR),
    )
    setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user: User) -> None:
    """Drop the cached roles after memberships change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def staff_at_site(*, site_id: int) -> QuerySet[User]:
    """Active users holding a site role at the site, with their practitioner profile."""
    return (
        User.objects.filter(is_active=True, memberships__site_id=site_id)
        .select_related("practitioner")
        .prefetch_related("memberships")
        .distinct()
        .order_by("full_name")
    )


def site_managers(*, site_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, memberships__site_id=site_id, memberships__role=Role.SITE_MANAGER
    ).distinct()


def users_with_national_role(*, role: str) -> QuerySet[User]:
    return User.objects.filter(is_active=True, memberships__role=role, memberships__site=None)
