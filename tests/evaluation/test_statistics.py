"""The evaluation module against an independent computation written here with scipy's
own tests (ttest_rel, its confidence interval, wilcoxon, ttest_ind): agreement to 1e-9,
and exact category counts from a plain loop."""

from math import sqrt

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from babysteps.evaluation import statistics as ev

EPDS = ev.Rules("epds", lower_is_better=True, reliable_change_fixed=4, caseness_min=13)
GAD7 = ev.Rules("gad7", lower_is_better=True, retest_r=0.83, caseness_min=10)
WEMWBS = ev.Rules("wemwbs", lower_is_better=False, retest_r=0.83, caseness_max=40)
RANGES = {"epds": (0, 30), "gad7": (0, 21), "wemwbs": (14, 70)}
RULES = {"epds": EPDS, "gad7": GAD7, "wemwbs": WEMWBS}


def independent(pre: np.ndarray, post: np.ndarray, rules: ev.Rules) -> dict:
    paired = stats.ttest_rel(post, pre)
    interval = paired.confidence_interval(0.95)
    change = post - pre
    pre_sd = float(np.std(pre, ddof=1))
    threshold = rules.reliable_change_fixed or 1.96 * pre_sd * sqrt(2 * (1 - rules.retest_r))
    counts = dict.fromkeys(("better", "worse", "same", "recovered"), 0)
    for before, after in zip(pre.tolist(), post.tolist(), strict=True):
        delta = after - before
        gain = -delta if rules.lower_is_better else delta
        if abs(delta) < threshold:
            counts["same"] += 1
        elif gain > 0:
            counts["better"] += 1
            if rules.caseness_min is not None:
                case_before, case_after = before >= rules.caseness_min, after >= rules.caseness_min
            else:
                case_before, case_after = before <= rules.caseness_max, after <= rules.caseness_max
            if case_before and not case_after:
                counts["recovered"] += 1
        else:
            counts["worse"] += 1
    return {
        "t": float(paired.statistic),
        "p_t": float(paired.pvalue),
        "df": int(paired.df),
        "ci95_low": float(interval.low),
        "ci95_high": float(interval.high),
        "cohens_dz": float(change.mean() / change.std(ddof=1)),
        "p_wilcoxon": float(stats.wilcoxon(post, pre).pvalue),
        "pre_sd": pre_sd,
        "post_sd": float(np.std(post, ddof=1)),
        "reliable_change_threshold": threshold,
        "reliably_improved": counts["better"],
        "reliably_deteriorated": counts["worse"],
        "no_reliable_change": counts["same"],
        "recovered": counts["recovered"],
        "improved": counts["better"] - counts["recovered"],
        "unchanged": counts["same"],
        "deteriorated": counts["worse"],
    }


@st.composite
def paired_totals(draw, code: str):
    low, high = RANGES[code]
    n = draw(st.integers(2, 80))
    pre = draw(st.lists(st.integers(low, high), min_size=n, max_size=n))
    post = draw(st.lists(st.integers(low, high), min_size=n, max_size=n))
    return np.asarray(pre, dtype=float), np.asarray(post, dtype=float)


@pytest.mark.parametrize("code", sorted(RULES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_figures_agree_with_scipy_to_1e_9_and_counts_exactly(code, data):
    pre, post = data.draw(paired_totals(code))
    change = post - pre
    assume(change.std(ddof=1) > 0 and np.std(pre, ddof=1) > 0)
    ours = ev.measure_figures(pre, post, RULES[code])
    theirs = independent(pre, post, RULES[code])
    for name, value in theirs.items():
        if isinstance(value, int):
            assert ours[name] == value, name
        else:
            assert ours[name] == pytest.approx(value, abs=1e-9, rel=1e-9), name
    assert ours["n_pairs"] == pre.size and ours["mean_change"] == pytest.approx(
        change.mean(), abs=1e-9
    )
    assert sum(ours[c] for c in ev.CATEGORIES) == pre.size


@pytest.mark.parametrize("seed", range(5))
def test_large_generated_samples_agree(seed):
    rng = np.random.default_rng(seed)
    pre = rng.integers(0, 31, 5000).astype(float)
    post = np.clip(pre + rng.normal(-2, 4, 5000).round(), 0, 30)
    ours = ev.measure_figures(pre, post, EPDS)
    for name, value in independent(pre, post, EPDS).items():
        assert ours[name] == pytest.approx(value, abs=1e-9, rel=1e-9), name


@pytest.mark.filterwarnings("ignore:Precision loss occurred")
@settings(max_examples=40, deadline=None)
@given(
    a=st.lists(st.integers(-15, 15), min_size=2, max_size=40),
    b=st.lists(st.integers(-15, 15), min_size=2, max_size=40),
)
def test_the_mode_comparison_is_welchs_test(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    assume(a.std(ddof=1) > 0 or b.std(ddof=1) > 0)
    ours = ev.compare(a, b)
    welch = stats.ttest_ind(a, b, equal_var=False)
    interval = welch.confidence_interval(0.95)
    assert ours["difference"] == pytest.approx(a.mean() - b.mean(), abs=1e-9)
    assert ours["t"] == pytest.approx(float(welch.statistic), abs=1e-9, rel=1e-9)
    assert ours["p"] == pytest.approx(float(welch.pvalue), abs=1e-9, rel=1e-9)
    assert ours["df"] == pytest.approx(float(welch.df), abs=1e-9, rel=1e-9)
    assert ours["ci95_low"] == pytest.approx(float(interval.low), abs=1e-9, rel=1e-9)
    assert ours["ci95_high"] == pytest.approx(float(interval.high), abs=1e-9, rel=1e-9)


def test_long_rows_are_paired_whatever_their_order():
    rng = np.random.default_rng(7)
    n = 300
    pre, post = rng.integers(0, 31, n).astype(float), rng.integers(0, 31, n).astype(float)
    participant = np.concatenate([np.arange(n), np.arange(n)[: n - 20], [n + 1]])
    timepoint = np.concatenate([np.zeros(n, int), np.ones(n - 20, int), [2]])
    total = np.concatenate([pre, post[: n - 20], [5.0]])
    order = rng.permutation(participant.size)
    results = ev.evaluate(
        participant[order],
        np.zeros(participant.size, int),
        timepoint[order],
        total[order],
        {0: EPDS},
    )
    expected = ev.measure_figures(pre[: n - 20], post[: n - 20], EPDS, pre_only=pre[n - 20 :])
    assert results[0] == expected
    assert results[0]["n_pre_only"] == 20 and results[0]["pre_only_mean"] == pytest.approx(
        pre[n - 20 :].mean()
    )


def test_sparse_participant_codes_pair_the_same_way():
    rng = np.random.default_rng(11)
    participant = np.repeat(np.arange(50), 2)
    timepoint = np.tile([0, 1], 50)
    total = rng.integers(0, 31, 100).astype(float)
    dense = ev.evaluate(participant, np.zeros(100, int), timepoint, total, {0: EPDS})
    sparse = ev.evaluate(participant * 10_000_019, np.zeros(100, int), timepoint, total, {0: EPDS})
    assert dense == sparse and dense[0]["n_pairs"] == 50


def test_measures_are_evaluated_separately():
    participant = np.array([1, 1, 1, 1, 2, 2])
    measure = np.array([0, 0, 1, 1, 0, 0])
    timepoint = np.array([0, 1, 0, 1, 0, 1])
    total = np.array([10.0, 5, 40, 50, 12, 12])
    results = ev.evaluate(participant, measure, timepoint, total, {0: EPDS, 1: WEMWBS})
    assert results[0]["n_pairs"] == 2 and results[0]["mean_change"] == -2.5
    assert results[1]["n_pairs"] == 1 and results[1]["mean_change"] == 10
    assert results[1]["pre_sd"] is None and results[1]["t"] is None


def test_swemwbs_style_metric_totals_and_no_caseness():
    rules = ev.Rules("swemwbs", lower_is_better=False, retest_r=0.83)
    pre = np.array([19.25, 17.43, 20.73, 14.08, 22.35, 18.59])
    post = np.array([22.35, 18.59, 20.73, 19.98, 29.31, 17.98])
    figures = ev.measure_figures(pre, post, rules)
    assert figures["recovered"] == 0
    assert figures["improved"] == figures["reliably_improved"]


def test_suppression_removes_every_number_below_five():
    figures = ev.measure_figures(np.array([10.0, 12, 14, 9]), np.array([8.0, 12, 10, 9]), EPDS)
    hidden = ev.suppress(figures, min_n=5)
    assert hidden["suppressed"] is True
    assert all(hidden[name] is None for name in (*ev.FIGURES, *ev.EXTRA_FIGURES))
    shown = ev.suppress(figures, min_n=4)
    assert shown["suppressed"] is False and shown["n_pairs"] == 4
