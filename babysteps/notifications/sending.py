"""Delivering queued messages.

Sending is at most once per key. ``message_deliver`` first *claims* a message (a
committed pending -> sending update that only one worker can win), then sends, then marks
it sent. A worker that dies after sending but before marking leaves the message claimed,
and a retry finds nothing to claim: a parent may, very rarely, miss a reminder, but never
gets two.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from babysteps.notifications.models import Message
from babysteps.notifications.sms import get_sms_backend

logger = logging.getLogger(__name__)
Channel = Message.Channel
Status = Message.Status


def _send(message: Message) -> str:
    if message.channel == Channel.SMS:
        return get_sms_backend().send(to=message.to, body=message.body, reference=message.key)
    email = EmailMessage(subject=message.subject, body=message.body, to=[message.to])
    for item in message.attachments:
        email.attach(item["filename"], item["content"], item["content_type"])
    email.send()
    return ""


def message_deliver(*, message_id: int, now: datetime | None = None) -> str:
    """Send one message if it is due and nobody has claimed it; return its status."""
    moment = now or timezone.now()
    with transaction.atomic():
        claimed = Message.objects.filter(
            pk=message_id, status=Status.PENDING, send_after__lte=moment
        ).update(status=Status.SENDING, claimed_at=moment, attempts=F("attempts") + 1)
    message = Message.objects.get(pk=message_id)
    if not claimed:
        return message.status
    try:
        reference = _send(message)
    except Exception as exc:
        # The error type only: provider messages can echo the address or the text.
        logger.warning("message %s failed: %s", message.pk, type(exc).__name__)
        Message.objects.filter(pk=message.pk).update(
            status=Status.FAILED, status_reason=type(exc).__name__
        )
        return Status.FAILED
    _mark_sent(message.pk, reference, moment)
    return Status.SENT


def _mark_sent(message_id: int, reference: str, moment: datetime) -> None:
    Message.objects.filter(pk=message_id).update(
        status=Status.SENT, sent_at=moment, provider_reference=reference[:100]
    )


def deliver_due_messages(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send what has fallen due (the periodic safety net behind the deferred tasks)."""
    moment = now or timezone.now()
    due = list(
        Message.objects.filter(status=Status.PENDING, send_after__lte=moment)
        .order_by("send_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(message_deliver(message_id=pk, now=moment) == Status.SENT for pk in due)


def recover_stale_sending(*, now: datetime | None = None) -> int:
    """Messages claimed longer ago than ``MESSAGE_SENDING_TIMEOUT_MINUTES`` whose worker
    never said how it went are never lost silently and never sent twice: texts go again
    when the provider drops a repeated reference (``deduplicates_by_reference``); anything
    else becomes "unknown" (the provider may have it already), shown to NSPCC admins."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(minutes=settings.MESSAGE_SENDING_TIMEOUT_MINUTES)
    stale = Message.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    resent = 0
    if get_sms_backend().deduplicates_by_reference:
        # Not for ever: a text whose sending kills its worker each time ends up unknown.
        resent = stale.filter(channel=Channel.SMS, attempts__lt=settings.TASK_MAX_ATTEMPTS).update(
            status=Status.PENDING,
            status_reason="Sent again: the worker stopped while sending it.",
        )
    unknown = stale.update(
        status=Status.UNKNOWN, status_reason="The worker stopped while sending it."
    )
    if unknown:
        logger.warning("%s message(s) left in sending are now unknown", unknown)
    if resent:
        logger.warning("%s text(s) left in sending are queued again", resent)
    return resent + unknown
