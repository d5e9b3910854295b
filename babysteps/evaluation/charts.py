"""Server-rendered SVG charts for the evaluation page (they print and need no script).
Pure: no Django. Every label is escaped; colours are presentation attributes (the strict
Content-Security-Policy forbids inline styles). Each chart has a title and a description
for screen readers; the tables beside them carry the same numbers."""

from collections.abc import Callable, Sequence
from html import escape

import numpy as np

INK, MUTED, GRID = "#1d1d1b", "#505a5f", "#b1b4b6"
PRE_COLOUR, POST_COLOUR = "#505a5f", "#1d4f91"
CATEGORY_COLOURS = {
    "recovered": "#00703c",
    "improved": "#85994b",
    "unchanged": "#b1b4b6",
    "deteriorated": "#b10e1e",
}
BETTER, WORSE, SAME = "#00703c", "#b10e1e", "#505a5f"


def _svg(width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> str:
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, fill: str = INK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-family="sans-serif">{escape(text)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, extra: str = "") -> str:
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"{extra}/>'
    )


def _scale(lo: float, hi: float, top: float, bottom: float) -> Callable[[float], float]:
    span = (hi - lo) or 1.0
    return lambda v: bottom - (v - lo) / span * (bottom - top)


def means_chart(
    *,
    ident: str,
    title: str,
    groups: Sequence[
        tuple[str, tuple[float, float, float] | None, tuple[float, float, float] | None]
    ],
    axis: tuple[float, float],
) -> str:
    """Pre and post means with 95% intervals for each group: ``(label, (pre, low, high),
    (post, low, high))``; a None side is suppressed and not drawn."""
    width, height, left, top, bottom = 460, 240, 44, 16, 190
    y = _scale(axis[0], axis[1], top, bottom)
    body = [_line(left, bottom, width - 8, bottom, GRID)]
    for tick in np.linspace(axis[0], axis[1], 5):
        body.append(_text(left - 6, y(tick) + 4, f"{tick:g}", anchor="end", size=11, fill=MUTED))
        body.append(_line(left, y(tick), width - 8, y(tick), GRID, ' stroke-dasharray="2 3"'))
    slot = (width - left - 16) / max(len(groups), 1)
    described = []
    for n, (label, pre, post) in enumerate(groups):
        centre = left + slot * (n + 0.5)
        for offset, point, colour, name in (
            (-14, pre, PRE_COLOUR, "pre"),
            (14, post, POST_COLOUR, "post"),
        ):
            if point is None:
                continue
            mean, low, high = point
            x = centre + offset
            thick = ' stroke-width="2"'
            body.append(_line(x, y(low), x, y(high), colour, thick))
            body.append(_line(x - 5, y(low), x + 5, y(low), colour, thick))
            body.append(_line(x - 5, y(high), x + 5, y(high), colour, thick))
            top_left = f'x="{x - 5:.1f}" y="{y(mean) - 5:.1f}"'
            shape = (
                f'<circle cx="{x:.1f}" cy="{y(mean):.1f}" r="5" fill="{colour}"/>'
                if name == "pre"
                else f'<rect {top_left} width="10" height="10" fill="{colour}"/>'
            )
            body.append(shape)
            described.append(f"{label} {name} {mean:.1f} ({low:.1f} to {high:.1f})")
        shown = label if len(label) <= 22 else label[:21] + "…"
        body.append(_text(centre, bottom + 16, shown, anchor="middle", size=11))
        if pre is None and post is None:
            body.append(
                _text(
                    centre, (top + bottom) / 2, "suppressed", anchor="middle", size=11, fill=MUTED
                )
            )
    body.append(f'<circle cx="{left + 6}" cy="{height - 14}" r="5" fill="{PRE_COLOUR}"/>')
    body.append(_text(left + 16, height - 10, "pre", size=11))
    body.append(
        f'<rect x="{left + 51}" y="{height - 19}" width="10" height="10" fill="{POST_COLOUR}"/>'
    )
    body.append(_text(left + 66, height - 10, "post (mean and 95% interval)", size=11))
    desc = "; ".join(described) or "All groups are suppressed (fewer than 5 completers)."
    return _svg(width, height, title, desc, body, ident)


def categories_chart(
    *, ident: str, title: str, rows: Sequence[tuple[str, dict[str, int] | None]]
) -> str:
    """A stacked bar per row of recovered / improved / unchanged / deteriorated shares."""
    width, left, bar, gap = 460, 150, 22, 12
    height = 30 + len(rows) * (bar + gap) + 30
    body = []
    described = []
    for n, (label, counts) in enumerate(rows):
        y = 10 + n * (bar + gap)
        shown = label if len(label) <= 24 else label[:23] + "…"
        body.append(_text(left - 8, y + bar * 0.7, shown, anchor="end", size=11))
        if not counts:
            body.append(
                _text(
                    left, y + bar * 0.7, "suppressed (fewer than 5 completers)", size=11, fill=MUTED
                )
            )
            continue
        total = sum(counts.values()) or 1
        x = float(left)
        for name, colour in CATEGORY_COLOURS.items():
            share = counts.get(name, 0) / total * (width - left - 10)
            if share > 0:
                box = f'x="{x:.1f}" y="{y}" width="{share:.1f}" height="{bar}"'
                body.append(f'<rect {box} fill="{colour}"/>')
            x += share
        described.append(
            label + ": " + ", ".join(f"{counts.get(k, 0)} {k}" for k in CATEGORY_COLOURS)
        )
    x = 10.0
    legend_y = height - 14
    for name, colour in CATEGORY_COLOURS.items():
        body.append(
            f'<rect x="{x:.1f}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>'
        )
        body.append(_text(x + 14, legend_y, name, size=11))
        x += 24 + 7 * len(name)
    return _svg(width, height, title, "; ".join(described) or "Suppressed.", body, ident)


def paired_chart(
    *,
    ident: str,
    title: str,
    pre: np.ndarray,
    post: np.ndarray,
    axis: tuple[float, float],
    lower_is_better: bool,
    limit: int = 300,
) -> str:
    """One line per completer from their pre to their post total (a deterministic sample
    of at most ``limit`` lines), green where it improved, red where it worsened."""
    width, height, top, bottom, x0, x1 = 300, 240, 16, 200, 70, 230
    y = _scale(axis[0], axis[1], top, bottom)
    body = []
    for tick in np.linspace(axis[0], axis[1], 5):
        body.append(_text(x0 - 26, y(tick) + 4, f"{tick:g}", anchor="end", size=11, fill=MUTED))
    body.append(f'<line x1="{x0}" y1="{top}" x2="{x0}" y2="{bottom}" stroke="{GRID}"/>')
    body.append(f'<line x1="{x1}" y1="{top}" x2="{x1}" y2="{bottom}" stroke="{GRID}"/>')
    n = int(pre.size)
    index = np.linspace(0, n - 1, min(n, limit)).astype(int) if n else np.empty(0, dtype=int)
    change = post - pre
    better = (change < 0) if lower_is_better else (change > 0)
    worse = (change > 0) if lower_is_better else (change < 0)
    for i in index:
        colour = BETTER if better[i] else WORSE if worse[i] else SAME
        body.append(
            f'<line x1="{x0}" y1="{y(pre[i]):.1f}" x2="{x1}" y2="{y(post[i]):.1f}" '
            f'stroke="{colour}" stroke-opacity="0.45" stroke-width="1.5"/>'
        )
    body.append(_text(x0, bottom + 18, "pre", anchor="middle"))
    body.append(_text(x1, bottom + 18, "post", anchor="middle"))
    desc = (
        f"{n} completers: {int(better.sum())} improved, {int(worse.sum())} worsened, "
        f"{int(n - better.sum() - worse.sum())} the same."
        if n
        else "Suppressed (fewer than 5 completers)."
    )
    return _svg(width, height, title, desc, body, ident)
