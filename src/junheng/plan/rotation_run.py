"""The rotation plan of every county of a school table, proven by the unchanged engine
(``junheng plan --objective rotation``; docs/plan.md "Objective rotation"). Pure: tables in, a PlanResult out.
"""
from __future__ import annotations

import numpy as np
import polars as pl

from ..core.result import Assessment
from ..rules.loader import RulePack
from .costs import CostTable, Limits
from .model import build_models
from .rotation import COLUMNS, _stock, kind_deltas, plan_rotation, teacher_needs
from .rotation_text import blocking_sentence
from .run import CountyPlan, PlanResult
from .solve import at_least
from .verify import PlanNotConfirmed, apply_actions, verify

_SECTION = {"primary": "P", "junior": "J"}


def move_actions(moves, model, stock) -> list[dict]:
    """The actions of a county's moves (docs/json-contract.md "Plan"): per move a ``move_out``
    at the sending school and a ``move_in`` at the receiving one, zero cost, quantity in 人, the
    deltas of the kind (rotation.kind_deltas) negated at the sender."""
    names = dict(zip(model.units["school_id"].to_list(), model.units["name"].to_list()))
    towns = dict(zip(model.units["school_id"].to_list(), model.units["township"].to_list()))
    out = []
    for a, b, lv, kind, q in moves:
        sec = _SECTION[lv]
        common = {"action": None, "item": f"{kind}_{sec}", "kind": kind, "level": lv, "unit": "人", "quantity": q,
                  "unit_cost_yuan": 0.0, "amount_yuan": 0.0, "recurring": False}
        d_out = kind_deltas(kind, sec, stock[(a, sec)]["pe_art_given"])
        d_in = kind_deltas(kind, sec, stock[(b, sec)]["pe_art_given"])
        out.append({"school_id": a, "name": names.get(a), "township": towns.get(a), **common, "action": "move_out",
                    "to_school_id": b, "deltas": {c: -v * q for c, v in d_out.items()}})
        out.append({"school_id": b, "name": names.get(b), "township": towns.get(b), **common, "action": "move_in",
                    "from_school_id": a, "deltas": {c: v * q for c, v in d_in.items()}})
    return out


def _check(after: Assessment, table_after: pl.DataFrame, key: str, model, plan, rules: RulePack, stock) -> None:
    """The claims of a rotation plan against the engine's assessment after it: units meeting their
    teacher indicators, the quota, no section below its least teachers, no count out of range."""
    needs = teacher_needs(model, rules)
    u = after.units_of(key)
    meeting = 0
    for r in range(u.height):
        have = [u[c][r] >= at_least(n[r]) for c, n in needs.items() if not np.isnan(n[r])]
        meeting += bool(have) and all(have)
    info = plan.info
    if meeting < info["units_meeting_after"]:
        raise PlanNotConfirmed(f"county {key}: fewer units meet their teacher indicators than the plan claims")
    if info["rotated"] < info["required_rotated"] or (
            info["backbone_rotated"] < info["min_backbone_percent"] / 100 * info["rotated"] - 1e-9):
        raise PlanNotConfirmed(f"county {key}: the rotation quota is not met")
    rows = {r["school_id"]: r for r in table_after.iter_rows(named=True)}
    for (sid, sec), least in ((k.rsplit("_", 1), v) for k, v in info["min_teachers"].items()):
        r = rows[sid]
        t = float(r.get(f"teachers_{sec}") or 0)
        if t < least:
            raise PlanNotConfirmed(f"county {key}: school {sid} falls below its least teachers")
        for c in COLUMNS:
            v = float(r.get(f"{c}_{sec}") or 0)
            if v < 0 or (v > t and v > stock[(sid, sec)][c]):
                raise PlanNotConfirmed(f"county {key}: {c}_{sec} of school {sid} out of range after the plan")


def rotate(table: pl.DataFrame, rules: RulePack, costs: CostTable, limits: Limits, *,
           time_limit: float = 600.0) -> PlanResult:
    """The 交流轮岗 plan of every county of ``table`` (canonical school table) under ``rules``.

    Raises rotation.RotationError (Chinese) when the pack has no rotation item, verify.
    PlanNotConfirmed when the engine's re-assessment does not confirm a plan. A county whose
    quota cannot be met is ``infeasible`` with its blocking constraints (school, limit)."""
    base, models = build_models(table, rules, costs, limits, 1)
    stock = _stock(table)
    names = dict(zip(base.units["school_id"].to_list(), base.units["name"].to_list()))
    out, plans, actions, done = [], {}, [], {}
    for c in base.counties:
        m = models.get(c.county_key)
        if m is None:
            out.append(CountyPlan(c.county_key, c.county_code, c.county, "optimal", 0.0, 0.0, 0.0, 0.0, 0.0, [], []))
            continue
        rp = plan_rotation(m, rules, costs, limits, stock, c.county_code, time_limit=time_limit)
        for b in rp.blocking:
            b["text"] = blocking_sentence(b, names)
        acts = move_actions(rp.moves, m, stock) if rp.y is not None else []
        cp = CountyPlan(c.county_key, c.county_code, c.county, rp.status, 0.0, rp.info.get("cv2_gap", 0.0), 0.0, 0.0,
                        0.0, acts, rp.blocking, rp.seconds, m.units.height, rp.info.get("units_meeting_after"),
                        rp.info.get("bound_units"))
        cp.rotation = rp.info
        out.append(cp)
        if rp.y is not None:
            plans[c.county_key] = rp.y
            actions += acts
            done[c.county_key] = rp
    # the model's prediction of every unit's indicators against the engine (no per-unit pass claimed)
    after = verify(table, rules, models, plans, actions, False, {k: 0 for k in plans})
    table_after = apply_actions(table, actions)
    for key, rp in done.items():
        _check(after, table_after, key, models[key], rp, rules, stock)
    return PlanResult(rules, "rotation", 1, False, costs, out, base, after)


__all__ = ["rotate", "move_actions"]
