"""``max-pass --budget B``: the most units passing the per-unit rule for at most B 元 (docs/plan.md §3).

MILP (HiGHS), per unit u a binary p_u (the unit passes) and per indicator a binary z_uk (met):
    x_uk(y) ≥ t_k·(f·p_u + (1 − f)·z_uk),  z_uk ≤ p_u,  Σ_k z_uk ≥ min_met·p_u
(``strict``: x_uk ≥ t_k·p_u for all k), Σ_j cost_j·y_j ≤ B (capital + recurring × years), and the
limits. Maximise Σ_u p_u; among plans passing as many units, the cheapest (the cost enters the
objective with a weight below one unit). The CV conditions are not part of this objective.
Pure: arrays in, a Solution out.
"""
from __future__ import annotations

import math
import time

import highspy
import numpy as np

from ..rules.loader import RulePack
from .model import CountyModel
from .solve import Solution, _Milp, at_least


class MaxPass:
    """The max-pass MILP of one county, built once and solved for any budget (a curve solves it
    for many, plan/curve.py): the budget enters as the bound of one row and the weight of the cost
    in the objective, both changed in place.

    Raises ValueError when the pack has no per-unit rule (basic-2012)."""

    def __init__(self, model: CountyModel, rules: RulePack, *, strict: bool = False):
        rule = rules.unit_rule
        if rule is None:
            raise ValueError("max-pass needs a per-unit rule")
        self.model, self.rules, self.strict = model, rules, strict
        lp = _Milp(model, 120.0)
        self.base_cost = np.array(lp.cost)
        levels = model.units["level"].to_list()
        n_ind = len(rules.indicators)
        self.min_met = min_met = n_ind if strict else rule.min_met
        self.ps = []
        for u, lv in enumerate(levels):
            p = lp.binary()
            lp.cost[p] = -1.0
            self.ps.append(p)
            zs, met_const = [], 0
            for i in rules.indicators:
                t = i.threshold.get(lv)
                need, floor = at_least(t), at_least(t * (1.0 if strict else rule.floor_ratio))
                x0 = model.x0[i.code][u]
                row = model.A[i.code].getrow(u)
                idx, val = row.indices.tolist(), row.data.tolist()
                if x0 >= need:
                    met_const += 1
                    continue
                if strict or min_met >= n_ind:
                    lp.row(idx + [p], val + [-need], lo=-x0)
                    continue
                z = lp.binary()
                zs.append(z)
                lp.row(idx + [p, z], val + [-floor, -(need - floor)], lo=-x0)
                lp.row([z, p], [1.0, -1.0], hi=0.0)
            if zs:
                lp.row(zs + [p], [1.0] * len(zs) + [-float(min_met)], lo=-float(met_const))
        for idx, coef, hi, _ in model.rows:
            lp.row(idx, coef, hi=hi)
        self.budget_row = len(lp.rows)
        lp.row(list(range(lp.m)), [v.cost for v in model.vars], hi=0.0)
        lp.build()
        self.lp = lp

    def solve(self, budget_yuan: float, *, time_limit: float = 120.0) -> tuple[Solution, int, float]:
        """(solution, units passing in the plan, proven upper bound on units passing) within
        ``budget_yuan`` 元. (No start plan is handed to HiGHS: with one, HiGHS 1.16 returned the
        start as optimal below its own dual bound; a curve carries its previous point instead.)
        Raises TimeoutError when HiGHS finds no plan in time (y = 0 always fits the budget, so
        this is a solver failure)."""
        t0 = time.monotonic()
        lp, h = self.lp, self.lp.h
        eps = 0.5 / max(budget_yuan, 1.0)
        lp.cost[: lp.m] = (eps * self.base_cost).tolist()
        h.changeColsCost(lp.m, np.arange(lp.m, dtype=np.int32), np.asarray(lp.cost[: lp.m], dtype=np.float64))
        idx, val, lo, _ = lp.rows[self.budget_row]
        lp.rows[self.budget_row] = (idx, val, lo, float(budget_yuan))
        h.changeRowBounds(self.budget_row, -highspy.kHighsInf, float(budget_yuan))
        h.setOptionValue("time_limit", float(time_limit))
        st, y, dual = lp.solve()
        if y is None:
            raise TimeoutError("no plan found within the time limit")
        ps = self.ps
        passing = int(round(sum(lp.z[p - lp.m] for p in ps)))
        # objective −Σp + ε·cost ≥ dual bound and ε·cost ≤ 1/2, so Σp ≤ −dual + 1/2
        upper = len(ps) if not math.isfinite(dual) else min(len(ps), int(math.floor(-dual + 0.5 + 1e-6)))
        cost = float(np.dot(self.base_cost, y))
        proven = st == highspy.HighsModelStatus.kOptimal
        status = "optimal" if proven and upper <= passing else "feasible"
        return Solution(status, y, cost, math.nan, math.nan, [], 1, time.monotonic() - t0), passing, upper


def max_pass(model: CountyModel, rules: RulePack, budget_yuan: float, *, strict: bool = False,
             time_limit: float = 120.0) -> tuple[Solution, int, float]:
    """(solution, units passing in the plan, proven upper bound on units passing) for one county
    (:meth:`MaxPass.solve`, built for this one budget).

    Raises ValueError when the pack has no per-unit rule (basic-2012), TimeoutError when HiGHS
    finds no plan in time (y = 0 always fits the budget, so this is a solver failure)."""
    return MaxPass(model, rules, strict=strict).solve(budget_yuan, time_limit=time_limit)
