"""Delivering queued messages.

Sending is at most once per key. A worker first *claims* messages (a committed
pending -> sending update that only one worker can win: one message in ``message_deliver``,
a batch in ``deliver_due_messages``), then sends each and marks it sent. A worker that dies
after sending but before marking leaves the message claimed, and a retry finds nothing to
claim; ``recover_stale_sending`` later reports it as "unknown" (or sends it again where the
provider drops a repeated reference): a parent may, very rarely, miss a reminder, but never
gets two.
"""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Min
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
    return _send_claimed(message, moment)


def _send_claimed(message: Message, moment: datetime) -> str:
    """Send a message this worker has claimed, then record how it went."""
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


def _claim_batch(moment: datetime, size: int) -> list[Message]:
    """Claim up to ``size`` due messages at once, under a new batch token; return them in
    id order, the order they are sent in. Rows another worker is claiming are skipped,
    not waited for (PostgreSQL's SKIP LOCKED; SQLite's immediate transactions let one
    writer in at a time), so two workers never claim the same message."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        batch = list(
            Message.objects.filter(status=Status.PENDING, send_after__lte=moment)
            .order_by("send_after", "pk")
            .select_for_update(skip_locked=True)[:size]
        )
        if batch:
            Message.objects.filter(pk__in=[m.pk for m in batch]).update(
                status=Status.SENDING,
                claimed_at=moment,
                batch=token,
                attempts=F("attempts") + 1,
            )
    return sorted(batch, key=lambda message: message.pk)


def deliver_due_messages(
    *,
    now: datetime | None = None,
    limit: int | None = 500,
    on_full_batch: Callable[[], None] | None = None,
) -> int:
    """Send what has fallen due, at most ``limit`` (None: all of it), in batches of
    ``MESSAGE_BATCH_SIZE``: each batch is claimed in one transaction, then each message is
    sent and marked sent on its own, in id order, so the claim is the per-message
    idempotency, and of a batch whose worker stopped, the first message still in
    "sending" is the only one that may have reached the provider (``recover_stale_sending``
    queues the rest again). ``on_full_batch`` is called once,
    the first time a batch comes back full (more is waiting): the task uses it to bring a
    second worker in. Returns how many were sent."""
    moment = now or timezone.now()
    size = settings.MESSAGE_BATCH_SIZE
    sent = claimed = 0
    helped = False
    while limit is None or claimed < limit:
        batch = _claim_batch(moment, size if limit is None else min(size, limit - claimed))
        claimed += len(batch)
        if len(batch) == size and on_full_batch is not None and not helped:
            helped = True
            on_full_batch()
        sent += sum(_send_claimed(message, moment) == Status.SENT for message in batch)
        if len(batch) < size:
            break
    return sent


def recover_stale_sending(*, now: datetime | None = None) -> int:
    """Messages claimed longer ago than ``MESSAGE_SENDING_TIMEOUT_MINUTES`` whose worker
    never said how it went are never lost silently and never sent twice: texts go again
    when the provider drops a repeated reference (``deduplicates_by_reference``); anything
    else becomes "unknown" (the provider may have it already), shown to NSPCC admins."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(minutes=settings.MESSAGE_SENDING_TIMEOUT_MINUTES)
    stale = Message.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff)
    # Of a batch, only the first still in sending was in the worker's hands; the ones
    # after it (sent in id order) were never handed to the provider: back to the queue.
    in_flight = stale.exclude(batch="").order_by().values("batch").annotate(first=Min("pk"))
    resent = 0
    for row in in_flight:
        resent += stale.filter(batch=row["batch"], pk__gt=row["first"]).update(
            status=Status.PENDING,
            batch="",
            status_reason="Queued again: its worker stopped before reaching it.",
        )
    if get_sms_backend().deduplicates_by_reference:
        # Not for ever: a text whose sending kills its worker each time ends up unknown.
        resent += stale.filter(channel=Channel.SMS, attempts__lt=settings.TASK_MAX_ATTEMPTS).update(
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
