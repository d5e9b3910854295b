"""Queueing messages: one row per idempotency key, sent by the task worker
(``sending.py``). Rescheduling or cancelling something cancels its pending messages by
``group``.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.core.tasks import enqueue_at
from babysteps.notifications.models import DeliveryRun, Message
from babysteps.notifications.tasks import deliver_due, deliver_message
from babysteps.notifications.windows import next_allowed, next_whole_minute

logger = logging.getLogger(__name__)
Channel = Message.Channel
Status = Message.Status


class FamilyContact(Protocol):
    """What a message needs of a family (``families.Family`` is one): the channels it
    allows and its safe times to call. A protocol, because families sit above this app."""

    pk: int
    contact_by_email: bool
    contact_by_sms: bool
    preferred_channel: str
    safe_call_from: time | None
    safe_call_to: time | None


class Recipient(Protocol):
    """A parent to message (``families.Parent`` is one)."""

    pk: int
    email: str
    mobile: str

    @property
    def family(self) -> FamilyContact: ...


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: str


def _queue(
    *,
    key: str,
    channel: str,
    to: str,
    subject: str,
    body: str,
    send_after: datetime,
    group: str,
    family: FamilyContact | None = None,
    parent: Recipient | None = None,
    user: User | None = None,
    attachments: Iterable[Attachment] = (),
    status: str = Status.PENDING,
    status_reason: str = "",
) -> Message:
    """Create the message for ``key``, or return the one that already exists."""
    existing = Message.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            message = Message.objects.create(
                key=key,
                group=group,
                channel=channel,
                to=to,
                subject=subject[:200],
                body=body,
                attachments=[a.__dict__ for a in attachments],
                # A family and parent are model rows (``Recipient`` says what is used).
                family_id=family.pk if family is not None else None,
                parent_id=parent.pk if parent is not None else None,
                user=user,
                send_after=send_after,
                status=status,
                status_reason=status_reason,
            )
    except IntegrityError:
        # Another process queued the same key a moment ago: theirs stands.
        return Message.objects.get(key=key)
    if status == Status.PENDING:
        delivery_schedule(message_id=message.pk, send_after=send_after)
    return message


def delivery_schedule(
    *, message_id: int, send_after: datetime, now: datetime | None = None
) -> None:
    """See that a task will send a queued message when it falls due. A message due now
    gets a task of its own; a later one shares the task of its minute (a ``DeliveryRun``,
    created by the first message due then), which sends all that is due in batches. The
    periodic sweeper catches anything a task missed (say, a message committed just after
    its minute's task ran)."""
    moment = now or timezone.now()
    if send_after <= moment:
        enqueue_at(deliver_message, None, message_id)
        return
    run_at = next_whole_minute(send_after)
    try:
        with transaction.atomic():
            _, created = DeliveryRun.objects.get_or_create(run_at=run_at)
    except IntegrityError:
        created = False  # another process created that minute's run a moment ago
    if created:
        enqueue_at(deliver_due, run_at)


def _channel_for(parent: Recipient, requested: str | None) -> tuple[str | None, str]:
    """The channel and address to use for a parent, honouring the family's choices:
    the requested or preferred channel if allowed and known, else the other one."""
    family = parent.family
    allowed: dict[str, bool] = {
        Channel.EMAIL: family.contact_by_email and bool(parent.email),
        Channel.SMS: family.contact_by_sms and bool(parent.mobile),
    }
    address: dict[str, str] = {Channel.EMAIL: parent.email, Channel.SMS: parent.mobile}
    preferred = requested or family.preferred_channel
    order = [preferred] if preferred in allowed else []
    order += [c for c in (Channel.SMS, Channel.EMAIL) if c not in order]
    for channel in order:
        if allowed[channel]:
            return channel, address[channel]
    return None, ""


def message_to_parent(
    *,
    parent: Recipient,
    key: str,
    subject: str,
    body: str,
    group: str = "",
    send_after: datetime | None = None,
    deliver_by: datetime | None = None,
    channel: str | None = None,
    attachments: Iterable[Attachment] = (),
    ignore_safe_times: bool = False,
) -> Message:
    """Queue a message to a parent by a channel their family allows, at a time that is
    safe for them (inside their safe times to call, outside the night's quiet hours).

    If no channel is allowed, or no safe time comes before ``deliver_by``, the message is
    recorded as skipped (so the reason can be seen) rather than sent at a bad time.
    ``ignore_safe_times`` is for what the parent has just asked for (a sign-in code).
    """
    family = parent.family
    now = timezone.now()
    chosen, address = _channel_for(parent, channel)
    when = max(send_after or now, now)
    status, reason = Status.PENDING, ""
    if chosen is None:
        status, reason = Status.SKIPPED, "No allowed channel with a known address."
        chosen = channel or Channel.SMS
    elif not ignore_safe_times:
        local = timezone.localtime(when)
        when = next_allowed(
            local,
            safe_from=family.safe_call_from,
            safe_to=family.safe_call_to,
            quiet_from=settings.MESSAGE_QUIET_HOURS[0],
            quiet_to=settings.MESSAGE_QUIET_HOURS[1],
        )
        if deliver_by is not None and when > deliver_by:
            status, reason = Status.SKIPPED, "No safe time to send before it was needed."
    return _queue(
        key=key,
        channel=chosen,
        to=address,
        subject=subject,
        body=body,
        send_after=when,
        group=group,
        family=family,
        parent=parent,
        attachments=attachments,
        status=status,
        status_reason=reason,
    )


def message_to_staff(
    *,
    user: User,
    key: str,
    subject: str,
    body: str,
    group: str = "",
    send_after: datetime | None = None,
    urgent_text: str = "",
) -> Message:
    """Queue an email to a member of staff. Keep family details out of the body: say
    what happened and link to the page, which checks access and audits the read.

    ``urgent_text`` (for safety alerts): also a text message to the user's work mobile, if
    they gave one, under the same group (so acknowledging cancels both). Returns the
    email."""
    when = send_after or timezone.now()
    if urgent_text and user.work_mobile:
        _queue(
            key=f"{key}:sms",
            channel=Channel.SMS,
            to=user.work_mobile,
            subject=subject,
            body=urgent_text,
            send_after=when,
            group=group,
            user=user,
        )
    return _queue(
        key=key,
        channel=Channel.EMAIL,
        to=user.email,
        subject=subject,
        body=body,
        send_after=when,
        group=group,
        user=user,
    )


def message_to_address(*, key: str, to: str, subject: str, body: str, group: str) -> Message:
    """Queue an email to someone who is neither staff nor a parent (a petition signer).
    The group lets what was sent about one thing be cancelled or erased together."""
    return _queue(
        key=key,
        channel=Channel.EMAIL,
        to=to,
        subject=subject,
        body=body,
        send_after=timezone.now(),
        group=group,
    )


def messages_erase(*, group: str) -> int:
    """Erase the recipients and contents of a group's messages (and stop any not sent)."""
    messages_cancel(group=group, reason="Erased.")
    return Message.objects.filter(group=group).update(to="", subject="[erased]", body="")


def messages_cancel(*, group: str, reason: str = "Superseded.") -> int:
    """Cancel every message of a group that has not been claimed yet."""
    return Message.objects.filter(group=group, status=Status.PENDING).update(
        status=Status.CANCELLED, status_reason=reason[:200]
    )
