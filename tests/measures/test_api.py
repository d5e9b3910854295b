import pytest
from django.test import Client

from babysteps.api.services import api_token_create
from babysteps.measures.models import Administration
from tests.measures.helpers import EPDS_ALL_ZERO, epds_positions

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def _post(client, family, answers, **extra):
    body = {
        "family": family.pk,
        "instrument": "epds",
        "timepoint": "pre",
        "mode": "phone",
        "answers": answers,
    }
    body.update(extra)
    return client.post("/api/v1/administrations", body, content_type="application/json")


def test_instruments_are_described(cast):
    instruments = _client(cast.midwife_a).get("/api/v1/instruments").json()
    epds = next(i for i in instruments if i["code"] == "epds")
    assert len(epds["items"]) == 10 and epds["safety_items"] == [10]


def test_recording_through_the_api_raises_the_alert_and_is_scoped(cast):
    api = _client(cast.midwife_a)
    response = _post(api, cast.family_a, epds_positions(item_10=1))
    assert response.status_code == 201
    body = response.json()
    assert body["safety_flag"] is True and body["alerts"][0]["reason"] == "safety_item"
    assert api.get(f"/api/v1/administrations/{body['id']}").json()["answers"] == epds_positions(
        item_10=1
    )
    assert api.get("/api/v1/administrations").json()["count"] == 1
    other = _client(cast.facilitator_b)
    assert other.get(f"/api/v1/administrations/{body['id']}").status_code == 404
    assert other.get("/api/v1/administrations").json()["count"] == 0
    assert _post(other, cast.family_a, EPDS_ALL_ZERO, timepoint="post").status_code == 404


@pytest.mark.parametrize(
    ("answers", "extra", "loc"),
    [
        ([0] * 9, {}, ["body", "answers"]),
        ([0] * 9 + [4], {}, ["body", "answers", "9"]),
        (EPDS_ALL_ZERO, {"instrument": "nosuch"}, ["body", "instrument"]),
        (EPDS_ALL_ZERO, {"parent_role": "partner"}, ["body", "parent_role"]),
        (["x"] * 10, {}, None),
        (EPDS_ALL_ZERO, {"mode": "portal"}, None),
    ],
)
def test_bad_answers_are_422_field_errors_and_store_nothing(cast, answers, extra, loc):
    response = _post(_client(cast.midwife_a), cast.family_a, answers, **extra)
    assert response.status_code == 422
    if loc is not None:
        assert loc in [item["loc"] for item in response.json()["detail"]]
    assert not Administration.objects.exists()
