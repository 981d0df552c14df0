"""Enrolment-weighted dispersion (差异系数): one grouped implementation, used by the assessment.

For the n units of one group (one county and level) with indicator values X_i and pupils P_i,
P = Σ P_i:

    X̄  = Σ (P_i / P) · X_i                      weighted mean (= county total resource / P)
    S  = sqrt( Σ (P_i / P) · (X_i − X̄)² )       weighted SD, population form (no n − 1)
    CV = S / X̄                                   差异系数 (undefined when X̄ = 0)
    c_i = (P_i / P) · (X_i − X̄)² / S²           unit i's share of the variance (sums to 1)

:func:`grouped_weighted_stats` evaluates these for every group at once (numpy bincount over an
integer group id); :func:`junheng.core.assess.assess` calls it, and the 1-D functions below are
thin wrappers over it (one group), so the documented, tested code is the code that runs.

Before squaring, each group's values are divided by a power of two near their largest magnitude
(exact in binary floating point), so that tiny values (say 1e-160 books per pupil) do not
underflow to 0 in (X_i − X̄)²; for ordinary values the results are bit-for-bit those of the
unscaled formulas.

References
----------
教督〔2012〕3号《县域义务教育均衡发展督导评估暂行办法》及其指标说明 (the formulas; docs/rules.md §1);
the worked example of the method notes (docs/rules.md §5.1): books per pupil of 5 primary schools,
CV = 0.515257 (published 0.52).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GroupedStats:
    """Weighted statistics of g groups over n units (arrays; see :func:`grouped_weighted_stats`).

    total: shape (g,), Σ P_i per group; mean, var, sd: shape (g,), X̄, S², S; cv: shape (g,),
    S / X̄, NaN where X̄ = 0 (undefined); shares: shape (n,), c_i (0 for every unit of a group with
    S = 0, as for a group whose values are all equal). sd, cv and shares are computed on scaled values and stay exact to rounding for any
    finite input; var (= S²) alone may underflow to 0 or overflow to inf for values below about
    1e-154 or above 1e154.
    """

    total: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    sd: np.ndarray
    cv: np.ndarray
    shares: np.ndarray


def check_units(gid: np.ndarray, w: np.ndarray, x: np.ndarray | None = None) -> int:
    """Validate grouped input and return the number of groups g (max id + 1).

    gid: shape (n,), integer ids ≥ 0; w: shape (n,), pupils, finite and ≥ 0; x: shape (n,),
    finite values, or None to check ids and weights alone (analysis/measures.py checks its
    values later, one indicator at a time). Raises ValueError for mismatched shapes, no units,
    negative or non-integer ids, negative or non-finite weights, non-finite values. The one
    input check of every weighted statistic (core and analysis/).
    """
    arrays = (gid, w) if x is None else (gid, w, x)
    if any(a.ndim != 1 for a in arrays) or len({a.shape for a in arrays}) != 1:
        raise ValueError("group ids, weights and values must be 1-D arrays of the same length")
    if w.size == 0:
        raise ValueError("no units: the weighted statistics need at least one unit")
    if not np.issubdtype(gid.dtype, np.integer) or gid.min() < 0:
        raise ValueError("group ids must be non-negative integers")
    if np.any(w < 0) or not np.isfinite(w).all():
        raise ValueError("weights (pupils) must be finite and non-negative")
    if x is not None and not np.isfinite(x).all():
        raise ValueError("values must be finite")
    return int(gid.max()) + 1


def group_totals(gid: np.ndarray, w: np.ndarray, g: int) -> np.ndarray:
    """Σ P_i per group, shape (g,); raises ValueError when a group's weights sum to 0 (or an id
    between 0 and g − 1 is unused): a CV needs pupils in every group."""
    total = np.bincount(gid, weights=w, minlength=g)
    if np.any(total <= 0):
        raise ValueError("every group needs pupils: a group's weights sum to 0 (or a group id is unused)")
    return total


def grouped_weighted_stats(gid: np.ndarray, weights: np.ndarray, values: np.ndarray) -> GroupedStats:
    """Enrolment-weighted mean, variance, SD, CV (差异系数) and variance shares per group.

    gid: shape (n,), integer group id per unit, 0 … g−1 (every id must occur); weights: shape (n,),
    pupils P_i ≥ 0; values: shape (n,), the indicator X_i (any unit: ㎡, 元, persons per pupil or
    per 100 pupils). Two passes (mean, then squared deviations), population form.
    Raises ValueError for mismatched shapes, no units, negative or non-integer group ids,
    negative or non-finite weights, non-finite values, or a group whose weights sum to 0.

    Example (docs/rules.md §5.1, books per pupil of five primary schools):

    >>> pupils = np.array([45, 37, 89, 76, 55])
    >>> books = np.array([279, 137, 935, 160, 402])
    >>> s = grouped_weighted_stats(np.zeros(5, dtype=int), pupils, books / pupils)
    >>> print(f"{s.mean[0]:.6f} {s.var[0]:.6f} {s.sd[0]:.6f} {s.cv[0]:.6f}")
    6.334437 10.652787 3.263861 0.515257
    >>> round(float(s.shares.sum()), 12)
    1.0

    References
    ----------
    教督〔2012〕3号 及其指标说明 (weighted mean, SD and 差异系数; docs/rules.md §1); worked example
    docs/rules.md §5.1 (published CV 0.52). The variance shares c_i are this project's trace
    (docs/rules.md §1), not part of the official method.
    """
    gid = np.asarray(gid)
    w = np.asarray(weights, dtype=np.float64)
    x = np.asarray(values, dtype=np.float64)
    g = check_units(gid, w, x)
    total = group_totals(gid, w, g)
    wn = w / total[gid]  # P_i / P
    mean = np.bincount(gid, weights=wn * x, minlength=g)
    lo, hi = np.full(g, np.inf), np.full(g, -np.inf)
    np.minimum.at(lo, gid, x)
    np.maximum.at(hi, gid, x)
    same = lo == hi
    mean[same] = hi[same]  # equal values: X̄ is that value exactly (Σ (P_i/P)·X_i can be off by an ulp)
    # power-of-two scale per group (exact): keeps (X_i − X̄)² clear of underflow for tiny values
    big = np.maximum(np.abs(lo), np.abs(hi))
    _, exp = np.frexp(big)
    exp = np.maximum(exp, -1000)  # 2**1000 is finite; subnormal values are scaled as far as that
    scale = np.ldexp(1.0, -exp)  # 2**-e, with big · scale in [0.5, 1); 1 for an all-zero group
    ys = scale[gid]
    dev2 = wn * ((x - mean[gid]) * ys) ** 2
    var_s = np.bincount(gid, weights=dev2, minlength=g)  # S² · scale²
    vs = var_s[gid]
    shares = np.divide(dev2, vs, out=np.zeros_like(dev2), where=vs > 0)
    sd_s = np.sqrt(var_s)
    mean_s = mean * scale
    cv = np.divide(sd_s, mean_s, out=np.full(g, np.nan), where=mean_s != 0)
    with np.errstate(over="ignore", under="ignore"):  # S² itself may leave the double range
        var = np.ldexp(var_s, 2 * exp)
    return GroupedStats(total, mean, var, np.ldexp(sd_s, exp), cv, shares)


def _one(values: Sequence[float], weights: Sequence[float]) -> GroupedStats:
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.shape != w.shape or x.ndim != 1:
        raise ValueError("values and weights must be 1-D arrays of the same length")
    return grouped_weighted_stats(np.zeros(x.shape, dtype=np.int64), w, x)


def weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    """Enrolment-weighted mean X̄ = Σ (P_i/P) X_i of one group (:func:`grouped_weighted_stats`).

    values: shape (n,), the indicator per unit; weights: shape (n,), pupils per unit (≥ 0, sum > 0).
    Raises ValueError on empty input, mismatched shapes or invalid weights.

    >>> weighted_mean([279 / 45, 137 / 37], [45, 37]) == (279 + 137) / (45 + 37)
    True

    References
    ----------
    教督〔2012〕3号 及其指标说明 (docs/rules.md §1).
    """
    return float(_one(values, weights).mean[0])


def weighted_variance(values: Sequence[float], weights: Sequence[float]) -> float:
    """Population-form weighted variance S² = Σ (P_i/P)(X_i − X̄)² of one group (no n − 1).

    Shapes and errors as :func:`weighted_mean`.

    References
    ----------
    教督〔2012〕3号 及其指标说明 (docs/rules.md §1).
    """
    return float(_one(values, weights).var[0])


def weighted_sd(values: Sequence[float], weights: Sequence[float]) -> float:
    """Weighted standard deviation S = sqrt(S²) of one group; see :func:`weighted_variance`.

    References
    ----------
    教督〔2012〕3号 及其指标说明 (docs/rules.md §1).
    """
    return float(_one(values, weights).sd[0])


def weighted_cv(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """Enrolment-weighted coefficient of variation (差异系数) CV = S / X̄ of one group.

    Returns None when X̄ = 0 (the CV is undefined; callers must report it, never print 0 or NaN).
    One unit gives 0. Shapes and errors as :func:`weighted_mean`.

    >>> round(weighted_cv([279/45, 137/37, 935/89, 160/76, 402/55], [45, 37, 89, 76, 55]), 6)
    0.515257

    References
    ----------
    教督〔2012〕3号 及其指标说明 (docs/rules.md §1); worked example docs/rules.md §5.1.
    """
    cv = _one(values, weights).cv[0]
    return None if np.isnan(cv) else float(cv)


def unweighted_cv(values: Sequence[float]) -> float | None:
    """Plain population CV (each school weight 1). NOT the official method; kept to show the error
    of tools that ignore enrolment.

    >>> round(unweighted_cv([279/45, 137/37, 935/89, 160/76, 402/55]), 6)
    0.488771

    References
    ----------
    docs/rules.md §5.1 (0.488771 instead of the official 0.515257).
    """
    x = np.asarray(values, dtype=float)
    return weighted_cv(x, np.ones_like(x))


def variance_contributions(values: Sequence[float], weights: Sequence[float]) -> np.ndarray:
    """Each unit's share of the weighted variance, c_i = (P_i/P)(X_i − X̄)² / S², shape (n,).

    The shares sum to 1; all zeros when S = 0. Shapes and errors as :func:`weighted_mean`.
    Used to name the schools that pull a CV most (calculation trace, :mod:`junheng.core.trace`).

    References
    ----------
    This project's trace (docs/rules.md §1); S² as 教督〔2012〕3号 及其指标说明.
    """
    return _one(values, weights).shares
