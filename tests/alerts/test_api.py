import pytest
from django.test import Client

from babysteps.alerts.models import Alert
from babysteps.api.services import api_token_create
from babysteps.audit.models import AuditEvent
from tests.measures.helpers import epds_positions, record

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user)}"})


def test_alerts_are_listed_read_and_acknowledged_in_scope(cast):
    alert = record(cast.family_a, cast.midwife_a, answers=epds_positions(item_10=3)).alerts[0]
    api = _client(cast.manager_a)
    listing = api.get("/api/v1/alerts").json()
    assert [a["id"] for a in listing["items"]] == [alert.pk]
    assert _client(cast.manager_b).get("/api/v1/alerts").json()["count"] == 0
    assert _client(cast.manager_b).get(f"/api/v1/alerts/{alert.pk}").status_code == 404
    bad = api.patch(
        f"/api/v1/alerts/{alert.pk}",
        {"action_taken": "ok"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "action_taken"]
    assert Alert.objects.get().is_open
    done = api.patch(
        f"/api/v1/alerts/{alert.pk}",
        {"action_taken": "Phoned the mother; GP seeing her today."},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["acknowledged_by"] == cast.manager_a.full_name
    assert AuditEvent.objects.filter(
        object_type="alert", action="acknowledge", channel="api"
    ).exists()
    assert api.get("/api/v1/alerts").json()["count"] == 0
