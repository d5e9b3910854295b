"""Charts and tables for the fidelity and facilitator-time figures. Pure: no Django.

Each function returns plain data for a template: the SVG (already escaped) and the rows
of the table that carries the same numbers.
"""

from dataclasses import dataclass

from babysteps.core import charts
from babysteps.delivery.fidelity import (
    MODE_LABELS,
    MODES,
    CallComparison,
    FacilitatorTime,
    Fidelity,
    month_label,
)


@dataclass(frozen=True)
class Figure:
    svg: str
    headers: list[str]
    rows: list[list[str]]
    caption: str


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def fmt_count(value: float) -> str:
    return f"{value:.0f}"


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def dose_figure(result: Fidelity, *, chart_id: str) -> Figure:
    labels = [str(i) for i in range(len(result.distribution))]
    svg = charts.columns(
        chart_id=chart_id,
        title="Components received per family",
        description=(
            f"{result.completers} of {result.families} families received at least "
            f"{result.threshold} of the {len(labels) - 1} components (green columns)."
        ),
        labels=labels,
        values=result.distribution,
        x_label="Components received (of 11)",
        y_label="Families",
        highlight_from=result.threshold,
        plain_label=f"Fewer than {result.threshold}",
        highlight_label=f"{result.threshold} or more (the programme's dose)",
    )
    rows = [[label, str(n)] for label, n in zip(labels, result.distribution, strict=True) if n]
    return Figure(svg, ["Components received", "Families"], rows, "Dose per family")


MAX_PERIODS = 24


def periods(
    mix: list[tuple[str, dict[str, float]]],
) -> tuple[str, list[tuple[str, dict[str, float]]]]:
    """Months ("2020-04") as they are, or, when there are more than ``MAX_PERIODS`` of
    them, added up into quarters (or years), so a chart's columns stay readable. Returns
    the period's name and the periods with their labels."""
    if len(mix) <= MAX_PERIODS:
        return "Month", [(month_label(m), counts) for m, counts in mix]
    quarters = len({(m[:4], (int(m[5:7]) - 1) // 3) for m, _ in mix})
    by_year = quarters > MAX_PERIODS
    grouped: dict[str, dict[str, float]] = {}
    for month, counts in mix:
        year, number = month[:4], int(month[5:7])
        label = year if by_year else f"Q{(number - 1) // 3 + 1} {year}"
        into = grouped.setdefault(label, dict.fromkeys(counts, 0))
        for key, value in counts.items():
            into[key] = into.get(key, 0) + value
    return ("Year" if by_year else "Quarter"), list(grouped.items())


def mode_mix_figure(mix: list[tuple[str, dict[str, int]]], *, chart_id: str) -> Figure:
    period, rows_by_period = periods(mix)  # type: ignore[arg-type]
    series = [
        charts.Series(mode, MODE_LABELS[mode], [counts[mode] for _, counts in rows_by_period])
        for mode in MODES
    ]
    svg = charts.stacked_columns(
        chart_id=chart_id,
        title=f"Delivery mode by {period.lower()}",
        description=(
            f"Components received by families each {period.lower()}, by how they were delivered."
        ),
        categories=[label for label, _ in rows_by_period],
        series=series,
        x_label=period,
        y_label="Components received",
        integer=True,
    )
    rows = [
        [label, *[fmt_count(counts[mode]) for mode in MODES], fmt_count(sum(counts.values()))]
        for label, counts in rows_by_period
    ]
    return Figure(
        svg,
        [period, *[MODE_LABELS[m] for m in MODES], "All"],
        rows,
        f"Delivery mode by {period.lower()}",
    )


def time_by_month_figure(result: FacilitatorTime, *, chart_id: str) -> Figure:
    period, mix = periods(result.by_month_mode)  # type: ignore[arg-type]
    series = [
        charts.Series(mode, MODE_LABELS[mode], [round(c[mode] / 60, 1) for _, c in mix])
        for mode in MODES
    ]
    svg = charts.stacked_columns(
        chart_id=chart_id,
        title=f"Facilitator time by {period.lower()} and mode",
        description=f"Hours of facilitator time each {period.lower()}, by delivery mode.",
        categories=[label for label, _ in mix],
        series=series,
        x_label=period,
        y_label="Hours",
    )
    rows = [
        [label, *[_num(c[mode] / 60, 1) for mode in MODES], _num(sum(c.values()) / 60, 1)]
        for label, c in mix
    ]
    return Figure(
        svg,
        [period, *[MODE_LABELS[m] for m in MODES], "All (hours)"],
        rows,
        f"Facilitator time by {period.lower()} and mode (hours)",
    )


def call_length_figure(result: CallComparison, *, chart_id: str) -> Figure:
    labels = ["Before video-first", "Video-first"]
    stats = [result.before, result.after]
    values = [s.mean_minutes or 0 for s in stats]
    saved = result.minutes_saved_per_call
    description = (
        f"Average call: {_num(result.before.mean_minutes)} minutes before video-first "
        f"({result.before.calls} calls), {_num(result.after.mean_minutes)} minutes after "
        f"({result.after.calls} calls)."
    )
    if saved is not None:
        description += f" {_num(saved)} minutes less facilitator time per call."
    svg = charts.bars(
        chart_id=chart_id,
        title="Average call length before and after video-first delivery",
        description=description,
        labels=labels,
        values=values,
        keys=["before", "after"],
        x_label="Average call length (minutes)",
        unit="min",
    )
    rows = []
    for label, s in (
        *zip(labels, stats, strict=True),
        ("Videos watched beforehand", result.watched),
        ("Videos not watched", result.not_watched),
    ):
        rows.append(
            [
                label,
                str(s.calls),
                _num(s.mean_minutes),
                _num(s.median_minutes),
                _num(s.mean_facilitator_minutes),
                _pct(s.key_message_coverage),
                _pct(s.watched_share),
            ]
        )
    headers = [
        "Calls",
        "Number",
        "Mean minutes",
        "Median minutes",
        "Facilitator minutes per call",
        "Key messages covered",
        "Videos watched first",
    ]
    return Figure(svg, headers, rows, "Calls before and after video-first delivery")
