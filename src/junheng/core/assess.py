"""The assessment: school table + rule pack → per-county verdicts (pure; no files, no printing).

Pipeline (RULES.md): prepare → scope/exclusions (§1, §2) → teaching-point merge (setting) →
split into units (§3) → special provisions (§2, core/provisions.py) → indicators (§1 table, §2 table) → enrolment-weighted mean, SD and CV per
county, level and indicator (§1, 教督〔2012〕3号 说明) → composite (basic) or per-indicator test
(quality) → per-unit thresholds and the 6-of-7 rule (§2) → level and county verdicts.
"""
from __future__ import annotations

import math

import numpy as np
import polars as pl

from ..rules.loader import RulePack
from .result import Assessment, CountyResult, IndicatorStat, LevelResult
from .provisions import apply_provisions
from .units import KEY, exclusion_reason, merge_teaching_points, prepare, split_units

GROUP = [KEY, "level"]
LEVEL_ORDER = ("primary", "junior")


def unit_indicators(units: pl.DataFrame, rules: RulePack) -> pl.DataFrame:
    """Add one column per indicator: value = numerator × per / pupils (RULES.md §1, §2 formulas).

    units: output of :func:`junheng.core.units.split_units` (students > 0). The multiplication is
    done before the division so that values such as 42 × 100 / 1000 are exactly 4.2.
    """
    return units.with_columns(
        [(pl.col(i.numerator) * i.per / pl.col("students")).alias(i.code) for i in rules.indicators]
    )


def _unit_rule(units: pl.DataFrame, rules: RulePack) -> pl.DataFrame:
    """Per-unit thresholds: ``meets_<code>``, ``met_count`` and ``passed`` (RULES.md §2).

    A unit passes when it meets at least ``unit_rule.min_met`` thresholds and every unmet value is
    at least ``floor_ratio`` × its threshold. Comparisons allow ``dispersion.tolerance``.
    """
    ur, tol = rules.unit_rule, rules.dispersion.tolerance
    is_p = pl.col("level") == "primary"
    meets, floors = [], []
    for i in rules.indicators:
        thr = pl.when(is_p).then(pl.lit(i.threshold.primary)).otherwise(pl.lit(i.threshold.junior))
        meets.append((pl.col(i.code) >= thr - tol).alias(f"meets_{i.code}"))
        floors.append(pl.col(i.code) >= thr * ur.floor_ratio - tol)
    units = units.with_columns(meets)
    met = pl.sum_horizontal([pl.col(f"meets_{i.code}").cast(pl.Int32) for i in rules.indicators])
    floor_ok = pl.all_horizontal([pl.col(f"meets_{i.code}") | f for i, f in zip(rules.indicators, floors)])
    return units.with_columns(met.alias("met_count"), ((met >= ur.min_met) & floor_ok).alias("passed"))


def _dispersion(units: pl.DataFrame, rules: RulePack) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Weighted mean/variance per (county, level, indicator) and each unit's variance share.

    units must be sorted by county and level. Formulas: core/dispersion.py (two-pass weighted
    variance); evaluated per group with numpy bincount over an integer group id.
    """
    first = (pl.col(KEY) != pl.col(KEY).shift(1)) | (pl.col("level") != pl.col("level").shift(1))
    gid = units.select(first.fill_null(True).cast(pl.Int64).cum_sum().sub(1))[KEY].to_numpy()
    w = units["students"].to_numpy().astype(np.float64)
    total = np.bincount(gid, weights=w)
    wn = w / total[gid]  # P_i / P
    heads = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])
    summary = units[heads].select(KEY, "level", "county_code", "county").with_columns(
        pl.Series("n_units", np.bincount(gid)), pl.Series("n_students", total.round().astype(np.int64))
    )
    contrib, stats = [], []
    for i in rules.indicators:
        x = units[i.code].to_numpy()
        mean = np.bincount(gid, weights=wn * x)
        dev2 = wn * (x - mean[gid]) ** 2
        var = np.bincount(gid, weights=dev2)
        vg = var[gid]
        share = np.divide(dev2, vg, out=np.zeros_like(dev2), where=vg > 0)
        contrib.append(pl.Series(f"contrib_{i.code}", share))
        stats += [pl.Series(f"mean_{i.code}", mean), pl.Series(f"var_{i.code}", var)]
    if "passed" in units.columns:
        failed = np.bincount(gid, weights=(~units["passed"].to_numpy()).astype(np.float64))
        stats.append(pl.Series("n_failed", failed.astype(np.int64)))
    return units.with_columns(contrib), summary.with_columns(stats)


def _level(row: dict, level: str, rules: RulePack) -> LevelResult:
    """A LevelResult from one summary row (means and variances of every indicator)."""
    disp, tol = rules.dispersion, rules.dispersion.tolerance
    thr = disp.cv_threshold.get(level) if disp.test == "each" else None
    stats: dict[str, IndicatorStat] = {}
    notes = []
    for i in rules.indicators:
        mean, var = row[f"mean_{i.code}"], row[f"var_{i.code}"]
        sd = math.sqrt(var) if var > 0 else 0.0
        if mean != 0:
            cv = sd / mean
            ok = None if thr is None else cv <= thr + tol
        else:
            cv = ok = None
            notes.append(f"{i.name}全县均值为0，差异系数无法计算")
        stats[i.code] = IndicatorStat(i.code, i.name, i.unit, mean, sd, cv, thr, ok)
    if notes:
        composite = None
    else:
        composite = sum(s.cv for s in stats.values()) / len(stats)
    if disp.test == "composite":
        cthr = disp.composite_threshold.get(level)
        passed = None if composite is None else composite <= cthr + tol
    else:
        cthr = None
        passed = None if notes else all(s.passed for s in stats.values())
    return LevelResult(level, row["n_units"], row["n_students"], stats, composite, cthr, passed, tuple(notes))


def assess(table: pl.DataFrame, rules: RulePack, *, year: int | None = None) -> Assessment:
    """Assess every county of a school table under a rule pack.

    table: canonical school table (schema.py; one row per school, any number of counties, keyed by
    county_code, else county). rules: a validated RulePack (``junheng.rules.load_rules``).
    Returns an :class:`Assessment` with one CountyResult per county (sorted by county key), the unit
    frame (indicator values, variance shares, per-unit verdicts) and the excluded schools with
    reasons. Raises ValueError if required columns are missing. Formulas: RULES.md §1–§4.
    """
    df = prepare(table).with_columns(exclusion_reason(rules).alias("reason"))
    if rules.scope.teaching_points == "merge_into_parent":
        df = merge_teaching_points(df)
    excluded = df.filter(pl.col("reason").is_not_null()).select(
        KEY, "county_code", "county", "school_id", "name", "school_type", "reason", "source_row"
    )
    units = split_units(df.filter(pl.col("reason").is_null()), rules)
    units = unit_indicators(apply_provisions(units, rules), rules)  # RULES.md §2 special provisions
    units = units.sort([KEY, "level"], maintain_order=True)
    if rules.unit_rule is not None:
        units = _unit_rule(units, rules)
    units, summary = _dispersion(units, rules)

    by_county: dict[str, dict] = {}
    for row in summary.iter_rows(named=True):
        c = by_county.setdefault(row[KEY], {"code": row["county_code"], "name": row["county"], "levels": {}, "failed": 0})
        c["levels"][row["level"]] = _level(row, row["level"], rules)
        c["failed"] += int(row.get("n_failed") or 0)
    for row in excluded.select(KEY, "county_code", "county").unique(KEY).iter_rows(named=True):
        by_county.setdefault(row[KEY], {"code": row["county_code"], "name": row["county"], "levels": {}, "failed": 0})

    counties = []
    for key in sorted(by_county):
        c = by_county[key]
        levels = {lv: c["levels"][lv] for lv in LEVEL_ORDER if lv in c["levels"]}
        notes = []
        if not levels:
            notes.append("该县没有参与计算的学校")
        verdicts = [lv.passed for lv in levels.values()]
        if any(v is None for v in verdicts):
            notes.append("有差异系数无法计算，不能判定为达标")
        if any(v is False for v in verdicts) or c["failed"] > 0:
            verdict = False
        elif not levels or any(v is None for v in verdicts):
            verdict = None
        else:
            verdict = True
        counties.append(CountyResult(key, c["code"], c["name"], verdict, levels, c["failed"], tuple(notes)))
    return Assessment(rules, counties, units, excluded.sort([KEY, "source_row"]), year)
