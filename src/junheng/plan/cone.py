"""The cone phase of ``min-cost``: when the CV conditions bind (docs/plan.md §3).

1. Bound: the continuous relaxation of the whole problem (decisions and the 6-of-7 binaries
   relaxed to intervals, every CV condition an exact second-order cone) solved by Clarabel
   through cvxpy; its optimum is a proven lower bound of the least cost.
2. Plan: the indicators each unit meets are fixed as in the MILP solution without the CVs
   (plan/solve.py), the continuous cone program (Clarabel) gives the cheapest point y° meeting
   them and every CV cap; whole numbers come school by school (the cheapest whole decisions giving
   every unit at least its value at y°, a small HiGHS MILP per school), the caps tightened a little
   and the cone program solved again when rounding broke one. If that fails, the integer program
   with the fixed unit rows and outer-approximation cuts S(y°) + ∇S(y°)·(y − y°) ≤ c·x̄(y) is
   solved, cuts being added at its own solutions until every CV meets its cap. The plan is
   ``feasible`` (not proven optimal): its gap is measured against the bound of step 1 (or the
   MILP's, whichever is larger).
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

#: Relative tightening of the CV caps in the cone programs whose solutions are rounded (Clarabel
#: meets a cone to about 1e-8; the plan is checked against the true caps).
SAFETY = 1e-5
#: Seconds for the fix-and-resolve dive.
DIVE_SECONDS = 30.0
#: Seconds for the integer program with cuts (the last resort).
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
    if model.rows:
        r_i = [r for r, (idx, _, _, _) in enumerate(model.rows) for _ in idx]
        c_i = [j for idx, _, _, _ in model.rows for j in idx]
        vals = [a for _, coef, _, _ in model.rows for a in coef]
        M = sparse.csr_matrix((vals, (r_i, c_i)), shape=(len(model.rows), len(model.vars)))
        cons.append(M @ y <= np.array([hi for _, _, hi, _ in model.rows]))
    return cons


def _cv_constraints(model: CountyModel, y, caps: dict) -> list:
    """sqrt(Σ w_u (x_u − m)²) ≤ cap·m with m = Σ w_u x_u a variable of its own (the deviations stay
    sparse: each touches one school's decisions and m)."""
    cons = []
    for (lv, code), cap in caps.items():
        g = model.groups[lv]
        w = model.weights[g] / model.weights[g].sum()
        x = model.x0[code][g] + model.A[code][g] @ y
        mean = cp.Variable()
        cons += [mean == w @ x, cp.norm(cp.multiply(np.sqrt(w), x - mean), 2) <= cap * mean]
    return cons


def _socp(model, rules, caps, z_relaxed, met, strict, lb=None, ub=None):
    """Solve the continuous cone program; decisions scaled to 万元 of cost each (y = s·ŷ) so that
    Clarabel sees numbers near 1; lb / ub: bounds of the decisions (default 0 and the limits).
    Returns (y, optimum in 元), (None, inf) when infeasible, (None, NaN) when not solved."""
    m = len(model.vars)
    cost = np.array([v.cost for v in model.vars])
    scale = 1e4 / np.maximum(cost, 1e-6)
    yh = cp.Variable(m)
    y = cp.multiply(scale, yh)
    ub = np.array([v.upper for v in model.vars]) if ub is None else ub
    fin = np.isfinite(ub)
    cons = [yh >= (0 if lb is None else lb / scale)] + ([yh[np.flatnonzero(fin)] <= ub[fin] / scale[fin]] if fin.any() else [])
    cons += _unit_constraints(model, rules, y, z_relaxed, met, strict) + _cv_constraints(model, y, caps)
    prob = cp.Problem(cp.Minimize(cp.sum(yh)), cons)
    try:
        prob.solve(solver=cp.CLARABEL)
    except cp.error.SolverError:
        return None, math.nan
    if prob.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        return None, math.inf  # no plan at all, even with fractions: the problem is infeasible
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or yh.value is None:
        return None, math.nan
    return np.maximum(np.asarray(yh.value) * scale, 0.0), float(prob.value) * 1e4


def cone_phase(model: CountyModel, rules: RulePack, met: dict, strict: bool, time_left: float):
    """(y, bound, rounds): an integer plan meeting the CV caps with the unit indicators ``met``
    fixed (``met[(unit, code)]`` True: threshold met, False: the 85 % floor), the relaxation
    bound (NaN if not solved; inf when the relaxation is infeasible, which proves the problem
    infeasible), and the MILP rounds used. y is None when no plan was found."""
    t0 = time.monotonic()
    caps = _caps(model, rules, _stage_point(model, rules, met))
    _, bound = _socp(model, rules, caps, True, None, strict) if rules.dispersion.test == "each" else (None, math.nan)
    if bound == math.inf:
        return None, bound, 0
    y_cont, _ = _socp(model, rules, caps, False, met, strict)
    if y_cont is None:
        return None, bound, 0
    rounds = 0
    cost = np.array([v.cost for v in model.vars])
    best = None

    def keep(y):
        nonlocal best
        if y is not None and not _violated(model, y, caps) and _rows_ok(model, y):
            if best is None or cost @ y < cost @ best:
                best = y

    for tighten in (SAFETY, 0.005, 0.02, 0.05):
        if tighten > SAFETY:
            y_cont, _ = _socp(model, rules, {k: c * (1 - tighten) for k, c in caps.items()}, False, met, strict)
            if y_cont is None:
                break
        y = _per_school(model, rules, met, strict, y_cont)
        if y is not None and _violated(model, y, caps):  # repair the CVs rounding broke
            y = raise_lowest(model, rules, y, caps)
        keep(y)
        if time.monotonic() - t0 > time_left:
            break
    left = t0 + time_left - time.monotonic()
    if best is None:  # fix and re-solve only when rounding school by school failed (slower)
        keep(_dive(model, rules, met, strict, caps, time.monotonic() + min(DIVE_SECONDS, max(0.0, left))))
    if best is not None:
        return best, bound, rounds
    y, rounds = _integer_oa(model, rules, met, strict, caps, y_cont, min(OA_SECONDS, max(1.0, time_left)))
    return y, bound, rounds


def cheapest_raise(model: CountyModel, y: np.ndarray, u: int, code: str, target: float) -> bool:
    """Add to y the single decision that brings unit u's indicator to ``target`` for the least
    money (whole units, within the limits); False when none can."""
    A = model.A[code]
    row = A.getrow(u)
    gap = target - float(model.x0[code][u] + (row @ y)[0])
    best = None
    for j, a in zip(row.indices, row.data):
        if a <= 0:
            continue
        q = max(1, math.ceil(gap / a - 1e-12))
        if y[j] + q > model.vars[j].upper:
            continue
        price = q * model.vars[j].cost
        if best is None or price < best[0]:
            best = (price, j, q)
    if best is None:
        return False
    y[best[1]] += best[2]
    return True


def raise_lowest(model: CountyModel, rules: RulePack, y: np.ndarray, caps: dict, steps: int = 5000):
    """While a CV is above its cap: raise the unit with the lowest value of that indicator (or the
    next lowest that can be raised) towards the next value up, by the cheapest decision. Returns
    the new y, or None when no unit can be raised."""
    y = y.copy()
    for _ in range(steps):
        bad = _violated(model, y, caps)
        if not bad:
            return y
        lv, code = bad[0]
        g = model.groups[lv]
        x = model.x0[code][g] + model.A[code][g] @ y
        mean = float(model.weights[g] @ x / model.weights[g].sum())
        order = np.argsort(x)
        nxt = x[order[1]] if len(order) > 1 else x[order[0]]
        target = min(max(nxt, x[order[0]] + 0.1 * (mean - x[order[0]])), mean)
        if not any(cheapest_raise(model, y, int(g[k]), code, target) for k in order[:10]):
            return None
    return None


def _dive(model, rules, met, strict, caps, deadline: float) -> np.ndarray | None:
    """Fix and re-solve: solve the cone program, fix a batch of the fractional decisions nearest to
    a whole number (rounded, else rounded up, else down; a smaller batch when none of these leaves
    a fractional plan), solve again with those fixed, until every decision is whole. Each step
    keeps every CV cap exactly (with SAFETY)."""
    lb = np.zeros(len(model.vars))
    ub = np.array([v.upper for v in model.vars])
    safe = {k: c * (1 - SAFETY) for k, c in caps.items()}  # the cone solver's own tolerance
    y, _ = _socp(model, rules, safe, False, met, strict, lb, ub)
    while y is not None and time.monotonic() < deadline:
        frac = np.abs(y - np.round(y))
        open_ = np.flatnonzero((frac > 1e-6) & (lb < ub))
        if open_.size == 0:
            y = np.round(y)
            return y if not _violated(model, y, caps) and _rows_ok(model, y) else None
        order = open_[np.argsort(frac[open_])]
        size, start, nxt = max(1, order.size // 4), 0, None
        while nxt is None and start < order.size and time.monotonic() < deadline:
            pick = order[start:start + size]
            for how in (np.round, lambda v: np.ceil(v - 1e-9), lambda v: np.floor(v + 1e-9)):
                lo, hi = lb.copy(), ub.copy()
                lo[pick] = hi[pick] = np.clip(how(y[pick]), lb[pick], ub[pick])
                cand, _ = _socp(model, rules, safe, False, met, strict, lo, hi)
                if cand is not None:
                    nxt, lb, ub = cand, lo, hi
                    break
            if nxt is None:
                if size > 1:
                    size = max(1, size // 4)
                else:
                    start += 1
        y = nxt
    return None


def _per_school(model: CountyModel, rules: RulePack, met: dict, strict: bool, y_cont: np.ndarray) -> np.ndarray | None:
    """Whole numbers from the cone solution, school by school: at each school the cheapest whole
    decisions (a small MILP, HiGHS) giving each of its units at least the indicator values of the
    cone solution (and what the unit rule asks). Schools share nothing, so the pieces add up; a
    unit raised towards the county mean lowers the CV, so the caps usually still hold (checked by
    the caller)."""
    need = _needs(model, rules, met, strict)
    x_star = model.values(y_cont)
    ids = model.units["school_id"].to_list()
    by_school: dict[str, list[int]] = {}
    for j, v in enumerate(model.vars):
        by_school.setdefault(v.school_id, []).append(j)
    units_of: dict[str, list[int]] = {}
    for u, sid in enumerate(ids):
        units_of.setdefault(sid, []).append(u)
    rows_of: dict[str, list] = {}
    for r in model.rows:
        rows_of.setdefault(r[3][0], []).append(r)
    y = np.zeros(len(model.vars))
    for sid, cols in by_school.items():
        if not (y_cont[cols] > 1e-7).any() and all(
                (model.x0[c][u] >= at_least(need[c][u])) for c in need for u in units_of.get(sid, ())):
            continue
        pos = {j: k for k, j in enumerate(cols)}
        lp = _SmallMilp([model.vars[j] for j in cols])
        for code in model.x0:
            A = model.A[code]
            for u in units_of.get(sid, ()):
                target = x_star[code][u]
                if code in need:
                    target = max(target, need[code][u])
                gain = target - model.x0[code][u]
                if gain <= 1e-9 * max(1.0, abs(target)):
                    continue
                row = A.getrow(u)
                lp.row([pos[j] for j in row.indices], row.data.tolist(), lo=gain - 1e-7 * max(1.0, abs(target)))
        for idx, coef, hi, _ in rows_of.get(sid, ()):
            lp.row([pos[j] for j in idx], coef, hi=hi)
        part = lp.solve()
        if part is None:
            return None
        y[cols] = part
    return y


class _SmallMilp(_Milp):
    """A MILP over a few decisions (one school's), built and solved at once."""

    def __init__(self, vars_):
        self.m = len(vars_)
        self.cost = [v.cost for v in vars_]
        self.lower = [0.0] * self.m
        self.upper = [v.upper for v in vars_]
        self.rows = []
        self.time_limit = 10.0
        self.h = None
        self.rule = {}

    def solve(self):
        self.build()
        _, y, _ = super().solve()
        return y


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


def _rows_ok(model: CountyModel, y: np.ndarray) -> bool:
    ub = np.array([v.upper for v in model.vars])
    if (y > ub + 1e-9).any():
        return False
    return all(float(np.dot(coef, y[idx])) <= hi + 1e-9 for idx, coef, hi, _ in model.rows)


def _stage_point(model: CountyModel, rules: RulePack, met: dict) -> np.ndarray:
    """A point to take basic-2012's CV caps from: no decisions (the CVs as they are now)."""
    return np.zeros(len(model.vars))
