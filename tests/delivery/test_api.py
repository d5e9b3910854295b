"""Contacts, registers and the switch in the JSON API: same scope, audit and validation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from babysteps.api.services import api_token_create
from babysteps.audit.models import AuditEvent
from babysteps.bookings.models import PlannedCall
from babysteps.delivery.models import Contact, DeliverySwitch
from tests.factories import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def as_user(user):
        token = api_token_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client

    return as_user


def contact_body(cast, **extra):
    body = {
        "family": cast.family_a.pk,
        "component": "S3",
        "mode": "phone",
        "starts_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "planned_minutes": 60,
        "actual_minutes": 55,
        "facilitators": [cast.midwife_a.pk],
        "attendance": {"mother": True, "partner": True},
    }
    body.update(extra)
    return body


def test_record_and_read_a_contact(api, cast, plan):
    client = api(cast.midwife_a)
    response = client.post(
        "/api/v1/delivery/contacts", contact_body(cast), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["mode"] == "phone" and body["actual_minutes"] == 55
    assert body["attendance"][0]["family"] == cast.family_a.pk
    listed = client.get("/api/v1/delivery/contacts", {"family": cast.family_a.pk}).json()
    assert listed["count"] == 1
    one = client.get(f"/api/v1/delivery/contacts/{body['id']}")
    assert one.status_code == 200
    assert AuditEvent.objects.filter(object_type="contact", action="view").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"family": "family_b"}, "family"),  # outside the user's scope: unknown
        ({"facilitators": ["facilitator_b"]}, "facilitators"),
        ({"starts_at": "future"}, "starts_at"),
        ({"component": "NOPE"}, "component"),
    ],
)
def test_bad_contacts_are_422_and_nothing_is_saved(api, cast, plan, change, field):
    body = contact_body(cast)
    for key, value in change.items():
        if value in ("family_b",):
            value = cast.family_b.pk
        elif value == ["facilitator_b"]:
            value = [cast.facilitator_b.pk]
        elif value == "future":
            value = (timezone.now() + timedelta(days=1)).isoformat()
        body[key] = value
    response = api(cast.manager_a).post(
        "/api/v1/delivery/contacts", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert any(field in item["loc"] for item in response.json()["detail"])
    assert not Contact.objects.exists()


def test_correct_a_contact_over_the_api(api, cast, plan):
    client = api(cast.midwife_a)
    created = client.post(
        "/api/v1/delivery/contacts", contact_body(cast), content_type="application/json"
    ).json()
    url = f"/api/v1/delivery/contacts/{created['id']}"
    bad = client.patch(url, {"actual_minutes": 0}, content_type="application/json")
    assert bad.status_code == 422
    none = client.patch(url, {"notes": ""}, content_type="application/json")
    assert none.status_code == 422  # nothing changed
    assert any("contact" in item["loc"] for item in none.json()["detail"])
    response = client.patch(
        url,
        {"actual_minutes": 40, "attendance": {"mother": True}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["actual_minutes"] == 40 and body["planned_minutes"] == 60
    assert body["attendance"][0]["partner"] is False
    assert body["corrected_by"] == cast.midwife_a.pk
    event = AuditEvent.objects.get(object_type="contact", action="change")
    assert event.detail["fields"] == ["actual_minutes", "attendance"]
    # Another site's staff: the same 404 as an unknown contact.
    other = api(cast.facilitator_b).patch(url, {"notes": "x"}, content_type="application/json")
    assert other.status_code == 404
    assert Contact.objects.get().notes == ""


def test_a_contact_for_a_family_with_no_cohort_place_is_refused(api, cast, plan):
    from babysteps.cohorts.models import Enrolment

    # The family has no place any more: nothing can be recorded for it.
    Enrolment.objects.filter(family=cast.family_a2).delete()
    response = api(cast.manager_a).post(
        "/api/v1/delivery/contacts",
        contact_body(cast, family=cast.family_a2.pk),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Contact.objects.exists()


def test_the_register_over_the_api(api, cast, plan):
    s1 = plan["S1"]
    client = api(cast.midwife_a)
    url = f"/api/v1/delivery/cohorts/{cast.cohort_a.pk}/sessions/{s1.pk}/register"
    before = client.get(url).json()
    assert [f["family"] for f in before["families"]] == [cast.family_a.pk]
    assert before["contact"] is None
    body = {
        "starts_at": s1.starts_at.isoformat(),
        "planned_minutes": 120,
        "actual_minutes": 120,
        "facilitators": [cast.midwife_a.pk, cast.support_a.pk],
        "attendance": [{"family": cast.family_a.pk, "present": True, "mother": True}],
    }
    after = client.put(url, body, content_type="application/json")
    assert after.status_code == 200, after.json()
    assert after.json()["contact"]["attendance"][0]["present"] is True
    outsider = dict(body, attendance=[{"family": cast.family_b.pk, "mother": True}])
    assert client.put(url, outsider, content_type="application/json").status_code == 422
    other = f"/api/v1/delivery/cohorts/{cast.cohort_b.pk}/sessions/{s1.pk}/register"
    assert client.get(other).status_code == 404


def test_the_switch_over_the_api(api, cast, plan):
    url = f"/api/v1/delivery/cohorts/{cast.cohort_a.pk}/switch"
    body = {
        "action": "pause",
        "from_date": today().isoformat(),
        "mode": "video",
        "reason": "lockdown",
    }
    assert api(cast.midwife_a).post(url, body, content_type="application/json").status_code == 403
    response = api(cast.manager_a).post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["calls_created"] == 8
    state = api(cast.midwife_a).get(url).json()
    assert state["paused"] is True and state["mode"] == "video"
    assert state["history"][0]["reason"] == "lockdown"
    assert PlannedCall.objects.filter(mode="video").count() == 8
    missing = api(cast.manager_a).post(url, {}, content_type="application/json")
    assert missing.status_code == 422
    assert api(cast.manager_b).post(url, body, content_type="application/json").status_code == 404
    assert DeliverySwitch.objects.count() == 1
