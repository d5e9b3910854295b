"""Time the evaluation of 100,000 participants x 4 instruments (pre and post, with some
attrition) with ``babysteps.evaluation.statistics``, beside a bare numpy/scipy computation
of the same figures from the same long-format arrays. Run:

    .venv/bin/python bench/evaluation.py

The module should cost at most 1.5 times the bare computation (it is vectorised: the only
Python loop is over the four instruments)."""

import sys
import time
from math import sqrt
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from babysteps.evaluation import dose
from babysteps.evaluation import statistics as ev

PARTICIPANTS = 100_000
RULES = {
    0: ev.Rules("epds", True, reliable_change_fixed=4, caseness_min=13),
    1: ev.Rules("phq9", True, retest_r=0.84, caseness_min=10),
    2: ev.Rules("gad7", True, retest_r=0.83, caseness_min=10),
    3: ev.Rules("wemwbs", False, retest_r=0.83, caseness_max=40),
}
RANGES = {0: (0, 30), 1: (0, 27), 2: (0, 21), 3: (14, 70)}


def make_data(seed: int = 1) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    parts, measures, timepoints, totals = [], [], [], []
    for code, (low, high) in RANGES.items():
        pre = rng.integers(low, high + 1, PARTICIPANTS)
        shift = -2 if RULES[code].lower_is_better else 2
        post = np.clip(pre + rng.normal(shift, 4, PARTICIPANTS).round(), low, high)
        answered = rng.random(PARTICIPANTS) > 0.12  # 12% attrition
        ids = np.arange(PARTICIPANTS)
        parts += [ids, ids[answered]]
        measures += [np.full(PARTICIPANTS, code), np.full(int(answered.sum()), code)]
        timepoints += [np.zeros(PARTICIPANTS, int), np.ones(int(answered.sum()), int)]
        totals += [pre.astype(float), post[answered]]
    order = rng.permutation(sum(p.size for p in parts))  # rows arrive in any order
    return tuple(np.concatenate(a)[order] for a in (parts, measures, timepoints, totals))


def bare(participant, measure, timepoint, total) -> dict[int, dict[str, float]]:
    """The same figures written directly with numpy and scipy.stats."""
    out = {}
    pre_mask, post_mask = timepoint == 0, timepoint == 1
    for code, rules in RULES.items():
        mine = measure == code
        pre_ids, pre_tot = participant[mine & pre_mask], total[mine & pre_mask]
        post_ids, post_tot = participant[mine & post_mask], total[mine & post_mask]
        pre_order, post_order = np.argsort(pre_ids), np.argsort(post_ids)
        pre_ids, pre_tot = pre_ids[pre_order], pre_tot[pre_order]
        post_ids, post_tot = post_ids[post_order], post_tot[post_order]
        hit = np.isin(pre_ids, post_ids, assume_unique=True)
        pre, post = pre_tot[hit], post_tot[np.isin(post_ids, pre_ids, assume_unique=True)]
        change = post - pre
        res = stats.ttest_rel(post, pre)
        ci = res.confidence_interval(0.95)
        pre_sd = pre.std(ddof=1)
        threshold = rules.reliable_change_fixed or 1.96 * pre_sd * sqrt(2 * (1 - rules.retest_r))
        gain = -change if rules.lower_is_better else change
        reliable = np.abs(change) >= threshold
        better, worse = reliable & (gain > 0), reliable & (gain < 0)
        recovered = better & rules.is_case(pre) & ~rules.is_case(post)
        out[code] = {
            "n_pairs": pre.size,
            "pre_mean": pre.mean(),
            "pre_sd": pre_sd,
            "post_mean": post.mean(),
            "post_sd": post.std(ddof=1),
            "mean_change": change.mean(),
            "sd_change": change.std(ddof=1),
            "ci95_low": ci.low,
            "ci95_high": ci.high,
            "t": res.statistic,
            "p_t": res.pvalue,
            "p_wilcoxon": stats.wilcoxon(change).pvalue,
            "cohens_dz": change.mean() / change.std(ddof=1),
            "reliably_improved": int(better.sum()),
            "reliably_deteriorated": int(worse.sum()),
            "recovered": int(recovered.sum()),
            "n_pre_only": int((~hit).sum()),
            "pre_only_mean": pre_tot[~hit].mean(),
        }
    return out


def best_of(runs: int, fn, *args) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    data = make_data()
    rows = data[0].size
    module_time, ours = best_of(5, lambda: ev.evaluate(*data, RULES))
    bare_time, theirs = best_of(5, bare, *data)
    for code in RULES:  # same figures, or the comparison means nothing
        for name, value in theirs[code].items():
            assert abs(ours[code][name] - value) <= 1e-9 * max(1, abs(value)), (code, name)
    print(f"{PARTICIPANTS:,} participants x {len(RULES)} instruments ({rows:,} rows, pre and post)")
    print(f"babysteps.evaluation.statistics: {module_time * 1000:8.1f} ms")
    print(f"bare numpy/scipy:                {bare_time * 1000:8.1f} ms")
    print(f"ratio: {module_time / bare_time:.2f} (target: at most 1.5)")
    # The delivered mode of every row's parent, from counts of what they attended (the
    # rule; the grouped query that counts the registers runs on the database).
    rng = np.random.default_rng(2)
    attended = rng.integers(0, 12, rows).astype(float)
    remote = np.floor(attended * rng.random(rows))
    mode_time, _ = best_of(5, dose.delivered_modes, remote, attended)
    print(f"delivered-mode rule for {rows:,} rows: {mode_time * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
