"""The cone phase of ``min-cost``: when the CV conditions bind (docs/plan.md §3).

1. Bound: the continuous relaxation of the whole problem (decisions and the 6-of-7 binaries
   relaxed to intervals, every CV condition an exact second-order cone) solved by Clarabel
   through cvxpy; its optimum is a proven lower bound of the least cost.
2. Plan: the indicators each unit meets are fixed as in the MILP solution without the CVs
   (plan/solve.py), the continuous cone program (Clarabel) gives the cheapest point y° meeting
   them and every CV cap; then the integer program (HiGHS) with the fixed unit rows and the
   outer-approximation cuts S(y°) + ∇S(y°)·(y − y°) ≤ c·x̄(y) is solved, cuts being added at its
   own solutions until every CV meets its cap. The plan is ``feasible`` (not proven optimal):
   its gap is measured against the bound of step 1 (or the MILP's, whichever is larger).
"""
from __future__ import annotations

import math
import time

import cvxpy as cp
import numpy as np
from scipy import sparse

from ..rules.loader import RulePack
from .model import CountyModel
from .solve import MAX_ROUNDS, _caps, _cut, _Milp, _violated, at_least

#: Seconds for the integer program with cuts before falling back to rounding.
OA_SECONDS = 20.0


def _unit_constraints(model: CountyModel, rules: RulePack, y, z_relaxed: bool, met: dict | None, strict: bool):
    """cvxpy constraints of the per-unit rule and the provincial standard (docs/plan.md §3)."""
    levels = model.units["level"].to_list()
    cons = []
    rule = rules.unit_rule
    if rule is not None:
        n = len(rules.indicators)
        min_met = n if strict else rule.min_met
        zs = []
        for i in rules.indicators:
            t = np.array([i.threshold.get(lv) for lv in levels])
            x = model.x0[i.code] + model.A[i.code] @ y
            if min_met >= n:
                cons.append(x >= at_least(t))
            elif z_relaxed:
                z = cp.Variable(len(levels))
                zs.append(z)
                cons += [z >= 0, z <= 1, x >= cp.multiply(at_least(t), rule.floor_ratio + (1 - rule.floor_ratio) * z)]
            else:
                need = np.array([1.0 if met[(u, i.code)] else rule.floor_ratio for u in range(len(levels))])
                cons.append(x >= at_least(t * need))
        if zs:
            cons.append(sum(zs) >= min_met)
    std = rules.school_standard
    if std is not None:
        for code, mins in std.minima.items():
            t = np.array([mins.get(lv) for lv in levels])
            cons.append(model.x0[code] + model.A[code] @ y >= at_least(t))
    for idx, coef, hi, _ in model.rows:
        cons.append(sparse.csr_matrix((coef, ([0] * len(idx), idx)), shape=(1, len(model.vars))) @ y <= hi)
    return cons


def _cv_constraints(model: CountyModel, y, caps: dict) -> list:
    cons = []
    for (lv, code), cap in caps.items():
        g = model.groups[lv]
        w = model.weights[g] / model.weights[g].sum()
        x = model.x0[code][g] + model.A[code][g] @ y
        mean = w @ x
        cons.append(cp.norm(cp.multiply(np.sqrt(w), x - mean), 2) <= cap * mean)
    return cons


def _socp(model, rules, caps, z_relaxed, met, strict):
    """Solve the continuous cone program; decisions scaled to 万元 of cost each (y = s·ŷ) so that
    Clarabel sees numbers near 1. Returns (y, optimum in 元) or (None, NaN)."""
    m = len(model.vars)
    cost = np.array([v.cost for v in model.vars])
    scale = 1e4 / np.maximum(cost, 1e-6)
    yh = cp.Variable(m)
    y = cp.multiply(scale, yh)
    ub = np.array([v.upper for v in model.vars])
    fin = np.isfinite(ub)
    cons = [yh >= 0] + ([yh[np.flatnonzero(fin)] <= ub[fin] / scale[fin]] if fin.any() else [])
    cons += _unit_constraints(model, rules, y, z_relaxed, met, strict) + _cv_constraints(model, y, caps)
    prob = cp.Problem(cp.Minimize(cp.sum(yh)), cons)
    try:
        prob.solve(solver=cp.CLARABEL)
    except cp.error.SolverError:
        return None, math.nan
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or yh.value is None:
        return None, math.nan
    return np.maximum(np.asarray(yh.value) * scale, 0.0), float(prob.value) * 1e4


def cone_phase(model: CountyModel, rules: RulePack, met: dict, strict: bool, time_left: float):
    """(y, bound, rounds): an integer plan meeting the CV caps with the unit indicators ``met``
    fixed (``met[(unit, code)]`` True: threshold met, False: the 85 % floor), the relaxation
    bound (NaN if not solved), and the MILP rounds used. y is None when no plan exists."""
    t0 = time.monotonic()
    caps = _caps(model, rules, _stage_point(model, rules, met))
    _, bound = _socp(model, rules, caps, True, None, strict) if rules.dispersion.test == "each" else (None, math.nan)
    y_cont, _ = _socp(model, rules, caps, False, met, strict)
    if y_cont is None:
        return None, bound, 0
    y, rounds = _integer_oa(model, rules, met, strict, caps, y_cont, min(OA_SECONDS, max(1.0, time_left)))
    if y is not None:
        return y, bound, rounds
    for tighten in (0.0, 0.01, 0.03, 0.1):  # fall back: round the cone solution, tightening the caps
        if tighten:
            y_cont, _ = _socp(model, rules, {k: c * (1 - tighten) for k, c in caps.items()}, False, met, strict)
            if y_cont is None:
                break
        y = _round_and_repair(model, rules, met, strict, y_cont)
        if y is not None and not _violated(model, y, caps) and _rows_ok(model, y):
            return y, bound, rounds
        if time.monotonic() - t0 > time_left:
            break
    return None, bound, rounds


def _integer_oa(model, rules, met, strict, caps, y_cont, seconds):
    """The integer program with the fixed unit rows and OA cuts (seeded at the cone solution);
    (y, rounds), y None when no plan meeting the caps is found within ``seconds``."""
    t0 = time.monotonic()
    lp = _Milp(model, seconds)
    need = _needs(model, rules, met, strict)
    for code, t in need.items():
        for u in np.flatnonzero(model.x0[code] < at_least(t)):
            row = model.A[code].getrow(int(u))
            lp.row(row.indices.tolist(), row.data.tolist(), lo=float(at_least(t[u]) - model.x0[code][u]))
    for idx, coef, hi, _ in model.rows:
        lp.row(idx, coef, hi=hi)
    for (lv, code), cap in caps.items():
        idx, val, hi = _cut(model, y_cont, code, lv, cap)
        lp.row(idx, val, hi=hi)
    lp.build()
    rounds = 0
    while rounds < MAX_ROUNDS:
        left = seconds - (time.monotonic() - t0)
        if left <= 0:
            break
        lp.h.setOptionValue("time_limit", float(left))
        rounds += 1
        _, y, _ = lp.solve()
        if y is None:
            break
        bad = _violated(model, y, caps)
        if not bad:
            return y, rounds
        for lv, k in bad:
            idx, val, hi = _cut(model, y, k, lv, caps[(lv, k)])
            _Milp.add(lp.h, (idx, val, -math.inf, hi))
    return None, rounds


def _needs(model: CountyModel, rules: RulePack, met: dict, strict: bool) -> dict[str, np.ndarray]:
    """Per indicator code, what each unit must reach: its threshold where ``met`` (or strict),
    else the floor; at least the provincial standard's minimum."""
    levels = model.units["level"].to_list()
    rule = rules.unit_rule
    need_of: dict[str, np.ndarray] = {}
    if rule is not None:
        for i in rules.indicators:
            need_of[i.code] = np.array([i.threshold.get(lv) * (1 if strict or met.get((u, i.code), True) else rule.floor_ratio)
                                        for u, lv in enumerate(levels)])
    std = rules.school_standard
    if std is not None:
        for code, mins in std.minima.items():
            t = np.array([mins.get(lv) for lv in levels])
            need_of[code] = np.maximum(need_of.get(code, t), t)
    return need_of


def _unit_short(model: CountyModel, rules: RulePack, met: dict, strict: bool, y: np.ndarray) -> list[tuple[int, str]]:
    """(unit, code) pairs below what ``met`` asks (threshold or the 85 % floor) after y."""
    out = []
    for code, need in _needs(model, rules, met, strict).items():
        x = model.x0[code] + model.A[code] @ y
        out += [(int(u), code) for u in np.flatnonzero(x < at_least(need))]
    return out


def _round_and_repair(model, rules, met, strict, y_cont: np.ndarray) -> np.ndarray | None:
    """Round the continuous plan to whole numbers; where a unit falls short of its threshold,
    round that unit's decisions up instead."""
    y = np.round(y_cont)
    up = np.ceil(y_cont - 1e-6)
    for _ in range(5):
        short = _unit_short(model, rules, met, strict, y)
        if not short:
            return y
        for u, code in short:
            row = model.A[code].getrow(u)
            j = row.indices
            y[j] = np.maximum(y[j], up[j])
        up = up + (y >= up)  # a second pass adds one more where rounding up was not enough
    return None


def _rows_ok(model: CountyModel, y: np.ndarray) -> bool:
    ub = np.array([v.upper for v in model.vars])
    if (y > ub + 1e-9).any():
        return False
    return all(float(np.dot(coef, y[idx])) <= hi + 1e-9 for idx, coef, hi, _ in model.rows)


def _stage_point(model: CountyModel, rules: RulePack, met: dict) -> np.ndarray:
    """A point to take basic-2012's CV caps from: no decisions (the CVs as they are now)."""
    return np.zeros(len(model.vars))
