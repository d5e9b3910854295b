"""Every read of a family's page or API item writes exactly one audit event."""

import pytest
from django.test import Client
from django.urls import reverse

from babysteps.audit.models import Action, AuditEvent
from babysteps.audit.services import audit_record
from babysteps.families.access import family_for_user

pytestmark = pytest.mark.django_db


def _events():
    return list(
        AuditEvent.objects.order_by("id").values(
            "action", "object_type", "family_id", "actor_id", "channel"
        )
    )


@pytest.mark.parametrize("viewer", ["midwife_a", "manager_a", "admin"])
def test_family_page_read_writes_exactly_one_event(cast, viewer):
    user = getattr(cast, viewer)
    client = Client()
    client.force_login(user)
    before = AuditEvent.objects.count()
    response = client.get(reverse("families:detail", args=[cast.family_a.pk]))
    assert response.status_code == 200
    new = AuditEvent.objects.order_by("id")[before:]
    assert [
        (e.action, e.object_type, e.family_id, e.actor_id, e.channel, e.reason) for e in new
    ] == [(Action.VIEW, "family", cast.family_a.pk, user.pk, "web", "family record")]


def test_api_item_read_writes_exactly_one_event(cast):
    client = Client()
    client.force_login(cast.midwife_a)
    before = AuditEvent.objects.count()
    response = client.get(f"/api/v1/families/{cast.family_a.pk}")
    assert response.status_code == 200
    new = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.family_id, e.channel) for e in new] == [
        (Action.VIEW, cast.family_a.pk, "api")
    ]


def test_a_refused_read_writes_no_view_event_for_the_family(cast):
    client = Client()
    client.force_login(cast.midwife_a)
    client.get(reverse("families:detail", args=[cast.family_b.pk]))
    client.get(f"/api/v1/families/{cast.family_b.pk}")
    assert not AuditEvent.objects.filter(family_id=cast.family_b.pk).exists()


def test_list_reads_write_one_list_event_without_search_terms(cast):
    client = Client()
    client.force_login(cast.manager_a)
    client.get(reverse("families:list"), {"q": "9434765919"})
    client.get("/api/v1/families", {"q": "9434765919"})
    events = list(AuditEvent.objects.filter(action=Action.LIST).order_by("id"))
    assert [e.channel for e in events] == ["web", "api"]
    for event in events:
        assert event.detail["searched"] is True
        assert "9434765919" not in str(event.detail)
        assert set(event.detail["family_ids"]) <= {
            cast.family_a.pk,
            cast.family_a2.pk,
            cast.family_a_unplaced.pk,
        }


def test_chokepoint_change_does_not_audit_a_read(cast):
    already = AuditEvent.objects.count()  # the cast's accounts and roles
    family_for_user(cast.manager_a, cast.family_a.pk, action=Action.CHANGE)
    assert AuditEvent.objects.count() == already
    family_for_user(cast.manager_a, cast.family_a.pk, action=Action.EXPORT, reason="report")
    event = AuditEvent.objects.get(object_type="family")
    assert (event.action, event.reason) == (Action.EXPORT, "report")


def test_a_failed_write_leaves_no_audit_event(cast):
    from django.core.exceptions import ValidationError
    from django.db import transaction

    def write_then_fail() -> None:
        with transaction.atomic():
            audit_record(actor=cast.manager_a, action=Action.CHANGE, object_type="family")
            raise ValidationError("boom")

    already = AuditEvent.objects.count()  # the cast's accounts and roles
    with pytest.raises(ValidationError):
        write_then_fail()
    assert AuditEvent.objects.count() == already


def test_a_family_page_with_alerts_and_referrals_is_still_one_event(cast):
    """Panels (safety alerts, referral outcomes) name what they showed on the page's one
    read event instead of writing events of their own."""
    from tests.measures.helpers import epds_positions, record
    from tests.safeguarding.factories import make_referral

    alert = record(cast.family_a, cast.midwife_a, answers=epds_positions(item_10=1)).alerts[0]
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    client = Client()
    client.force_login(cast.manager_a)
    before = AuditEvent.objects.count()
    page = client.get(reverse("families:detail", args=[cast.family_a.pk]))
    assert page.status_code == 200
    (event,) = AuditEvent.objects.order_by("id")[before:]
    assert (event.action, event.object_type, event.family_id) == (
        Action.VIEW,
        "family",
        cast.family_a.pk,
    )
    assert event.detail["shown"] == {"alert": [alert.pk], "referral": [referral.pk]}
