"""What the 自评报告 says each listed unit lacks (下一步工作 / 补足资源测算), read from the planner.

The gaps (units, indicators, targets: the unit threshold under a pack with per-unit thresholds,
quality-2017; the county mean of the level otherwise, basic-2012) and the least-cost quantities
per *school* that fill them come from plan/fill.py, i.e. from the planner's physical model: a
九年一贯制 school or 完全中学 builds or buys once for both sections (the engine's split), and a hired
teacher counts for every column the item adds to. This module only turns a plan/fill.Fill into
per-unit rows for the report, its Excel list and the 整改台账 (a unit's gap with the needs that fill
it). No arithmetic on resources here.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import polars as pl

from ...plan.fill import Fill, Gap, Need

#: numerator → (resource as written in a sentence, unit, rounding step): the words
#: phrases.shortfall_sentence uses for a unit that has none of a resource.
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
class Shortfall(Gap):
    """One unit's gap on one indicator (the fields of plan/fill.Gap) with the needs of its school
    that fill it (plan/fill.Need: a shared purchase of a nine-year school appears under both its
    units, and is counted once in every total)."""

    needs: tuple[Need, ...] = ()

    @property
    def text(self) -> str:
        """“教学及辅助用房320㎡” / “教学仪器设备12.30万元、网络多媒体教室2间” (the needs, joined)."""
        return "、".join(n.text for n in self.needs)


def shortfalls(fill: Fill) -> list[Shortfall]:
    """The gaps of one county's 测算 (plan/fill.Fill), in unit order, each with its needs."""
    return [Shortfall(**{f.name: getattr(g, f.name) for f in fields(Gap)}, needs=fill.needs_of(g)) for g in fill.gaps]


def county_fill(table: pl.DataFrame, a, c, costs=None, years: int = 3, *, every_unit: bool = False) -> Fill | None:
    """The Fill of county ``c`` of assessment ``a`` from the canonical school ``table`` (its rows
    of other counties are ignored); costs: plan/costs.CostTable (default: load_costs()). None
    when the table has no unit of the county (nothing can be measured)."""
    from ...core.units import county_key
    from ...plan.costs import load_costs
    from ...plan.fill import fills

    rows = table.filter(county_key(table.columns) == c.county_key)
    if rows.height == 0:
        return None
    return fills(rows, a.rules, costs or load_costs(), years=years, every_unit=every_unit).get(c.county_key)
