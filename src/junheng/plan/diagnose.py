"""Why a target cannot be reached: the constraints that block it (docs/plan.md §3).

For each unit, every decision at its school is set to its upper limit (all effects are ≥ 0, so
this is the most each indicator can reach); a unit that fails the per-unit rule or the provincial
standard even then is blocked, and each indicator that stays short is named with the limits that
hold it (a closed school, a cap, a yearly limit, no teacher left to train). When every unit could
pass alone but the county cannot, the CV conditions block: each level and indicator is named.
Pure: reason codes and numbers; plan/text.py words them.
"""
from __future__ import annotations

import math

import numpy as np

from ..rules.loader import RulePack
from .model import CountyModel


def _reach(model: CountyModel, code: str) -> np.ndarray:
    """The most each unit's indicator can reach: inf where an unlimited decision raises it."""
    ub = np.array([v.upper for v in model.vars])
    A = model.A[code].tocsr()
    out = model.x0[code].astype(float).copy()
    for u in range(A.shape[0]):
        row = A.getrow(u)
        caps = ub[row.indices]
        out[u] = math.inf if np.isinf(caps).any() else out[u] + float(row.data @ caps)
    return out


def _holders(model: CountyModel, code: str, u: int) -> list[str]:
    """The items raising unit u's indicator, with their limits (closed school: none)."""
    row = model.A[code].tocsr().getrow(u)
    return sorted({model.vars[j].item.code for j in row.indices})


def blocking(model: CountyModel, rules: RulePack, strict: bool, cv_part: bool) -> list[dict]:
    """Blocking constraints ``{"school_id", "item", "reason", "level", "reach", "need"}`` (reason:
    ``unit_rule`` | ``school_standard`` | ``cv``); see the module docstring."""
    units = model.units
    levels = units["level"].to_list()
    ids = units["school_id"].to_list()
    out: list[dict] = []
    rule = rules.unit_rule
    reach = {i.code: _reach(model, i.code) for i in rules.indicators}
    closed = {v.school_id for v in model.vars if v.upper == 0} - {v.school_id for v in model.vars if v.upper > 0}
    if rule is not None:
        n = len(rules.indicators)
        min_met = n if strict else rule.min_met
        for u, lv in enumerate(levels):
            full = [i for i in rules.indicators if reach[i.code][u] >= i.threshold.get(lv)]
            short = [i for i in rules.indicators if i not in full]
            below_floor = [i for i in short if reach[i.code][u] < i.threshold.get(lv) * (1 if strict else rule.floor_ratio)]
            if len(full) >= min_met and not below_floor:
                continue
            for i in (below_floor or short):
                out.append({"school_id": ids[u], "item": i.code, "reason": "unit_rule", "level": lv,
                            "reach": float(reach[i.code][u]), "need": i.threshold.get(lv),
                            "closed": ids[u] in closed, "items": _holders(model, i.code, u)})
    std = rules.school_standard
    if std is not None:
        for code, mins in std.minima.items():
            r = _reach(model, code)
            for u, lv in enumerate(levels):
                if r[u] < mins.get(lv):
                    out.append({"school_id": ids[u], "item": code, "reason": "school_standard", "level": lv,
                                "reach": float(r[u]), "need": mins.get(lv), "closed": ids[u] in closed,
                                "items": _holders(model, code, u)})
    if not out:
        for lv in model.groups:
            for i in rules.indicators:
                out.append({"school_id": None, "item": i.code, "reason": "cv" if cv_part else "combined",
                            "level": lv, "reach": None, "need": None, "closed": False, "items": []})
    return out
