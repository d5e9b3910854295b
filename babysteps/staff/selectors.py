"""The staff of a site, for the site manager's pages."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from babysteps.accounts.models import SITE_ROLES, Membership, Role, User
from babysteps.licensing.models import Site


@dataclass(frozen=True)
class Member:
    user: User
    roles: tuple[str, ...]  # role labels at this site

    @property
    def invited(self) -> bool:
        """Invited but not joined yet: no password set, never signed in."""
        return self.user.last_login is None and not self.user.has_usable_password()


def site_members(site: Site) -> QuerySet[User]:
    """Everyone holding a site role at the site, by name, with those roles prefetched."""
    here = Membership.objects.filter(site=site, role__in=SITE_ROLES).order_by("role")
    return (
        User.objects.filter(memberships__site=site, memberships__role__in=SITE_ROLES)
        .distinct()
        .select_related("practitioner")
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="roles_here"))
        .order_by("full_name", "pk")
    )


def as_member(user: User) -> Member:
    held = getattr(user, "roles_here", None)
    if held is None:
        held = list(user.memberships.filter(role__in=SITE_ROLES))
    return Member(user=user, roles=tuple(str(Role(m.role).label) for m in held))


def roles_at_site(user: User, site: Site) -> list[str]:
    return list(
        Membership.objects.filter(user=user, site=site, role__in=SITE_ROLES).values_list(
            "role", flat=True
        )
    )
