"""A message left in "sending" by a worker that stopped is never lost silently and never
sent twice: it becomes "unknown" and the NSPCC admins see it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from babysteps.core.periodic import jobs
from babysteps.notifications.models import Message
from babysteps.notifications.sending import (
    deliver_due_messages,
    message_deliver,
    recover_stale_sending,
)
from babysteps.notifications.services import message_to_staff

pytestmark = pytest.mark.django_db


def test_a_message_left_in_sending_becomes_unknown_and_is_not_sent_again(
    cast, client_for, settings
):
    settings.MESSAGE_SENDING_TIMEOUT_MINUTES = 10
    message = message_to_staff(user=cast.manager_a, key="k1", subject="s", body="b")
    mail.outbox.clear()
    # A worker claimed it, then died before it could say how the sending went.
    claimed = timezone.now() - timedelta(minutes=11)
    Message.objects.filter(pk=message.pk).update(status="sending", claimed_at=claimed)
    fresh = message_to_staff(user=cast.manager_a, key="k2", subject="s", body="b")
    Message.objects.filter(pk=fresh.pk).update(status="sending", claimed_at=timezone.now())

    assert recover_stale_sending() == 1
    message.refresh_from_db()
    assert message.status == "unknown" and "stopped" in message.status_reason
    assert Message.objects.get(pk=fresh.pk).status == "sending"  # still within the timeout
    # Neither the sweeper nor a retry of its task sends it.
    deliver_due_messages()
    assert message_deliver(message_id=message.pk) == "unknown"
    assert not mail.outbox
    assert "recover messages left in sending" in jobs()

    page = client_for(cast.admin).get(reverse("home:index")).content.decode()
    assert "data-unknown-messages" in page
    assert (
        "data-unknown-messages"
        not in client_for(cast.manager_a).get(reverse("home:index")).content.decode()
    )
