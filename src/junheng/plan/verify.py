"""The proof of a plan: its actions applied to the school table and assessed again by the
unchanged engine (core/assess.py); a plan the engine does not confirm is an error, never a claim
(docs/plan.md §4). Pure: tables in, tables and results out.
"""
from __future__ import annotations

import numpy as np
import polars as pl

from ..core.assess import assess
from ..core.county_verdict import school_standard_part
from ..core.result import Assessment, CountyResult
from ..rules.loader import RulePack
from .costs import CostTable
from .items import column_of
from .model import CountyModel, item_deltas


class PlanNotConfirmed(RuntimeError):
    """The engine's re-assessment disagrees with the plan (an internal error: exit 3)."""


def actions_of(model: CountyModel, y: np.ndarray, costs: CostTable, table: pl.DataFrame) -> list[dict]:
    """The actions of decisions y (contract: docs/json-contract.md "Plan"): one per non-zero
    decision, with quantity, unit cost, amount (元; per year for recurring items) and the deltas
    to the school-table columns. Ordered by school, then item."""
    names = dict(zip(model.units["school_id"].to_list(), model.units["name"].to_list()))
    towns = dict(zip(model.units["school_id"].to_list(), model.units["township"].to_list()))
    given = {}
    for s in ("P", "J"):
        c = f"pe_art_teachers_{s}"
        if c in table.columns:
            given[s] = set(table.filter(pl.col(c).fill_null(0) != 0)["school_id"].to_list())
    out = []
    for v, q in zip(model.vars, y):
        q = int(round(q))
        if q <= 0:
            continue
        price = costs.items[v.item.code]
        d = item_deltas(v.item, v.section, costs, v.school_id in given.get(v.section or "", set()))
        out.append({
            "school_id": v.school_id, "name": names.get(v.school_id), "township": towns.get(v.school_id),
            "action": v.item.action, "item": column_of(v.item, v.section), "cost_item": v.item.code,
            "unit": v.item.unit, "quantity": q, "unit_cost_yuan": price.yuan, "amount_yuan": price.yuan * q,
            "recurring": price.kind == "recurring", "deltas": {c: a * q for c, a in d.items()},
        })
    return out


def apply_actions(table: pl.DataFrame, actions: list[dict]) -> pl.DataFrame:
    """The school table with every action's deltas added to its school's row (absent columns are
    created as 0, nulls count as 0 as in the engine)."""
    sums: dict[tuple[str, str], float] = {}
    for a in actions:
        for c, v in a["deltas"].items():
            sums[(a["school_id"], c)] = sums.get((a["school_id"], c), 0.0) + v
    cols = sorted({c for _, c in sums})
    if not cols:
        return table
    ids = sorted({s for s, _ in sums})
    delta = pl.DataFrame({"school_id": ids, **{f"_d_{c}": [sums.get((s, c), 0.0) for s in ids] for c in cols}},
                         schema_overrides={"school_id": table.schema["school_id"]})
    t = table.with_columns(pl.lit(0.0).alias(c) for c in cols if c not in table.columns)
    t = t.join(delta, on="school_id", how="left")
    return t.with_columns(
        (pl.col(c).cast(pl.Float64).fill_null(0.0) + pl.col(f"_d_{c}").fill_null(0.0)).alias(c) for c in cols
    ).drop([f"_d_{c}" for c in cols])


def target_met(a: Assessment, c: CountyResult, rules: RulePack, strict: bool) -> bool:
    """Whether a county meets the planning target (docs/plan.md §3): the engine's verdict, every
    indicator of every unit with ``strict``, and the provincial basic standard where the pack has one."""
    if not c.passed:
        return False
    if strict and rules.unit_rule is not None:
        u = a.units_of(c.county_key)
        if not all(u[f"meets_{i.code}"].all() for i in rules.indicators):
            return False
    if rules.school_standard is not None and school_standard_part(a, c, rules).passed is not True:
        return False
    return True


def units_passing(a: Assessment, key: str, rules: RulePack, strict: bool) -> int:
    """Units of a county passing the per-unit rule (all indicators met with ``strict``)."""
    u = a.units_of(key)
    if strict:
        return int(u.select(pl.all_horizontal([pl.col(f"meets_{i.code}") for i in rules.indicators])).to_series().sum())
    return int(u["passed"].sum())


def verify(table: pl.DataFrame, rules: RulePack, models: dict[str, CountyModel], plans: dict[str, np.ndarray],
           actions: list[dict], strict: bool, passing: dict[str, int] | None = None,
           ratios: dict[str, float] | None = None) -> Assessment:
    """Assess the table with every action applied; raise PlanNotConfirmed when a planned county
    does not meet the target — or, with ``passing`` (max-pass), has fewer units passing than
    claimed, or with ``ratios`` (min-worst) a worse worst CV/threshold ratio than claimed
    (plan/worst.engine_ratio) — or a unit's indicator differs from what the model predicted
    (relative 1e-9).
    Returns the assessment after."""
    after = assess(apply_actions(table, actions), rules)
    by_key = {c.county_key: c for c in after.counties}
    for key, y in plans.items():
        m = models[key]
        c = by_key[key]
        units = after.units_of(key)
        if units["school_id"].to_list() != m.units["school_id"].to_list():
            raise PlanNotConfirmed(f"county {key}: the units changed after the plan")
        for code, x in m.values(y).items():
            got = units[code].to_numpy()
            if not np.allclose(got, x, rtol=1e-9, atol=1e-9):
                raise PlanNotConfirmed(f"county {key}: {code} after the plan differs from the model")
        if ratios is not None:
            from .worst import engine_ratio

            r = engine_ratio(c)
            if r is None or r > ratios[key] * (1 + 1e-9) + 1e-12:
                raise PlanNotConfirmed(f"county {key}: the engine's worst CV ratio is above the plan's")
        elif passing is not None:
            if passing[key] and units_passing(after, key, rules, strict) < passing[key]:
                raise PlanNotConfirmed(f"county {key}: fewer units pass than the plan claims")
        elif not target_met(after, c, rules, strict):
            raise PlanNotConfirmed(f"county {key}: the engine does not confirm that the plan meets the target")
    return after
