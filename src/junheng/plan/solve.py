"""The least-cost plan (``min-cost``) as a mixed-integer program solved by HiGHS, with the CV
conditions added as outer-approximation cuts of their second-order cones (docs/plan.md §3).

Per unit u and indicator k (value x_uk = x0_uk + A_k[u]·y, linear in the decisions y):
* quality-2017, per-unit rule: binaries z_uk (threshold met), x_uk ≥ t_k·(f + (1 − f)·z_uk) and
  Σ_k z_uk ≥ min_met (6 of 7, unmet ones ≥ f = 85 % of the threshold); ``strict``: x_uk ≥ t_k for all 7.
* a provincial basic standard (``rules.school_standard``): x_uk ≥ its minimum.
* every CV ≤ c (quality-2017): S_k(y) = sqrt(Σ w_u (x_uk − x̄_k)²) ≤ c·x̄_k(y) is a convex
  second-order cone. Solve the MILP, and while a CV is above its threshold add the cut
  S(y*) + ∇S(y*)·(y − y*) ≤ c·x̄(y) (valid for every feasible y by convexity), and solve again.
  The MILP's dual bound stays a valid lower bound of the true problem throughout.
* basic-2012, mean of the 8 CVs ≤ C per level: not convex. First solve without it (a relaxation:
  its optimum is a lower bound); if the composite passes, that plan is optimal. Otherwise cap each
  CV at ρ_k = CV_k·C/composite (a convex cone each, cut as above): the plan is then ``feasible``
  with the relaxation's bound and gap.
Pure: arrays in, a Solution out.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
from scipy import sparse

from ..rules.loader import RulePack
from .model import CountyModel, prefer_plain

#: Relative margin by which the model asks more than the thresholds (float noise; docs/plan.md §3).
MARGIN = 1e-9
#: Absolute slack (relative to the threshold) below a per-unit threshold still accepted: the
#: engine accepts equality (value ≥ threshold − tolerance), the model's coefficients carry float noise.
UNIT_SLACK = 1e-9


def at_least(t: float):
    """What the model asks of a value that must reach threshold t (works on arrays too)."""
    return t - UNIT_SLACK * np.maximum(1.0, np.abs(t))


#: Most cut rounds before giving up on a CV condition.
MAX_ROUNDS = 200


@dataclass
class Solution:
    """Result of one solve. status: ``optimal`` | ``feasible`` | ``infeasible``; y: decisions
    (shape (n_vars,), whole numbers) or None; cost: Σ cost·y in 元 (the objective); bound: a proven
    lower bound of the least cost (元); gap: (cost − bound) / cost (0 when cost is 0); blocking:
    dicts ``{"school_id", "item", "reason", ...}`` (reason codes, plan/text.py words them);
    rounds: MILP solves; seconds: time spent."""

    status: str
    y: np.ndarray | None
    cost: float
    bound: float
    gap: float
    blocking: list[dict] = field(default_factory=list)
    rounds: int = 0
    seconds: float = 0.0


_BANNER_SHOWN = False


def _new_highs() -> "highspy.Highs":
    """A Highs instance; the first one prints a banner on the C-level stdout (it would corrupt
    JSON written there), so that one is made with fd 1 pointed at /dev/null."""
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        return highspy.Highs()
    import os
    import sys

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    _BANNER_SHOWN = True
    return h


class _Milp:
    """The MILP in HiGHS: decisions y (integer) then binaries z; rows added as lists."""

    def __init__(self, model: CountyModel, time_limit: float):
        self.m = len(model.vars)
        self.cost = [v.cost for v in model.vars]
        self.lower = [0.0] * self.m
        self.upper = [v.upper if math.isfinite(v.upper) else highspy.kHighsInf for v in model.vars]
        self.rows: list[tuple[list[int], list[float], float, float]] = []
        self.time_limit = time_limit
        self.h = None
        #: per (unit, indicator code): ("met",) already met, ("z", index) a binary, ("all",) must be met
        self.rule: dict[tuple[int, str], tuple] = {}

    def binary(self) -> int:
        self.cost.append(0.0)
        self.lower.append(0.0)
        self.upper.append(1.0)
        return len(self.cost) - 1

    def row(self, idx, val, lo=-math.inf, hi=math.inf) -> None:
        self.rows.append((list(idx), list(val), lo, hi))

    def build(self) -> None:
        inf = highspy.kHighsInf
        h = _new_highs()
        # HiGHS's default feasibility tolerances (1e-6 / 1e-7): tighter ones made it stop at plans it
        # wrongly proved optimal (tests/plan/test_budget.py); rows it meets only within tolerance are
        # tightened and the model solved again (:meth:`solve`).
        for k, v in (("output_flag", False), ("mip_rel_gap", 1e-7), ("time_limit", float(self.time_limit)),
                     ("threads", 1)):
            h.setOptionValue(k, v)
        n = len(self.cost)
        h.addVars(n, np.array(self.lower), np.array([u if u != math.inf else inf for u in self.upper]))
        h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(self.cost, dtype=np.float64))
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32),
                                np.array([highspy.HighsVarType.kInteger] * n))
        for r in self.rows:
            self.add(h, r)
        self.h = h

    @staticmethod
    def add(h, r) -> None:
        idx, val, lo, hi = r
        inf = highspy.kHighsInf
        h.addRow(lo if math.isfinite(lo) else -inf, hi if math.isfinite(hi) else inf, len(idx),
                 np.array(idx, dtype=np.int32), np.array(val, dtype=np.float64))

    def solve(self):
        """(status, y, dual bound): y rounded to whole numbers (None without a plan). Rows the
        rounded plan misses (HiGHS accepts 1e-6) get their bound moved by the miss and the model is
        solved again, at most 5 times."""
        for _ in range(5):
            st, y, bound = self._solve_once()
            if y is None:
                return st, y, bound
            x = np.concatenate([y, self.z])
            moved = False
            for r, (idx, val, lo, hi) in enumerate(self.rows):
                act = float(np.dot(val, x[idx])) if idx else 0.0
                if math.isfinite(lo) and act < lo:
                    lo = lo + (lo - act) + 1e-7 * max(1.0, abs(lo))
                    moved = True
                elif math.isfinite(hi) and act > hi:
                    hi = hi - (act - hi) - 1e-7 * max(1.0, abs(hi))
                    moved = True
                else:
                    continue
                self.rows[r] = (idx, val, lo, hi)
                inf = highspy.kHighsInf
                self.h.changeRowBounds(r, lo if math.isfinite(lo) else -inf, hi if math.isfinite(hi) else inf)
            if not moved:
                return st, y, bound
        return st, y, bound

    def _solve_once(self):
        h = self.h
        h.run()
        st = h.getModelStatus()
        info = h.getInfo()
        sol = h.getSolution()
        have = info.primal_solution_status == 2  # kSolutionStatusFeasible
        y = np.round(np.array(sol.col_value[: self.m])) if have else None
        self.z = np.round(np.array(sol.col_value[self.m:])) if have else None
        if y is not None:
            y = np.maximum(y, 0.0)
        return st, y, float(info.mip_dual_bound) if have or st == highspy.HighsModelStatus.kOptimal else math.nan


def _unit_rows(lp: _Milp, model: CountyModel, rules: RulePack, strict: bool) -> None:
    """Per-unit thresholds (quality-2017) and the provincial basic standard (per-unit minima)."""
    levels = model.units["level"].to_list()
    rule = rules.unit_rule
    for k_code, a in model.A.items():
        model.A[k_code] = a.tocsr()
    if rule is not None:
        ind = rules.indicators
        min_met = len(ind) if strict else rule.min_met
        for u, level in enumerate(levels):
            met_const, zs = 0, []
            for i in ind:
                t = i.threshold.get(level)
                need, floor = at_least(t), at_least(t * rule.floor_ratio)
                x0 = model.x0[i.code][u]
                if x0 >= need:
                    met_const += 1
                    lp.rule[(u, i.code)] = ("met",)
                    continue
                row = model.A[i.code].getrow(u)
                idx, val = row.indices.tolist(), row.data.tolist()
                if min_met >= len(ind):
                    lp.row(idx, val, lo=need - x0)
                    lp.rule[(u, i.code)] = ("all",)
                    continue
                z = lp.binary()
                lp.rule[(u, i.code)] = ("z", z)
                zs.append(z)
                lp.row(idx + [z], val + [-(need - floor)], lo=floor - x0)
            if zs and min_met > met_const:
                lp.row(zs, [1.0] * len(zs), lo=float(min_met - met_const))
    std = rules.school_standard
    if std is not None:
        for code, mins in std.minima.items():
            for u, level in enumerate(levels):
                need = at_least(mins.get(level))
                x0 = model.x0[code][u]
                if x0 < need:
                    row = model.A[code].getrow(u)
                    lp.row(row.indices.tolist(), row.data.tolist(), lo=need - x0)
    for idx, coef, hi, _ in model.rows:
        lp.row(idx, coef, hi=hi)


def cv_stats(model: CountyModel, y: np.ndarray, code: str, level: str):
    """(S, x̄, CV, ∇S, ∇x̄) of indicator ``code`` over the units of ``level`` after decisions y
    (the formulas of core/dispersion.py: weights P_u / P, population form)."""
    g = model.groups[level]
    w = model.weights[g] / model.weights[g].sum()
    A = model.A[code][g]
    x = model.x0[code][g] + A @ y
    mean = float(w @ x)
    v = x - mean
    s = float(math.sqrt(max(0.0, w @ (v * v))))
    grad_mean = A.T @ w
    grad_s = (A.T @ (w * v)) / s if s > 0 else np.zeros(len(y))
    return s, mean, (s / mean if mean > 0 else math.inf), np.asarray(grad_s).ravel(), np.asarray(grad_mean).ravel()


def _cut(model: CountyModel, y: np.ndarray, code: str, level: str, cap: float):
    """The linear cut S(y*) + ∇S·(y − y*) ≤ cap·x̄(y), as (idx, val, upper) over the decisions."""
    s, mean, _, gs, gm = cv_stats(model, y, code, level)
    g = model.groups[level]
    w = model.weights[g] / model.weights[g].sum()
    mean0 = float(w @ model.x0[code][g])
    coef = gs - cap * gm
    hi = cap * mean0 - s + float(gs @ y)
    nz = np.flatnonzero(np.abs(coef) > 1e-15)
    return nz.tolist(), coef[nz].tolist(), hi


def _caps(model: CountyModel, rules: RulePack, y: np.ndarray | None) -> dict[tuple[str, str], float] | None:
    """The CV cap per (level, indicator): quality's thresholds; basic's ρ_k (module docstring) from
    the CVs at y; None when the pack's composite already passes at y."""
    disp = rules.dispersion
    codes = [i.code for i in rules.indicators]
    if disp.test == "each":
        return {(lv, k): disp.cv_threshold.get(lv) * (1 - MARGIN) for lv in model.groups for k in codes}
    caps = {}
    for lv in model.groups:
        cvs = {k: cv_stats(model, y, k, lv)[2] for k in codes}
        comp = sum(cvs.values()) / len(cvs)
        limit = disp.composite_threshold.get(lv)
        scale = 1.0 if comp <= limit else limit * (1 - 1e-6) / comp
        caps.update({(lv, k): cv * scale for k, cv in cvs.items()})
    return caps


def _violated(model: CountyModel, y: np.ndarray, caps) -> list[tuple[str, str]]:
    out = []
    for (lv, k), cap in caps.items():
        s, mean, cv, _, _ = cv_stats(model, y, k, lv)
        if cv > cap / (1 - MARGIN) if math.isfinite(cv) else True:
            out.append((lv, k))
    return out


def _composite_ok(model: CountyModel, rules: RulePack, y: np.ndarray) -> bool:
    disp = rules.dispersion
    for lv in model.groups:
        cvs = [cv_stats(model, y, i.code, lv)[2] for i in rules.indicators]
        if sum(cvs) / len(cvs) > disp.composite_threshold.get(lv):
            return False
    return True


def min_cost(model: CountyModel, rules: RulePack, *, strict: bool = False, time_limit: float = 120.0) -> Solution:
    """The least-cost plan for one county (module docstring); see :class:`Solution`.

    strict: every unit meets all indicators (quality-2017). time_limit: seconds for the MILP.
    A proven infeasible problem returns status ``infeasible`` with the blocking constraints
    (plan/diagnose.py); a time-out without any plan raises TimeoutError.
    """
    from .diagnose import blocking
    from .cone import cone_phase

    t0 = time.monotonic()
    lp = _Milp(model, time_limit)
    _unit_rows(lp, model, rules, strict)
    lp.build()
    st, y, bound = lp.solve()
    if y is None:
        if st == highspy.HighsModelStatus.kInfeasible:
            return Solution("infeasible", None, 0.0, math.nan, math.nan, blocking(model, rules, strict, False), 1,
                            time.monotonic() - t0)
        raise TimeoutError("no plan found within the time limit")
    proven = st == highspy.HighsModelStatus.kOptimal
    rounds = 1
    if rules.dispersion.test == "composite":
        done = _composite_ok(model, rules, y)
    else:
        done = not _violated(model, y, _caps(model, rules, y))
    if not done:  # the CV conditions bind: the cone phase (plan/cone.py) with the met indicators fixed
        met = {k: (v[0] != "z" or lp.z[v[1] - lp.m] > 0.5) for k, v in lp.rule.items()}
        y, extra_bound, rounds = cone_phase(model, rules, met, strict, time_limit - (time.monotonic() - t0))
        if y is None and extra_bound == math.inf:  # proven: not even a fractional plan exists
            return Solution("infeasible", None, 0.0, math.nan, math.nan, blocking(model, rules, strict, True), rounds,
                            time.monotonic() - t0)
        if y is None:
            raise TimeoutError("no whole-number plan meeting the CV conditions was found")
        bound = max(bound, extra_bound) if math.isfinite(extra_bound) else bound
        proven = False
    y = prefer_plain(model, y)  # exact ties: the plain item (computers → equipment value, …)
    cost = float(np.dot([v.cost for v in model.vars], y))
    bound = min(bound, cost) if math.isfinite(bound) else bound
    gap = 0.0 if cost <= 0 else max(0.0, (cost - bound) / cost)
    status = "optimal" if proven and gap <= 1e-6 else "feasible"
    return Solution(status, y, cost, bound, gap, [], rounds, time.monotonic() - t0)
