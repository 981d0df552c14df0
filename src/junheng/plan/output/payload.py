"""The JSON document of ``junheng plan`` (docs/json-contract.md, section "Plan"); full precision."""
from __future__ import annotations

import math
from typing import Any

from ...core.result import CountyResult
from ...report.payload import level_payload
from ..run import PlanResult
from ..text import blocking_text
from .curve import curve_payload


def _state(c: CountyResult | None) -> dict[str, Any]:
    if c is None:
        return {"passed": None, "units_failed": None, "levels": {}}
    return {"passed": c.passed, "units_failed": c.units_failed,
            "levels": {lv: level_payload(r) for lv, r in c.levels.items()}}


def _num(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else x


def plan_payload(p: PlanResult, *, source: str | None = None) -> dict[str, Any]:
    """The whole document as Python objects (orjson writes it)."""
    before = {c.county_key: c for c in p.before.counties}
    after = {c.county_key: c for c in p.after.counties}
    names = dict(zip(p.before.units["school_id"].to_list(), p.before.units["name"].to_list()))
    counties = []
    for cp in p.counties:
        counties.append({
            "county_code": cp.county_code, "county": cp.county, "status": cp.status,
            "bound_yuan": _num(cp.bound_yuan), "gap": _num(cp.gap),
            "cost": {"capital_yuan": cp.capital_yuan, "recurring_yuan_per_year": cp.recurring_yuan_per_year,
                     "total_yuan": cp.total_yuan},
            "actions": [{k: v for k, v in a.items() if k != "unit"} for a in cp.actions],
            "before": _state(before.get(cp.county_key)),
            "after": _state(after.get(cp.county_key)),
            "blocking": [{"school_id": b["school_id"], "item": b["item"], "reason": blocking_text(b, p.rules, names),
                          "code": b["reason"], "level": b.get("level")} for b in cp.blocking],
            "seconds": cp.seconds,
            **({"units": cp.units, "passing_units": cp.passing_units, "bound_units": cp.bound_units}
               if p.objective == "max-pass" else {}),
            **({"worst_ratio": _num(cp.worst_ratio), "bound_ratio": _num(cp.bound_ratio)}
               if p.objective == "min-worst" else {}),
            **({"curve": curve_payload(p.curves[cp.county_key]) if cp.county_key in p.curves else None}
               if p.objective == "curve" else {}),
            **({"rotation": cp.rotation} if cp.rotation is not None else {}),
        })
    return {
        "rules": p.rules.id, "province": p.rules.province, "objective": p.objective, "years": p.years,
        "strict": p.strict, "source": source, "budget_yuan": p.budget_yuan,
        "unit_costs": {code: {"yuan": c.yuan, "kind": c.kind, "source": c.source, "assumption": c.assumption}
                       for code, c in p.costs.items.items()},
        "counties": counties,
    }
