"""The one chart module: every chart has a visible title, labelled axes and a legend when
it has series, escapes what it writes, and never lets its tick labels overlap."""

import re
from itertools import pairwise
from xml.etree import ElementTree

import numpy as np
import pytest

from babysteps.core import charts
from babysteps.delivery.figures import periods

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(svg).iter(f"{SVG}text"))


def _written(svg: str) -> list[str]:
    return [t.text or "" for t in _texts(svg)]


def _months(n: int) -> list[str]:
    return [
        f"{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun'][i % 6]} {2019 + i // 12}" for i in range(n)
    ]


def _stacked(categories: list[str]) -> str:
    series = [
        charts.Series("group", "Group session", [3] * len(categories)),
        charts.Series("phone", "Phone call", [2] * len(categories)),
    ]
    return charts.stacked_columns(
        chart_id="c",
        title="Delivery <mode> by month",
        description="d",
        categories=categories,
        series=series,
        x_label="Month",
        y_label="Components received",
    )


def test_a_chart_has_a_title_axis_labels_and_a_legend():
    svg = _stacked(_months(6))
    written = _written(svg)
    assert "Delivery <mode> by month" in written  # visible, and escaped in the markup
    assert "&lt;mode&gt;" in svg and "<mode>" not in svg
    assert {"Month", "Components received", "Group session", "Phone call"} <= set(written)
    assert ElementTree.fromstring(svg).find(f"{SVG}title").text == "Delivery <mode> by month"


@pytest.mark.parametrize("count", [3, 24, 88])
def test_category_labels_never_overlap(count):
    svg = _stacked(_months(count))
    labels = [t for t in _texts(svg) if re.fullmatch(r"[A-Z][a-z]{2} \d{4}", t.text or "")]
    xs = sorted(float(t.get("x")) for t in labels)
    assert labels, "some months are written"
    width = max(len(t.text) for t in labels) * charts.CHAR_WIDTH
    assert all(b - a >= width for a, b in pairwise(xs))


def test_more_than_two_years_of_months_become_quarters_then_years():
    months = [f"{2019 + i // 12}-{i % 12 + 1:02d}" for i in range(30)]
    name, rows = periods([(m, {"phone": 1}) for m in months])
    assert name == "Quarter" and rows[0] == ("Q1 2019", {"phone": 3}) and len(rows) == 10
    many = [f"{2000 + i // 12}-{i % 12 + 1:02d}" for i in range(12 * 26)]
    name, rows = periods([(m, {"phone": 1}) for m in many])
    assert name == "Year" and rows[0] == ("2000", {"phone": 12})
    name, rows = periods([("2020-04", {"phone": 1})])
    assert name == "Month" and rows == [("Apr 2020", {"phone": 1})]


def test_bars_and_evaluation_charts_label_their_axes():
    bar = charts.bars(
        chart_id="b",
        title="Average call length",
        description="d",
        labels=["Before", "After"],
        values=[40, 20],
        x_label="Minutes",
    )
    assert {"Average call length", "Minutes", "Before", "After"} <= set(_written(bar))
    means = charts.means_chart(
        chart_id="m",
        title="EPDS means",
        groups=[("All", (12, 11, 13), (9, 8, 10)), ("Small", None, None)],
        axis=(0, 30),
        y_label="EPDS total",
    )
    assert {"EPDS means", "EPDS total", "Group", "suppressed"} <= set(_written(means))
    paired = charts.paired_chart(
        chart_id="p",
        title="Each completer",
        pre=np.array([10.0, 12.0, 8.0]),
        post=np.array([8.0, 14.0, 8.0]),
        axis=(0, 30),
        lower_is_better=True,
        y_label="EPDS total",
    )
    assert "1 improved, 1 worsened, 1 the same" in paired
    assert {"Improved", "Worsened", "The same", "EPDS total"} <= set(_written(paired))
    stacked = charts.categories_chart(
        chart_id="k", title="Categories", rows=[("All", {"recovered": 2, "unchanged": 3})]
    )
    assert {"Share of completers", "Recovered", "Deteriorated"} <= set(_written(stacked))


def test_ticks_are_round_and_cover_the_range():
    assert charts.nice_ticks(0, 30) == [0, 10, 20, 30]
    wide = charts.nice_ticks(14, 70)
    assert wide[0] <= 14 and wide[-1] >= 70 and len(wide) <= 6
    assert charts.nice_ticks(0, 3, integer=True) == [0, 1, 2, 3]
