"""Finding a family recorded twice and merging the two records."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from babysteps.audit.models import AuditEvent
from babysteps.bookings.models import CallBooking
from babysteps.cohorts.models import Enrolment
from babysteps.cohorts.services import enrolment_change_status
from babysteps.delivery.models import Attendance
from babysteps.delivery.services import AttendanceIn, contact_record
from babysteps.families.merging import family_merge
from babysteps.families.models import Family, FamilyMerge, Parent
from babysteps.measures.models import Administration
from babysteps.programme.models import Component
from babysteps.safeguarding.models import SafeAndWellReferral
from tests.bookings.helpers import book, future_day, local, publish
from tests.factories import FamilyFactory
from tests.measures.helpers import record
from tests.safeguarding.factories import make_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice(cast):
    """Family A2 holds a booking, a home visit, a questionnaire and a referral; family A
    gives up its place so the two can be one family."""
    duplicate = cast.family_a2
    day = future_day(5)
    publish(cast.facilitator_a2, cast.site_a, day, start=time(9), end=time(10))
    booking = book(
        cast,
        at=local(day, time(9)),
        family=duplicate,
        facilitator=cast.facilitator_a2,
        booked_by=cast.facilitator_a2,
    )
    visit = contact_record(
        family=duplicate,
        cohort=cast.cohort_a2,
        component=Component.objects.get(code="HV1"),
        mode="home_visit",
        starts_at=timezone.now() - timedelta(hours=3),
        planned_minutes=60,
        actual_minutes=60,
        facilitators=[cast.facilitator_a2],
        recorded_by=cast.facilitator_a2,
        attendance=AttendanceIn(mother=True),
    )
    administration = record(duplicate, cast.facilitator_a2).administration
    referral = make_referral(duplicate, by=cast.facilitator_a2)
    enrolment_change_status(
        enrolment=cast.enrolment_a,
        status=Enrolment.Status.WITHDRAWN,
        changed_by=cast.manager_a,
        withdrawal_reason="Recorded twice",
    )
    return {
        "booking": booking,
        "visit": visit,
        "administration": administration,
        "referral": referral,
    }


def test_merge_moves_contacts_questionnaires_bookings_and_referrals(cast, twice):
    keep, merge = cast.family_a, cast.family_a2
    old_mother = merge.mother
    record_ = family_merge(keep=keep, merge=merge, merged_by=cast.manager_a)

    assert not Family.objects.filter(pk=merge.pk).exists()
    assert CallBooking.objects.get(pk=twice["booking"].pk).family_id == keep.pk
    assert Attendance.objects.get(contact=twice["visit"]).family_id == keep.pk
    administration = Administration.objects.get(pk=twice["administration"].pk)
    assert administration.family_id == keep.pk
    # The questionnaire was the merged mother's: it is now the kept mother's.
    assert administration.parent_id == keep.mother.pk
    referral = SafeAndWellReferral.objects.get(pk=twice["referral"].pk)
    assert referral.family_id == keep.pk
    assert list(referral.parents.values_list("pk", flat=True)) == [keep.mother.pk]
    assert not Parent.objects.filter(pk=old_mother.pk).exists()
    assert set(Enrolment.objects.filter(family=keep).values_list("cohort", flat=True)) == {
        cast.cohort_a.pk,
        cast.cohort_a2.pk,
    }

    saved = FamilyMerge.objects.get()
    assert (saved.kept_id, saved.merged_family_id, saved.merged_by) == (
        keep.pk,
        merge.pk,
        cast.manager_a,
    )
    assert saved.moved["call bookings"] == 1 and saved.moved["safe and well referrals"] == 1
    assert saved == record_
    change = AuditEvent.objects.filter(object_type="family", family_id=keep.pk).latest("pk")
    assert change.action == "change" and change.detail["merged_family"] == merge.pk
    removal = AuditEvent.objects.get(action="delete", object_type="family", object_id=str(merge.pk))
    assert removal.detail == {"merged_into": keep.pk} and removal.actor == cast.manager_a


def test_a_merge_that_cannot_hold_is_refused_and_changes_nothing(cast):
    # Both families hold an open cohort place: one family cannot hold two.
    with pytest.raises(ValidationError, match="cohort places"):
        family_merge(keep=cast.family_a, merge=cast.family_a2, merged_by=cast.manager_a)
    assert Family.objects.filter(pk=cast.family_a2.pk).exists()
    assert cast.family_a2.parents.count() == 1
    assert not FamilyMerge.objects.exists()


def test_families_of_two_sites_or_one_family_are_not_merged(cast):
    with pytest.raises(ValidationError, match="different sites"):
        family_merge(keep=cast.family_a, merge=cast.family_b, merged_by=cast.admin)
    with pytest.raises(ValidationError, match="two different"):
        family_merge(keep=cast.family_a, merge=cast.family_a, merged_by=cast.admin)


def test_the_duplicates_page_lists_likely_pairs_of_the_managers_site(cast, client_for):
    mother = cast.family_a_unplaced.mother
    twin = FamilyFactory(
        site=cast.site_a,
        created_by=cast.manager_a,
        estimated_due_date=cast.family_a_unplaced.estimated_due_date + timedelta(days=3),
        postcode=cast.family_a_unplaced.postcode,
        mother__given_name=mother.given_name + "h",
        mother__family_name=mother.family_name,
    )
    page = client_for(cast.manager_a).get(reverse("families:duplicates")).content.decode()
    assert f"{reverse('families:merge', args=[cast.family_a_unplaced.pk])}?other={twin.pk}" in page
    assert client_for(cast.manager_b).get(reverse("families:duplicates")).status_code == 200
    assert (
        f"?other={twin.pk}"
        not in client_for(cast.manager_b).get(reverse("families:duplicates")).content.decode()
    )
    assert client_for(cast.midwife_a).get(reverse("families:duplicates")).status_code == 403


def test_merging_through_the_page(cast, client_for, twice):
    url = reverse("families:merge", args=[cast.family_a2.pk])
    client = client_for(cast.manager_a)
    compare = client.get(url, {"other": cast.family_a.pk})
    assert compare.status_code == 200
    assert "1 call bookings" in compare.content.decode()
    # Another site's manager, and a family of another site, are 404.
    assert client_for(cast.manager_b).get(url, {"other": cast.family_a.pk}).status_code == 404
    assert client.get(url, {"other": cast.family_b.pk}).status_code == 404
    response = client.post(url, {"other": cast.family_a.pk, "keep": cast.family_a.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[cast.family_a.pk])
    assert not Family.objects.filter(pk=cast.family_a2.pk).exists()
