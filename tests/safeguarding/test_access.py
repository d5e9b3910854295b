"""The referral chokepoints, role by role and site by site, and what the NSPCC team
may see: only its queue, and of each family only what the check needs."""

import dataclasses

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from babysteps.audit.models import AuditEvent
from babysteps.families.access import family_for_user
from babysteps.families.models import Family
from babysteps.safeguarding.access import (
    can_assign_referral,
    can_claim_referral,
    can_see_referral_audit,
    can_signpost,
    can_withdraw_referral,
    can_work_referral,
    referral_for_user,
    referrals_for_user,
)
from babysteps.safeguarding.selectors import ReferralView, referral_view_for
from tests.factories import ParentFactory
from tests.safeguarding.factories import SUMMARY, make_referral

pytestmark = pytest.mark.django_db


def referral_view_for_user(user, referral_id):
    """The referral through its chokepoint, and what this user may see of it."""
    referral = referral_for_user(user, referral_id)
    return referral, referral_view_for(user=user, referral=referral)


REFERRALS = ["waiting_a", "held_by_cast_a2", "held_by_other_b", "closed_by_cast_a"]
# Who may reach which referral. The cast's safe-and-well practitioner sees the queue
# (waiting) and what they hold or held; the lead and NSPCC admins see all; the sites see
# their own families' referrals only (facilitators: the families of their cohorts).
VISIBLE = {
    "admin": set(REFERRALS),
    "lead": set(REFERRALS),
    "safe_and_well": {"waiting_a", "held_by_cast_a2", "closed_by_cast_a"},
    "other_practitioner": {"waiting_a", "held_by_other_b"},
    "manager_a": {"waiting_a", "held_by_cast_a2", "closed_by_cast_a"},
    "manager_b": {"held_by_other_b"},
    "midwife_a": {"waiting_a", "closed_by_cast_a"},
    "support_a": {"waiting_a", "closed_by_cast_a"},
    "facilitator_a2": {"held_by_cast_a2"},
    "facilitator_b": {"held_by_other_b"},
    "evaluator": set(),
    "no_role": set(),
}
SITE_LENS = {"admin", "manager_a", "manager_b", "midwife_a", "support_a", "facilitator_a2"}
SITE_LENS |= {"facilitator_b"}


@pytest.fixture
def world(cast, lead, other_practitioner):
    from babysteps.safeguarding import services

    closed_family = Family.objects.get(pk=cast.family_a_unplaced.pk)
    from tests.factories import EnrolmentFactory

    EnrolmentFactory(family=closed_family, cohort=cast.cohort_a)
    closed = make_referral(closed_family, by=cast.midwife_a, claimed_by=cast.safe_and_well)
    services.call_attempt_record(
        referral=closed, made_by=cast.safe_and_well, at=closed.referred_at, outcome="spoke"
    )
    closed = services.referral_close(
        note_for_site="Mother spoken to; nothing further for you to do.",
        referral=closed,
        closed_by=cast.safe_and_well,
        outcome="declined",
    )
    referrals = {
        "waiting_a": make_referral(cast.family_a, by=cast.midwife_a),
        "held_by_cast_a2": make_referral(
            cast.family_a2, by=cast.facilitator_a2, claimed_by=cast.safe_and_well
        ),
        "held_by_other_b": make_referral(
            cast.family_b, by=cast.facilitator_b, claimed_by=other_practitioner
        ),
        "closed_by_cast_a": closed,
    }
    users = {**cast.staff(), "lead": lead, "other_practitioner": other_practitioner}
    return users, referrals


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
def test_referrals_for_user(world, viewer):
    users, referrals = world
    user = users[viewer]
    visible = {
        name
        for name, referral in referrals.items()
        if referrals_for_user(user).filter(pk=referral.pk).exists()
    }
    assert visible == VISIBLE[viewer]
    for name, referral in referrals.items():
        if name in VISIBLE[viewer]:
            assert referral_for_user(user, referral.pk) == referral
        else:
            with pytest.raises(Http404):
                referral_for_user(user, referral.pk)


@pytest.mark.parametrize("viewer", sorted(VISIBLE))
def test_pages_and_api_answer_404_outside_scope(world, viewer):
    users, referrals = world
    client = Client()
    client.force_login(users[viewer])
    for name, referral in referrals.items():
        page = client.get(reverse("safeguarding:referral", args=[referral.pk]))
        api = client.get(f"/api/v1/referrals/{referral.pk}")
        if name in VISIBLE[viewer]:
            assert (page.status_code, api.status_code) == (200, 200), name
        else:
            assert (page.status_code, api.status_code) == (404, 404), name
            assert api.json() == {"detail": "Not found."}


@pytest.mark.parametrize("viewer", ["safe_and_well", "lead", "other_practitioner"])
def test_the_nspcc_team_gets_404_for_every_family_page(world, cast, viewer):
    users, _ = world
    client = Client()
    client.force_login(users[viewer])
    for family in (cast.family_a, cast.family_a2, cast.family_b):
        for url in (
            reverse("families:detail", args=[family.pk]),
            reverse("safeguarding:signpost", args=[family.pk]),
            f"/api/v1/families/{family.pk}",
        ):
            assert client.get(url).status_code == 404, url
        with pytest.raises(Http404):
            family_for_user(users[viewer], family.pk)


def test_the_check_view_carries_only_what_the_call_needs(world, cast):
    _users, referrals = world
    cast.family_a.identifier = "9434765919"
    cast.family_a.save()
    partner = ParentFactory(
        family=cast.family_a, role="partner", given_name="Sam", mobile="07700 900999"
    )
    mother = cast.family_a.mother
    _, check = referral_view_for_user(cast.safe_and_well, referrals["waiting_a"].pk)
    _, site = referral_view_for_user(cast.midwife_a, referrals["waiting_a"].pk)
    assert check.family_id is None and check.family_name == ""
    assert [(p.role, p.name) for p in check.parents] == [("mother", mother.given_name)]
    assert check.summary == SUMMARY and check.reasons and check.language == "English"
    assert check.safe_number == ""  # not until they hold it
    assert site.family_id == cast.family_a.pk
    assert site.parents[0].name == mother.full_name
    assert site.safe_number == "07700 900461"
    # Nothing of the family's record is anywhere in the check view.
    text = str(dataclasses.asdict(check))
    for secret in (
        mother.family_name,
        mother.email,
        cast.family_a.postcode,
        "9434765919",
        cast.family_a.estimated_due_date.isoformat(),
        partner.given_name,
        partner.mobile,
    ):
        assert secret not in text, secret
    assert {f.name for f in dataclasses.fields(ReferralView)} >= {"family_id", "family_name"}


def test_the_holder_sees_the_safe_number(world, cast):
    _, referrals = world
    _, view = referral_view_for_user(cast.safe_and_well, referrals["held_by_cast_a2"].pk)
    assert view.safe_number == "07700 900461"


def test_the_nspcc_page_shows_no_family_record(world, cast):
    _users, referrals = world
    cast.family_a.identifier = "9434765919"
    cast.family_a.save()
    client = Client()
    client.force_login(cast.safe_and_well)
    content = client.get(reverse("safeguarding:referral", args=[referrals["waiting_a"].pk]))
    text = content.content.decode()
    mother = cast.family_a.mother
    assert mother.given_name in text and "Low mood" in text
    for secret in (mother.family_name, mother.email, cast.family_a.postcode, "943 476 5919"):
        assert secret not in text, secret
    assert f"/families/{cast.family_a.pk}/" not in text
    api = client.get(f"/api/v1/referrals/{referrals['waiting_a'].pk}").json()
    assert api["family"] is None and api["family_name"] == ""
    assert mother.family_name not in str(api) and cast.family_a.postcode not in str(api)


def test_a_facilitator_of_another_site_gets_404(world, cast):
    _, referrals = world
    client = Client()
    client.force_login(cast.facilitator_b)
    referral = referrals["waiting_a"]
    for url in (
        reverse("safeguarding:referral", args=[referral.pk]),
        reverse("safeguarding:audit", args=[referral.pk]),
        f"/api/v1/referrals/{referral.pk}",
        f"/api/v1/referrals/{referral.pk}/calls",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("safeguarding:withdraw", args=[referral.pk]), {"withdraw-withdrawal_reason": "x"}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(
        actor=cast.facilitator_b, object_type="referral", object_id=str(referral.pk)
    ).exists()


def test_permissions_within_scope(world, cast, lead):
    _, referrals = world
    waiting, held = referrals["waiting_a"], referrals["held_by_cast_a2"]
    assert can_claim_referral(cast.safe_and_well, waiting)
    assert not can_claim_referral(cast.midwife_a, waiting)
    assert not can_claim_referral(cast.safe_and_well, held)
    assert can_work_referral(cast.safe_and_well, held)
    assert not can_work_referral(lead, held)
    assert can_assign_referral(lead, held)
    assert not can_assign_referral(cast.safe_and_well, held)
    assert can_withdraw_referral(cast.midwife_a, waiting)
    assert not can_withdraw_referral(cast.safe_and_well, held)
    assert not can_withdraw_referral(cast.manager_a, referrals["closed_by_cast_a"])
    assert can_see_referral_audit(cast.manager_a, waiting)
    assert can_see_referral_audit(cast.admin, waiting)
    assert can_see_referral_audit(lead, waiting)
    assert not can_see_referral_audit(cast.midwife_a, waiting)
    assert not can_see_referral_audit(cast.safe_and_well, held)
    assert can_signpost(cast.midwife_a, cast.family_a)
    assert not can_signpost(cast.admin, cast.family_a)
