"""The audit trail is append-only in the database and tamper-evident by its hash chain."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from babysteps.audit.chain import GENESIS
from babysteps.audit.models import Action, AuditEvent
from babysteps.audit.services import audit_purge, audit_record

pytestmark = pytest.mark.django_db
REFUSED = (DatabaseError, IntegrityError)


@pytest.fixture(autouse=True)
def _no_permit():
    """No purge permit left behind by a transactional test's flush (see conftest)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_purge_permit")


def _events(n: int) -> list[AuditEvent]:
    return [
        audit_record(actor=None, action=Action.VIEW, object_type="family", object_id=i)
        for i in range(n)
    ]


def _verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def _behind_the_apps_back(sql: str, params: list) -> None:
    """Run SQL with the triggers off (as someone with the database's keys could); the
    test's transaction puts them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        else:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks block ALTER
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)


def test_each_event_is_chained_to_the_one_before():
    before = AuditEvent.objects.order_by("pk").last()
    first, second, third = _events(3)
    assert first.prev_hash == (before.hash if before else GENESIS)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert "The audit chain holds" in _verify()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete(sql):
    (event,) = _events(1)
    with (
        pytest.raises(REFUSED, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_the_orm_cannot_change_or_delete_events_either():
    (event,) = _events(1)
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()


def test_audit_verify_names_a_row_changed_behind_the_apps_back():
    events = _events(5)
    _behind_the_apps_back(
        "UPDATE audit_auditevent SET object_id = 'tampered' WHERE id = %s", [events[2].pk]
    )
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}: its content"):
        _verify()


def test_audit_verify_names_the_event_after_a_removed_one():
    events = _events(5)
    _behind_the_apps_back("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=f"broken at event {events[3].pk}: does not follow"):
        _verify()


def test_a_rehashed_row_is_still_found_without_the_key():
    """Rewriting a row and a plain SHA-256 of it does not pass: the chain is keyed."""
    import hashlib

    events = _events(3)
    forged = hashlib.sha256(b"forged").hexdigest()
    _behind_the_apps_back(
        "UPDATE audit_auditevent SET reason = 'x', hash = %s WHERE id = %s",
        [forged, events[1].pk],
    )
    with pytest.raises(CommandError, match=f"broken at event {events[1].pk}"):
        _verify()


def test_the_retention_purge_is_the_one_way_out_and_is_audited(time_machine):
    start = timezone.now()
    time_machine.move_to(start - timedelta(days=3000), tick=False)
    old = _events(3)
    time_machine.move_to(start, tick=False)
    recent = _events(2)
    purged = audit_purge(before=start - timedelta(days=2000), reason="retention: audit events")
    assert purged >= 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in recent]).count() == 2
    purge = AuditEvent.objects.get(action=Action.PURGE)
    assert purge.detail["count"] == purged and purge.detail["last_hash"] == old[-1].hash
    # The chain still verifies from the purge's anchor, and the permit is gone.
    assert "The audit chain holds" in _verify()
    with pytest.raises(REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=recent[0].pk).delete()


def test_audit_verify_passes_on_the_demo():
    call_command("demo", "--quiet")
    assert AuditEvent.objects.count() > 100
    assert "The audit chain holds" in _verify()
