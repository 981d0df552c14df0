"""Enrolment-weighted dispersion measures (差异系数), one function per measure.

Source of every formula: 教督〔2012〕3号 and its 说明 (RULES.md §1), the worked example of the
method notes (RULES.md §5.1). For n units with indicator values X_i and pupils P_i, P = Σ P_i:

    X̄  = Σ (P_i / P) · X_i                      weighted mean (= county total resource / P)
    S  = sqrt( Σ (P_i / P) · (X_i − X̄)² )       weighted SD, population form (no n − 1)
    CV = S / X̄                                   差异系数
    c_i = (P_i / P) · (X_i − X̄)² / S²           unit i's share of the variance (sums to 1)

The functions below take 1-D arrays of equal length n; :mod:`junheng.core.assess` evaluates the
same formulas for every county and level at once (numpy bincount over group ids), and the tests
check that both agree.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def _arrays(values: Sequence[float], weights: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if x.shape != w.shape or x.ndim != 1:
        raise ValueError("values and weights must be 1-D arrays of the same length")
    if x.size == 0:
        raise ValueError("no units: the weighted statistics need at least one unit")
    if np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
        raise ValueError("weights (pupils) must be finite, non-negative and not all zero")
    return x, w


def weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    """Enrolment-weighted mean X̄ = Σ (P_i/P) X_i.

    values: shape (n,), the indicator per unit; weights: shape (n,), pupils per unit (≥ 0, sum > 0).
    Raises ValueError on empty input, mismatched shapes or invalid weights. Source: 教督〔2012〕3号 说明.
    """
    x, w = _arrays(values, weights)
    return float(np.dot(w / w.sum(), x))


def weighted_variance(values: Sequence[float], weights: Sequence[float]) -> float:
    """Population-form weighted variance S² = Σ (P_i/P)(X_i − X̄)² (two-pass, no n − 1).

    Shapes and errors as :func:`weighted_mean`. Source: 教督〔2012〕3号 说明 (RULES.md §1).
    """
    x, w = _arrays(values, weights)
    p = w / w.sum()
    m = float(np.dot(p, x))
    return float(np.dot(p, (x - m) ** 2))


def weighted_sd(values: Sequence[float], weights: Sequence[float]) -> float:
    """Weighted standard deviation S = sqrt(S²); see :func:`weighted_variance`."""
    return math.sqrt(weighted_variance(values, weights))


def weighted_cv(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """Enrolment-weighted coefficient of variation (差异系数) CV = S / X̄.

    Returns None when X̄ = 0 (the CV is undefined; callers must report it, never print 0 or NaN).
    One unit gives 0. Shapes and errors as :func:`weighted_mean`. Source: 教督〔2012〕3号 说明;
    worked example RULES.md §5.1 gives 0.515257 for books per pupil.
    """
    m = weighted_mean(values, weights)
    if m == 0:
        return None
    return weighted_sd(values, weights) / m


def unweighted_cv(values: Sequence[float]) -> float | None:
    """Plain population CV (each school weight 1). NOT the official method; kept to show the error
    of tools that ignore enrolment (RULES.md §5.1: 0.488771 instead of 0.515257)."""
    x = np.asarray(values, dtype=float)
    return weighted_cv(x, np.ones_like(x))


def variance_contributions(values: Sequence[float], weights: Sequence[float]) -> np.ndarray:
    """Each unit's share of the weighted variance, c_i = (P_i/P)(X_i − X̄)² / S², shape (n,).

    The shares sum to 1; all zeros when S = 0. Shapes and errors as :func:`weighted_mean`.
    Used to name the schools that pull a CV most (calculation trace).
    """
    x, w = _arrays(values, weights)
    p = w / w.sum()
    d = p * (x - np.dot(p, x)) ** 2
    s2 = d.sum()
    return d / s2 if s2 > 0 else np.zeros_like(d)
