"""A worker in its own process, for tests/core/test_worker_survival.py (run as
``python -m tests.core.worker_harness <step>`` against the database in the environment).

Steps:
- ``start N POINT AT [each|batch]``: queue N due texts, each with its delivery task
  (``each``, the default) or all sent by one task in batches (``batch``: the task of their
  minute), then run a task worker that kills itself (SIGKILL: no clean-up of any kind) at
  POINT of the AT-th send: ``before-send`` (claimed, nothing sent), ``after-send`` (the
  provider has it, not yet marked sent) or ``after-mark`` (marked sent, the task not yet
  finished).
- ``enqueue N``: queue N more due texts with their tasks.
- ``serve``: a task worker that polls until stopped (``manage.py db_worker``).
- ``finish``: what production does next, later: the periodic sweepers at a time past both
  timeouts, then a fresh worker until the queue is empty, then the due-message sweeper.
- ``report``: JSON of each message's key, status and how many times the provider got it,
  and each task's status.
"""

import json
import os
import signal
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

os.environ["DJANGO_SETTINGS_MODULE"] = "babysteps.settings"
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from babysteps.core.worker import recover_stopped_tasks  # noqa: E402
from babysteps.notifications import sending  # noqa: E402
from babysteps.notifications.models import Message  # noqa: E402
from babysteps.notifications.tasks import deliver_due, deliver_message  # noqa: E402


class FileSmsBackend:
    """Appends each reference it is asked to send to ``SMS_OUTBOX_FILE`` (one write per
    line, so lines from two processes never interleave)."""

    deduplicates_by_reference: ClassVar[bool] = False

    def send(self, *, to: str, body: str, reference: str) -> str:
        path = Path(os.environ["SMS_OUTBOX_FILE"])
        if (
            self.deduplicates_by_reference
            and path.exists()
            and reference in path.read_text().split()
        ):
            return reference  # a provider that refuses a repeated reference
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (reference + "\n").encode())
        finally:
            os.close(fd)
        return reference


class DeduplicatingFileSmsBackend(FileSmsBackend):
    deduplicates_by_reference = True


def queue(count: int, mode: str = "each") -> None:
    start = Message.objects.count()
    for number in range(start, start + count):
        message = Message.objects.create(
            key=f"kill-test:{number}",
            channel=Message.Channel.SMS,
            to="+447700900123",
            subject="",
            body="A reminder",
            send_after=timezone.now() - timedelta(minutes=1),
        )
        if mode == "each":
            deliver_message.enqueue(message.pk)
    if mode == "batch":
        deliver_due.enqueue()


def die_at(point: str, at: int) -> None:
    real_send, real_mark = sending._send, sending._mark_sent
    sends = Counter[str]()

    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    def send(message: Message) -> str:
        sends["n"] += 1
        if point == "before-send" and sends["n"] == at:
            die()
        reference = real_send(message)
        if point == "after-send" and sends["n"] == at:
            die()
        return reference

    def mark(message_id: int, reference: str, moment: object) -> None:
        real_mark(message_id, reference, moment)  # type: ignore[arg-type]
        if point == "after-mark" and sends["n"] == at:
            die()

    sending._send = send  # type: ignore[assignment]
    sending._mark_sent = mark  # type: ignore[assignment]


def work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def report() -> dict[str, object]:
    path = Path(os.environ["SMS_OUTBOX_FILE"])
    sent = Counter(path.read_text().split()) if path.exists() else Counter()
    return {
        "messages": [
            {"key": key, "status": status, "provider_got": sent[key]}
            for key, status in Message.objects.order_by("pk").values_list("key", "status")
        ],
        "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
    }


def main(step: str, *args: str) -> None:
    if step == "start":
        Message.objects.all().delete()
        DBTaskResult.objects.all().delete()
        queue(int(args[0]), *args[3:])
        die_at(args[1], int(args[2]))
        work()
    elif step == "enqueue":
        queue(int(args[0]))
    elif step == "serve":
        call_command("db_worker", "--no-startup-delay", "--interval", "0.2", verbosity=0)
    elif step == "finish":
        later = timezone.now() + timedelta(minutes=30)
        recover_stopped_tasks(now=later)
        sending.recover_stale_sending(now=later)
        work()
        sending.deliver_due_messages()
    elif step == "report":
        print(json.dumps(report()))
    else:
        raise SystemExit(f"unknown step {step}")


if __name__ == "__main__":
    main(*sys.argv[1:])
