"""How much of each resource a unit lacks to reach a target (下一步工作 / 补短板测算).

Under a rule pack with per-unit thresholds (quality-2017) the target is the threshold of the unit's
level; otherwise (basic-2012) it is the county mean of the level (``IndicatorStat.mean``), which is
the usual target of a basic-balance rectification plan. Every input is read from the Assessment:
the unit's indicator value X, its pupils P, the indicator's ``per`` and the target T; the amount
missing is (T − X) · P / per in the unit of the numerator (㎡, 元, 台, 册, 间, 人). Discrete
resources are rounded up to whole units, money up to 0.01 万元 (100 元), areas up to 1 ㎡.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import polars as pl

from ...core.result import Assessment, CountyResult
from .numbers import fmt_wan

#: numerator → (resource as written in a plan, unit, rounding step in that unit).
RESOURCES: dict[str, tuple[str, str, float]] = {
    "teaching_area": ("教学及辅助用房", "㎡", 1),
    "sports_area": ("体育运动场馆", "㎡", 1),
    "equipment_value_yuan": ("教学仪器设备", "元", 100),
    "teaching_computers": ("教学用计算机", "台", 1),
    "books": ("图书", "册", 1),
    "multimedia_rooms": ("网络多媒体教室", "间", 1),
    "teachers": ("专任教师", "人", 1),
    "qualified_teachers": ("高于规定学历教师", "人", 1),
    "senior_title_teachers": ("中级及以上职称教师", "人", 1),
    "backbone_teachers": ("县级以上骨干教师", "人", 1),
    "pe_art_teachers": ("体育和艺术专任教师", "人", 1),
}


@dataclass(frozen=True)
class Shortfall:
    """One unit's gap on one indicator. value/target: indicator values (indicator unit);
    amount: the resource missing, rounded up (``unit``: ㎡, 元, 台, 册, 间 or 人)."""

    school_id: str
    name: str
    level: str
    students: int
    code: str
    indicator: str
    value: float
    target: float
    resource: str
    unit: str
    amount: float
    unit_passed: bool | None

    @property
    def text(self) -> str:
        """“教学及辅助用房 320㎡” / “教学仪器设备 12.30万元” / “骨干教师 2人”."""
        if self.unit == "元":
            return f"{self.resource}{fmt_wan(self.amount)}"
        return f"{self.resource}{int(self.amount)}{self.unit}"


def _round_up(x: float, step: float) -> float:
    # 1e-9 absorbs floating noise so that an exact 320 ㎡ is not shown as 321.
    return math.ceil(x / step - 1e-9) * step


def shortfalls(a: Assessment, c: CountyResult, *, failing_only: bool = True,
               every_unit: bool = False) -> list[Shortfall]:
    """Gaps of the units of one county, in unit order (level, then the unit frame's order).

    Under a unit rule: every indicator a unit does not meet (``meets_<code>`` false), for the units
    failing the unit rule (``failing_only``) or for all units. Without one: every indicator below
    the county mean, for the units listed by :func:`junheng.core.trace.weakest_units` (up to 10
    per level). every_unit: examine every unit of the county (no failing/weakest selection), as
    the 整改台账 does to decide whether one unit's gap is filled (docs/ledgers.md). Returns []
    when nothing falls short.
    """
    from ...core.trace import weakest_units

    rules = a.rules
    units = a.units_of(c.county_key)
    out: list[Shortfall] = []
    for level, lv in c.levels.items():
        u = units.filter(pl.col("level") == level)
        if every_unit:
            pass
        elif rules.unit_rule is not None:
            if failing_only:
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
                    if not r[ind.code] < target:
                        continue
                resource, unit, step = RESOURCES[ind.numerator]
                need = (target - r[ind.code]) * r["students"] / ind.per
                if need <= 0:
                    continue
                out.append(Shortfall(r["school_id"], r["name"], level, int(r["students"]), ind.code, ind.name,
                                     r[ind.code], target, resource, unit, _round_up(need, step),
                                     r.get("passed") if rules.unit_rule is not None else None))
    return out


def totals(items: list[Shortfall]) -> dict[tuple[str, str], tuple[str, str, float]]:
    """Sum of the amounts per (level, resource): {(level, resource): (resource, unit, amount)},
    in first-seen order."""
    out: dict[tuple[str, str], tuple[str, str, float]] = {}
    for s in items:
        key = (s.level, s.resource)
        prev = out.get(key)
        out[key] = (s.resource, s.unit, (prev[2] if prev else 0.0) + s.amount)
    return out
