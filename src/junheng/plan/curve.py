"""``curve``: the cost–compliance curve of a county, from no money to full compliance
(docs/plan.md §11).

For N budgets B_0 = 0 < B_1 < … < B_{N−1} = the ``min-cost`` plan's total (or ``--budget``), two
questions are answered per budget, each by its own optimisation (so by two plans in general):
* ``passing_units``: the most units passing the per-unit rule within B (``max-pass``,
  plan/budget.py, HiGHS; proven bound ``bound_units``);
* ``worst_ratio``: the smallest worst CV/threshold ratio within B (``min-worst``, plan/worst.py;
  proven bound ``bound_ratio`` under quality-2017).
The max-pass MILP is built once and re-solved per budget (plan/budget.MaxPass); min-worst shares
its cone evaluations between budgets and starts from the previous budget's plan (a plan within
B_{i−1} is within B_i). A point never reports less than the one before: where a solve found
nothing better (a time limit), the previous plan is kept. The last point of a curve ending at the ``min-cost`` total takes the
``min-cost`` plan as its max-pass plan (every unit passes) and as the start of its min-worst
solve, so its ratio is at most the min-cost plan's (≤ 1).

Every plan of every point is applied to the school table and assessed again by the unchanged
engine (plan/verify.py); the numbers reported are the engine's, and a plan whose re-assessment
falls short of what the model claims raises verify.PlanNotConfirmed. Pure: tables in, a Curve out.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ..core.assess import assess
from ..rules.loader import RulePack
from .budget import MaxPass
from .costs import CostTable
from .model import CountyModel
from .solve import at_least
from .verify import PlanNotConfirmed, actions_of, apply_actions, units_passing
from .worst import Frontier, Ratios, engine_ratio, min_worst

#: Default number of budgets of a curve (``--points``).
POINTS = 20
#: Seconds HiGHS may spend on one budget's max-pass problem (warm-started; the bound is reported).
SECONDS_PER_POINT = 1.0
#: Relative width of the min-worst bracket per point (coarser than a single min-worst solve).
CURVE_TOL = 1e-2


@dataclass
class CurvePoint:
    """One budget of a curve. budget_yuan: B (元, capital + recurring × years);
    passing_units / bound_units / pass_cost_yuan / pass_status: the max-pass plan (engine count,
    proven upper bound, its cost, ``optimal`` | ``feasible``); worst_ratio / bound_ratio /
    worst_cost_yuan / worst_status / worst_gap: the min-worst plan (engine ratio, proven lower
    bound or NaN, its cost, status, relative gap); passed: the engine's county verdict after the
    min-worst plan; y_pass, y_worst: the two plans' decisions (not in the JSON)."""

    budget_yuan: float
    passing_units: int
    bound_units: int
    pass_cost_yuan: float
    pass_status: str
    worst_ratio: float
    bound_ratio: float
    worst_cost_yuan: float
    worst_status: str
    worst_gap: float
    y_pass: np.ndarray = field(repr=False, default=None)
    y_worst: np.ndarray = field(repr=False, default=None)


@dataclass
class Curve:
    """The curve of one county: units (how many), points (budget order), end_yuan (the last
    budget), full_compliance (the last point is the min-cost plan's total), seconds."""

    county_key: str
    units: int
    points: list[CurvePoint]
    end_yuan: float
    full_compliance: bool
    seconds: float = 0.0


def model_passing(model: CountyModel, rules: RulePack, y: np.ndarray, strict: bool) -> int:
    """Units passing the per-unit rule after decisions y, from the model (as max-pass counts
    them: every indicator ≥ 85 % of its threshold and min_met met; ``strict``: all met)."""
    rule = rules.unit_rule
    x = model.values(y)
    levels = model.units["level"].to_list()
    n = 0
    for u, lv in enumerate(levels):
        vals = [(x[i.code][u], i.threshold.get(lv)) for i in rules.indicators]
        met = sum(v >= at_least(t) for v, t in vals)
        if strict:
            n += met == len(vals)
        else:
            n += met >= rule.min_met and all(v >= at_least(t * rule.floor_ratio) for v, t in vals)
    return int(n)


class _Engine:
    """The engine's view of a plan of one county: passing units and worst ratio after applying
    it to the table (plan/verify.py), checked against the model's prediction."""

    def __init__(self, table: pl.DataFrame, rules: RulePack, costs: CostTable, model: CountyModel, strict: bool):
        self.table, self.rules, self.costs, self.model, self.strict = table, rules, costs, model, strict
        self.seen: dict[bytes, tuple[int, float]] = {}

    def __call__(self, y: np.ndarray) -> tuple[int, float]:
        k = y.tobytes()
        if k not in self.seen:
            m = self.model
            after = assess(apply_actions(self.table, actions_of(m, y, self.costs, self.table)), self.rules)
            c = next(c for c in after.counties if c.county_key == m.county_key)
            units = after.units_of(m.county_key)
            for code, x in m.values(y).items():
                if not np.allclose(units[code].to_numpy(), x, rtol=1e-9, atol=1e-9):
                    raise PlanNotConfirmed(f"county {m.county_key}: {code} after a curve plan differs from the model")
            n = units_passing(after, m.county_key, self.rules, self.strict) if self.rules.unit_rule else 0
            r = engine_ratio(c)
            self.seen[k] = (n, math.inf if r is None else r)
        return self.seen[k]


def cost_curve(model: CountyModel, rules: RulePack, costs: CostTable, table: pl.DataFrame, *, end_yuan: float,
               full_y: np.ndarray | None = None, points: int = POINTS, strict: bool = False,
               seconds_per_point: float = SECONDS_PER_POINT) -> Curve:
    """The curve of one county (module docstring) over ``points`` ≥ 2 budgets evenly spaced from 0
    to ``end_yuan`` 元 (one point when ``end_yuan`` is 0: the county passes already). full_y: the min-cost plan (its total is ``end_yuan``), the last point's
    max-pass plan. Raises verify.PlanNotConfirmed when the engine does not confirm a plan."""
    t0 = time.monotonic()
    has_rule = rules.unit_rule is not None
    cost = np.array([v.cost for v in model.vars])
    engine = _Engine(table, rules, costs, model, strict)
    ratios = Ratios(model, rules)
    frontier = Frontier(model, rules)
    mp = MaxPass(model, rules, strict=strict) if has_rule else None
    zero = np.zeros(len(model.vars))
    out: list[CurvePoint] = []
    n_units = model.units.height
    budgets = np.linspace(0.0, end_yuan, points) if end_yuan > 0 else np.zeros(1)  # nothing to buy: one point
    budgets[-1] = end_yuan
    points = len(budgets)
    for i, b in enumerate(budgets):
        b = float(b)
        prev = out[-1] if out else None
        last = i == points - 1 and full_y is not None
        # the most units passing
        if not has_rule:
            y_p, bound_u, st_p = zero, 0, "optimal"
        elif last:
            y_p, bound_u, st_p = full_y, n_units, "optimal"
        else:
            s, _, bound_u = mp.solve(b, time_limit=seconds_per_point)
            y_p, st_p = s.y, s.status
        n, _ = engine(y_p)
        if prev is not None and n < prev.passing_units:  # never fewer than with less money
            y_p, n, st_p = prev.y_pass, prev.passing_units, "feasible"
        # the smallest worst ratio
        start = prev.y_worst if prev is not None else None
        if last and (start is None or ratios.worst(full_y)[0] < ratios.worst(start)[0]):
            start = full_y
        w = min_worst(model, rules, b, frontier=frontier, start=start, tol=CURVE_TOL)
        _, r = engine(w.y)
        if r > w.ratio * (1 + 1e-9) + 1e-12:
            raise PlanNotConfirmed(f"county {model.county_key}: the engine's worst ratio exceeds the model's")
        y_w, st_w, cost_w, gap = w.y, w.status, w.cost, w.gap
        if prev is not None and r > prev.worst_ratio:  # never worse than with less money
            y_w, r, st_w, cost_w = prev.y_worst, prev.worst_ratio, "feasible", prev.worst_cost_yuan
        bound = w.bound
        if math.isfinite(bound) and bound > r and bound <= r * (1 + 1e-9):  # the model's and the engine's float noise
            bound = r
        if math.isfinite(bound) and r > 0:
            gap = max(0.0, (r - bound) / r)
        out.append(CurvePoint(b, n, max(n, int(bound_u)), float(cost @ y_p), st_p, r, bound, cost_w, st_w, gap,
                              y_p, y_w))
    return Curve(model.county_key, n_units, out, float(end_yuan), full_y is not None, time.monotonic() - t0)
