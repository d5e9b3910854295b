"""Charts and tables for the fidelity and facilitator-time figures. Pure: no Django.

Each function returns plain data for a template: the SVG (already escaped) and the rows
of the table that carries the same numbers.
"""

from dataclasses import dataclass

from babysteps.delivery import charts
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
        highlight_from=result.threshold,
        unit="families",
        height=240,
    )
    rows = [[label, str(n)] for label, n in zip(labels, result.distribution, strict=True) if n]
    return Figure(svg, ["Components received", "Families"], rows, "Dose per family")


def mode_mix_figure(mix: list[tuple[str, dict[str, int]]], *, chart_id: str) -> Figure:
    months = [month_label(m) for m, _ in mix]
    series = [
        charts.Series(mode, MODE_LABELS[mode], [counts[mode] for _, counts in mix])
        for mode in MODES
    ]
    svg = charts.stacked_columns(
        chart_id=chart_id,
        title="Delivery mode by month",
        description="Components received by families each month, by how they were delivered.",
        categories=months,
        series=series,
        unit="family-components",
        integer=True,
    )
    rows = [
        [month_label(m), *[str(counts[mode]) for mode in MODES], str(sum(counts.values()))]
        for m, counts in mix
    ]
    return Figure(
        svg, ["Month", *[MODE_LABELS[m] for m in MODES], "All"], rows, "Delivery mode by month"
    )


def time_by_month_figure(result: FacilitatorTime, *, chart_id: str) -> Figure:
    mix = result.by_month_mode
    series = [
        charts.Series(mode, MODE_LABELS[mode], [round(c[mode] / 60, 1) for _, c in mix])
        for mode in MODES
    ]
    svg = charts.stacked_columns(
        chart_id=chart_id,
        title="Facilitator time by month and mode",
        description="Hours of facilitator time each month, by delivery mode.",
        categories=[month_label(m) for m, _ in mix],
        series=series,
        unit="hours",
    )
    rows = [
        [month_label(m), *[_num(c[mode] / 60, 1) for mode in MODES], _num(sum(c.values()) / 60, 1)]
        for m, c in mix
    ]
    return Figure(
        svg,
        ["Month", *[MODE_LABELS[m] for m in MODES], "All (hours)"],
        rows,
        "Facilitator time by month and mode (hours)",
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
