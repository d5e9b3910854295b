"""Estimates beyond the raw comparison (pure: numpy, scipy and statsmodels, no Django).

- ``adjusted_difference``: change regressed on delivered mode and baseline score (OLS), the
  mode coefficient being the difference in change between two modes for participants who
  started at the same score, with its 95% interval.
- ``mixed_difference``: the same model with a random intercept per cohort (and a variance
  component per family where both parents answered): families and cohorts are not
  independent observations, so this is the sensitivity analysis.
- ``attrition``: the baseline of those who answered before and after (completers) beside
  those who answered only before, with Welch's test: does dropout bias the result?
- ``by_band``: mean change per dose band (or any banding), each with its n.
- ``wilson``: a proportion's 95% Wilson interval.

Each result carries its n and a plain-English note; callers suppress small cells.
"""

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from babysteps.core.lazy import lazy

if TYPE_CHECKING:
    import pandas as pd
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    import statsmodels.stats.proportion as proportion
    import statsmodels.tools.sm_exceptions as sm_exceptions
    from scipy import stats
else:  # loaded on first use (core/lazy.py): most processes never need them
    pd = lazy("pandas")
    sm = lazy("statsmodels.api")
    smf = lazy("statsmodels.formula.api")
    proportion = lazy("statsmodels.stats.proportion")
    sm_exceptions = lazy("statsmodels.tools.sm_exceptions")
    stats = lazy("scipy.stats")


def _finite(value: Any) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def adjusted_difference(
    change: np.ndarray, baseline: np.ndarray, is_a: np.ndarray, *, labels: tuple[str, str]
) -> dict[str, Any]:
    """OLS: change = b0 + b1 * is_a + b2 * baseline. ``b1`` is mode A minus mode B."""
    change, baseline = np.asarray(change, float), np.asarray(baseline, float)
    is_a = np.asarray(is_a, float)
    n_a, n_b = int(is_a.sum()), int(is_a.size - is_a.sum())
    out: dict[str, Any] = {"n": int(change.size), "n_a": n_a, "n_b": n_b}
    if n_a < 2 or n_b < 2 or change.size < 4:
        return out | {"estimate": None, "note": "Too few completers in one of the modes."}
    design = np.column_stack([np.ones(change.size), is_a, baseline])
    fit = sm.OLS(change, design).fit()
    low, high = fit.conf_int(0.05)[1]
    estimate = float(fit.params[1])
    return out | {
        "estimate": estimate,
        "ci95_low": float(low),
        "ci95_high": float(high),
        "p": _finite(fit.pvalues[1]),
        "note": _note(estimate, low, high, labels, "after allowing for the baseline score"),
    }


def mixed_difference(
    change: np.ndarray,
    baseline: np.ndarray,
    is_a: np.ndarray,
    cohort: np.ndarray,
    family: np.ndarray,
    *,
    labels: tuple[str, str],
) -> dict[str, Any]:
    """MixedLM (REML): the same fixed effects, a random intercept per cohort, and a
    variance component per family within cohort when some family has both parents."""
    frame = pd.DataFrame(
        {
            "change": np.asarray(change, float),
            "is_a": np.asarray(is_a, float),
            "baseline": np.asarray(baseline, float),
            "cohort": np.asarray(cohort),
            "family": np.asarray(family),
        }
    )
    n_a = int(frame["is_a"].sum())
    out: dict[str, Any] = {
        "n": len(frame),
        "n_a": n_a,
        "n_b": len(frame) - n_a,
        "cohorts": int(frame["cohort"].nunique()),
    }
    if out["n_a"] < 2 or out["n_b"] < 2 or out["cohorts"] < 2:
        return out | {"estimate": None, "note": "Too few completers or cohorts for the model."}
    both_parents = bool(frame["family"].duplicated().any())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", sm_exceptions.ConvergenceWarning)
        fit = mixed_fit(frame, both_parents=both_parents)
    low, high = fit.conf_int().loc["is_a"]
    estimate = float(fit.params["is_a"])
    converged = bool(fit.converged) and not any(
        issubclass(w.category, sm_exceptions.ConvergenceWarning) for w in caught
    )
    return out | {
        "estimate": estimate,
        "ci95_low": float(low),
        "ci95_high": float(high),
        "p": _finite(fit.pvalues["is_a"]),
        "families_within_cohorts": both_parents,
        "converged": converged,
        "note": _note(
            estimate,
            low,
            high,
            labels,
            "allowing for the baseline score and for participants of one cohort"
            + (" (and parents of one family)" if both_parents else "")
            + " being alike",
        )
        + ("" if converged else " The model did not fully converge: read it with care."),
    }


def mixed_fit(frame: "pd.DataFrame", *, both_parents: bool) -> Any:
    """The model as fitted (also what the tests re-fit independently)."""
    model = smf.mixedlm(
        "change ~ is_a + baseline",
        frame,
        groups=frame["cohort"],
        vc_formula={"family": "0 + C(family)"} if both_parents else None,
    )
    return model.fit(reml=True)


def _note(estimate: float, low: float, high: float, labels: tuple[str, str], how: str) -> str:
    a, b = labels
    direction = "more" if estimate > 0 else "less"
    crosses = low <= 0 <= high
    return (
        f"{how.capitalize()}, the score changed by {abs(estimate):.2f} points {direction} "
        f"with {a} than with {b} (95% interval {low:.2f} to {high:.2f}). "
        + (
            "The interval includes no difference: the data do not show that one mode works better."
            if crosses
            else "The interval excludes no difference."
        )
    )


def attrition(completers: np.ndarray, pre_only: np.ndarray) -> dict[str, Any]:
    """Baseline of completers and of those with a pre but no post, with Welch's test."""
    completers, pre_only = np.asarray(completers, float), np.asarray(pre_only, float)
    out: dict[str, Any] = {
        "n_completers": int(completers.size),
        "n_pre_only": int(pre_only.size),
        "completers_mean": _finite(completers.mean()) if completers.size else None,
        "pre_only_mean": _finite(pre_only.mean()) if pre_only.size else None,
        "difference": None,
        "t": None,
        "df": None,
        "p": None,
    }
    if completers.size >= 2 and pre_only.size >= 2:
        test = stats.ttest_ind(completers, pre_only, equal_var=False)
        out["difference"] = float(completers.mean() - pre_only.mean())
        out["t"] = _finite(test.statistic)
        out["df"] = _finite(test.df)
        out["p"] = _finite(test.pvalue)
    return out


def by_band(change: np.ndarray, bands: np.ndarray, order: list[str]) -> list[dict[str, Any]]:
    """Mean change (and SD) per band, in the given order, each with its n."""
    change, bands = np.asarray(change, float), np.asarray(bands, dtype=object)
    rows = []
    for band in order:
        mine = change[bands == band]
        rows.append(
            {
                "band": band,
                "n": int(mine.size),
                "mean_change": _finite(mine.mean()) if mine.size else None,
                "sd_change": _finite(mine.std(ddof=1)) if mine.size > 1 else None,
            }
        )
    return rows


def wilson(k: int, n: int) -> tuple[float, float] | None:
    if n <= 0:
        return None
    low, high = proportion.proportion_confint(k, n, alpha=0.05, method="wilson")
    return float(low), float(high)


# What a suppressed cell still shows: its counts and its name, never a figure.
KEPT_WHEN_SUPPRESSED = {"n", "n_a", "n_b", "n_completers", "n_pre_only", "cohorts", "band"}
VIDEO_BANDS = ["No remote calls with it recorded", "Under half", "Half or more"]


def _suppressed(figures: dict[str, Any], ns: list[int], min_n: int) -> dict[str, Any]:
    if min(ns, default=0) >= min_n:
        return figures | {"suppressed": False}
    kept = {k: v for k, v in figures.items() if k in KEPT_WHEN_SUPPRESSED}
    return kept | {"suppressed": True}


def instrument_analyses(
    *,
    change: np.ndarray,
    baseline: np.ndarray,
    mode: np.ndarray,
    cohort: np.ndarray,
    family: np.ndarray,
    components: np.ndarray,
    watched: np.ndarray,
    pre_only_baseline: np.ndarray,
    pre_only_mode: np.ndarray,
    mode_keys: list[str],
    mode_labels: dict[str, str],
    mode_a: str,
    mode_b: str,
    dose_bands: list[tuple[str, int, int]],
    min_n: int,
    mixed_model: bool = False,
) -> dict[str, Any]:
    """Everything beyond the raw figures for one instrument's completers (arrays aligned:
    one element per completer; modes as indexes into ``mode_keys``, -1 for none). Every
    cell with fewer than ``min_n`` is suppressed."""
    out: dict[str, Any] = {}
    labels = (mode_labels.get(mode_a, mode_a), mode_labels.get(mode_b, mode_b))
    if mode_a in mode_keys and mode_b in mode_keys and mode_a != mode_b:
        a, b = mode_keys.index(mode_a), mode_keys.index(mode_b)
        two = (mode == a) | (mode == b)
        is_a = (mode[two] == a).astype(float)
        ns = [int(is_a.sum()), int(is_a.size - is_a.sum())]
        out["adjusted"] = _suppressed(
            adjusted_difference(change[two], baseline[two], is_a, labels=labels), ns, min_n
        )
        # The mixed model costs seconds at national scale: asked for, not on every view.
        if mixed_model and not out["adjusted"]["suppressed"]:
            mixed = mixed_difference(
                change[two], baseline[two], is_a, cohort[two], family[two], labels=labels
            )
            out["mixed"] = _suppressed(mixed, ns, min_n)
        elif mixed_model:
            out["mixed"] = _suppressed({"n_a": ns[0], "n_b": ns[1]}, ns, min_n)
    band_of = np.full(components.size, "", dtype=object)
    for label, low, high in dose_bands:
        band_of[(components >= low) & (components <= high)] = label
    out["by_dose"] = [
        _suppressed(row, [row["n"]], min_n)
        for row in by_band(change, band_of, [label for label, _, _ in dose_bands])
    ]
    video_of = np.where(
        np.isnan(watched), VIDEO_BANDS[0], np.where(watched < 0.5, VIDEO_BANDS[1], VIDEO_BANDS[2])
    )
    out["by_videos"] = [
        _suppressed(row, [row["n"]], min_n) for row in by_band(change, video_of, VIDEO_BANDS)
    ]
    attrition_rows = [("All", attrition(baseline, pre_only_baseline))]
    for n, key in enumerate(mode_keys):
        attrition_rows.append(
            (
                mode_labels.get(key, key),
                attrition(baseline[mode == n], pre_only_baseline[pre_only_mode == n]),
            )
        )
    out["attrition"] = [
        (label, _suppressed(row, [row["n_completers"], row["n_pre_only"]], min_n))
        for label, row in attrition_rows
    ]
    return out
