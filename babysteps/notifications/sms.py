"""Text messages through a small backend interface, chosen by ``SMS_BACKEND``:
the console (default, for development), an in-memory outbox (tests), or GOV.UK Notify."""

import sys
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from notifications_python_client.notifications import NotificationsAPIClient


class SmsBackend(Protocol):
    # True when the provider drops a second text with a reference it has already accepted:
    # a message whose worker stopped mid-send is then sent again rather than left "unknown".
    deduplicates_by_reference: bool

    def send(self, *, to: str, body: str, reference: str) -> str:
        """Send one text; return the provider's id for it. Raise on failure."""


class ConsoleSmsBackend:
    deduplicates_by_reference = False

    def send(self, *, to: str, body: str, reference: str) -> str:
        sys.stdout.write(f"--- SMS to {to} (ref {reference}) ---\n{body}\n---\n")
        sys.stdout.flush()
        return f"console-{reference}"


class LocmemSmsBackend:
    """Keeps sent texts in ``outbox`` (like Django's locmem email backend)."""

    outbox: ClassVar[list[dict[str, str]]] = []
    deduplicates_by_reference = False

    def send(self, *, to: str, body: str, reference: str) -> str:
        self.outbox.append({"to": to, "body": body, "reference": reference})
        return f"locmem-{len(self.outbox)}"


class NotifySmsBackend:
    """GOV.UK Notify. Needs ``NOTIFY_API_KEY`` and ``NOTIFY_SMS_TEMPLATE_ID``: a Notify
    template whose whole content is ``((body))``. Notify keeps the reference for our
    records but does not refuse a repeat of it, so a message whose sending was interrupted
    is reported, not sent again."""

    deduplicates_by_reference = False

    def __init__(self) -> None:
        self.client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        self.template_id = settings.NOTIFY_SMS_TEMPLATE_ID

    def send(self, *, to: str, body: str, reference: str) -> str:
        response = self.client.send_sms_notification(
            phone_number=to,
            template_id=self.template_id,
            personalisation={"body": body},
            reference=reference,
        )
        return str(response["id"])


def get_sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
