"""What the 自评报告 says about the plan of one county (``junheng report … --plan``): the
min-cost plan's cost and effect and the cost–compliance curve, as plain picklable data (sent to
report worker processes). Wording: report/narrative/plan.py. Pure apart from drawing the chart.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .run import PlanResult


@dataclass(frozen=True)
class PlanSummary:
    """One county's plan for the report. status: ``optimal`` | ``feasible`` | ``infeasible``;
    gap: relative, to the lower bound; capital_yuan, recurring_yuan_per_year, total_yuan (over
    ``years``); items: (action, cost_item, schools, quantity, amount 元, recurring) summed per item,
    dearest first; failing / passed / worst_ratio before and after (engine; failing None under
    basic-2012); curve: (budget 元, units passing, worst ratio) per point; chart_png / chart_caption:
    the curve chart (plan/output/curve.py), empty without a curve; blocking: the number of
    blocking constraints of an infeasible target; unit_costs_assumed: some unit cost is an
    ASSUMPTION (default prices); worst: the CV farthest above its standard before the plan
    (plan/worst.worst_item) as (level code, indicator name — “综合差异系数” under basic-2012 —,
    threshold, cv before, cv after), None when a CV is undefined."""

    county_key: str
    status: str
    gap: float
    years: int
    capital_yuan: float
    recurring_yuan_per_year: float
    total_yuan: float
    items: tuple[tuple[str, str, int, float, float, bool], ...]
    failing_before: int | None
    failing_after: int | None
    passed_before: bool
    passed_after: bool
    ratio_before: float | None
    ratio_after: float | None
    units: int
    curve: tuple[tuple[float, int, float], ...] = ()
    chart_png: bytes = field(default=b"", repr=False)
    chart_caption: str = ""
    blocking: int = 0
    unit_costs_assumed: bool = True
    worst: tuple[str, str, float, float, float] | None = None


def _worst(before, after) -> tuple[str, str, float, float, float] | None:
    """PlanSummary.worst from the engine's results before and after the plan."""
    from .worst import worst_item

    w = worst_item(before)
    if w is None:
        return None
    level, code, cv, thr = w
    lb, la = before.levels[level], after.levels.get(level)
    if code == "composite":
        name, cv_after = "综合差异系数", la.composite_cv if la else None
    else:
        name = lb.indicators[code].name
        cv_after = la.indicators[code].cv if la and code in la.indicators else None
    return None if cv_after is None else (level, name, thr, cv, cv_after)


def summaries(p: PlanResult) -> dict[str, PlanSummary]:
    """{county_key: PlanSummary} of a plan result (min-cost, or curve: then with the chart).
    Raises fonts.FontMissingError when the chart's CJK font is missing."""
    from .output.curve import curve_chart
    from .worst import engine_ratio

    before = {c.county_key: c for c in p.before.counties}
    after = {c.county_key: c for c in p.after.counties}
    rule = p.rules.unit_rule is not None
    out = {}
    for cp in p.counties:
        b, a = before[cp.county_key], after[cp.county_key]
        sums: dict[tuple[str, str], list] = {}
        for act in cp.actions:
            s = sums.setdefault((act["action"], act["cost_item"]), [set(), 0.0, 0.0, act["recurring"]])
            s[0].add(act["school_id"])
            s[1] += act["quantity"]
            s[2] += act["amount_yuan"]
        items = tuple(sorted(((k[0], k[1], len(v[0]), v[1], v[2], v[3]) for k, v in sums.items()),
                             key=lambda t: -t[4] * (p.years if t[5] else 1)))
        c = p.curves.get(cp.county_key)
        png, caption = b"", ""
        if c is not None and len(c.points) > 1:
            caption = "填平补齐投入与达标情况（投入—达标曲线）"
            png = curve_chart(c, rule, caption).png()
        units = p.before.units_of(cp.county_key).height
        out[cp.county_key] = PlanSummary(
            cp.county_key, cp.status, cp.gap if math.isfinite(cp.gap) else math.nan, p.years, cp.capital_yuan,
            cp.recurring_yuan_per_year, cp.total_yuan, items,
            b.units_failed if rule else None, a.units_failed if rule else None, b.passed, a.passed,
            engine_ratio(b), engine_ratio(a), units,
            tuple((pt.budget_yuan, pt.passing_units, pt.worst_ratio) for pt in c.points) if c else (),
            png, caption, len(cp.blocking), any(x.assumption for x in p.costs.items.values()), _worst(b, a))
    return out
