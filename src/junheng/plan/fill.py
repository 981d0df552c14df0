"""补足资源测算: the least-cost build / buy / hire per *school* that brings every listed unit to its
targets, solved on the planner's physical model (plan/model.py) — so the report's 补足资源测算 and
``junheng plan`` use one model of what a purchase does (docs/plan.md §13, docs/report.md).

The gaps (which units, which indicators, which targets) are those the 自评报告 lists:
* a pack with a per-unit rule (quality-2017): the units failing the rule; each indicator a unit
  does not meet (the engine's ``meets_<code>``) must reach the pack's threshold of its level;
* otherwise (basic-2012): the weakest units of each level (core/trace.weakest_units, up to 10);
  each indicator below the county mean of the level (``IndicatorStat.mean``) must reach that mean.
``every_unit``: every unit of the county is examined (the 整改台账 uses it to decide whether one
unit's gap is filled).

The quantities: the integer program min Σ cost_j·y_j subject to x0_uk + A_k[u]·y ≥ target_uk for
every gap (u, k), over the build, buy and hire items only (plan/items.py; training, designating and
promoting existing teachers are plan options, not resources a unit lacks), whole units where the
planner has them, solved by HiGHS (plan/solve._Milp). A 九年一贯制 school or 完全中学 buys once: the
engine's split (core/units.py, docs/rules.md §3) is in the model's coefficients, so a shared
purchase serves both sections and is never counted twice; a hired teacher counts for every column
the item adds to (a backbone teacher is also a teacher, qualified and of 中级 title). Equipment
value is rounded up to whole 100 元 afterwards (shown in 万元 with two decimals). No per-school
limits apply: the 测算 states what the standard asks, whatever the site allows.
Pure: tables in, a Fill per county out.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from ..core.result import Assessment, CountyResult
from ..rules.loader import RulePack
from .costs import CostTable, Limits
from .items import ITEMS
from .model import CountyModel, build_models, prefer_plain
from .solve import _Milp, at_least
from .verify import actions_of

#: The actions the 补足资源测算 uses: resources a unit lacks (not options on existing teachers).
ACTIONS = ("build", "buy", "hire")
#: Rounding step (元) of an equipment value in the 测算.
EQUIPMENT_STEP = 100
_SECTION_LEVEL = {"P": "primary", "J": "junior"}


@dataclass(frozen=True)
class Gap:
    """One unit short of one indicator's target. value, target: indicator values (indicator unit);
    unit_passed: the unit's verdict under a per-unit rule (None without one)."""

    school_id: str
    name: str
    level: str
    students: int
    code: str
    indicator: str
    value: float
    target: float
    unit_passed: bool | None


@dataclass(frozen=True)
class Need:
    """One item to build, buy or hire at one school. cost_item: the plan/items.py code; section:
    ``P`` / ``J`` for teachers (None for whole-school items); unit: ㎡, 元, 台, 册, 间 or 人;
    quantity: whole units (元: whole 100 元); amount_yuan: quantity × unit price (元; per year when
    ``recurring``); gaps: the (level, indicator code) of the school's gaps it raises."""

    school_id: str
    name: str
    cost_item: str
    section: str | None
    unit: str
    quantity: float
    amount_yuan: float
    recurring: bool
    gaps: tuple[tuple[str, str], ...]

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels (units of the school) it serves, primary first."""
        return tuple(lv for lv in ("primary", "junior") if any(g[0] == lv for g in self.gaps))

    @property
    def label(self) -> str:
        """“教学及辅助用房” / “体育教师（初中）” (plan/text.py names)."""
        from .text import ITEM_NAMES, SECTION_NAMES

        name = ITEM_NAMES[self.cost_item]
        if not self.section:
            return name
        if name.endswith("）"):  # 专任教师（高于规定学历，小学）
            return f"{name[:-1]}，{SECTION_NAMES[self.section]}）"
        return f"{name}（{SECTION_NAMES[self.section]}）"

    @property
    def text(self) -> str:
        """“教学及辅助用房320㎡” / “教学仪器设备12.30万元” / “体育教师（初中）2人”."""
        from ..report.narrative.numbers import fmt_wan

        if self.unit == "元":
            return f"{self.label}{fmt_wan(self.quantity)}"
        return f"{self.label}{int(self.quantity)}{self.unit}"


@dataclass(frozen=True)
class Fill:
    """The 补足资源测算 of one county: target ``threshold`` (单校标准) or ``mean`` (全县平均水平),
    the gaps (unit order: level, then the unit frame's order; indicators in pack order), the
    needs (school order, then plan/items.py order) and the same decisions as plan actions
    (plan/verify.actions_of: what verify.apply_actions adds to the school table)."""

    county_key: str
    target: str
    gaps: tuple[Gap, ...]
    needs: tuple[Need, ...]
    actions: tuple[dict, ...] = ()

    def needs_of(self, g: Gap) -> tuple[Need, ...]:
        """The needs at g's school that raise g's indicator of g's unit."""
        return tuple(n for n in self.needs if n.school_id == g.school_id and (g.level, g.code) in n.gaps)

    def totals(self) -> list[tuple[str, str, float]]:
        """(item name, unit, quantity) summed over schools and sections, in plan/items.py order."""
        return [(name, unit, q) for name, unit, q, _, _ in self.item_totals()]

    def item_totals(self) -> list[tuple[str, str, float, float, bool]]:
        """(item name, unit, quantity, amount in 元, recurring) per item summed over schools and
        sections, in plan/items.py order (recurring amounts are per year)."""
        from .text import ITEM_NAMES

        qty: dict[str, float] = {}
        amount: dict[str, float] = {}
        recurring: dict[str, bool] = {}
        for n in self.needs:
            qty[n.cost_item] = qty.get(n.cost_item, 0.0) + n.quantity
            amount[n.cost_item] = amount.get(n.cost_item, 0.0) + n.amount_yuan
            recurring[n.cost_item] = n.recurring
        return [(ITEM_NAMES[c], ITEMS[c].unit, qty[c], amount[c], recurring[c]) for c in ITEMS if c in qty]

    @property
    def capital_yuan(self) -> float:
        return sum(n.amount_yuan for n in self.needs if not n.recurring)

    @property
    def recurring_yuan_per_year(self) -> float:
        return sum(n.amount_yuan for n in self.needs if n.recurring)


def select_gaps(a: Assessment, c: CountyResult, *, every_unit: bool = False) -> list[Gap]:
    """The gaps of one county the 测算 fills (module docstring), in unit order."""
    from ..core.trace import weakest_units

    rules = a.rules
    units = a.units_of(c.county_key)
    out: list[Gap] = []
    for level, lv in c.levels.items():
        u = units.filter(pl.col("level") == level)
        if every_unit:
            pass
        elif rules.unit_rule is not None:
            u = u.filter(~pl.col("passed"))
        else:
            ids = weakest_units(a, c.county_key, level)["school_id"].to_list()
            u = u.filter(pl.col("school_id").is_in(ids))
        for r in u.iter_rows(named=True):
            for ind in rules.indicators:
                if rules.unit_rule is not None:
                    if r[f"meets_{ind.code}"]:
                        continue
                    target = ind.threshold.get(level)
                else:
                    target = lv.indicators[ind.code].mean
                    if not r[ind.code] < at_least(target):
                        continue
                out.append(Gap(r["school_id"], r["name"], level, int(r["students"]), ind.code, ind.name,
                               r[ind.code], target, r.get("passed") if rules.unit_rule is not None else None))
    return out


def solve_gaps(model: CountyModel, gaps: list[Gap], costs: CostTable, time_limit: float = 60.0) -> np.ndarray:
    """The least-cost whole-number decisions y (shape (n_vars,)) of ``model`` meeting every gap's
    target, build/buy/hire items only (module docstring), before rounding the equipment value.
    A gap no item can raise is left out. Raises RuntimeError when HiGHS finds no plan (it always
    exists without limits)."""
    row_of = {(sid, lv): k for k, (sid, lv) in enumerate(zip(model.units["school_id"].to_list(),
                                                                model.units["level"].to_list()))}
    lp = _Milp(model, time_limit)
    for j, v in enumerate(model.vars):
        if v.item.action not in ACTIONS:
            lp.upper[j] = 0.0
    for g in gaps:
        u = row_of[(g.school_id, g.level)]
        row = model.A[g.code].getrow(u)
        if row.nnz == 0:
            continue
        lp.row(row.indices.tolist(), row.data.tolist(), lo=at_least(g.target) - model.x0[g.code][u])
    for idx, coef, hi, _ in model.rows:
        lp.row(idx, coef, hi=hi)
    lp.z = np.zeros(0)
    lp.build()
    _, y, _ = lp.solve()
    if y is None:
        raise RuntimeError("no plan fills the gaps")
    return prefer_plain(model, y)


def rounded(model: CountyModel, y: np.ndarray) -> np.ndarray:
    """y with the equipment value (元) rounded up to whole EQUIPMENT_STEP (only raises indicators)."""
    y = y.copy()
    for j, v in enumerate(model.vars):
        if v.item.code == "equipment_value_yuan" and y[j] > 0:
            y[j] = math.ceil(y[j] / EQUIPMENT_STEP - 1e-9) * EQUIPMENT_STEP
    return y


def _needs(model: CountyModel, y: np.ndarray, gaps: list[Gap], costs: CostTable) -> list[Need]:
    row_of = {(sid, lv): k for k, (sid, lv) in enumerate(zip(model.units["school_id"].to_list(),
                                                                model.units["level"].to_list()))}
    names = dict(zip(model.units["school_id"].to_list(), model.units["name"].to_list()))
    by_school: dict[str, list[Gap]] = {}
    for g in gaps:
        by_school.setdefault(g.school_id, []).append(g)
    out = []
    order = {c: k for k, c in enumerate(ITEMS)}
    picked = sorted((j for j in range(len(y)) if y[j] > 0),
                    key=lambda j: (model.vars[j].school_id, order[model.vars[j].item.code], model.vars[j].section or ""))
    for j in picked:
        v = model.vars[j]
        served = tuple((g.level, g.code) for g in by_school.get(v.school_id, ())
                       if model.A[g.code][row_of[(g.school_id, g.level)], j] > 0)
        price = costs.items[v.item.code]
        q = float(y[j])
        out.append(Need(v.school_id, names.get(v.school_id, v.school_id), v.item.code, v.section, v.item.unit, q,
                        price.yuan * q, price.kind == "recurring", served))
    return out


def fills(table: pl.DataFrame, rules: RulePack, costs: CostTable, *, years: int = 3, every_unit: bool = False,
          base: Assessment | None = None) -> dict[str, Fill]:
    """{county_key: Fill} of every county of ``table`` (canonical school table) under ``rules``.

    costs: unit costs (choose the cheapest items; recurring ones count ``years`` years, as in
    ``junheng plan``); base: the assessment of ``table`` under ``rules`` when already made.
    Runs the engine once per item (plan/model.build_models) and one small HiGHS program per county.
    """
    base, models = build_models(table, rules, costs, Limits(), years, base=base)
    target = "threshold" if rules.unit_rule is not None else "mean"
    out = {}
    for c in base.counties:
        gaps = select_gaps(base, c, every_unit=every_unit)
        m = models.get(c.county_key)
        if not gaps or m is None:
            out[c.county_key] = Fill(c.county_key, target, tuple(gaps), ())
            continue
        y = rounded(m, solve_gaps(m, gaps, costs))
        out[c.county_key] = Fill(c.county_key, target, tuple(gaps), tuple(_needs(m, y, gaps, costs)),
                                 tuple(actions_of(m, y, costs, table)))
    return out

