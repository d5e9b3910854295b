"""The demo is built by seeders that apps register in a ``demo.py`` module.

Each seeder runs in its own transaction and must be idempotent: it checks whether its
data is already there and returns early, so ``make run`` can call ``demo`` every time.
Seeders find what earlier seeders made through the ``DemoContext`` lookups, which read
the database (so they work on a second run too).
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from babysteps.accounts.models import User
from babysteps.cohorts.models import Cohort
from babysteps.families.models import Family, Parent
from babysteps.licensing.models import Site


@dataclass
class DemoContext:
    password: str
    today: date = field(default_factory=timezone.localdate)
    logins: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def user(self, email: str) -> User:
        return User.objects.get(email=email)

    def site(self, name: str) -> Site:
        return Site.objects.get(name=name)

    def cohort(self, name: str) -> Cohort:
        return Cohort.objects.get(name=name)

    def family(self, mother_email: str) -> Family:
        return Family.objects.get(parents__role=Parent.Role.MOTHER, parents__email=mother_email)

    def add_login(self, email: str, description: str) -> None:
        if email not in {e for e, _ in self.logins}:
            self.logins.append((email, description))


Seeder = Callable[[DemoContext], None]
_seeders: list[tuple[int, str, Seeder]] = []


def seeder(order: int, name: str) -> Callable[[Seeder], Seeder]:
    """Register a demo seeder; lower ``order`` runs first (the foundation is 10)."""

    def decorator(fn: Seeder) -> Seeder:
        if all(existing != name for _, existing, _ in _seeders):
            _seeders.append((order, name, fn))
        return fn

    return decorator


def seeders() -> list[tuple[int, str, Seeder]]:
    return sorted(_seeders, key=lambda s: s[0])


def give_demo_second_factor(user: User) -> None:
    """Every demo member of staff has an authenticator app set up with the same key,
    ``DEMO_TOTP_SECRET`` (documented in the README, printed by ``make run``), so a newcomer
    adds it to their own app once and signs in as anyone."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    key = base64.b32decode(
        settings.DEMO_TOTP_SECRET.upper() + "=" * (-len(settings.DEMO_TOTP_SECRET) % 8)
    )
    TOTPDevice.objects.create(user=user, name="Authenticator app (demo key)", key=key.hex())


def mother_of(family: Family) -> Parent:
    """The demo families all have a mother (and the partners named below have partners)."""
    mother = family.mother
    if mother is None:
        raise LookupError(f"Demo family {family.pk} has no mother recorded.")
    return mother


def partner_of(family: Family) -> Parent:
    partner = family.partner
    if partner is None:
        raise LookupError(f"Demo family {family.pk} has no partner recorded.")
    return partner
