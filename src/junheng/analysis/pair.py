"""精准帮教 pairing (``junheng pair``): each weak unit gets a strong unit of the same county and
level whose strengths cover the weak unit's failing indicators, at most k weak units per strong
one, solved exactly as an assignment problem (pure; docs/pairing.md).

Weak unit: fails the rule pack's unit rule (教督〔2017〕6号: at least 6 of 7 thresholds, the rest
≥ 85 %); its *gaps* are the indicators below their threshold. With ``gaps=True`` a unit that
passes the rule but misses a threshold is weak too. Strong unit: passes the unit rule. A pair is
*allowed* when both are units of the same county and level, the strong unit meets the threshold of
every gap of the weak one, and (``max_km`` given, both positions known) they are at most
``max_km`` apart in a straight line (:func:`junheng.analysis.whatif.apply.haversine_km`).

Among the allowed pairs the assignment maximises first the number of weak units paired, then
minimises the summed cost :func:`pair_cost` (城带乡 first, then distance, then how far the strong
unit's values exceed the thresholds). Each strong unit is replicated k times (its k "slots") and
``scipy.optimize.linear_sum_assignment`` solves the rectangular problem with a disallowed cost
larger than any sum of allowed costs, so fewer pairs always cost more: exact.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from scipy.optimize import linear_sum_assignment

from ..core.result import Assessment
from ..core.units import KEY
from .whatif.apply import distance_km

#: Weights of the cost of an allowed pair (docs/pairing.md): not 城带乡, distance share, margin shortfall.
W_URBAN_RURAL, W_DISTANCE, W_MARGIN = 1.0, 0.5, 0.25
#: Urban (城区 11x, 镇区 12x) and rural (乡村 2xx) by the first digit of 城乡分类代码.
URBAN, RURAL = "1", "2"


def urban_rural_pair(strong_code: str | None, weak_code: str | None) -> bool:
    """True when the 城乡分类代码 say 城带乡: the strong unit is urban or town (1xx), the weak one rural (2xx)."""
    return bool(strong_code) and bool(weak_code) and str(strong_code)[:1] == URBAN and str(weak_code)[:1] == RURAL


def pair_cost(ur: bool, km: float | None, scale_km: float, margin: float) -> float:
    """The cost of an allowed pair, in [0, W_URBAN_RURAL + W_DISTANCE + W_MARGIN]:
    ``W_URBAN_RURAL·(not 城带乡) + W_DISTANCE·min(1, km / scale_km) + W_MARGIN·(1 − min(1, margin))``;
    an unknown distance counts as half the scale. margin: the strong unit's mean relative excess
    over the thresholds of the weak unit's gaps (value ÷ threshold − 1; 0 without gaps)."""
    d = 0.5 if km is None or scale_km <= 0 else min(1.0, km / scale_km)
    return W_URBAN_RURAL * (not ur) + W_DISTANCE * d + W_MARGIN * (1 - min(1.0, max(0.0, margin)))


def solve_assignment(cost: np.ndarray, allowed: np.ndarray, k: int) -> list[tuple[int, int]]:
    """The optimal pairs (weak row, strong column) of a cost matrix, each strong column at most k times.

    cost, allowed: (n_weak, n_strong) arrays. Maximises the number of pairs, then minimises the
    summed cost of the pairs (lexicographic, exact): the strong columns are repeated k times and
    a disallowed entry costs more than all allowed entries together. Returns pairs sorted by row.
    """
    n, m = cost.shape
    if n == 0 or m == 0 or not allowed.any():
        return []
    big = float(np.abs(cost[allowed]).sum()) + 1.0
    full = np.where(allowed, cost, big)
    rep = np.repeat(full, k, axis=1)          # column j·k + r is slot r of strong unit j
    rows, cols = linear_sum_assignment(rep)
    return sorted((int(r), int(c) // k) for r, c in zip(rows, cols) if allowed[r, c // k])


@dataclass(frozen=True)
class PairResult:
    """The recommendations.

    pairs: ``{"county_key", "county", "level", "weak_id", "weak_name", "strong_id", "strong_name",
    "gaps": [indicator codes], "cover": {code: {"weak", "strong", "threshold"}}, "urban_rural":
    bool (城带乡), "km" (straight line, None when unknown), "cost"}``; unpaired: weak units without
    a pair, ``{… "reason": no_strong | no_cover | too_far | capacity}``; load: per strong unit
    ``{"school_id", "name", "level", "county", "weak": n}`` of those with a pair;
    settings: k, max_km, gaps and ``distance_known`` (some pair of candidate schools has both
    positions, so max_km could act; False when the table has no 经度 / 纬度); names: indicator
    code → Chinese label.
    """

    rules: str
    rules_name: str
    pairs: list[dict[str, Any]]
    unpaired: list[dict[str, Any]]
    load: list[dict[str, Any]]
    settings: dict[str, Any]
    names: dict[str, str]


def recommend_pairs(a: Assessment, table: pl.DataFrame, *, max_per_strong: int = 3, max_km: float | None = None,
                    gaps: bool = False) -> PairResult:
    """Pairs of weak and strong units of the assessment ``a`` (module docstring).

    table: the school table assessed (for 经度 / 纬度, schema.LOCATION_COLUMNS; absent → unknown).
    Raises ValueError when the rule pack has no unit rule (only quality-2017-style packs have
    per-unit thresholds; the CLI reports it in Chinese).
    """
    rules = a.rules
    if rules.unit_rule is None:
        raise ValueError("rule pack has no unit rule")
    codes = [i.code for i in rules.indicators]
    thr = {lv: {i.code: getattr(i.threshold, lv) for i in rules.indicators} for lv in ("primary", "junior")}
    pos_cols = [c for c in ("longitude", "latitude") if c in table.columns]
    pos = {r["school_id"]: r for r in table.select("school_id", *pos_cols).iter_rows(named=True)} if pos_cols else {}
    units = a.units.select(KEY, "county", "school_id", "name", "level", "urban_rural_code", "passed", "met_count",
                           *codes, *(f"meets_{c}" for c in codes)).to_dicts()
    pairs, unpaired, load = [], [], {}
    distance_known = False
    groups: dict[tuple, list[dict]] = {}
    for u in units:
        groups.setdefault((u[KEY], u["level"]), []).append(u)
    for (key, level), us in groups.items():
        t = thr[level]
        for u in us:
            u["gaps"] = [c for c in codes if not u[f"meets_{c}"]]
        weak = [u for u in us if not u["passed"] or (gaps and u["gaps"])]
        strong = [u for u in us if u["passed"]]
        if not weak:
            continue
        n, m = len(weak), len(strong)
        km = [[distance_km(pos.get(w["school_id"], {}), pos.get(s["school_id"], {})) for s in strong] for w in weak]
        known = [d for row in km for d in row if d is not None]
        distance_known = distance_known or bool(known)
        scale = max_km if max_km else (max(known) if known else 0.0)
        cost = np.zeros((n, m))
        allowed = np.zeros((n, m), dtype=bool)
        covers = np.zeros((n, m), dtype=bool)
        for i, w in enumerate(weak):
            for j, s in enumerate(strong):
                if s["school_id"] == w["school_id"]:
                    continue
                covers[i, j] = all(s[f"meets_{c}"] for c in w["gaps"])
                near = max_km is None or km[i][j] is None or km[i][j] <= max_km
                allowed[i, j] = covers[i, j] and near
                margin = (float(np.mean([s[c] / t[c] - 1 for c in w["gaps"] if t[c]])) if w["gaps"] else 0.0)
                cost[i, j] = pair_cost(urban_rural_pair(s["urban_rural_code"], w["urban_rural_code"]), km[i][j], scale, margin)
        chosen = dict(solve_assignment(cost, allowed, max_per_strong))
        for i, w in enumerate(weak):
            base = {"county_key": key, "county": w["county"], "level": level, "weak_id": w["school_id"],
                    "weak_name": w["name"], "gaps": w["gaps"], "weak_passed": w["passed"]}
            j = chosen.get(i)
            if j is None:
                reason = ("no_strong" if m == 0 else "no_cover" if not covers[i].any()
                          else "too_far" if not allowed[i].any() else "capacity")
                unpaired.append(base | {"reason": reason})
                continue
            s = strong[j]
            pairs.append(base | {"strong_id": s["school_id"], "strong_name": s["name"],
                                 "cover": {c: {"weak": w[c], "strong": s[c], "threshold": t[c]} for c in w["gaps"]},
                                 "urban_rural": urban_rural_pair(s["urban_rural_code"], w["urban_rural_code"]),
                                 "km": km[i][j], "cost": float(cost[i, j])})
            ld = load.setdefault((s["school_id"], level), {"school_id": s["school_id"], "name": s["name"], "level": level,
                                                           "county": s["county"], "weak": 0})
            ld["weak"] += 1
    names = {i.code: i.label for i in rules.indicators}
    return PairResult(rules.id, rules.name, pairs, unpaired, list(load.values()),
                      {"max_per_strong": max_per_strong, "max_km": max_km, "gaps": gaps,
                       "distance_known": distance_known}, names)
