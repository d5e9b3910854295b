"""``manage.py evaluate --input FILE.csv [--group-by COLUMN] --format json``

Prints a JSON list with one object per instrument (and per group value when grouped, with
a ``group`` key), each with ``instrument`` and every figure of MEASURES.md's table under
exactly those names (plus ``pre_only_mean`` and ``suppressed``). A malformed file is a
one-line error naming the line, exit code 2.

Without ``--input`` it evaluates the database (families consenting to the evaluation only)
with the page's filters as options, and suppresses figures from fewer completers than
EVALUATION_MIN_CELL (5). A file is the caller's own data, so nothing is suppressed unless
``--min-n`` asks for it.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.channel import audit_channel
from babysteps.core.spreadsheets import SafeCsvWriter
from babysteps.evaluation import selectors, statistics
from babysteps.evaluation.cli import add_filter_arguments, filters_from
from babysteps.evaluation.files import FileError, read_long_csv
from babysteps.measures.models import Instrument

OUTPUT_KEYS = (*statistics.FIGURES, *statistics.EXTRA_FIGURES, "suppressed")


class Command(BaseCommand):
    help = "Evaluate pre/post outcomes from a CSV file or the database; print JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", help="CSV: participant,instrument,timepoint,total[,...]")
        parser.add_argument("--group-by", default="", help="A column (file) or a subgroup (db).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--min-n", type=int, default=None, help="Suppress below this n.")
        add_filter_arguments(parser.add_argument_group("database mode (no --input)"))

    def handle(self, *args: Any, **options: Any) -> None:
        rows = self._from_file(options) if options["input"] else self._from_database(options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        writer = SafeCsvWriter(self.stdout, lineterminator="\n")
        header = ["instrument", "group", *OUTPUT_KEYS]
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(k) is None else row.get(k) for k in header])

    def _from_file(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        specs = {i.code: i.spec for i in Instrument.objects.all()}
        try:
            data = read_long_csv(
                Path(options["input"]), group_by=options["group_by"], known=set(specs)
            )
        except FileError as exc:
            raise CommandError(str(exc), returncode=2) from None
        n_groups = len(data.groups)
        measure = data.instrument * n_groups + data.group
        rules = {
            i * n_groups + g: selectors.rules_for(specs[code])
            for i, code in enumerate(data.instruments)
            for g in range(n_groups)
        }
        results = statistics.evaluate(data.participant, measure, data.timepoint, data.total, rules)
        min_n = options["min_n"] or 0
        out = []
        order = sorted(range(len(data.instruments)), key=lambda i: data.instruments[i])
        group_order = sorted(range(n_groups), key=lambda g: data.groups[g])
        for i in order:
            for g in group_order:
                figures = results.get(i * n_groups + g)
                if figures is None:
                    continue
                row: dict[str, Any] = {"instrument": data.instruments[i]}
                if options["group_by"]:
                    row["group"] = data.groups[g]
                row.update(statistics.suppress(figures, min_n=min_n))
                out.append(
                    {k: v for k, v in row.items() if k in ("instrument", "group", *OUTPUT_KEYS)}
                )
        return out

    def _from_database(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        group_by = options["group_by"]
        if group_by and group_by not in selectors.GROUP_BY:
            raise CommandError(
                f"--group-by must be one of {', '.join(selectors.GROUP_BY)} in database mode.",
                returncode=2,
            )
        filters = filters_from(options, group_by=group_by)
        min_n = max(options["min_n"] or 0, settings.EVALUATION_MIN_CELL)
        data = selectors.dataset(filters=filters, site_ids=None)
        report = selectors.report(data=data, filters=filters, min_n=min_n)
        with audit_channel("command"):
            audit_record(
                actor=None,
                action=Action.EXPORT,
                object_type="evaluation",
                reason="evaluate command",
                detail={"filters": dict(filters.describe()), "format": options["format"]},
            )
        out = []
        for row in selectors.figure_rows(report):
            item = {"instrument": row["instrument"]}
            if group_by:
                if row["group"] == "All":
                    continue
                item["group"] = row["group"]
            item.update({k: row.get(k) for k in OUTPUT_KEYS})
            out.append(item)
        return out
