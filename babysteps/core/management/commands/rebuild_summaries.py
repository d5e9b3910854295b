"""``manage.py rebuild_summaries``: every summary kept on write, made again from the records
(after data loaded in bulk outside the app's services)."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from babysteps.core.summaries import summaries


class Command(BaseCommand):
    help = "Rebuild every summary table from the records it is derived from."

    def handle(self, *args: Any, **options: Any) -> None:
        for name, rebuild in summaries().items():
            began = time.perf_counter()
            rows = rebuild()
            self.stdout.write(f"{name}: {rows} rows in {time.perf_counter() - began:.1f} s")
