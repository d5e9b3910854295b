"""Run the periodic jobs once, or forever with ``--loop SECONDS``."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from babysteps.core.channel import audit_channel
from babysteps.core.periodic import jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs (message sending, escalations) that have fallen due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", type=float, default=0, help="Repeat every N seconds.")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            with audit_channel("task"):
                for name, job in jobs().items():
                    try:
                        done = job(timezone.now())
                    except Exception:
                        # One failing job must not stop the others; the traceback names
                        # the code, never the data.
                        logger.exception("periodic job %s failed", name)
                        continue
                    if done and options["verbosity"] > 0:
                        self.stdout.write(f"{name}: {done}")
            if not options["loop"]:
                return
            close_old_connections()
            time.sleep(options["loop"])
