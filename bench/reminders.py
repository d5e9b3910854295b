"""How long do two workers take to send 10,000 due reminders, and is any sent twice?

    .venv/bin/python bench/reminders.py                 # SQLite, in a temporary folder
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_db \\
        .venv/bin/python bench/reminders.py             # PostgreSQL (a disposable database!)
    .venv/bin/python bench/reminders.py --count 2000    # a smaller run

Two ways a reminder is sent are measured, each with two worker processes at once:
- the task worker (``manage.py db_worker``: django-tasks' database backend), with the
  tasks booking the calls queued (``delivery_schedule``: reminders due in the same minute
  share one ``deliver_due`` task, which sends them in batches and brings in the second
  worker);
- the periodic sweeper (``manage.py run_periodic``), which sends whatever has fallen due.

Each reminder is a pending ``Message`` with a booking reminder's idempotency key, due now.
The text-message backend appends each key it is asked to send to a file; a key found
twice there is a duplicate (there must be none). Nothing leaves the machine.
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure() -> str:
    """Point Django at a throwaway database before it starts."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    os.environ["DJANGO_SETTINGS_MODULE"] = "babysteps.settings"
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if url:
        os.environ["DATABASE_URL"] = url
        scheme, _, rest = url.partition("://")
        return f"{scheme} database {rest.rsplit('/', 1)[-1]}"  # never print a password
    os.environ.pop("DATABASE_URL", None)
    os.environ["BABYSTEPS_VAR_DIR"] = tempfile.mkdtemp(prefix="babysteps-bench-")
    return "sqlite (temporary)"


class FileSmsBackend:
    """Records each send as one line (the message key) in a shared file. One write
    with O_APPEND per line, so lines from two processes never interleave."""

    path = ""
    deduplicates_by_reference = False

    def send(self, *, to: str, body: str, reference: str) -> str:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (reference + "\n").encode())
        finally:
            os.close(fd)
        return reference


def prepare(count: int) -> list[int]:
    from django.utils import timezone

    from babysteps.accounts.models import User
    from babysteps.families.models import Family, Parent
    from babysteps.licensing.models import Organisation, Site
    from babysteps.notifications.models import Message

    Message.objects.all().delete()
    user = User.objects.filter(email="bench@example.test").first() or User.objects.create_user(
        "bench@example.test", None, full_name="Bench"
    )
    organisation, _ = Organisation.objects.get_or_create(name="Bench organisation")
    site, _ = Site.objects.get_or_create(name="Bench site", defaults={"organisation": organisation})
    family = Family.objects.filter(site=site).first() or Family.objects.create(
        site=site, estimated_due_date=timezone.localdate(), postcode="FY1 4AB", created_by=user
    )
    parent = Parent.objects.filter(family=family).first() or Parent.objects.create(
        family=family, role="mother", given_name="Bench", family_name="Parent", mobile="07700900123"
    )
    due = timezone.now() - timezone.timedelta(minutes=1)
    Message.objects.bulk_create(
        (
            Message(
                key=f"reminder:booking:{i}:1h:v1:p{parent.pk}",
                group=f"booking:{i}",
                channel="sms",
                to=parent.mobile,
                subject="Reminder: your Baby Steps call",
                body="Reminder: your Baby Steps call is in an hour.",
                family=family,
                parent=parent,
                send_after=due,
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    return list(Message.objects.order_by("pk").values_list("pk", flat=True))


def enqueue_tasks(ids: list[int]) -> None:
    """Queue their delivery as booking the calls did, a day before they fell due (through
    the service, so the tasks queued are the app's: one for the minute they share)."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from babysteps.notifications.models import DeliveryRun, Message
    from babysteps.notifications.services import delivery_schedule

    DBTaskResult.objects.all().delete()
    DeliveryRun.objects.all().delete()
    due = Message.objects.filter(pk__in=ids).values_list("pk", "send_after")
    with transaction.atomic():
        for pk, send_after in due:
            delivery_schedule(
                message_id=pk, send_after=send_after, now=send_after - timedelta(days=1)
            )
    print(f"  {DBTaskResult.objects.count()} task(s) queued for {len(ids)} reminders")


def task_worker(name: str) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    # Polling, as in production (a worker that stopped at an empty queue would miss the
    # helper task the first one queues); the bench stops it once everything is sent.
    Worker(
        queue_names=["default"],
        interval=0.05,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name,
        excluded_queue_names=[],
    ).run()


def sweeper(name: str) -> None:
    from babysteps.notifications.sending import deliver_due_messages

    while deliver_due_messages(limit=500):
        pass


def _lines(log: Path) -> int:
    with log.open("rb") as sent:
        return sum(1 for _ in sent)


def run(kind: str, target, count: int, log: Path) -> None:
    from django.db import connections

    from babysteps.notifications.models import Message

    ids = prepare(count)
    if kind == "task worker":
        enqueue_tasks(ids)
    log.write_text("")
    connections.close_all()  # each process opens its own connection
    for connection in connections.all():
        # A connection pool must not cross a fork (two processes would share its sockets).
        if getattr(connection, "close_pool", None):
            connection.close_pool()
    started = time.perf_counter()
    workers = [multiprocessing.Process(target=target, args=(f"bench-{i}",)) for i in range(2)]
    for worker in workers:
        worker.start()
    if kind == "task worker":
        while _lines(log) < count and time.perf_counter() - started < 600:
            time.sleep(0.02)
        for worker in workers:
            worker.terminate()  # SIGTERM: the worker finishes its task, then stops
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    sent_keys = log.read_text().split()
    duplicates = sum(n - 1 for n in Counter(sent_keys).values() if n > 1)
    unsent = Message.objects.exclude(status=Message.Status.SENT).count()
    print(
        f"2 x {kind:<12} {len(sent_keys):>6} reminders sent in {elapsed:6.1f} s "
        f"({len(sent_keys) / elapsed:6.0f}/s); duplicates: {duplicates}; unsent: {unsent}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    where = configure()
    import django

    django.setup()
    from django.core.management import call_command

    from babysteps.notifications import sending

    call_command("migrate", verbosity=0)
    log = Path(tempfile.mkdtemp(prefix="babysteps-bench-sent-")) / "sent.txt"
    FileSmsBackend.path = str(log)
    # Every process forked from here sends through the recording backend.
    sending.get_sms_backend = FileSmsBackend  # type: ignore[assignment]
    multiprocessing.set_start_method("fork")
    print(f"Database: {where}; {args.count} due reminders, two workers at once")
    run("task worker", task_worker, args.count, log)
    run("sweeper", sweeper, args.count, log)


if __name__ == "__main__":
    main()
