import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from babysteps.api.models import ApiToken
from babysteps.audit.models import AuditEvent
from babysteps.cohorts.models import Enrolment
from babysteps.families.models import Family
from tests.factories import today

pytestmark = pytest.mark.django_db


def _token_for(user) -> str:
    out, err = StringIO(), StringIO()
    call_command("api_token", "create", "--email", user.email, stdout=out, stderr=err)
    assert "cannot be shown again" in err.getvalue()
    return out.getvalue().strip()


def _bearer(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_token_is_printed_once_and_stored_hashed(cast):
    token = _token_for(cast.manager_a)
    record = ApiToken.objects.get(user=cast.manager_a)
    assert token.startswith("bst_") and len(token) > 40
    assert token not in record.token_hash and record.prefix == token[:12]


def test_token_command_errors_are_clear(cast):
    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token", "create", "--email", "nobody@example.test")
    with pytest.raises(CommandError, match="No token with id"):
        call_command("api_token", "revoke", "--id", "999")


def test_bearer_token_lists_only_the_users_families(cast):
    body = _bearer(_token_for(cast.midwife_a)).get("/api/v1/families").json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == cast.family_a.pk and item["site"] == cast.site_a.pk
    assert item["cohort"] == cast.cohort_a.pk and item["enrolment_status"] == "active"


def test_manager_lists_the_whole_site_paginated(cast):
    client = _bearer(_token_for(cast.manager_a))
    body = client.get("/api/v1/families", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["items"]) == 2
    page2 = client.get("/api/v1/families", {"page_size": 2, "page": 2}).json()
    assert len(page2["items"]) == 1
    ids = {i["id"] for i in body["items"] + page2["items"]}
    assert ids == {cast.family_a.pk, cast.family_a2.pk, cast.family_a_unplaced.pk}


def test_family_detail(cast):
    body = _bearer(_token_for(cast.midwife_a)).get(f"/api/v1/families/{cast.family_a.pk}").json()
    assert body["id"] == cast.family_a.pk
    assert body["parents"][0]["given_name"] == "Alice"
    assert body["enrolments"][0]["cohort"] == cast.cohort_a.pk


def test_foreign_and_unknown_ids_are_the_same_404(cast):
    client = _bearer(_token_for(cast.midwife_a))
    foreign = client.get(f"/api/v1/families/{cast.family_b.pk}")
    unknown = client.get("/api/v1/families/99999999")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json() == {"detail": "Not found."}
    foreign = client.get(f"/api/v1/cohorts/{cast.cohort_b.pk}")
    assert foreign.status_code == 404 and foreign.json() == {"detail": "Not found."}


def test_revoked_and_bad_tokens_are_401(cast):
    token = _token_for(cast.manager_a)
    record = ApiToken.objects.get(user=cast.manager_a)
    call_command("api_token", "revoke", "--id", str(record.pk), stdout=StringIO())
    assert _bearer(token).get("/api/v1/families").status_code == 401
    assert _bearer("bst_made-up").get("/api/v1/families").status_code == 401
    assert Client().get("/api/v1/families").status_code == 401


def test_a_deactivated_users_token_stops_working(cast):
    token = _token_for(cast.manager_a)
    cast.manager_a.is_active = False
    cast.manager_a.save()
    assert _bearer(token).get("/api/v1/families").status_code == 401


def test_token_list_never_shows_the_token(cast):
    token = _token_for(cast.manager_a)
    out = StringIO()
    call_command("api_token", "list", "--email", cast.manager_a.email, stdout=out)
    assert token not in out.getvalue() and token[:12] in out.getvalue()


def test_cohort_endpoints(cast):
    client = _bearer(_token_for(cast.manager_a))
    body = client.get("/api/v1/cohorts").json()
    assert {c["id"] for c in body["items"]} == {cast.cohort_a.pk, cast.cohort_a2.pk}
    detail = client.get(f"/api/v1/cohorts/{cast.cohort_a.pk}").json()
    assert detail["meets_cofacilitation"] is True
    assert {f["name"] for f in detail["facilitators"]} == {"Midwife A", "Support A"}
    a2 = client.get(f"/api/v1/cohorts/{cast.cohort_a2.pk}").json()
    assert a2["meets_cofacilitation"] is False and a2["cofacilitation_problems"]


def _payload(cast, **overrides):
    payload = {
        "site": cast.site_a.pk,
        "cohort": cast.cohort_a.pk,
        "mother": {"given_name": "Zoe", "family_name": "Marsden", "email": "zoe@example.com"},
        "partner": {"given_name": "Callum", "family_name": "Reid", "role": "partner"},
        "estimated_due_date": (today() + timedelta(days=100)).isoformat(),
        "identifier_type": "nhs",
        "identifier": "943 476 5919",
        "postcode": "FY4 1DX",
    }
    payload.update(overrides)
    return payload


def _post(client, payload):
    return client.post(
        "/api/v1/families", data=json.dumps(payload), content_type="application/json"
    )


def test_create_family(cast):
    response = _post(_bearer(_token_for(cast.midwife_a)), _payload(cast))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["identifier"] == "9434765919" and body["postcode"] == "FY4 1DX"
    assert Enrolment.objects.filter(family_id=body["id"], cohort=cast.cohort_a).exists()


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"identifier": "943 476 5918"}, ["body", "identifier"]),
        (
            {"estimated_due_date": (today() + timedelta(days=330)).isoformat()},
            ["body", "estimated_due_date"],
        ),
        ({"postcode": "nowhere"}, ["body", "postcode"]),
        ({"site": 999999}, ["body", "site"]),
        ({"cohort": 999999}, ["body", "cohort"]),
        ({"identifier_type": "passport"}, ["body", "payload", "identifier_type"]),
        ({"estimated_due_date": "not a date"}, ["body", "payload", "estimated_due_date"]),
        (
            {"mother": {"given_name": "", "family_name": "X"}},
            ["body", "payload", "mother", "given_name"],
        ),
    ],
)
def test_invalid_input_is_422_with_field_errors_and_saves_nothing(cast, overrides, loc):
    client = _bearer(_token_for(cast.midwife_a))
    before = (Family.objects.count(), Enrolment.objects.count())
    response = _post(client, _payload(cast, **overrides))
    assert response.status_code == 422, response.content
    assert loc in [item["loc"] for item in response.json()["detail"]]
    assert (Family.objects.count(), Enrolment.objects.count()) == before


def test_facilitator_cannot_create_outside_their_cohorts(cast):
    client = _bearer(_token_for(cast.midwife_a))
    assert _post(client, _payload(cast, cohort=cast.cohort_a2.pk)).status_code == 422
    assert _post(client, _payload(cast, cohort=None)).status_code == 422
    assert (
        _post(client, _payload(cast, site=cast.site_b.pk, cohort=cast.cohort_b.pk)).status_code
        == 422
    )
    assert not Family.objects.filter(identifier="9434765919").exists()


def test_full_cohort_is_422(cast):
    cast.cohort_a.capacity = 1
    cast.cohort_a.save()
    response = _post(_bearer(_token_for(cast.manager_a)), _payload(cast))
    assert response.status_code == 422
    assert "is full" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize(
    "params", [{"page": 0}, {"page": "x"}, {"page_size": 1000}, {"q": "x" * 101}]
)
def test_bad_query_parameters_are_422(cast, params):
    client = _bearer(_token_for(cast.manager_a))
    assert client.get("/api/v1/families", params).status_code == 422


def test_a_nul_character_is_422_naming_the_field_and_saves_nothing(cast):
    client = _bearer(_token_for(cast.midwife_a))
    before = (Family.objects.count(), Enrolment.objects.count())
    response = _post(client, _payload(cast, mother={"given_name": "Ann\x00", "family_name": "X"}))
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == [
        {
            "loc": ["body", "mother", "given_name"],
            "msg": "Text may not contain a NUL character.",
            "type": "value_error",
        }
    ]
    assert (Family.objects.count(), Enrolment.objects.count()) == before
    search = client.get("/api/v1/families", {"q": "Ann\x00"})
    assert search.status_code == 422
    assert search.json()["detail"][0]["loc"] == ["query", "q"]


def test_session_writes_need_the_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager_a)
    assert client.get("/api/v1/families").status_code == 200
    assert _post(client, _payload(cast)).status_code == 403


def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/families/{family_id}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_api_reads_are_audited_through_the_api_channel(cast):
    _bearer(_token_for(cast.admin)).get(f"/api/v1/families/{cast.family_b.pk}")
    event = AuditEvent.objects.get(action="view")
    assert (event.channel, event.family_id, event.actor) == ("api", cast.family_b.pk, cast.admin)
