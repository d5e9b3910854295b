"""The evaluation's filters as command options (``evaluate`` and ``export_participants``
take the same ones as the page)."""

from datetime import date
from typing import Any

from django.core.management.base import CommandError

from babysteps.evaluation import selectors


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"'{value}' is not a date (use YYYY-MM-DD).", returncode=2) from None


def add_filter_arguments(db: Any) -> None:
    """The evaluation page's filters, as options (shared with export_participants)."""
    db.add_argument("--site", type=int)
    db.add_argument("--cohort", type=int)
    db.add_argument("--from", dest="date_from", help="Baseline on or after (YYYY-MM-DD).")
    db.add_argument("--to", dest="date_to", help="Baseline on or before (YYYY-MM-DD).")
    db.add_argument("--parent-role", choices=["", *selectors.PARENT_ROLES], default="")
    db.add_argument(
        "--delivery-mode",
        choices=["", *selectors.DELIVERY_MODES],
        default="",
        help="The delivered mode (from what each parent attended).",
    )
    db.add_argument(
        "--planned-mode",
        choices=["", *selectors.PLANNED_MODES],
        default="",
        help="The cohort's label (the planned mode).",
    )
    db.add_argument("--baseline-band", choices=["", *selectors.BASELINE_BANDS], default="")


def filters_from(options: dict[str, Any], *, group_by: str) -> selectors.Filters:
    return selectors.Filters(
        site=options["site"],
        cohort=options["cohort"],
        date_from=_date(options["date_from"]) if options["date_from"] else None,
        date_to=_date(options["date_to"]) if options["date_to"] else None,
        parent_role=options["parent_role"],
        delivery_mode=options["delivery_mode"],
        planned_mode=options["planned_mode"],
        baseline_band=options["baseline_band"],
        group_by=group_by,
    )
