"""Run an objective over every county of a school table and prove each plan (docs/plan.md).

:func:`plan` is what the command line calls: costs, limits and a rule pack in, a PlanResult out.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ..core.result import Assessment
from ..errors import JunhengError
from ..rules.loader import RulePack
from .costs import CostTable, Limits
from .model import build_models
from .budget import max_pass
from .solve import Solution, min_cost
from .verify import actions_of, verify
from .worst import min_worst

OBJECTIVES = ("min-cost", "max-pass", "min-worst", "curve", "rotation")


class PlanNotFound(JunhengError):
    """No plan was found within the limits although none was proven impossible (Chinese message)."""


@dataclass
class CountyPlan:
    """The plan of one county: status (optimal | feasible | infeasible | passed already is optimal
    with no actions), bound and gap (relative), cost (capital 元, recurring 元 per year, total over
    the years), actions (verify.actions_of), blocking (diagnose.blocking), seconds."""

    county_key: str
    county_code: str | None
    county: str | None
    status: str
    bound_yuan: float
    gap: float
    capital_yuan: float
    recurring_yuan_per_year: float
    total_yuan: float
    actions: list[dict]
    blocking: list[dict]
    seconds: float = 0.0
    units: int | None = None
    passing_units: int | None = None
    bound_units: int | None = None
    worst_ratio: float | None = None  # min-worst: the plan's worst CV/threshold ratio (plan/worst.py)
    bound_ratio: float | None = None  # min-worst: its proven lower bound (NaN: none claimed)
    rotation: dict | None = None  # the rotation plan's quota and counts (plan/rotation.py)


@dataclass
class PlanResult:
    """Everything ``junheng plan`` reports: the objective, years, the cost table, the plans per
    county, and the assessments before and after (the after one applies every plan's actions)."""

    rules: RulePack
    objective: str
    years: int
    strict: bool
    costs: CostTable
    counties: list[CountyPlan]
    before: Assessment
    after: Assessment
    notes: list[str] = field(default_factory=list)
    budget_yuan: float | None = None
    curves: dict = field(default_factory=dict)  # curve: county_key → plan/curve.Curve


def plan(table: pl.DataFrame, rules: RulePack, costs: CostTable, limits: Limits, *, objective: str = "min-cost",
         years: int = 3, strict: bool = False, time_limit: float = 120.0, budget_yuan: float | None = None,
         points: int = 20) -> PlanResult:
    """Plan every county of ``table`` (canonical school table) under ``rules`` and prove it.

    objective: ``min-cost``, ``max-pass`` or ``min-worst`` (both need ``budget_yuan``, 元 per
    county over the years; docs/plan.md §3, §7, §10), ``curve`` (the min-cost plan, then ``points``
    ≥ 2 budgets from 0 to its total, or to ``budget_yuan`` when given: plan/curve.py, §11) or
    ``rotation`` (交流轮岗, no hiring; plan/rotation.py, docs/plan.md "Objective rotation").
    years ≥ 1: recurring costs count this many years.
    Raises ValueError for an unknown objective, verify.PlanNotConfirmed when the engine does not
    confirm a plan, PlanNotFound (Chinese) when no plan is found in time and none is proven impossible.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}")
    if objective == "rotation":  # 交流轮岗 (docs/plan.md "Objective rotation")
        from .rotation_run import rotate

        return rotate(table, rules, costs, limits, time_limit=max(time_limit, 600.0))
    if objective == "max-pass" and (budget_yuan is None or rules.unit_rule is None):
        raise ValueError("max-pass needs a budget and a rule pack with a per-unit rule")
    if objective == "min-worst" and budget_yuan is None:
        raise ValueError("min-worst needs a budget")
    base, models = build_models(table, rules, costs, limits, years)
    plans, out, actions, passing, ratios = {}, [], [], {}, {}
    for c in base.counties:
        m = models.get(c.county_key)
        if m is None:
            out.append(CountyPlan(c.county_key, c.county_code, c.county, "optimal", 0.0, 0.0, 0.0, 0.0, 0.0, [], []))
            continue
        try:
            if objective == "max-pass":
                s, npass, upper = max_pass(m, rules, budget_yuan, strict=strict, time_limit=time_limit)
                passing[c.county_key] = npass
            elif objective == "min-worst":
                w = min_worst(m, rules, budget_yuan)
                s = Solution(w.status, w.y, w.cost, w.bound, w.gap, seconds=w.seconds)
                ratios[c.county_key] = (w.ratio, w.bound)
            else:
                s = min_cost(m, rules, strict=strict, time_limit=time_limit)
        except TimeoutError:
            raise PlanNotFound(f"{c.county or c.county_key}：在 {time_limit:g} 秒内未找到满足全部标准的整数方案"
                               "（也未能证明无解）；可放宽限额后重试。") from None
        if s.y is None:
            out.append(CountyPlan(c.county_key, c.county_code, c.county, s.status, s.bound, s.gap, 0.0, 0.0, 0.0, [],
                                  s.blocking, s.seconds))
            continue
        acts = actions_of(m, s.y, costs, table)
        capital = sum(a["amount_yuan"] for a in acts if not a["recurring"])
        recurring = sum(a["amount_yuan"] for a in acts if a["recurring"])
        plans[c.county_key] = s.y
        actions += acts
        cp = CountyPlan(c.county_key, c.county_code, c.county, s.status, s.bound, s.gap, capital, recurring,
                        capital + recurring * years, acts, [], s.seconds, m.units.height)
        if objective == "max-pass":
            cp.passing_units, cp.bound_units = passing[c.county_key], upper
        if objective == "min-worst":
            cp.worst_ratio, cp.bound_ratio = ratios[c.county_key]
            cp.bound_yuan = math.nan  # this objective's bound and gap (s.gap) are of the ratio
        out.append(cp)
    after = verify(table, rules, models, plans, actions, strict, passing if objective == "max-pass" else None,
                   {k: r for k, (r, _) in ratios.items()} if objective == "min-worst" else None)
    for cp in out:  # the objective is the total cost: the two must agree
        if cp.actions and not np.isclose(cp.total_yuan, float(sum(
                v.cost * y for v, y in zip(models[cp.county_key].vars, plans[cp.county_key]))), rtol=1e-9):
            raise RuntimeError("plan cost differs from the objective")
    result = PlanResult(rules, objective, years, strict, costs, out, base, after, budget_yuan=budget_yuan)
    if objective == "curve":
        from .curve import cost_curve

        for cp in out:
            m = models.get(cp.county_key)
            full = cp.status != "infeasible" and budget_yuan is None
            if m is None or (cp.status == "infeasible" and budget_yuan is None):
                continue
            y = plans.get(cp.county_key, np.zeros(len(m.vars)))
            result.curves[cp.county_key] = cost_curve(
                m, rules, costs, table, end_yuan=budget_yuan if budget_yuan is not None else cp.total_yuan,
                full_y=y if full else None, points=points, strict=strict)
    return result
