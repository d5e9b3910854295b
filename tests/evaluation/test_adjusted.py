"""The adjusted and mixed-model mode differences, attrition and Wilson intervals agree with
statsmodels and scipy computed independently here, on generated data."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy import stats

from babysteps.evaluation import adjusted

LABELS = ("face-to-face", "remote")


def _data(seed: int, *, couples: bool):
    rng = np.random.default_rng(seed)
    n = 120
    cohort = rng.integers(0, 8, n)
    family = np.arange(n) // 2 if couples else np.arange(n)
    is_a = (cohort % 2 == 0).astype(float)
    baseline = rng.normal(12, 4, n)
    cohort_effect = rng.normal(0, 1.5, 8)[cohort]
    change = -1.5 * is_a - 0.3 * baseline + cohort_effect + rng.normal(0, 2, n)
    return pd.DataFrame(
        {
            "change": change,
            "is_a": is_a,
            "baseline": baseline,
            "cohort": cohort,
            "family": family,
        }
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_adjusted_difference_is_statsmodels_ols(seed):
    df = _data(seed, couples=False)
    ours = adjusted.adjusted_difference(
        df["change"].to_numpy(), df["baseline"].to_numpy(), df["is_a"].to_numpy(), labels=LABELS
    )
    fit = smf.ols("change ~ is_a + baseline", df).fit()
    low, high = fit.conf_int().loc["is_a"]
    assert ours["estimate"] == pytest.approx(fit.params["is_a"], abs=1e-6)
    assert (ours["ci95_low"], ours["ci95_high"]) == (
        pytest.approx(low, abs=1e-6),
        pytest.approx(high, abs=1e-6),
    )
    assert ours["p"] == pytest.approx(fit.pvalues["is_a"], abs=1e-6)
    assert (ours["n_a"], ours["n_b"]) == (int(df["is_a"].sum()), int((1 - df["is_a"]).sum()))
    assert "95% interval" in ours["note"]


@pytest.mark.parametrize("couples", [False, True])
def test_the_mixed_model_is_statsmodels_mixedlm(couples):
    df = _data(7, couples=couples)
    ours = adjusted.mixed_difference(
        df["change"].to_numpy(),
        df["baseline"].to_numpy(),
        df["is_a"].to_numpy(),
        df["cohort"].to_numpy(),
        df["family"].to_numpy(),
        labels=LABELS,
    )
    model = smf.mixedlm(
        "change ~ is_a + baseline",
        df,
        groups=df["cohort"],
        vc_formula={"family": "0 + C(family)"} if couples else None,
    )
    fit = model.fit(reml=True)
    low, high = fit.conf_int().loc["is_a"]
    assert ours["estimate"] == pytest.approx(fit.params["is_a"], abs=1e-6)
    assert ours["ci95_low"] == pytest.approx(low, abs=1e-6)
    assert ours["ci95_high"] == pytest.approx(high, abs=1e-6)
    assert ours["families_within_cohorts"] is couples
    assert ours["cohorts"] == 8


def test_too_few_for_a_model_says_so():
    ours = adjusted.mixed_difference(
        np.ones(3), np.ones(3), np.array([1.0, 0, 0]), np.zeros(3), np.arange(3), labels=LABELS
    )
    assert ours["estimate"] is None and "Too few" in ours["note"]


def test_attrition_is_welchs_test():
    rng = np.random.default_rng(5)
    completers, dropouts = rng.normal(11, 4, 80), rng.normal(13, 5, 25)
    ours = adjusted.attrition(completers, dropouts)
    theirs = stats.ttest_ind(completers, dropouts, equal_var=False)
    assert ours["difference"] == pytest.approx(completers.mean() - dropouts.mean(), abs=1e-9)
    assert ours["t"] == pytest.approx(theirs.statistic, abs=1e-9)
    assert ours["p"] == pytest.approx(theirs.pvalue, abs=1e-9)
    assert (ours["n_completers"], ours["n_pre_only"]) == (80, 25)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 40), (17, 120), (50, 50)])
def test_wilson_intervals_match_the_formula(k, n):
    z = stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = adjusted.wilson(k, n)
    assert low == pytest.approx(max(0.0, centre - half), abs=1e-9)
    assert high == pytest.approx(min(1.0, centre + half), abs=1e-9)
    assert adjusted.wilson(0, 0) is None


def test_small_cells_are_suppressed_everywhere():
    change = np.array([-2.0, -1, -3, -2, -1, 0, -4, -2])
    out = adjusted.instrument_analyses(
        change=change,
        baseline=np.full(8, 12.0),
        mode=np.array([0, 0, 0, 0, 0, 1, 1, 1]),
        cohort=np.array([1, 1, 2, 2, 3, 4, 4, 5]),
        family=np.arange(8),
        components=np.array([2, 5, 5, 5, 5, 5, 9, 9]),
        watched=np.full(8, np.nan),
        pre_only_baseline=np.array([14.0]),
        pre_only_mode=np.array([0]),
        mode_keys=["face_to_face", "remote", "blended"],
        mode_labels={},
        mode_a="face_to_face",
        mode_b="remote",
        dose_bands=[("0-3", 0, 3), ("4-6", 4, 6), ("7-11", 7, 11)],
        min_n=5,
        mixed_model=True,
    )
    assert out["adjusted"] == {"n": 8, "n_a": 5, "n_b": 3, "suppressed": True}
    assert out["mixed"]["suppressed"] is True and "estimate" not in out["mixed"]
    dose = {row["band"]: row for row in out["by_dose"]}
    assert dose["4-6"]["suppressed"] is False and dose["4-6"]["n"] == 5
    assert dose["0-3"] == {"band": "0-3", "n": 1, "suppressed": True}
    assert all(row["suppressed"] for _, row in out["attrition"])  # one dropout only
