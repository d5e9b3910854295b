"""The shared cast of the test suite.

Two sites, A and B. At A: a manager, two trained facilitators (a midwife and a family
support worker) who run cohort A, and a third facilitator who runs a different cohort
(A2) at the same site. At B: a manager and a facilitator running cohort B. Nationally: an
NSPCC admin, an evaluator and a safe-and-well practitioner. Plus a signed-in user with
no staff role (as a parent would be) and the anonymous visitor.
"""

import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from babysteps.accounts.models import ProfessionalRole, Role, User
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.families.models import Family
from babysteps.licensing.models import Site
from tests.factories import (
    CohortFactory,
    EnrolmentFactory,
    FamilyFactory,
    SiteFactory,
    UserFactory,
    facilitate,
    make_staff,
)

# ``BABYSTEPS_TEST_NOW=2026-10-24T23:30`` (London time) runs the whole suite with the
# clock starting at that instant and ticking on, from before the tests are collected (so
# parameters computed from "today" agree with the tests): CI runs it at an awkward instant
# (a Saturday night, hours before the clocks go back) so no test depends on when it runs.
TEST_NOW = os.environ.get("BABYSTEPS_TEST_NOW", "")


def pytest_configure(config: pytest.Config) -> None:
    if not TEST_NOW:
        return
    start = datetime.fromisoformat(TEST_NOW)
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo("Europe/London"))
    time_machine.travel(start, tick=True).start()


# Staff pages need the second factor as well as the password. The suite's staff sign in
# with it already passed (a recovery-code device marked as used for the session); the
# factor itself is tested in tests/accounts/test_second_factor.py, which signs in with
# ``force_login_password_only``.
force_login_password_only = Client.force_login


def _force_login_with_second_factor(self, user, backend=None):
    force_login_password_only(self, user, backend)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="test second factor")
    session = self.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


Client.force_login = _force_login_with_second_factor


@pytest.fixture(autouse=True)
def _let_the_flush_empty_the_audit_trail(request: pytest.FixtureRequest):
    """A transactional test (browser tests) ends by emptying every table. On SQLite that is
    a DELETE, which the audit trail's triggers refuse; so, for these tests only, a purge
    permit is left before the flush (PostgreSQL empties tables with TRUNCATE, which the row
    triggers do not see). The trigger tests remove any permit before they try."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so flushed after this
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_purge_permit (before) VALUES ('9999-12-31')")


@dataclass
class Cast:
    site_a: Site
    site_b: Site
    admin: User
    evaluator: User
    safe_and_well: User
    manager_a: User
    manager_b: User
    midwife_a: User
    support_a: User
    facilitator_a2: User
    facilitator_b: User
    no_role: User
    cohort_a: Cohort
    cohort_a2: Cohort
    cohort_b: Cohort
    family_a: Family
    family_a2: Family
    family_a_unplaced: Family
    family_b: Family
    enrolment_a: Enrolment
    enrolment_b: Enrolment

    def staff(self) -> dict[str, User]:
        """Every staff role, by a readable name (for parametrised access tests)."""
        return {
            "admin": self.admin,
            "evaluator": self.evaluator,
            "safe_and_well": self.safe_and_well,
            "manager_a": self.manager_a,
            "manager_b": self.manager_b,
            "midwife_a": self.midwife_a,
            "support_a": self.support_a,
            "facilitator_a2": self.facilitator_a2,
            "facilitator_b": self.facilitator_b,
            "no_role": self.no_role,
        }


@pytest.fixture
def cast(db, curriculum, instruments, referral_reasons) -> Cast:
    site_a = SiteFactory(name="Site A")
    site_b = SiteFactory(name="Site B")
    manager_a = make_staff(role=Role.SITE_MANAGER, site=site_a, full_name="Manager A")
    manager_b = make_staff(role=Role.SITE_MANAGER, site=site_b, full_name="Manager B")
    midwife_a = make_staff(
        role=Role.FACILITATOR,
        site=site_a,
        professional_role=ProfessionalRole.MIDWIFE,
        full_name="Midwife A",
    )
    support_a = make_staff(
        role=Role.FACILITATOR,
        site=site_a,
        professional_role=ProfessionalRole.FAMILY_SUPPORT_WORKER,
        full_name="Support A",
    )
    facilitator_a2 = make_staff(
        role=Role.FACILITATOR,
        site=site_a,
        professional_role=ProfessionalRole.HEALTH_VISITOR,
        full_name="Facilitator A2",
    )
    facilitator_b = make_staff(
        role=Role.FACILITATOR,
        site=site_b,
        professional_role=ProfessionalRole.HEALTH_VISITOR,
        full_name="Facilitator B",
    )
    cohort_a = CohortFactory(site=site_a, name="Cohort A")
    cohort_a2 = CohortFactory(site=site_a, name="Cohort A2")
    cohort_b = CohortFactory(site=site_b, name="Cohort B")
    facilitate(cohort_a, midwife_a, support_a)
    facilitate(cohort_a2, facilitator_a2)
    facilitate(cohort_b, facilitator_b)
    family_a = FamilyFactory(site=site_a, created_by=manager_a, mother__given_name="Alice")
    family_a2 = FamilyFactory(site=site_a, created_by=manager_a, mother__given_name="Amira")
    family_a_unplaced = FamilyFactory(site=site_a, created_by=manager_a)
    family_b = FamilyFactory(site=site_b, created_by=manager_b, mother__given_name="Bella")
    enrolment_a = EnrolmentFactory(family=family_a, cohort=cohort_a)
    EnrolmentFactory(family=family_a2, cohort=cohort_a2)
    enrolment_b = EnrolmentFactory(family=family_b, cohort=cohort_b)
    return Cast(
        site_a=site_a,
        site_b=site_b,
        admin=make_staff(role=Role.NSPCC_ADMIN, full_name="NSPCC Admin"),
        evaluator=make_staff(role=Role.NSPCC_EVALUATOR, full_name="NSPCC Evaluator"),
        safe_and_well=make_staff(role=Role.NSPCC_SAFE_AND_WELL, full_name="Safe And Well"),
        manager_a=manager_a,
        manager_b=manager_b,
        midwife_a=midwife_a,
        support_a=support_a,
        facilitator_a2=facilitator_a2,
        facilitator_b=facilitator_b,
        no_role=UserFactory(full_name="No Role"),
        cohort_a=cohort_a,
        cohort_a2=cohort_a2,
        cohort_b=cohort_b,
        family_a=family_a,
        family_a2=family_a2,
        family_a_unplaced=family_a_unplaced,
        family_b=family_b,
        enrolment_a=enrolment_a,
        enrolment_b=enrolment_b,
    )


@pytest.fixture
def curriculum(db) -> None:
    """Transactional tests (browser tests) flush every table when they end, including
    the curriculum the data migration seeded; put it back for the next one (a test inside
    a rolled-back transaction finds it as the migration left it)."""
    from babysteps.programme.curriculum import seed_curriculum
    from babysteps.programme.models import Component, KeyMessage

    if not KeyMessage.objects.exists():
        seed_curriculum(Component, KeyMessage)


@pytest.fixture
def instruments(db) -> None:
    """The shipped questionnaires (seeded by a data migration; transactional tests flush
    them, so put them back)."""
    from babysteps.measures.catalogue import seed_instruments
    from babysteps.measures.models import Instrument, InstrumentRevision

    if not InstrumentRevision.objects.exists():
        seed_instruments(Instrument, InstrumentRevision)


@pytest.fixture
def referral_reasons(db) -> None:
    """The safe-and-well referral reasons (seeded by a data migration; transactional tests
    flush them, so put them back when they are gone)."""
    from babysteps.safeguarding.models import ReferralReason
    from babysteps.safeguarding.reasons import seed_reasons

    if not ReferralReason.objects.exists():
        seed_reasons(ReferralReason)


@pytest.fixture
def retention_schedule(db) -> None:
    """The default retention rules (seeded by a data migration; transactional tests flush
    them, so put them back)."""
    from babysteps.privacy.models import RetentionRule
    from babysteps.privacy.schedule import DEFAULT_SCHEDULE

    for rule in DEFAULT_SCHEDULE:
        RetentionRule.objects.get_or_create(record_class=rule["record_class"], defaults=rule)


@pytest.fixture
def client_for(client: Client):
    """``client_for(user)`` gives a test client signed in as the user."""

    def sign_in(user: User) -> Client:
        fresh = Client()
        fresh.force_login(user)
        return fresh

    return sign_in


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path: Path) -> None:
    """Uploaded files go to a temporary folder, never the developer's var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


# --- Browser tests: run against a real Chromium when one is installed ----------------


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


CHROMIUM = find_chromium()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM:
        return
    skip = pytest.mark.skip(
        reason="browser test: no Chromium found (install Debian's chromium or set CHROMIUM)"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def db_queue(settings):
    """The real database task backend (deferred tasks), as ``make run`` uses."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
