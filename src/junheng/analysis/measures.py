"""Pupil-weighted equity measures beyond the 差异系数, one function per measure (pure numpy).

For one county, one level and one indicator: units i = 1…n with value x_i (the indicator value,
per pupil or per 100 pupils) and weight w_i = P_i (the unit's pupils); W = Σ w_i and
x̄ = Σ w_i x_i / W. "Pupil-weighted" means every pupil counts once: a unit of 500 pupils weighs as
500 units of 1 (the tests check exactly that against PySAL ``inequality`` on replicated units).

Every function takes ``x`` and ``w`` as 1-D arrays of equal length n ≥ 1 (w ≥ 0, Σ w > 0, all
finite) and returns a float, or None where the measure is undefined (x̄ = 0, a zero value for
Theil L, q05 = 0 for the range ratio): never 0 or NaN in its place. They raise ValueError on
empty, mismatched or invalid input.

References
----------
- Berne, R. & Stiefel, L. (1984). *The Measurement of Equity in School Finance*. Johns Hopkins
  University Press (Gini, McLoone, federal range ratio, restricted range).
- Odden, A. & Picus, L. *School Finance: A Policy Perspective* (McLoone and Verstegen indices).
- Theil, H. (1967). *Economics and Information Theory*. North-Holland (Theil T and L and their
  between/within decomposition).
- The project's definitions: docs/equity.md (pupil-weighted forms, the weighted quantile, the
  decomposition and the null rules).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Relative slack when comparing a cumulative weight with p · W (absorbs float rounding of p · W).
QUANTILE_SLACK = 1e-12


def _arrays(values: Sequence[float], weights: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    if x.shape != w.shape or x.ndim != 1:
        raise ValueError("values and weights must be 1-D arrays of the same length")
    if x.size == 0:
        raise ValueError("no units: the measures need at least one unit")
    if not (np.isfinite(x).all() and np.isfinite(w).all()) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("values must be finite; weights (pupils) finite, non-negative and not all zero")
    return x, w


def _mean(x: np.ndarray, w: np.ndarray) -> float:
    return float(np.dot(w, x) / w.sum())


def gini(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """基尼系数 G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² x̄); None when x̄ = 0.

    Evaluated in O(n log n) on the values sorted ascending: Σ_{i<j} w_i w_j (x_j − x_i) =
    Σ_j w_j x_j C_j − Σ_j w_j D_j with C_j = Σ_{i<j} w_i and D_j = Σ_{i<j} w_i x_i (ties add 0).
    Shapes and errors: module docstring. Source: Berne & Stiefel (1984); docs/equity.md.
    """
    x, w = _arrays(values, weights)
    m = _mean(x, w)
    if m == 0:
        return None
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order]
    c = np.cumsum(ws) - ws
    d = np.cumsum(ws * xs) - ws * xs
    pairs = float(np.dot(ws * xs, c) - np.dot(ws, d))
    return max(pairs, 0.0) / float(w.sum() ** 2 * m)


def theil_t(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """泰尔指数 T (GE(1)): T = Σ (w_i/W)(x_i/x̄) ln(x_i/x̄); a term with x_i = 0 is 0; None when x̄ = 0.

    Shapes and errors: module docstring. Source: Theil (1967); docs/equity.md.
    """
    x, w = _arrays(values, weights)
    m = _mean(x, w)
    if m == 0:
        return None
    r = x / m
    terms = np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)
    return float(np.dot(w / w.sum(), terms))


def theil_l(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """泰尔指数 L (GE(0), mean log deviation): L = Σ (w_i/W) ln(x̄/x_i); None if any x_i = 0 (or x̄ = 0).

    Units of weight 0 do not count (their term is 0). Shapes and errors: module docstring.
    Source: Theil (1967); docs/equity.md.
    """
    x, w = _arrays(values, weights)
    x, w = x[w > 0], w[w > 0]
    m = _mean(x, w)
    if m == 0 or np.any(x <= 0):
        return None
    return float(np.dot(w / w.sum(), np.log(m / x)))


def weighted_quantile(values: Sequence[float], weights: Sequence[float], p: float) -> float:
    """Weighted quantile q_p: the smallest x_k whose cumulative weight Σ_{x_i ≤ x_k} w_i ≥ p · W.

    p in [0, 1]; units sorted by x (ties in any order give the same value). q_0.5 is the weighted
    median m. Raises ValueError for p outside [0, 1]. Source: docs/equity.md.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must lie in [0, 1]")
    x, w = _arrays(values, weights)
    order = np.argsort(x, kind="stable")
    cw = np.cumsum(w[order])
    k = int(np.searchsorted(cw, p * w.sum() * (1 - QUANTILE_SLACK), side="left"))
    return float(x[order][min(k, x.size - 1)])


def mcloone(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """McLoone 指数 Σ_{x_i ≤ m} w_i x_i / (m · Σ_{x_i ≤ m} w_i), m the weighted median; None when m = 0.

    1 means every unit below the median is at the median. Source: Odden & Picus; docs/equity.md.
    """
    x, w = _arrays(values, weights)
    m = weighted_quantile(x, w, 0.5)
    if m == 0:
        return None
    low = x <= m
    return float(np.dot(w[low], x[low]) / (m * w[low].sum()))


def verstegen(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """Verstegen 指数 Σ_{x_i ≥ m} w_i x_i / (m · Σ_{x_i ≥ m} w_i), m the weighted median; None when m = 0.

    Source: Odden & Picus; docs/equity.md.
    """
    x, w = _arrays(values, weights)
    m = weighted_quantile(x, w, 0.5)
    if m == 0:
        return None
    high = x >= m
    return float(np.dot(w[high], x[high]) / (m * w[high].sum()))


def restricted_range(values: Sequence[float], weights: Sequence[float]) -> float:
    """限制性极差 q95 − q05 (weighted quantiles). Source: Berne & Stiefel (1984); docs/equity.md."""
    return weighted_quantile(values, weights, 0.95) - weighted_quantile(values, weights, 0.05)


def range_ratio(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """联邦极差率 (federal range ratio) (q95 − q05) / q05; None when q05 = 0.

    Source: Berne & Stiefel (1984); docs/equity.md.
    """
    q05 = weighted_quantile(values, weights, 0.05)
    if q05 == 0:
        return None
    return (weighted_quantile(values, weights, 0.95) - q05) / q05


def cv(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """差异系数 CV = S / x̄, the enrolment-weighted coefficient of variation of the assessment.

    Delegates to :func:`junheng.core.dispersion.weighted_cv` (one implementation), so it equals
    the assessment's CV. None when x̄ = 0. Source: 教督〔2012〕3号; docs/equity.md.
    """
    from ..core.dispersion import weighted_cv

    x, w = _arrays(values, weights)
    return weighted_cv(x, w)


#: The measures in the order of the JSON contract: code → function.
MEASURES = {
    "gini": gini, "theil_t": theil_t, "theil_l": theil_l, "mcloone": mcloone, "verstegen": verstegen,
    "range_ratio": range_ratio, "restricted_range": restricted_range, "cv": cv,
}


def measures(values: Sequence[float], weights: Sequence[float]) -> dict[str, float | None]:
    """Every measure of :data:`MEASURES` for one set of units: code → value (None where undefined)."""
    x, w = _arrays(values, weights)
    return {code: fn(x, w) for code, fn in MEASURES.items()}


def theil_decomposition(values: Sequence[float], weights: Sequence[float],
                        groups: Sequence[object]) -> dict[str, dict[str, float | None] | None]:
    """Between/within decomposition of Theil T and L over a grouping (township, urban–rural class).

    groups: shape (n,), one label per unit (missing labels are the caller's ``未填`` group).
    With W_g, x̄_g, T_g, L_g computed within group g:

        T = Σ_g s_g T_g  +  Σ_g s_g ln(x̄_g / x̄),   s_g = W_g x̄_g / (W x̄)   (within, between)
        L = Σ_g (W_g/W) L_g  +  Σ_g (W_g/W) ln(x̄ / x̄_g)                   (within, between)

    and between_share = between / total (None when the total is 0). Returns
    ``{"theil_t": {"within", "between", "between_share"} | None, "theil_l": … | None}``: None where
    the measure itself is undefined (x̄ = 0; a zero value for L). A group whose mean is 0 has
    s_g = 0 and contributes nothing to T. Source: Theil (1967); docs/equity.md.
    """
    x, w = _arrays(values, weights)
    labels = np.asarray(groups, dtype=object)
    if labels.shape != x.shape:
        raise ValueError("groups must have one label per unit")
    m, big_w = _mean(x, w), w.sum()
    _, gid = np.unique(labels.astype(str), return_inverse=True)
    wg = np.bincount(gid, weights=w)
    keep = wg > 0
    mg = np.divide(np.bincount(gid, weights=w * x), wg, out=np.zeros_like(wg), where=keep)
    out: dict[str, dict[str, float | None] | None] = {"theil_t": None, "theil_l": None}
    if m != 0:
        total = theil_t(x, w)
        sg = wg * mg / (big_w * m)
        tg = np.array([theil_t(x[gid == g], w[gid == g]) or 0.0 if keep[g] else 0.0 for g in range(wg.size)])
        within = float(np.dot(sg, tg))
        pos = sg > 0
        between = float(np.dot(sg[pos], np.log(mg[pos] / m)))
        out["theil_t"] = _parts(within, between, total)
    total_l = theil_l(x, w)
    if total_l is not None:
        lg = np.array([theil_l(x[gid == g], w[gid == g]) if keep[g] else 0.0 for g in range(wg.size)])
        share = wg / big_w
        within = float(np.dot(share[keep], lg[keep]))
        between = float(np.dot(share[keep], np.log(m / mg[keep])))
        out["theil_l"] = _parts(within, between, total_l)
    return out


def _parts(within: float, between: float, total: float) -> dict[str, float | None]:
    return {"within": within, "between": between, "between_share": None if total == 0 else between / total}
