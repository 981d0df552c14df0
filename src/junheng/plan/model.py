"""The physical model of the planner: decision variables per school (and per section for
teachers) and their exact, linear effect on every unit's indicators (docs/plan.md §1).

The effect is not re-derived here: for each item, the unchanged engine (core/assess.py) assesses
the school table with that item added at every school that is a unit, and the change of each
unit's indicator values is the coefficient. The engine splits whole-school resources between
sections by weighted enrolment (core/units.py, docs/rules.md §3) and moves indoor sports area to
the sports indicator, so the model does exactly what the assessment does. Pupils are not changed
by any decision, so every indicator is linear in the decisions (value = numerator × per / pupils).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from scipy import sparse

from ..core.assess import assess
from ..core.result import Assessment
from ..core.units import KEY, prepare
from ..rules.loader import RulePack
from .costs import CostTable, Limits
from .items import ITEMS, PE_ART_PARTS, SECTIONS, Item

#: Quantity added in the perturbed assessments (a power of two: the division is exact).
_SCALE = 64.0
_LEVEL_SECTION = {"primary": "P", "junior": "J"}


@dataclass(frozen=True)
class Var:
    """One decision: a quantity of ``item`` at school ``school_id`` (``section`` P/J for teacher
    items, None for whole-school items); cost: 元 counted per unit in the objective (capital once,
    recurring × years); upper: the most allowed (inf when unlimited)."""

    school_id: str
    item: Item
    section: str | None
    cost: float
    upper: float


@dataclass
class CountyModel:
    """The planning model of one county.

    units: the county's unit rows of the base assessment (order of the matrices' rows); vars: the
    decisions (order of the columns); x0[code]: shape (n_units,), indicator values now;
    A[code]: sparse (n_units, n_vars), the change of the indicator per unit of each decision;
    groups: per level present, the row indices of its units; weights: shape (n_units,), pupils;
    rows: extra linear rows ``(indices, coefficients, upper)`` meaning Σ coef·y ≤ upper (shared
    caps, teachers available for designation and promotion), each with a label for diagnosis.
    """

    county_key: str
    units: pl.DataFrame
    vars: list[Var]
    x0: dict[str, np.ndarray]
    A: dict[str, sparse.csr_matrix]
    groups: dict[str, np.ndarray]
    weights: np.ndarray
    rows: list[tuple[list[int], list[float], float, tuple[str, str]]] = field(default_factory=list)

    def values(self, y: np.ndarray) -> dict[str, np.ndarray]:
        """Indicator values of every unit after decisions ``y`` (shape (n_vars,))."""
        return {k: self.x0[k] + self.A[k] @ y for k in self.x0}


def item_deltas(item: Item, section: str | None, costs: CostTable, pe_art_given: bool) -> dict[str, float]:
    """Additions to the school-table columns (docs/data-dictionary.md codes) of one unit of ``item``.

    pe_art_given: the school gives a 体育艺术 total (``pe_art_teachers_<s>`` non-zero), which the
    engine then uses instead of the sum of PE, music and art teachers (core/units.prepare), so a
    hired PE, music or art teacher adds to that total too. Computers and multimedia rooms add
    ``equipment_yuan`` of the cost table to the equipment value.
    """
    out: dict[str, float] = {}
    for col in item.adds:
        name = f"{col}_{section}" if item.section else col
        out[name] = out.get(name, 0.0) + 1.0
    if item.section and pe_art_given and any(c in PE_ART_PARTS for c in item.adds):
        out[f"pe_art_teachers_{section}"] = 1.0
    extra = costs.items[item.code].equipment_yuan
    if extra:
        out["equipment_value_yuan"] = out.get("equipment_value_yuan", 0.0) + extra
    return out


def _given_pe_art(table: pl.DataFrame, s: str) -> pl.Expr:
    c = f"pe_art_teachers_{s}"
    return (pl.col(c).fill_null(0) != 0) if c in table.columns else pl.lit(False)


def _perturbed(table: pl.DataFrame, item: Item, costs: CostTable, at: pl.Expr) -> pl.DataFrame:
    """The table with _SCALE units of ``item`` added at the schools where ``at`` holds (both
    sections for a teacher item)."""
    sections = SECTIONS if item.section else (None,)
    adds: dict[str, pl.Expr] = {}
    for s in sections:
        for given in (False, True):
            cond = at & (_given_pe_art(table, s) if given else ~_given_pe_art(table, s)) if s else at
            if s is None and given:
                continue
            for col, amount in item_deltas(item, s, costs, given).items():
                term = pl.when(cond).then(pl.lit(amount * _SCALE)).otherwise(0.0)
                adds[col] = adds[col] + term if col in adds else term
    missing = [pl.lit(0.0).alias(c) for c in adds if c not in table.columns]
    t = table.with_columns(missing) if missing else table
    return t.with_columns((pl.col(c).cast(pl.Float64).fill_null(0.0) + e).alias(c) for c, e in adds.items())


def build_models(table: pl.DataFrame, rules: RulePack, costs: CostTable, limits: Limits, years: int,
                 base: Assessment | None = None) -> tuple[Assessment, dict[str, CountyModel]]:
    """The base assessment and one CountyModel per county of ``table`` (canonical school table).

    Decisions exist at schools that are units of the base assessment (in scope and not merged
    into another); a closed school (limits) gets none (upper 0). years ≥ 1 scales recurring costs
    and the per-year caps of the cost table. Runs the engine once plus once per item.
    """
    base = base or assess(table, rules)
    units = base.units
    unit_schools = set(units["school_id"].to_list())
    at = pl.col("school_id").is_in(list(unit_schools))
    codes = [i.code for i in rules.indicators]
    x_base = {k: units[k].to_numpy().astype(np.float64) for k in codes}
    effects: dict[str, dict[str, np.ndarray]] = {}
    for item in ITEMS.values():
        moved = assess(_perturbed(table, item, costs, at), rules).units
        if moved.height != units.height or moved["school_id"].to_list() != units["school_id"].to_list():
            raise RuntimeError("perturbed assessment changed the units")  # decisions never change scope
        effects[item.code] = {k: (moved[k].to_numpy() - x_base[k]) / _SCALE for k in codes}
    schools = prepare(table).select("school_id", *[f"{c}_{s}" for c in ("teachers", "qualified_teachers",
                                                                          "backbone_teachers", "senior_title_teachers")
                                                   for s in SECTIONS])
    stock = {r["school_id"]: r for r in schools.iter_rows(named=True)}
    models = {}
    for key in [c.county_key for c in base.counties]:
        rows_idx = np.flatnonzero((units[KEY] == key).to_numpy())
        if rows_idx.size == 0:
            continue
        models[key] = _county_model(key, units[rows_idx], rows_idx, effects, x_base, codes, costs, limits, years, stock)
    return base, models


def _county_model(key, cu: pl.DataFrame, rows_idx, effects, x_base, codes, costs, limits, years, stock) -> CountyModel:
    sid = cu["school_id"].to_list()
    levels = cu["level"].to_list()
    vars_: list[Var] = []
    entries: dict[str, tuple[list, list, list]] = {k: ([], [], []) for k in codes}
    index: dict[tuple[str, str, str | None], int] = {}
    for item in ITEMS.values():
        eff = effects[item.code]
        for r, (school, level) in enumerate(zip(sid, levels)):
            section = _LEVEL_SECTION[level] if item.section else None
            vk = (school, item.code, section)
            if vk not in index:
                lim = limits.of(school)
                ub = math.inf
                if lim.closed:
                    ub = 0.0
                cap = getattr(lim, item.code)
                if cap is not None:
                    ub = min(ub, float(cap))
                per_year = costs.items[item.code].max_per_school_per_year
                if per_year is not None:
                    ub = min(ub, float(per_year * years))
                if item.eligible is not None and item.code == "train_qualified_teachers":
                    st = stock[school]
                    ub = min(ub, max(0.0, st[f"teachers_{section}"] - st[f"qualified_teachers_{section}"]))
                index[vk] = len(vars_)
                vars_.append(Var(school, item, section, costs.objective(item.code, years), ub))
            j = index[vk]
            for k in codes:
                a = eff[k][rows_idx[r]]
                if abs(a) > 1e-12 * max(1.0, abs(x_base[k][rows_idx[r]])):  # float noise of the difference
                    e = entries[k]
                    e[0].append(r)
                    e[1].append(j)
                    e[2].append(a)
    n, m = cu.height, len(vars_)
    A = {k: sparse.csr_matrix((e[2], (e[0], e[1])), shape=(n, m)) for k, e in entries.items()}
    x0 = {k: x_base[k][rows_idx] for k in codes}
    groups = {lv: np.flatnonzero(np.array(levels) == lv) for lv in ("primary", "junior") if lv in levels}
    model = CountyModel(key, cu, vars_, x0, A, groups, cu["students"].to_numpy().astype(np.float64))
    model.rows = _shared_rows(vars_, index, limits, stock)
    return model


def _shared_rows(vars_, index, limits, stock):
    """Caps over several decisions: building_m2 (teaching + indoor sports area), an item cap over
    both sections, and the teachers available for designation and promotion in a section."""
    rows = []
    schools = sorted({v.school_id for v in vars_})
    hires = [c for c, i in ITEMS.items() if i.action == "hire"]
    for school in schools:
        lim = limits.of(school)
        if lim.building_m2 is not None:
            idx = [index[k] for k in ((school, "teaching_area_m2", None), (school, "indoor_sports_m2", None)) if k in index]
            rows.append((idx, [1.0] * len(idx), float(lim.building_m2), (school, "building_m2")))
        for code, item in ITEMS.items():
            cap = getattr(lim, code)
            if item.section and cap is not None:
                idx = [index[k] for k in ((school, code, s) for s in SECTIONS) if k in index]
                if len(idx) > 1:
                    rows.append((idx, [1.0] * len(idx), float(cap), (school, code)))
        st = stock[school]
        for s in SECTIONS:
            for code, part in (("designate_backbone_teachers", "backbone_teachers"),
                               ("promote_senior_title_teachers", "senior_title_teachers")):
                if (school, code, s) not in index:
                    continue
                # part0 + (backbone hires) + option ≤ teachers0 + all hires
                idx = [index[(school, code, s)]] + [index[(school, h, s)] for h in hires if h != "backbone_teachers"]
                coef = [1.0] + [-1.0] * (len(idx) - 1)
                rows.append((idx, coef, max(0.0, st[f"teachers_{s}"] - st[f"{part}_{s}"]), (school, code)))
    return rows


def prefer_plain(model: CountyModel, y: np.ndarray) -> np.ndarray:
    """y with every purchase moved to the earliest item (plan/items.py order) at the same school and
    section that has exactly the same effect for the same cost: when decision j's coefficients are
    q times decision i's on every indicator and every shared row (model.rows), q·cost_i = cost_j
    and i has room, the y_j units of j become q·y_j units of i. The cost and every indicator stay
    as they are (an exact tie of the optimisation), but a plan no longer buys 教学用计算机 for the
    equipment value under a pack that does not count computers, nor hires 美术教师 where any
    体育艺术 teacher would do (the first of 体育、音乐、美术 is named). q must be a positive integer.
    """
    coef: list[dict] = [dict() for _ in model.vars]  # per decision: its non-zero coefficients
    for k, a in model.A.items():
        c = a.tocsc()
        for j in range(len(model.vars)):
            lo, hi = c.indptr[j], c.indptr[j + 1]
            for r, v in zip(c.indices[lo:hi], c.data[lo:hi]):
                coef[j][(k, int(r))] = float(v)
    for r, (idx, val, _, _) in enumerate(model.rows):
        for j, v in zip(idx, val):
            coef[j][("row", r)] = coef[j].get(("row", r), 0.0) + float(v)
    y = y.copy()
    rank = {c: k for k, c in enumerate(ITEMS)}
    where: dict[tuple[str, str | None], list[int]] = {}
    for j, v in enumerate(model.vars):
        where.setdefault((v.school_id, v.section), []).append(j)
    for js in where.values():
        for j in js:
            if y[j] <= 0 or not coef[j]:
                continue
            for i in js:
                if i == j or model.vars[i].item.code == model.vars[j].item.code:
                    continue
                if rank[model.vars[i].item.code] > rank[model.vars[j].item.code]:
                    continue
                if coef[i].keys() != coef[j].keys():
                    continue
                key = next(iter(coef[j]))
                q = coef[j][key] / coef[i][key]
                if q <= 0 or abs(q - round(q)) > 1e-9 * max(1.0, q):
                    continue
                q = float(round(q))
                if not all(math.isclose(coef[j][k], q * coef[i][k], rel_tol=1e-9, abs_tol=1e-12) for k in coef[j]):
                    continue
                if not math.isclose(model.vars[j].cost, q * model.vars[i].cost, rel_tol=1e-12):
                    continue
                if y[i] + q * y[j] > model.vars[i].upper:
                    continue
                y[i] += q * y[j]
                y[j] = 0.0
                break
    return y
