"""The caseload a practitioner runs their week from: sorted by next session, due date or
name; filtered by cohort, stage, missing consent and open alert; a missing consent flagged
in the list and on the family."""

from datetime import timedelta

import pytest
from django.urls import reverse

from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.families.models import Consent
from tests.factories import EnrolmentFactory, FamilyFactory, today
from tests.measures.helpers import epds_positions, record

pytestmark = pytest.mark.django_db


def _names(client, **params) -> list[str]:
    page = client.get(reverse("families:list"), params).context["page_obj"]
    return [f.display_name for f in page.object_list]


@pytest.fixture
def caseload(cast):
    """Cohort A's family (Alice), two more at site A: one in a second cohort, one unplaced."""
    cohort_schedule_generate(cohort=cast.cohort_a)
    later = EnrolmentFactory(
        family__site=cast.site_a,
        family__mother__given_name="Zoe",
        family__mother__family_name="Abbott",
        family__estimated_due_date=today() + timedelta(days=20),
        cohort__start_date=today() + timedelta(days=200),
    )
    cohort_schedule_generate(cohort=later.cohort)
    unplaced = FamilyFactory(
        site=cast.site_a,
        mother__given_name="Bea",
        mother__family_name="Young",
        estimated_due_date=today() - timedelta(days=30),
    )
    return later.family, unplaced


def test_the_caseload_sorts_by_next_session_due_date_or_name(client_for, cast, caseload):
    later, unplaced = caseload
    client = client_for(cast.manager_a)
    alice = cast.family_a.display_name
    # Default: the soonest next session first; families with none last.
    assert _names(client)[:2] == [alice, later.display_name]
    assert _names(client)[-1] == unplaced.display_name
    assert _names(client, sort="due")[0] == unplaced.display_name
    assert _names(client, sort="name")[0] == later.display_name  # Abbott


def test_the_caseload_filters(client_for, cast, caseload):
    later, unplaced = caseload
    client = client_for(cast.manager_a)
    assert _names(client, cohort=cast.cohort_a.pk) == [cast.family_a.display_name]
    assert unplaced.display_name in _names(client, stage="postnatal")
    assert unplaced.display_name not in _names(client, stage="antenatal")
    # No decision on taking part is recorded for the placed families.
    missing = _names(client, consent_missing="on")
    assert {cast.family_a.display_name, later.display_name} <= set(missing)
    assert unplaced.display_name not in missing  # no place, nothing to consent to yet
    Consent.objects.create(
        family=later,
        kind=Consent.Kind.TAKE_PART,
        given=True,
        decided_on=today(),
        recorded_by=cast.manager_a,
    )
    after = _names(client, consent_missing="on")
    assert cast.family_a.display_name in after and later.display_name not in after
    assert _names(client, open_alert="on") == []
    record(later, cast.midwife_a, answers=epds_positions(item_10=2), safety_confirmed=True)
    assert _names(client, open_alert="on") == [later.display_name]
    # Filters survive paging, and an empty result says so.
    page = client.get(reverse("families:list"), {"stage": "antenatal", "q": "nobody"})
    assert "No families match" in page.content.decode()


def test_a_missing_consent_is_flagged_in_the_list_and_on_the_family(client_for, cast):
    client = client_for(cast.midwife_a)
    listing = client.get(reverse("families:list")).content.decode()
    assert "Consent not recorded" in listing
    page = client.get(reverse("families:detail", args=[cast.family_a.pk])).content.decode()
    assert "Consent to take part is not recorded." in page
    Consent.objects.create(
        family=cast.family_a,
        kind=Consent.Kind.TAKE_PART,
        given=True,
        decided_on=today(),
        recorded_by=cast.midwife_a,
    )
    page = client.get(reverse("families:detail", args=[cast.family_a.pk])).content.decode()
    assert "Consent to take part is not recorded." not in page
    assert "Consent not recorded" not in client.get(reverse("families:list")).content.decode()
