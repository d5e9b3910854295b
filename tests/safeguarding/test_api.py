"""/api/v1/referrals: the same scope, rules and audit as the pages."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from babysteps.api.services import api_token_create
from babysteps.safeguarding.models import SafeAndWellReferral
from tests.safeguarding.factories import NO_CONSENT_REASON, SUMMARY, make_referral

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict) -> object:
    return client.post(url, body, content_type="application/json")


def _body(family, **changes) -> dict[str, object]:
    body = {
        "family": family.pk,
        "parents": ["mother"],
        "reasons": ["isolation", "money"],
        "summary": SUMMARY,
        "urgency": "same_day",
        "consent_basis": "given",
        "consent_given_by": "mother",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_method": "phone",
        "safe_number": "+44 7700 900461",
    }
    body.update(changes)
    return body


def test_reasons_are_listed(cast):
    codes = [r["code"] for r in _client(cast.midwife_a).get("/api/v1/referrals/reasons").json()]
    assert codes[:2] == ["low_mood", "isolation"] and "domestic_abuse" in codes


def test_a_site_signposts_through_the_api(cast):
    client = _client(cast.midwife_a)
    response = _post(client, "/api/v1/referrals", _body(cast.family_a))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["family"] == cast.family_a.pk and data["status"] == "open"
    assert data["safe_number"] == "07700 900461" and data["summary"] == SUMMARY
    assert data["reasons"] == ["Isolation or loneliness", "Money worries"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent_basis": "refused", "consent_given_by": ""}, "no_consent_reason"),
        ({"consent_basis": "not_sought", "no_consent_reason": " "}, "no_consent_reason"),
        ({"reasons": ["nonsense"]}, "reasons"),
        ({"parents": ["partner"]}, "parents"),
        ({"safe_number": "12"}, "safe_number"),
    ],
)
def test_invalid_input_is_a_422_with_the_field(cast, changes, field):
    response = _post(_client(cast.midwife_a), "/api/v1/referrals", _body(cast.family_a, **changes))
    assert response.status_code == 422
    assert field in {tuple(e["loc"])[-1] for e in response.json()["detail"]}
    assert not SafeAndWellReferral.objects.exists()


def test_without_consent_through_the_api(cast):
    body = _body(
        cast.family_a,
        consent_basis="refused",
        consent_given_by="",
        no_consent_reason=NO_CONSENT_REASON,
    )
    response = _post(_client(cast.manager_a), "/api/v1/referrals", body)
    assert response.status_code == 201
    assert response.json()["no_consent_reason"] == NO_CONSENT_REASON


def test_only_the_families_site_signposts(cast):
    assert (
        _post(_client(cast.midwife_a), "/api/v1/referrals", _body(cast.family_b)).status_code == 422
    )
    assert _post(_client(cast.admin), "/api/v1/referrals", _body(cast.family_a)).status_code == 403
    team = _post(_client(cast.safe_and_well), "/api/v1/referrals", _body(cast.family_a))
    assert team.status_code == 422


def test_lists_are_scoped_sites_their_own_and_the_team_its_queue(cast):
    mine = make_referral(cast.family_a, by=cast.midwife_a, urgency="five_working_days")
    urgent = make_referral(cast.family_b, by=cast.facilitator_b, urgency="same_day")
    site = _client(cast.manager_a).get("/api/v1/referrals").json()
    assert [i["id"] for i in site["items"]] == [mine.pk]
    assert site["items"][0]["family"] == cast.family_a.pk
    queue = _client(cast.safe_and_well).get("/api/v1/referrals").json()
    assert [i["id"] for i in queue["items"]] == [urgent.pk, mine.pk]  # soonest due first
    assert {i["family"] for i in queue["items"]} == {None}
    assert {i["family_name"] for i in queue["items"]} == {""}
    closed = _client(cast.manager_a).get("/api/v1/referrals", {"status": "closed"}).json()
    assert closed["count"] == 0
    assert _client(cast.evaluator).get("/api/v1/referrals").json()["count"] == 0


def test_the_practitioner_works_it_through_the_api(cast, settings):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    token = api_token_create(user=cast.safe_and_well)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    base = f"/api/v1/referrals/{referral.pk}"
    assert client.get(base).json()["safe_number"] == ""
    claimed = _post(client, f"{base}/holder", {})
    assert claimed.status_code == 200 and claimed.json()["claimed_by"] == "Safe And Well"
    assert client.get(f"{base}/holder").json()["status"] == "claimed"
    assert client.get(base).json()["safe_number"] == "07700 900461"
    at = (timezone.now() - timedelta(minutes=1)).isoformat()
    bad = _post(client, f"{base}/calls", {"at": at, "outcome": "spoke", "voicemail_left": True})
    assert bad.status_code == 422
    assert _post(client, f"{base}/calls", {"at": at, "outcome": "no_answer"}).status_code == 201
    assert _post(client, f"{base}/calls", {"outcome": "spoke"}).status_code == 201
    assert [c["outcome"] for c in client.get(f"{base}/calls").json()] == ["no_answer", "spoke"]
    assert _post(client, f"{base}/outcome", {}).status_code == 422
    assert _post(client, f"{base}/outcome", {"outcome": "support_accepted"}).status_code == 422
    done = _post(
        client,
        f"{base}/outcome",
        {
            "outcome": "support_accepted",
            "note_for_site": "Support accepted; nothing for you to do.",
            "outcome_notes": "Team only.",
        },
    )
    assert done.status_code == 200
    assert done.json()["outcome_label"] == "Support offered and accepted"
    assert client.get(f"{base}/outcome").json()["status"] == "closed"
    site_view = _client(cast.midwife_a).get(f"{base}/outcome").json()
    assert site_view["outcome"] == "support_accepted"
    assert site_view["note_for_site"] == "Support accepted; nothing for you to do."
    assert site_view["outcome_notes"] == ""  # the team's own notes stay with the NSPCC
    assert client.get(f"{base}/outcome").json()["outcome_notes"] == "Team only."


def test_roles_are_refused_actions_that_are_not_theirs(cast, lead, other_practitioner):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    base = f"/api/v1/referrals/{referral.pk}"
    manager = _client(cast.manager_a)
    assert _post(manager, f"{base}/holder", {}).status_code == 403
    assert _post(manager, f"{base}/calls", {"outcome": "spoke"}).status_code == 403
    assert _post(manager, f"{base}/outcome", {"outcome": "declined"}).status_code == 403
    team = _client(cast.safe_and_well)
    assert _post(team, f"{base}/withdrawal", {"reason": "x"}).status_code == 403
    assert _post(team, f"{base}/holder", {"user": other_practitioner.pk}).status_code == 403
    assigned = _post(_client(lead), f"{base}/holder", {"user": other_practitioner.pk})
    assert assigned.json()["claimed_by"] == "Other Practitioner"
    # Held by someone else now: out of the cast practitioner's queue altogether.
    assert team.get(base).status_code == 404


def test_the_site_withdraws_through_the_api(cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    client = _client(cast.support_a)
    base = f"/api/v1/referrals/{referral.pk}"
    assert client.get(f"{base}/withdrawal").json()["withdrawn_at"] is None
    assert _post(client, f"{base}/withdrawal", {}).status_code == 422
    response = _post(client, f"{base}/withdrawal", {"reason": "Family moved to Scotland."})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert SafeAndWellReferral.objects.get().withdrawal_reason == "Family moved to Scotland."


def test_audit_trail_through_the_api(cast, lead):
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    _client(cast.safe_and_well).get(f"/api/v1/referrals/{referral.pk}")
    trail = _client(cast.manager_a).get(f"/api/v1/referrals/{referral.pk}/audit").json()
    actions = {(e["action"], e["actor"]) for e in trail["items"]}
    assert ("view", "Safe And Well") in actions and ("create", "Midwife A") in actions
    assert _client(cast.midwife_a).get(f"/api/v1/referrals/{referral.pk}/audit").status_code == 403
    assert _client(lead).get(f"/api/v1/referrals/{referral.pk}/audit").status_code == 200
