"""``python manage.py audit_verify``: check the audit trail's hash chain from end to end
and name the first event that does not hold. Exit status 1 if the chain is broken."""

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from babysteps.audit.chain import Link, verify
from babysteps.audit.models import CHAINED_FIELDS, Action, AuditEvent, chained_content
from babysteps.audit.services import chain_key


def _links() -> Iterator[Link]:
    rows = AuditEvent.objects.order_by("pk").values("pk", "prev_hash", "hash", *CHAINED_FIELDS)
    for row in rows.iterator(chunk_size=5000):
        yield Link(
            id=row["pk"],
            prev_hash=row["prev_hash"],
            hash=row["hash"],
            content=chained_content(**row),
        )


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = frozenset(
            detail["last_hash"]
            for detail in AuditEvent.objects.filter(action=Action.PURGE).values_list(
                "detail", flat=True
            )
            if isinstance(detail, dict) and detail.get("last_hash")
        )
        verdict = verify(chain_key(), _links(), anchors=anchors)
        if verdict.broken_at is not None:
            raise CommandError(
                f"The audit chain is broken at event {verdict.broken_at}: {verdict.problem}. "
                f"{verdict.checked} events before it hold."
            )
        if verdict.last_id is None:
            self.stdout.write("The audit trail is empty.")
            return
        self.stdout.write(
            f"The audit chain holds: {verdict.checked} events, the last is {verdict.last_id} "
            f"with hash {verdict.last_hash}. Record that hash somewhere else (it proves later "
            "that nothing after it was removed)."
        )
