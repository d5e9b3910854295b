"""Server-rendered SVG charts. Pure: no database, no Django.

Charts print and export with the page and need no script (the strict CSP allows none
inline). Each one is an ``<svg role="img">`` with a title and a description that says
what it shows in words; pages put the numbers in a table beside it. Colours are the
Okabe-Ito palette (distinguishable with common colour-vision deficiencies), and every
series is also named in a legend.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

INK = "#1d1d1b"
MUTED = "#505a5f"
GRID = "#d8d8d8"
PALETTE = {
    "group": "#0072B2",
    "home_visit": "#009E73",
    "phone": "#E69F00",
    "video": "#CC79A7",
    "before": "#E69F00",
    "after": "#CC79A7",
    "bar": "#0072B2",
    "highlight": "#009E73",
}
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: Sequence[float]


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{INK}" {FONT}>{escape(text)}</text>'
    )


def _axis(value: float, *, steps: int = 4, integer: bool = False) -> tuple[float, list[float]]:
    """A round top for an axis at or above ``value``, and its ticks: about ``steps``
    intervals of 1, 2, 2.5 or 5 times a power of ten (whole numbers for counts)."""
    if value <= 0:
        return 1.0, [0.0, 1.0]
    raw = value / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integer:
        step = max(1, math.ceil(step))
    top = math.ceil(value / step - 1e-9) * step
    count = round(top / step)
    return top, [step * i for i in range(count + 1)]


def _fmt(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{value:.0f}"
    return f"{value:.1f}"


def stacked_columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    width: int = 720,
    height: int = 300,
    legend: bool = True,
    integer: bool = False,
) -> str:
    """Vertical columns, one per category, stacked by series (e.g. months by mode)."""
    left, right, top, bottom = 56, 12, 22, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    top_value, ticks = _axis(max(totals, default=0), integer=integer)
    parts = _open(chart_id, width, height, title, description)
    for tick in ticks:
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y + 4, _fmt(tick), anchor="end", size=11))
    if unit:
        parts.append(_text(4, 11, unit, size=11))
    n = max(len(categories), 1)
    band = plot_w / n
    bar = min(band * 0.7, 48)
    for i, category in enumerate(categories):
        x = left + band * i + (band - bar) / 2
        base = top + plot_h
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / top_value
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE.get(s.key, PALETTE["bar"])}">'
                f"<title>{escape(f'{category}, {s.label}: {_fmt(value)}')}</title></rect>"
            )
        label_x = left + band * i + band / 2
        label_y = top + plot_h + 14
        parts.append(
            f'<text x="{label_x:.1f}" y="{label_y:.1f}" font-size="11" fill="{INK}" {FONT} '
            f'text-anchor="end" transform="rotate(-40 {label_x:.1f} {label_y:.1f})">'
            f"{escape(category)}</text>"
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        f'stroke="{INK}"/>'
    )
    if legend:
        parts.extend(_legend(series, x=left, y=height - 12))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Sequence[Series], *, x: float, y: float) -> list[str]:
    out = []
    for s in series:
        out.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" '
            f'fill="{PALETTE.get(s.key, PALETTE["bar"])}"/>'
        )
        out.append(_text(x + 16, y, s.label, size=12))
        x += 24 + 7.2 * len(s.label)
    return out


def bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    keys: Sequence[str] | None = None,
    unit: str = "",
    marker: float | None = None,
    marker_label: str = "",
    width: int = 720,
) -> str:
    """Horizontal bars, one per label, with the value written at the end of each bar.
    ``marker`` draws a dashed line at that value (e.g. an average, or a threshold)."""
    row, left, right, top = 28, 190, 64, 12
    height = top + row * len(labels) + 30
    plot_w = width - left - right
    top_value, _ = _axis(max([*values, marker or 0], default=0))
    parts = _open(chart_id, width, height, title, description)
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * i
        w = plot_w * value / top_value if top_value else 0
        colour = PALETTE.get(keys[i] if keys else "bar", PALETTE["bar"])
        parts.append(_text(left - 8, y + 17, label, anchor="end"))
        parts.append(
            f'<rect x="{left}" y="{y + 4:.1f}" width="{max(w, 0):.1f}" height="{row - 8}" '
            f'fill="{colour}"><title>{escape(f"{label}: {_fmt(value)} {unit}".strip())}</title>'
            "</rect>"
        )
        parts.append(_text(left + w + 6, y + 17, f"{_fmt(value)} {unit}".strip()))
    axis_y = top + row * len(labels)
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{axis_y}" stroke="{INK}"/>')
    if marker is not None:
        x = left + plot_w * marker / top_value
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{axis_y}" stroke="{INK}" '
            'stroke-dasharray="4 3"/>'
        )
        parts.append(_text(x, axis_y + 16, marker_label, anchor="middle", size=11))
    parts.append("</svg>")
    return "".join(parts)


def columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    highlight_from: int | None = None,
    unit: str = "",
    width: int = 720,
    height: int = 260,
) -> str:
    """Vertical columns (e.g. families by number of components received); columns from
    index ``highlight_from`` on are drawn in the highlight colour (e.g. 7 or more)."""
    series = [
        Series(
            "highlight" if highlight_from is not None and i >= highlight_from else "bar",
            label,
            [value if j == i else 0 for j in range(len(labels))],
        )
        for i, (label, value) in enumerate(zip(labels, values, strict=True))
    ]
    return stacked_columns(
        chart_id=chart_id,
        title=title,
        description=description,
        categories=labels,
        series=series,
        unit=unit,
        width=width,
        height=height,
        legend=False,
        integer=True,
    )
