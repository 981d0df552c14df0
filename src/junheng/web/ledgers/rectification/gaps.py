"""The indicator gaps of a snapshot, read from the core result (never recomputed here).

A gap is one unit short of one indicator's target under a rule pack, exactly as the 自评报告's
补足资源测算 states it (plan/fill.py through report/narrative/shortfalls.py; the target: the unit
threshold under a pack with per-unit thresholds, else the county mean), with what its school must
build, buy or hire to fill it (the planner's model, default unit costs). Items are made for the
units the report lists (``every_unit=False``: the failing units, or the weakest 10 per level under
basic-2012); the closure check examines every unit (``every_unit=True``), so that a unit absent
from the gaps has its gap filled.
"""
from __future__ import annotations

from junheng.report.narrative.numbers import fmt_value
from junheng.report.narrative.shortfalls import Shortfall, shortfalls
from junheng.rules import load_rules
from junheng.schema import LEVEL_NAMES
from junheng.web.snapshots.models import Snapshot
from junheng.web.snapshots.services import assessed


def snapshot_gaps(snap: Snapshot, pack: str, *, every_unit: bool = True) -> dict[tuple[str, str], Shortfall]:
    """{(学校标识码, indicator code): Shortfall} of ``snap`` under ``pack`` (every unit, or the
    report's selection).

    Raises as snapshots.services.assessed (InputError when the snapshot lacks a column the pack
    needs, KeyError for an unknown pack)."""
    from junheng.plan.costs import load_costs
    from junheng.plan.fill import fills

    a, res, _ = assessed(snap, pack)
    out: dict[tuple[str, str], Shortfall] = {}
    for fill in fills(res.table, a.rules, load_costs(), every_unit=every_unit, base=a).values():
        for s in shortfalls(fill):
            out[(str(s.school_id), s.code)] = s
    return out


def gap_problem(s: Shortfall, pack: str) -> str:
    """The 问题 of an item, in the report's number wording (numbers.fmt_value):
    “城关一小（小学）生均教学及辅助用房面积为生均3.20㎡，低于目标生均4.50㎡”."""
    ind = next(i for i in load_rules(pack).indicators if i.code == s.code)
    level = LEVEL_NAMES.get(s.level, s.level)
    return (f"{s.name}（{level}）{s.indicator}为{fmt_value(s.value, ind.unit, ind.per)}，"
            f"低于目标{fmt_value(s.target, ind.unit, ind.per)}")


def gap_measures(s: Shortfall) -> str:
    """The 整改措施 of an item: “补足教学及辅助用房320㎡” (Shortfall.text)."""
    return f"补足{s.text}"
