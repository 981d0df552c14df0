"""``--objective rotation``: the year's 交流轮岗 plan, without hiring (docs/plan.md "Objective rotation").

Moves of existing teachers between school sections of the same level within a county, as a
MILP (HiGHS). Per unit u (a school section) and teacher kind k, integers O_uk (sent) and I_uk
(received). A kind is the profile of the teacher moved (KINDS); its effect on the unit's
indicators is a combination of the planner's hire / train / promote columns (plan/model.py), so
the effect is the engine's own (value = numerator × per / pupils, linear, pupils unchanged).

Constraints:
* the rule pack's quota (county item with ``check = "rotation"``: G11 / B14): Σ O ≥
  ceil(min_rotated % × E) and Σ O_backbone ≥ min_backbone % × Σ O, E the eligible teachers
  (settings: ``[rotation]`` of the cost table); Σ O ≤ max_rotated_percent % × E when set;
* per level and kind, as many sent as received, and O_uk + I_uk ≤ Σ_v I_vk (a school never
  sends to itself: the moves can then be paired without self-moves);
* a section keeps at least min(T0, ceil(m_level × classes)) teachers (m: the setting
  ``min_teachers_per_class``; a section with pupils but no classes keeps what it has);
* the counts allow the profiles: per column c (qualified, senior title, backbone, PE, music,
  art) the teachers sent having c ≤ c0 and those without c ≤ T0 − c0 (the table gives counts,
  not people: each count stays between 0 and the teachers);
* a school to be closed (limits) receives nobody.

Objective, lexicographic: (1) the most units meeting all their teacher indicators (those the
teacher columns move; need = the per-unit threshold and/or the provincial minimum), then the most
(unit, indicator) pairs met — proven by HiGHS; (2) with those counts fixed, the least Σ CV² over
the teacher indicators and levels (the weighted mean x̄ does not change: moves stay within a
level). Each unit's value moves on the lattice x0 + j·step (step = per / pupils), so tangents of
(x − x̄)² at lattice points make the objective exact there (within ±LATTICE steps; sparser
beyond, an under-estimate): HiGHS's bound is a proven lower bound of the true Σ CV², and the gap
is reported. A tiny weight on the number moved keeps moves that change nothing out.

Pure: tables in, a plan out.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import highspy
import numpy as np
import polars as pl

from ..core.units import prepare
from ..errors import JunhengError
from ..rules.loader import RulePack
from .costs import CostTable, Limits
from .items import ITEMS, PE_ART_PARTS
from .model import CountyModel, item_deltas
from .solve import _new_highs, at_least

#: Teacher kinds moved, each as (item code, sign) combinations of the planner's items
#: (plan/items.py): a backbone teacher as the backbone hire (higher degree, 中级+ title,
#: backbone; the same ASSUMPTION as for hiring), a 中级 teacher as a qualified hire promoted, a
#: teacher without the higher degree as a qualified hire not trained.
KINDS: dict[str, tuple[tuple[str, int], ...]] = {
    "backbone_teachers": (("backbone_teachers", 1),),
    "senior_title_teachers": (("qualified_teachers", 1), ("promote_senior_title_teachers", 1)),
    "pe_teachers": (("pe_teachers", 1),),
    "music_teachers": (("music_teachers", 1),),
    "art_teachers": (("art_teachers", 1),),
    "qualified_teachers": (("qualified_teachers", 1),),
    "teachers": (("qualified_teachers", 1), ("train_qualified_teachers", -1)),
}
#: The counts a profile must fit (besides teachers).
COLUMNS = ("qualified_teachers", "senior_title_teachers", "backbone_teachers", *PE_ART_PARTS)
#: Lattice points each side of the current value with an exact tangent; sparser beyond.
LATTICE = 12
_FAR = (16, 24, 36, 54, 80, 120, 180, 270, 400)
#: Relative gap at which HiGHS stops the CV tie-break (the gap reached is reported).
CV_GAP = 1e-3
#: Branch-and-bound nodes per solve (deterministic, unlike a time limit).
NODES = 5000
_SECTION = {"primary": "P", "junior": "J"}


class RotationError(JunhengError):
    """The rule pack has no rotation item, or the cost table no [rotation] settings (Chinese)."""


def kind_deltas(kind: str, section: str, pe_art_given: bool) -> dict[str, float]:
    """Additions to the school-table columns of one teacher of ``kind`` arriving at a section
    (P/J) (a departure is the negation). pe_art_given: the school gives a 体育艺术 total."""
    out: dict[str, float] = {}
    for code, sign in KINDS[kind]:
        for c, a in item_deltas(ITEMS[code], section, _NO_EQUIPMENT, pe_art_given).items():
            out[c] = out.get(c, 0.0) + sign * a
    return {c: a for c, a in out.items() if a != 0}


class _NoEquipment:
    """item_deltas reads equipment_yuan from a cost table; a teacher moved carries no equipment."""

    equipment_yuan = 0.0


_NO_EQUIPMENT = type("_Costs", (), {"items": {c: _NoEquipment() for c in ITEMS}})()


def _profile(kind: str) -> set[str]:
    d = kind_deltas(kind, "P", False)
    return {c[:-2] for c, a in d.items() if a > 0 and c[:-2] in COLUMNS}


@dataclass
class RotationPlan:
    """One county's rotation plan.

    status: optimal (the count of units meeting their teacher indicators is proven) | feasible
    (time limit) | infeasible; moves: ``(from_school_id, to_school_id, level, kind, count)``;
    y: the same as net decisions over the county model's variables (for plan/verify.py);
    info: the quota and counts shown (docs/plan.md "Objective rotation"); blocking: dicts with ``text``."""

    status: str
    moves: list[tuple[str, str, str, str, int]]
    y: np.ndarray | None
    info: dict
    blocking: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def rotation_item(rules: RulePack):
    """The pack's rotation item (check ``rotation``): params min_rotated, min_backbone (percent).
    Raises RotationError when the pack has none."""
    for i in rules.county_items:
        if i.check == "rotation":
            return i
    raise RotationError(f"规则包 {rules.id} 没有交流轮岗条款（check = \"rotation\"），无法编制交流轮岗方案")


def teacher_needs(model: CountyModel, rules: RulePack) -> dict[str, np.ndarray]:
    """Per teacher indicator (one the teacher columns move), shape (n_units,): what each unit
    must reach to meet it — the per-unit threshold and the provincial minimum, the larger; NaN
    where neither applies. Indicators with no need anywhere are still keys (they enter the CVs)."""
    teacher_cols = [j for j, v in enumerate(model.vars) if v.item.section]
    levels = model.units["level"].to_list()
    out = {}
    std = rules.school_standard
    for i in rules.indicators:
        if model.A[i.code].tocsc()[:, teacher_cols].nnz == 0:
            continue
        need = np.full(len(levels), np.nan)
        for u, lv in enumerate(levels):
            parts = []
            if rules.unit_rule is not None and i.threshold is not None:
                parts.append(i.threshold.get(lv))
            if std is not None and i.code in std.minima:
                parts.append(std.minima[i.code].get(lv))
            if parts:
                need[u] = max(parts)
        out[i.code] = need
    return out


class _Lp:
    """A small HiGHS model: columns then rows, minimised."""

    def __init__(self):
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.cost: list[float] = []
        self.integer: list[bool] = []
        self.rows: list[tuple[list[int], list[float], float, float, tuple]] = []

    def col(self, lo=0.0, hi=math.inf, cost=0.0, integer=True) -> int:
        self.lo.append(lo)
        self.hi.append(hi)
        self.cost.append(cost)
        self.integer.append(integer)
        return len(self.lo) - 1

    def row(self, idx, val, lo=-math.inf, hi=math.inf, label=()) -> int:
        self.rows.append((list(idx), list(val), lo, hi, label))
        return len(self.rows) - 1

    def solve(self, time_limit: float, relax: bool = False, gap: float = 1e-6, nodes: int = NODES):
        """Solve; ``nodes`` caps the branch-and-bound nodes (a deterministic limit: the same
        input gives the same plan on a busy machine), ``time_limit`` (s) is only a safety net."""
        inf = highspy.kHighsInf
        h = _new_highs()
        for k, v in (("output_flag", False), ("time_limit", float(time_limit)), ("threads", 1),
                     ("mip_rel_gap", gap), ("mip_max_nodes", int(nodes))):
            h.setOptionValue(k, v)
        n = len(self.lo)
        fin = lambda x: x if math.isfinite(x) else (inf if x > 0 else -inf)  # noqa: E731
        h.addVars(n, np.array([fin(x) for x in self.lo]), np.array([fin(x) for x in self.hi]))
        h.changeColsCost(n, np.arange(n, dtype=np.int32), np.array(self.cost, dtype=np.float64))
        if not relax and any(self.integer):
            ints = np.flatnonzero(self.integer).astype(np.int32)
            h.changeColsIntegrality(len(ints), ints, np.array([highspy.HighsVarType.kInteger] * len(ints)))
        for idx, val, lo, hi, _ in self.rows:
            h.addRow(fin(lo), fin(hi), len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=np.float64))
        h.run()
        return h


@dataclass
class _Setup:
    units: list[tuple[str, str, str]]          # (school_id, level, section)
    kinds: list[str]
    O: np.ndarray                               # column index, shape (n_units, n_kinds)
    I: np.ndarray
    effect: dict[str, np.ndarray]               # indicator → (n_units, n_kinds) per teacher received
    lp: _Lp
    moved: list[int]                            # columns of O
    need_rotated: int
    need_backbone_percent: float
    eligible: float
    cap: int | None
    floor: np.ndarray                           # the least teachers each section keeps
    stock: list[dict]


def _stock(table: pl.DataFrame) -> dict[tuple[str, str], dict]:
    """Per (school_id, section): the counts (nulls 0), classes, pupils and whether the school gives
    a 体育艺术 total that differs from its parts (then that total must not reach 0: the engine
    would switch to the parts)."""
    raw = {r["school_id"]: r for r in table.iter_rows(named=True)}
    out = {}
    for r in prepare(table).iter_rows(named=True):
        for s in ("P", "J"):
            d = {c: float(r[f"{c}_{s}"]) for c in ("teachers", *COLUMNS, "pe_art_teachers", "classes", "students")}
            given = raw[r["school_id"]].get(f"pe_art_teachers_{s}")
            d["pe_art_given"] = bool(given)
            d["pe_art_inconsistent"] = bool(given) and float(given) != sum(d[c] for c in PE_ART_PARTS)
            out[(r["school_id"], s)] = d
    return out


def _setup(model: CountyModel, rules: RulePack, costs: CostTable, limits: Limits, stock: dict,
           county_code: str | None) -> _Setup:
    st = costs.rotation
    item = rotation_item(rules)
    index = {(v.school_id, v.item.code, v.section): j for j, v in enumerate(model.vars)}
    sid, levels = model.units["school_id"].to_list(), model.units["level"].to_list()
    units = [(s, lv, _SECTION[lv]) for s, lv in zip(sid, levels)]
    kinds = list(KINDS)
    lp = _Lp()
    n, K = len(units), len(kinds)
    O = np.zeros((n, K), dtype=int)
    I = np.zeros((n, K), dtype=int)
    rows_of = [stock[(s, sec)] for s, _, sec in units]
    for u, (s, lv, sec) in enumerate(units):
        closed = limits.of(s).closed
        for k in range(K):
            O[u, k] = lp.col(hi=rows_of[u]["teachers"])
            I[u, k] = lp.col(hi=0.0 if closed else math.inf)
    effect = {}
    for code in model.A:
        A = model.A[code].tocsr()
        e = np.zeros((n, K))
        for u, (s, lv, sec) in enumerate(units):
            row = A.getrow(u)
            vals = dict(zip(row.indices.tolist(), row.data.tolist()))
            for k, kind in enumerate(kinds):
                e[u, k] = sum(sign * vals.get(index[(s, c, sec)], 0.0) for c, sign in KINDS[kind])
        effect[code] = e
    # the counts allow the profiles
    profiles = [_profile(k) for k in kinds]
    for u, (s, lv, sec) in enumerate(units):
        r = rows_of[u]
        T0 = r["teachers"]
        for c in COLUMNS:
            has = [O[u, k] for k in range(K) if c in profiles[k]]
            hasnt = [O[u, k] for k in range(K) if c not in profiles[k]]
            lp.row(has, [1.0] * len(has), hi=max(0.0, r[c]), label=("count", s, lv, c, r[c]))
            lp.row(hasnt, [1.0] * len(hasnt), hi=max(0.0, T0 - r[c]), label=("count_without", s, lv, c, T0 - r[c]))
        if r["pe_art_inconsistent"]:
            ks = [kinds.index(p) for p in PE_ART_PARTS]
            lp.row([O[u, k] for k in ks] + [I[u, k] for k in ks], [1.0] * 3 + [-1.0] * 3,
                   hi=r["pe_art_teachers"] - 1, label=("pe_art_total", s, lv))
    # a section keeps enough teachers for its classes
    floor = np.zeros(n)
    for u, (s, lv, sec) in enumerate(units):
        r = rows_of[u]
        m = st.min_teachers_per_class.primary if lv == "primary" else st.min_teachers_per_class.junior
        need = r["teachers"] if r["classes"] <= 0 else math.ceil(m * r["classes"] - 1e-9)
        floor[u] = min(r["teachers"], need)
        lp.row(list(O[u]) + list(I[u]), [1.0] * K + [-1.0] * K, hi=r["teachers"] - floor[u],
               label=("min_teachers", s, lv, floor[u], r["classes"], m))
    # as many sent as received per level and kind; nobody sends to their own school
    for lv in ("primary", "junior"):
        us = [u for u in range(n) if units[u][1] == lv]
        if not us:
            continue
        for k in range(K):
            t = lp.col(integer=True)
            lp.row([O[u, k] for u in us] + [t], [1.0] * len(us) + [-1.0], lo=0.0, hi=0.0, label=("balance", lv))
            lp.row([I[u, k] for u in us] + [t], [1.0] * len(us) + [-1.0], lo=0.0, hi=0.0, label=("balance", lv))
            for u in us:
                lp.row([O[u, k], I[u, k], t], [1.0, 1.0, -1.0], hi=0.0, label=("self", units[u][0], lv))
    # the pack's quota
    eligible_given = st.eligible_teachers.get(county_code or "")
    total = sum(r["teachers"] for r in rows_of)
    eligible = float(eligible_given) if eligible_given is not None else st.eligible_share * total
    need_rot = math.ceil(item.params["min_rotated"] / 100 * eligible - 1e-9)
    moved = [int(c) for c in O.ravel()]
    lp.row(moved, [1.0] * len(moved), lo=need_rot, label=("quota", item.params["min_rotated"], need_rot))
    bb = kinds.index("backbone_teachers")
    share = item.params["min_backbone"] / 100
    if share > 0:
        backbone = set(O[:, bb].tolist())
        lp.row(moved, [(1.0 if c in backbone else 0.0) - share for c in moved], lo=0.0,
               label=("backbone_share", item.params["min_backbone"]))
    cap = None
    if st.max_rotated_percent is not None:
        cap = math.floor(st.max_rotated_percent / 100 * eligible + 1e-9)
        lp.row(moved, [1.0] * len(moved), hi=cap, label=("max_rotated", st.max_rotated_percent, cap))
    return _Setup(units, kinds, O, I, effect, lp, moved, need_rot, item.params["min_backbone"], eligible, cap,
                  floor, rows_of)


def _values(S: _Setup, model: CountyModel, x: np.ndarray) -> dict[str, np.ndarray]:
    net = x[S.I] - x[S.O]
    return {code: model.x0[code] + (S.effect[code] * net).sum(axis=1) for code in model.x0}


def cv2(model: CountyModel, values: dict[str, np.ndarray], codes) -> float:
    """Σ over levels and ``codes`` of the squared pupil-weighted CV (the tie-break, module doc)."""
    total = 0.0
    for lv, g in model.groups.items():
        w = model.weights[g] / model.weights[g].sum()
        for c in codes:
            x = values[c][g]
            mean = float(w @ x)
            if mean > 0:
                total += float(w @ (x - mean) ** 2) / mean ** 2
    return total


def _tangent_points(x0: float, step: float) -> list[float]:
    """Where (x − x̄)² gets a tangent: the lattice x0 + j·step for |j| ≤ LATTICE, sparser beyond
    (_FAR), never below 0."""
    js = list(range(-LATTICE, LATTICE + 1)) + [j for f in _FAR for j in (-f, f)]
    return sorted({x0 + j * step for j in js if x0 + j * step >= -1e-12})


def plan_rotation(model: CountyModel, rules: RulePack, costs: CostTable, limits: Limits, stock: dict,
                  county_code: str | None, *, time_limit: float = 600.0) -> RotationPlan:
    """The rotation plan of one county (module docstring). stock: :func:`_stock` of the table.

    Raises RotationError (Chinese) without a rotation item or settings; returns status
    ``infeasible`` with blocking constraints when the quota cannot be met."""
    if costs.rotation is None:
        raise RotationError("单价文件缺少 [rotation] 设置")
    t0 = time.monotonic()
    S = _setup(model, rules, costs, limits, stock, county_code)
    lp = S.lp
    needs = teacher_needs(model, rules)
    n, K = S.O.shape
    # (1) the most units meeting their teacher indicators, then the most pairs
    p_cols, z_cols = [], []
    pairs = [(u, c) for c, need in needs.items() for u in range(n) if not math.isnan(need[u])]
    eps = 1.0 / (len(pairs) + 1)
    zs_of: dict[int, list[int]] = {}
    for u, c in pairs:
        z = lp.col(hi=1.0, cost=-eps)
        z_cols.append(z)
        zs_of.setdefault(u, []).append(z)
        e = S.effect[c][u]
        need = float(at_least(needs[c][u]))
        lp.row(list(S.I[u]) + list(S.O[u]) + [z], list(e) + list(-e) + [-need], lo=-float(model.x0[c][u]))
    for u, zs in zs_of.items():
        p = lp.col(hi=1.0, cost=-1.0)
        p_cols.append(p)
        for z in zs:
            lp.row([p, z], [1.0, -1.0], hi=0.0)
    info = {"eligible_teachers": S.eligible, "min_rotated_percent": rotation_item(rules).params["min_rotated"],
            "min_backbone_percent": S.need_backbone_percent, "required_rotated": S.need_rotated,
            "max_rotated": S.cap, "teacher_indicators": list(needs)}
    h = lp.solve(time_limit)
    st = h.getModelStatus()
    if st == highspy.HighsModelStatus.kInfeasible:
        return RotationPlan("infeasible", [], None, info, _blocking(S, model), time.monotonic() - t0)
    sol = h.getInfo()
    if sol.primal_solution_status != 2:
        return RotationPlan("infeasible", [], None, info, _blocking(S, model), time.monotonic() - t0)
    x = np.array(h.getSolution().col_value)
    x[lp.integer] = np.round(x[lp.integer])
    proven = st == highspy.HighsModelStatus.kOptimal
    best_p, best_z = int(round(x[p_cols].sum())) if p_cols else 0, int(round(x[z_cols].sum())) if z_cols else 0
    bound_units = best_p if proven else int(math.floor(-float(sol.mip_dual_bound) + 1e-6))
    # (2) with the counts fixed, the least Σ CV² of the teacher indicators
    for c in p_cols + z_cols:
        lp.cost[c] = 0.0
    if p_cols:
        lp.row(p_cols, [1.0] * len(p_cols), lo=best_p - 0.5)
    if z_cols:
        lp.row(z_cols, [1.0] * len(z_cols), lo=best_z - 0.5)
    codes = list(needs)
    for lv, g in model.groups.items():
        w = model.weights[g] / model.weights[g].sum()
        for c in codes:
            mean = float(w @ model.x0[c][g])
            if mean <= 0:
                continue
            for wu, u in zip(w, g):
                e = S.effect[c][u]
                step = float(np.max(np.abs(e)))
                if step == 0:
                    continue
                t = lp.col(lo=0.0, cost=float(wu) / mean ** 2, integer=False)
                x0u = float(model.x0[c][u])
                for a in _tangent_points(x0u, step):
                    d = a - mean
                    # t ≥ 2d(x − x̄) − d², x = x0 + e·(I − O)
                    lp.row(list(S.I[u]) + list(S.O[u]) + [t], list(-2 * d * e) + list(2 * d * e) + [1.0],
                           lo=2 * d * (x0u - mean) - d * d)
    for c in S.moved:
        lp.cost[c] = 1e-7
    h2 = lp.solve(time_limit, gap=CV_GAP)
    sol2 = h2.getInfo()
    if h2.getModelStatus() == highspy.HighsModelStatus.kOptimal or sol2.primal_solution_status == 2:
        x2 = np.array(h2.getSolution().col_value)
        x2[lp.integer] = np.round(x2[lp.integer])
        p2, z2 = _meets(S, model, x2, needs)
        if p2 >= best_p and z2 >= best_z and _feasible(lp, x2):
            x = x2
        bound_cv2 = float(sol2.mip_dual_bound) - 1e-7 * float(x[S.moved].sum())
    else:
        bound_cv2 = math.nan
    values = _values(S, model, x)
    got = cv2(model, values, codes)
    moves = _pairs(S, model, x)
    y = _decisions(S, model, x)
    units_meeting = _meets(S, model, x, needs)[0]
    before_meeting = _meets(S, model, np.zeros_like(x), needs)[0]
    info |= {"rotated": int(x[S.moved].sum()), "backbone_rotated": int(x[S.O[:, S.kinds.index('backbone_teachers')]].sum()),
             "units_with_needs": len(zs_of), "units_meeting_before": before_meeting, "units_meeting_after": units_meeting,
             "bound_units": bound_units, "cv2_before": cv2(model, model.x0, codes), "cv2_after": got,
             "cv2_bound": bound_cv2 if math.isfinite(bound_cv2) else None,
             "cv2_gap": (max(0.0, (got - bound_cv2) / got) if got > 0 and math.isfinite(bound_cv2) else 0.0),
             "min_teachers": {f"{s}_{sec}": float(f) for (s, _, sec), f in zip(S.units, S.floor)}}
    return RotationPlan("optimal" if proven else "feasible", moves, y, info, [], time.monotonic() - t0)


def _feasible(lp: _Lp, x: np.ndarray) -> bool:
    for idx, val, lo, hi, _ in lp.rows:
        a = float(np.dot(val, x[idx]))
        if a < lo - 1e-6 * max(1.0, abs(lo)) or a > hi + 1e-6 * max(1.0, abs(hi)):
            return False
    return True


def _meets(S: _Setup, model: CountyModel, x: np.ndarray, needs: dict[str, np.ndarray]) -> tuple[int, int]:
    """(units meeting all their teacher indicators with a need, (unit, indicator) pairs met)."""
    vals = _values(S, model, x)
    n = S.O.shape[0]
    units, pairs = 0, 0
    for u in range(n):
        have = [(vals[c][u] >= at_least(need[u])) for c, need in needs.items() if not math.isnan(need[u])]
        pairs += sum(have)
        units += bool(have) and all(have)
    return units, pairs


def _decisions(S: _Setup, model: CountyModel, x: np.ndarray) -> np.ndarray:
    """Net moves as decisions over the model's variables (may be negative)."""
    index = {(v.school_id, v.item.code, v.section): j for j, v in enumerate(model.vars)}
    y = np.zeros(len(model.vars))
    for u, (s, lv, sec) in enumerate(S.units):
        for k, kind in enumerate(S.kinds):
            net = x[S.I[u, k]] - x[S.O[u, k]]
            for code, sign in KINDS[kind]:
                y[index[(s, code, sec)]] += sign * net
    return y


def _pairs(S: _Setup, model: CountyModel, x: np.ndarray) -> list[tuple[str, str, str, str, int]]:
    """Senders paired with receivers per level and kind, never a school with itself, preferring
    pairs in the same township (a transportation LP; its vertices are whole numbers)."""
    town = dict(zip(model.units["school_id"].to_list(), model.units["township"].to_list()))
    out = []
    for lv in ("primary", "junior"):
        us = [u for u in range(len(S.units)) if S.units[u][1] == lv]
        for k, kind in enumerate(S.kinds):
            snd = [(u, int(x[S.O[u, k]])) for u in us if x[S.O[u, k]] > 0]
            rcv = [(v, int(x[S.I[v, k]])) for v in us if x[S.I[v, k]] > 0]
            if not snd:
                continue
            lp = _Lp()
            arcs = {}
            for u, _ in snd:
                for v, _ in rcv:
                    if S.units[u][0] != S.units[v][0]:
                        same = town.get(S.units[u][0]) == town.get(S.units[v][0]) and town.get(S.units[u][0])
                        arcs[(u, v)] = lp.col(cost=0.0 if same else 1.0, integer=False)
            for u, q in snd:
                cs = [c for (a, _), c in arcs.items() if a == u]
                lp.row(cs, [1.0] * len(cs), lo=q, hi=q)
            for v, q in rcv:
                cs = [c for (_, b), c in arcs.items() if b == v]
                lp.row(cs, [1.0] * len(cs), lo=q, hi=q)
            h = lp.solve(30.0, relax=True)
            f = np.array(h.getSolution().col_value)
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal or np.abs(f - np.round(f)).max(initial=0) > 1e-6:
                raise RuntimeError("rotation moves could not be paired")  # excluded by the O + I ≤ T rows
            for (u, v), c in arcs.items():
                q = int(round(f[c]))
                if q > 0:
                    out.append((S.units[u][0], S.units[v][0], lv, kind, q))
    return sorted(out, key=lambda m: (m[2] != "primary", m[0], m[1], S.kinds.index(m[3])))


def _blocking(S: _Setup, model: CountyModel) -> list[dict]:
    """Why the quota cannot be met: the quota rows made elastic, the shortfall minimised as an LP;
    the quota short and the limits with a non-zero dual (each school and limit) are named."""
    lp = S.lp
    elastic = _Lp()
    elastic.lo, elastic.hi, elastic.integer = list(lp.lo), list(lp.hi), list(lp.integer)
    elastic.cost = [0.0] * len(lp.lo)
    quota = []
    for r, (idx, val, lo, hi, label) in enumerate(lp.rows):
        if label and label[0] in ("quota", "backbone_share"):
            s = elastic.col(lo=0.0, cost=1.0, integer=False)
            elastic.row(idx + [s], val + [1.0], lo, hi, label)
            quota.append((r, s, label))
        else:
            elastic.row(idx, val, lo, hi, label)
    h = elastic.solve(30.0, relax=True)
    x = np.array(h.getSolution().col_value)
    duals = np.array(h.getSolution().row_dual)
    col_duals = np.array(h.getSolution().col_dual)
    names = dict(zip(model.units["school_id"].to_list(), model.units["name"].to_list()))
    out = []
    for r, s, label in quota:
        if x[s] > 1e-6:
            out.append({"school_id": None, "item": label[0], "reason": "rotation_" + label[0], "level": None,
                        "short": float(x[s]), "label": label})
    if not out:  # whole numbers only: the relaxation meets the quota
        out.append({"school_id": None, "item": "quota", "reason": "rotation_quota", "level": None, "short": None,
                    "label": ("quota", 0, S.need_rotated)})
    seen = set()
    backbone_short = any(b["item"] == "backbone_share" for b in out)
    for r, (idx, val, lo, hi, label) in enumerate(elastic.rows):
        if not label or label[0] in ("quota", "backbone_share", "balance") or abs(duals[r]) < 1e-9:
            continue
        # a profile's count limits the backbone share; for the head count the duals of such rows
        # only mirror the teachers a school has (degenerate), which min_teachers / self name better
        if label[0] in ("count", "count_without") and not (backbone_short and label[3] == "backbone_teachers"):
            continue
        key = label[:3] if label[0] != "max_rotated" else label
        if key in seen:
            continue
        seen.add(key)
        out.append({"school_id": label[1] if label[0] not in ("max_rotated",) else None, "item": label[0],
                    "reason": "rotation_" + label[0], "level": label[2] if label[0] != "max_rotated" else None,
                    "label": label, "name": names.get(label[1]) if label[0] != "max_rotated" else None})
    for u, (s, lv, _) in enumerate(S.units):  # closed schools whose "receives nobody" binds
        if any(abs(col_duals[S.I[u, k]]) > 1e-9 and lp.hi[S.I[u, k]] == 0.0 for k in range(len(S.kinds))):
            out.append({"school_id": s, "item": "closed", "reason": "rotation_closed", "level": lv,
                        "label": ("closed", s, lv), "name": names.get(s)})
    return out
