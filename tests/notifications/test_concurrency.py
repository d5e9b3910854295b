"""Two workers sweeping the same due messages at once send each exactly once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from babysteps.families.models import Family
from babysteps.notifications.models import Message
from babysteps.notifications.sending import deliver_due_messages
from babysteps.notifications.sms import LocmemSmsBackend

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (threads share one SQLite test database)",
)
def test_two_workers_never_send_a_message_twice(cast):
    LocmemSmsBackend.outbox.clear()
    family = Family.objects.get(pk=cast.family_a.pk)
    due = timezone.now() - timedelta(minutes=1)
    Message.objects.bulk_create(
        Message(
            key=f"k{i}",
            channel="sms",
            to="07700 900123",
            subject="S",
            body=f"m{i}",
            family=family,
            send_after=due,
        )
        for i in range(300)
    )
    barrier = threading.Barrier(2)

    def worker() -> None:
        barrier.wait()
        try:
            deliver_due_messages()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bodies = [m["body"] for m in LocmemSmsBackend.outbox]
    assert len(bodies) == 300
    assert len(set(bodies)) == 300
    assert Message.objects.filter(status="sent").count() == 300
