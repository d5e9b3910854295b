import pytest

from babysteps.accounts.models import Role
from babysteps.safeguarding.models import ReferralReason
from babysteps.safeguarding.reasons import seed_reasons
from tests.factories import make_staff


@pytest.fixture
def reasons(db) -> None:
    """Transactional tests flush the reasons the data migration seeded: put them back."""
    seed_reasons(ReferralReason)


@pytest.fixture
def lead(db):
    return make_staff(role=Role.NSPCC_SAFE_AND_WELL_LEAD, full_name="Team Lead")


@pytest.fixture
def other_practitioner(db):
    return make_staff(role=Role.NSPCC_SAFE_AND_WELL, full_name="Other Practitioner")
