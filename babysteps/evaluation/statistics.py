"""The evaluation statistics of MEASURES.md, with numpy and scipy. Pure: no Django.

Input is long format, one row per questionnaire total: participant, measure (an
instrument, or an instrument within a subgroup), time point and total. Rows are paired
with array operations (no Python loop over participants): the only loop is over measures.
Completers have both ``pre`` and ``post``; change = post - pre.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from math import sqrt
from typing import TYPE_CHECKING, Any

import numpy as np

from babysteps.core.lazy import lazy

if TYPE_CHECKING:
    from scipy import stats
else:  # loaded on first use (core/lazy.py)
    stats = lazy("scipy.stats")

# The figures of MEASURES.md's table, with exactly those names, in its order.
FIGURES = (
    "n_pairs",
    "pre_mean",
    "pre_sd",
    "post_mean",
    "post_sd",
    "mean_change",
    "sd_change",
    "ci95_low",
    "ci95_high",
    "t",
    "df",
    "p_t",
    "p_wilcoxon",
    "cohens_dz",
    "reliable_change_threshold",
    "reliably_improved",
    "no_reliable_change",
    "reliably_deteriorated",
    "recovered",
    "improved",
    "unchanged",
    "deteriorated",
    "n_pre_only",
)
# Reported beside them: the baseline mean of those with a pre but no post (attrition).
EXTRA_FIGURES = ("pre_only_mean",)
COUNTS = frozenset(
    {
        "n_pairs",
        "df",
        "reliably_improved",
        "no_reliable_change",
        "reliably_deteriorated",
        "recovered",
        "improved",
        "unchanged",
        "deteriorated",
        "n_pre_only",
    }
)
CATEGORIES = ("recovered", "improved", "unchanged", "deteriorated")
COMPARISON_FIGURES = (
    "n_a",
    "n_b",
    "mean_change_a",
    "mean_change_b",
    "difference",
    "ci95_low",
    "ci95_high",
    "t",
    "df",
    "p",
)

PRE, POST = 0, 1


@dataclass(frozen=True)
class Rules:
    """What the statistics need to know about an instrument."""

    code: str
    lower_is_better: bool
    reliable_change_fixed: float | None = None
    retest_r: float | None = None
    caseness_min: float | None = None
    caseness_max: float | None = None

    def is_case(self, totals: np.ndarray) -> np.ndarray:
        if self.caseness_min is not None:
            return totals >= self.caseness_min
        if self.caseness_max is not None:
            return totals <= self.caseness_max
        return np.zeros(totals.shape, dtype=bool)

    def threshold(self, pre_sd: float) -> float:
        if self.reliable_change_fixed is not None:
            return float(self.reliable_change_fixed)
        if self.retest_r is None:
            raise ValueError(f"{self.code}: no reliability for the reliable change index")
        return 1.96 * pre_sd * sqrt(2 * (1 - self.retest_r))


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def measure_figures(
    pre: np.ndarray,
    post: np.ndarray,
    rules: Rules,
    *,
    pre_only: np.ndarray | None = None,
) -> dict[str, Any]:
    """Every figure for one measure from completers' paired totals (and the pre totals of
    those without a post). Undefined figures (e.g. an SD from one pair) are None."""
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    pre_only = np.asarray([] if pre_only is None else pre_only, dtype=float)
    n = int(pre.size)
    out: dict[str, Any] = dict.fromkeys(FIGURES)
    out["n_pairs"] = n
    out["n_pre_only"] = int(pre_only.size)
    out["pre_only_mean"] = float(pre_only.mean()) if pre_only.size else None
    if n == 0:
        return out
    change = post - pre
    out["pre_mean"] = float(pre.mean())
    out["post_mean"] = float(post.mean())
    out["mean_change"] = mean_change = float(change.mean())
    if n < 2:
        return out
    pre_sd = float(pre.std(ddof=1))
    sd_change = float(change.std(ddof=1))
    out["pre_sd"] = pre_sd
    out["post_sd"] = float(post.std(ddof=1))
    out["sd_change"] = sd_change
    out["df"] = n - 1
    if sd_change > 0:
        paired = stats.ttest_rel(post, pre)  # on post - pre: the change
        interval = paired.confidence_interval(0.95)
        out["t"] = float(paired.statistic)
        out["p_t"] = float(paired.pvalue)
        out["ci95_low"] = float(interval.low)
        out["ci95_high"] = float(interval.high)
        out["cohens_dz"] = mean_change / sd_change
    if np.any(change != 0):
        out["p_wilcoxon"] = _finite(stats.wilcoxon(change, zero_method="wilcox").pvalue)
    threshold = rules.threshold(pre_sd)
    out["reliable_change_threshold"] = threshold
    improving = -change if rules.lower_is_better else change
    reliable = np.abs(change) >= threshold
    if threshold == 0:  # no spread at all: only a real change can count as reliable
        reliable &= change != 0
    better = reliable & (improving > 0)
    worse = reliable & (improving < 0)
    recovered = better & rules.is_case(pre) & ~rules.is_case(post)
    out["reliably_improved"] = int(better.sum())
    out["reliably_deteriorated"] = int(worse.sum())
    out["no_reliable_change"] = int((~reliable).sum())
    out["recovered"] = int(recovered.sum())
    out["improved"] = int((better & ~recovered).sum())
    out["unchanged"] = out["no_reliable_change"]
    out["deteriorated"] = out["reliably_deteriorated"]
    return out


@dataclass(frozen=True)
class Paired:
    """Long-format rows paired up: for each completer, its measure and totals (sorted by
    measure), and the rows with a pre but no post."""

    measure: np.ndarray
    pre: np.ndarray
    post: np.ndarray
    participant: np.ndarray
    pre_only_measure: np.ndarray
    pre_only_total: np.ndarray


def pair(
    participant: np.ndarray, measure: np.ndarray, timepoint: np.ndarray, total: np.ndarray
) -> Paired:
    """Pair ``pre`` and ``post`` rows of the same participant and measure. ``participant``
    and ``measure`` are non-negative integer codes; ``timepoint`` is PRE, POST or another
    code (ignored). Each (participant, measure, time point) must occur at most once.

    Dense codes (the usual case) are paired by direct addressing in O(rows), with no
    sort; very sparse codes fall back to sorting."""
    participant = np.asarray(participant, dtype=np.int64)
    measure = np.asarray(measure, dtype=np.int64)
    timepoint = np.asarray(timepoint)
    total = np.asarray(total, dtype=float)
    width = np.int64(participant.max(initial=0) + 1)
    key = measure * width + participant  # orders by measure, then participant
    is_pre, is_post = timepoint == PRE, timepoint == POST
    pre_key, post_key = key[is_pre], key[is_post]
    pre_total, post_total = total[is_pre], total[is_post]
    space = int(measure.max(initial=0) + 1) * int(width)
    if space <= max(8 * key.size, 1 << 20):
        has_pre = np.zeros(space, dtype=bool)
        has_post = np.zeros(space, dtype=bool)
        pre_at = np.empty(space)
        post_at = np.empty(space)
        has_pre[pre_key] = True
        has_post[post_key] = True
        pre_at[pre_key] = pre_total
        post_at[post_key] = post_total
        common = np.flatnonzero(has_pre & has_post)
        only = np.flatnonzero(has_pre & ~has_post)
        pre, post, only_total = pre_at[common], post_at[common], pre_at[only]
    else:
        common, i_pre, i_post = np.intersect1d(
            pre_key, post_key, assume_unique=True, return_indices=True
        )
        pre, post = pre_total[i_pre], post_total[i_post]
        unmatched = np.ones(pre_key.size, dtype=bool)
        unmatched[i_pre] = False
        order = np.argsort(pre_key[unmatched], kind="stable")
        only, only_total = pre_key[unmatched][order], pre_total[unmatched][order]
    return Paired(
        measure=common // width,
        pre=pre,
        post=post,
        participant=common % width,
        pre_only_measure=only // width,
        pre_only_total=only_total,
    )


def _slices(sorted_codes: np.ndarray) -> dict[int, slice]:
    if not sorted_codes.size:
        return {}
    codes, starts = np.unique(sorted_codes, return_index=True)
    ends = np.append(starts[1:], sorted_codes.size)
    return {int(c): slice(int(s), int(e)) for c, s, e in zip(codes, starts, ends, strict=True)}


def evaluate(
    participant: np.ndarray,
    measure: np.ndarray,
    timepoint: np.ndarray,
    total: np.ndarray,
    rules: dict[int, Rules],
) -> dict[int, dict[str, Any]]:
    """Figures for every measure code that has rows, from long-format arrays."""
    paired = pair(participant, measure, timepoint, total)
    completers = _slices(paired.measure)  # both are sorted by measure
    attrition = _slices(paired.pre_only_measure)
    only_totals = paired.pre_only_total
    empty = np.empty(0)
    present = np.flatnonzero(np.bincount(np.asarray(measure, dtype=np.int64)))
    results = {}
    for code in present.tolist():
        span = completers.get(code)
        results[code] = measure_figures(
            paired.pre[span] if span else empty,
            paired.post[span] if span else empty,
            rules[code],
            pre_only=only_totals[attrition[code]] if code in attrition else empty,
        )
    return results


def compare(change_a: np.ndarray, change_b: np.ndarray) -> dict[str, Any]:
    """Two groups' changes (e.g. face-to-face and remote): the difference in mean change
    (a - b), Welch's t-test and the 95% interval of the difference."""
    a = np.asarray(change_a, dtype=float)
    b = np.asarray(change_b, dtype=float)
    out: dict[str, Any] = dict.fromkeys(COMPARISON_FIGURES)
    out["n_a"], out["n_b"] = int(a.size), int(b.size)
    if a.size:
        out["mean_change_a"] = float(a.mean())
    if b.size:
        out["mean_change_b"] = float(b.mean())
    if a.size and b.size:
        out["difference"] = float(a.mean() - b.mean())
    if a.size < 2 or b.size < 2:
        return out
    if a.var(ddof=1) + b.var(ddof=1) == 0:
        return out  # no spread in either group: no test
    welch = stats.ttest_ind(a, b, equal_var=False)
    interval = welch.confidence_interval(0.95)
    out.update(
        t=float(welch.statistic),
        df=float(welch.df),
        p=float(welch.pvalue),
        ci95_low=float(interval.low),
        ci95_high=float(interval.high),
    )
    return out


def suppress(figures: dict[str, Any], *, min_n: int, keys: Iterable[str] = ()) -> dict[str, Any]:
    """Figures from fewer than ``min_n`` completers, with every number removed (``keys``
    names the counts to look at; n_pairs by default). Small attrition groups lose their
    mean too."""
    counts = list(keys) or ["n_pairs"]
    out = dict(figures)
    if any((figures.get(k) or 0) < min_n for k in counts):
        for name in (*FIGURES, *EXTRA_FIGURES, *COMPARISON_FIGURES):
            if name in out:
                out[name] = None
        out["suppressed"] = True
        return out
    out["suppressed"] = False
    if "n_pre_only" in out and (out["n_pre_only"] or 0) < min_n:
        out["pre_only_mean"] = None
    return out


def mean_ci(mean: float | None, sd: float | None, n: int | None) -> tuple[float, float] | None:
    """95% interval of a mean (for the charts)."""
    if mean is None or sd is None or not n or n < 2:
        return None
    margin = float(stats.t.ppf(0.975, n - 1)) * sd / sqrt(n)
    return mean - margin, mean + margin
