# Over 400 lines: every chart, sharing one set of scales, labels and colours.
"""Server-rendered SVG charts for every report (delivery, facilitator time, videos, the
evaluation). Pure: no Django, no database.

Charts print and export with the page and need no script (the strict Content-Security-
Policy allows none inline, so colours are presentation attributes). Every chart is an
``<svg role="img">`` with a visible title, a description that says what it shows in words,
labelled axes with their units, and a legend when it has more than one series; pages put
the same numbers in a table beside it. Tick labels never overlap: when categories are too
many for their width, only every n-th is written (the callers also group months into
quarters or years). Colours are the Okabe-Ito palette, distinguishable with common
colour-vision deficiencies; every label is escaped here.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

INK = "#1d1d1b"
MUTED = "#505a5f"
GRID = "#d8d8d8"
PALETTE = {
    "bar": "#0072B2",
    "highlight": "#009E73",
    "group": "#0072B2",
    "home_visit": "#009E73",
    "phone": "#E69F00",
    "video": "#CC79A7",
    "before": "#E69F00",
    "after": "#CC79A7",
    "pre": "#505a5f",
    "post": "#0072B2",
    "recovered": "#009E73",
    "improved": "#56B4E9",
    "unchanged": "#b1b4b6",
    "deteriorated": "#D55E00",
    "better": "#009E73",
    "worse": "#D55E00",
    "same": "#505a5f",
}
FONT = 'font-family="system-ui, sans-serif"'
CHAR_WIDTH = 6.6  # px per character of 11-12 px text: enough to keep labels apart
TITLE_HEIGHT = 24


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: Sequence[float]


def colour(key: str) -> str:
    return PALETTE.get(key, PALETTE["bar"])


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        # The title is also written on the chart, so a printed or exported chart says
        # what it is.
        text(4, 16, title, size=13, weight="bold"),
    ]


def text(
    x: float,
    y: float,
    label: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
    rotate: float | None = None,
) -> str:
    turn = f' transform="rotate({rotate:g} {x:.1f} {y:.1f})"' if rotate is not None else ""
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{bold}{turn} {FONT}>{escape(label)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = "") -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{stroke}"{extra}/>'
    )


def nice_ticks(lo: float, hi: float, *, steps: int = 4, integer: bool = False) -> list[float]:
    """Round ticks covering [lo, hi]: about ``steps`` intervals of 1, 2, 2.5 or 5 times a
    power of ten (whole numbers for counts)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw - 1e-12)
    if integer:
        step = max(1, math.ceil(step))
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    return [first + step * i for i in range(round((last - first) / step) + 1)]


def fmt(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return f"{value:.0f}"
    return f"{value:.1f}"


def label_every(labels: Sequence[str], room: float) -> int:
    """Write every n-th of these labels so that none overlaps the next, given ``room``
    pixels per label."""
    widest = max((len(label) for label in labels), default=0) * CHAR_WIDTH + 8
    return max(1, math.ceil(widest / room)) if room > 0 else 1


def _scale(lo: float, hi: float, near: float, far: float) -> Callable[[float], float]:
    span = (hi - lo) or 1.0
    return lambda v: near + (v - lo) / span * (far - near)


def legend(items: Sequence[tuple[str, str]], *, x: float, y: float, width: float) -> list[str]:
    """Swatches and names, wrapping onto a new line when the next would not fit."""
    out, left = [], x
    for key, label in items:
        needed = 20 + CHAR_WIDTH * len(label) + 12
        if x + needed > width and x > left:
            x, y = left, y + 18
        out.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour(key)}"/>'
        )
        out.append(text(x + 16, y, label, size=11))
        x += needed
    return out


def legend_height(items: Sequence[tuple[str, str]], width: float) -> int:
    x, lines = 8.0, 1
    for _, label in items:
        needed = 20 + CHAR_WIDTH * len(label) + 12
        if x + needed > width and x > 8:
            x, lines = 8.0, lines + 1
        x += needed
    return 18 * lines


def stacked_columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    width: int = 720,
    height: int = 320,
    integer: bool = False,
    show_legend: bool = True,
) -> str:
    """Vertical columns, one per category, stacked by series (e.g. months by mode)."""
    items = [(s.key, s.label) for s in series] if show_legend and len(series) > 1 else []
    key_height = legend_height(items, width) if items else 0
    left, right, top, bottom = 64, 12, TITLE_HEIGHT + 14, 48 + key_height
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    ticks = nice_ticks(0, max(totals, default=0) or 1, integer=integer)
    y = _scale(0, ticks[-1], top + plot_h, top)
    parts = _open(chart_id, width, height, title, description)
    for tick in ticks:
        parts.append(_line(left, y(tick), width - right, y(tick), GRID))
        parts.append(text(left - 6, y(tick) + 4, fmt(tick), anchor="end", size=11))
    band = plot_w / max(len(categories), 1)
    bar = min(band * 0.7, 48)
    every = label_every(categories, band)
    for i, category in enumerate(categories):
        x = left + band * i + (band - bar) / 2
        base = float(top + plot_h)
        for s in series:
            value = s.values[i]
            if value <= 0:
                continue
            h = plot_h * value / ticks[-1]
            base -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour(s.key)}"><title>{escape(f"{category}, {s.label}: {fmt(value)}")}'
                "</title></rect>"
            )
        if i % every == 0:
            parts.append(
                # Far enough below the axis to clear the y axis's "0", however wide.
                text(left + band * (i + 0.5), top + plot_h + 18, category, anchor="middle", size=11)
            )
    parts.append(_line(left, top + plot_h, width - right, top + plot_h, INK))
    parts.append(_line(left, top, left, top + plot_h, INK))
    parts.append(text(14, top + plot_h / 2, y_label, anchor="middle", size=11, rotate=-90))
    parts.append(text(left + plot_w / 2, top + plot_h + 36, x_label, anchor="middle", size=11))
    if items:
        parts.extend(legend(items, x=8, y=height - key_height + 12, width=width))
    parts.append("</svg>")
    return "".join(parts)


def columns(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    y_label: str,
    highlight_from: int | None = None,
    plain_label: str = "",
    highlight_label: str = "",
    width: int = 720,
    height: int = 280,
) -> str:
    """Vertical columns (e.g. families by number of components received); columns from
    index ``highlight_from`` on are drawn in the highlight colour, named in the legend."""
    plain = [v if highlight_from is None or i < highlight_from else 0 for i, v in enumerate(values)]
    lit = [v - p for v, p in zip(values, plain, strict=True)]
    series = [Series("bar", plain_label or y_label, plain)]
    if highlight_from is not None:
        series = [Series("bar", plain_label, plain), Series("highlight", highlight_label, lit)]
    return stacked_columns(
        chart_id=chart_id,
        title=title,
        description=description,
        categories=labels,
        series=series,
        x_label=x_label,
        y_label=y_label,
        width=width,
        height=height,
        integer=True,
    )


def bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    values: Sequence[float],
    x_label: str,
    unit: str = "",
    keys: Sequence[str] | None = None,
    marker: float | None = None,
    marker_label: str = "",
    width: int = 720,
) -> str:
    """Horizontal bars, one per label, with the value written at the end of each bar.
    ``marker`` draws a dashed line at that value (e.g. an average, or a threshold)."""
    row, left, right, top = 28, 190, 70, TITLE_HEIGHT + 10
    height = top + row * len(labels) + 56
    plot_w = width - left - right
    ticks = nice_ticks(0, max([*values, marker or 0], default=0) or 1)
    x = _scale(0, ticks[-1], left, left + plot_w)
    parts = _open(chart_id, width, height, title, description)
    axis_y = top + row * len(labels)
    for tick in ticks:
        parts.append(_line(x(tick), top, x(tick), axis_y, GRID))
        parts.append(text(x(tick), axis_y + 14, fmt(tick), anchor="middle", size=11))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * i
        shown = label if len(label) <= 28 else label[:27] + "…"
        parts.append(text(left - 8, y + 17, shown, anchor="end"))
        w = max(x(value) - left, 0)
        parts.append(
            f'<rect x="{left}" y="{y + 4:.1f}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{colour(keys[i] if keys else "bar")}">'
            f"<title>{escape(f'{label}: {fmt(value)} {unit}'.strip())}</title></rect>"
        )
        parts.append(text(left + w + 6, y + 17, f"{fmt(value)} {unit}".strip()))
    parts.append(_line(left, top, left, axis_y, INK))
    parts.append(_line(left, axis_y, left + plot_w, axis_y, INK))
    parts.append(text(left + plot_w / 2, axis_y + 32, x_label, anchor="middle", size=11))
    if marker is not None:
        parts.append(_line(x(marker), top, x(marker), axis_y, INK, ' stroke-dasharray="4 3"'))
        parts.append(text(x(marker), axis_y + 48, marker_label, anchor="middle", size=11))
    parts.append("</svg>")
    return "".join(parts)


# --- The evaluation's charts ---------------------------------------------------------------

CATEGORIES = ("recovered", "improved", "unchanged", "deteriorated")
Point = tuple[float, float, float]  # mean, 95% interval low, high


def means_chart(
    *,
    chart_id: str,
    title: str,
    groups: Sequence[tuple[str, Point | None, Point | None]],
    axis: tuple[float, float],
    y_label: str,
    width: int = 520,
) -> str:
    """Pre and post means with 95% intervals for each group: ``(label, (pre, low, high),
    (post, low, high))``; a None side is suppressed and not drawn."""
    height, left, right, top, bottom = 280, 56, 12, TITLE_HEIGHT + 12, 70
    plot_h = height - top - bottom
    ticks = nice_ticks(*axis)
    y = _scale(ticks[0], ticks[-1], top + plot_h, top)
    parts = _open(chart_id, width, height, title, _means_description(groups))
    for tick in ticks:
        parts.append(_line(left, y(tick), width - right, y(tick), GRID, ' stroke-dasharray="2 3"'))
        parts.append(text(left - 6, y(tick) + 4, fmt(tick), anchor="end", size=11, fill=MUTED))
    slot = (width - left - right) / max(len(groups), 1)
    every = label_every([g[0] for g in groups], slot)
    for n, (label, pre, post) in enumerate(groups):
        centre = left + slot * (n + 0.5)
        for offset, point, key in ((-14, pre, "pre"), (14, post, "post")):
            if point is None:
                continue
            mean, low, high = point
            cx, thick = centre + offset, ' stroke-width="2"'
            parts.append(_line(cx, y(low), cx, y(high), colour(key), thick))
            parts.append(_line(cx - 5, y(low), cx + 5, y(low), colour(key), thick))
            parts.append(_line(cx - 5, y(high), cx + 5, y(high), colour(key), thick))
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{y(mean):.1f}" r="5" fill="{colour(key)}"/>'
                if key == "pre"
                else f'<rect x="{cx - 5:.1f}" y="{y(mean) - 5:.1f}" width="10" height="10" '
                f'fill="{colour(key)}"/>'
            )
        if n % every == 0:
            shown = label if len(label) <= 22 else label[:21] + "…"
            parts.append(text(centre, top + plot_h + 16, shown, anchor="middle", size=11))
        if pre is None and post is None:
            parts.append(
                text(centre, top + plot_h / 2, "suppressed", anchor="middle", size=11, fill=MUTED)
            )
    parts.append(_line(left, top + plot_h, width - right, top + plot_h, INK))
    parts.append(text(14, top + plot_h / 2, y_label, anchor="middle", size=11, rotate=-90))
    parts.append(
        text(left + (width - left) / 2, top + plot_h + 34, "Group", anchor="middle", size=11)
    )
    items = [("pre", "Pre mean (95% interval)"), ("post", "Post mean (95% interval)")]
    parts.extend(legend(items, x=8, y=height - 8, width=width))
    parts.append("</svg>")
    return "".join(parts)


def _means_description(groups: Sequence[tuple[str, Point | None, Point | None]]) -> str:
    described = [
        f"{label} {name} {p[0]:.1f} ({p[1]:.1f} to {p[2]:.1f})"
        for label, pre, post in groups
        for name, p in (("pre", pre), ("post", post))
        if p is not None
    ]
    return "; ".join(described) or "All groups are suppressed (fewer than 5 completers)."


def categories_chart(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, dict[str, int] | None]],
    width: int = 520,
) -> str:
    """A stacked bar per row of recovered / improved / unchanged / deteriorated shares."""
    left, bar, gap, top = 150, 22, 12, TITLE_HEIGHT + 10
    plot_w = width - left - 14
    axis_y = top + len(rows) * (bar + gap)
    items = [(name, name.capitalize()) for name in CATEGORIES]
    key_height = legend_height(items, width)
    height = axis_y + 40 + key_height
    described = []
    parts = _open(chart_id, width, height, title, "")
    for percent in (0, 25, 50, 75, 100):
        tick_x = left + plot_w * percent / 100
        parts.append(_line(tick_x, top, tick_x, axis_y, GRID))
        parts.append(text(tick_x, axis_y + 14, f"{percent}%", anchor="middle", size=11))
    for n, (label, counts) in enumerate(rows):
        y = top + n * (bar + gap)
        shown = label if len(label) <= 24 else label[:23] + "…"
        parts.append(text(left - 8, y + bar * 0.7, shown, anchor="end", size=11))
        if not counts:
            parts.append(
                text(
                    left + 4,
                    y + bar * 0.7,
                    "suppressed (fewer than 5 completers)",
                    size=11,
                    fill=MUTED,
                )
            )
            continue
        total = sum(counts.values()) or 1
        start = float(left)
        for name in CATEGORIES:
            share = counts.get(name, 0) / total * plot_w
            if share > 0:
                tip = escape(f"{label}, {name}: {counts.get(name, 0)}")
                parts.append(
                    f'<rect x="{start:.1f}" y="{y}" width="{share:.1f}" height="{bar}" '
                    f'fill="{colour(name)}"><title>{tip}</title></rect>'
                )
            start += share
        described.append(label + ": " + ", ".join(f"{counts.get(k, 0)} {k}" for k in CATEGORIES))
    parts[2] = f'<desc id="{chart_id}-desc">{escape("; ".join(described) or "Suppressed.")}</desc>'
    parts.append(
        text(left + plot_w / 2, axis_y + 30, "Share of completers", anchor="middle", size=11)
    )
    parts.extend(legend(items, x=8, y=height - key_height + 12, width=width))
    parts.append("</svg>")
    return "".join(parts)


def paired_chart(
    *,
    chart_id: str,
    title: str,
    pre: np.ndarray,
    post: np.ndarray,
    axis: tuple[float, float],
    lower_is_better: bool,
    y_label: str,
    limit: int = 300,
) -> str:
    """One line per completer from their pre to their post total (a deterministic sample
    of at most ``limit`` lines), coloured by whether it improved, worsened or stayed."""
    width, height, top, bottom, x0, x1 = 340, 300, TITLE_HEIGHT + 12, 230, 90, 270
    ticks = nice_ticks(*axis)
    y = _scale(ticks[0], ticks[-1], bottom, top)
    parts = []
    for tick in ticks:
        parts.append(text(x0 - 10, y(tick) + 4, fmt(tick), anchor="end", size=11, fill=MUTED))
    parts.append(_line(x0, top, x0, bottom, GRID))
    parts.append(_line(x1, top, x1, bottom, GRID))
    n = len(pre)
    change = np.asarray(post, dtype=float) - np.asarray(pre, dtype=float)
    better = (change < 0) if lower_is_better else (change > 0)
    worse = (change > 0) if lower_is_better else (change < 0)
    for i in np.linspace(0, n - 1, min(n, limit)).astype(int) if n else []:
        kind = "better" if better[i] else "worse" if worse[i] else "same"
        parts.append(
            f'<line x1="{x0}" y1="{y(pre[i]):.1f}" x2="{x1}" y2="{y(post[i]):.1f}" '
            f'stroke="{colour(kind)}" stroke-opacity="0.45" stroke-width="1.5"/>'
        )
    parts.append(text(x0, bottom + 16, "Pre", anchor="middle"))
    parts.append(text(x1, bottom + 16, "Post", anchor="middle"))
    parts.append(text(14, (top + bottom) / 2, y_label, anchor="middle", size=11, rotate=-90))
    items = [("better", "Improved"), ("worse", "Worsened"), ("same", "The same")]
    parts.extend(legend(items, x=8, y=height - 12, width=width))
    improved, worsened = int(better.sum()), int(worse.sum())
    description = (
        f"{n} completers: {improved} improved, {worsened} worsened, "
        f"{n - improved - worsened} the same."
        if n
        else "Suppressed (fewer than 5 completers)."
    )
    return "".join([*_open(chart_id, width, height, title, description), *parts, "</svg>"])
