"""The assessment: school table + rule pack → per-county verdicts (pure; no files, no printing).

Pipeline (RULES.md): prepare → scope/exclusions (§1, §2) → teaching-point merge (setting) →
split into units (§3) → indicators (§1 table, §2 table) → enrolment-weighted mean, SD and CV per
county, level and indicator (§1, 教督〔2012〕3号 说明) → composite (basic) or per-indicator test
(quality) → per-unit thresholds and the 6-of-7 rule (§2) → level and county verdicts.
"""
from __future__ import annotations

import polars as pl

from ..rules.loader import RulePack
from .dispersion import group_stats_exprs
from .result import Assessment, CountyResult, IndicatorStat, LevelResult
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
    """Weighted mean/variance per (county, level, indicator) and each unit's variance share."""
    stats, contrib = [], []
    for i in rules.indicators:
        e = group_stats_exprs(i.code, "students", GROUP)
        stats += [e["mean"].alias(f"mean_{i.code}"), e["var"].alias(f"var_{i.code}")]
        contrib.append(
            pl.when(e["var"] > 0).then(e["dev2"] / e["var"]).otherwise(0.0).alias(f"contrib_{i.code}")
        )
    units = units.with_columns(contrib)
    summary = (
        units.with_columns(stats)
        .group_by(GROUP, maintain_order=True)
        .agg(
            pl.len().alias("n_units"),
            pl.col("students").sum().alias("n_students"),
            pl.col("county_code").first(),
            pl.col("county").first(),
            *(pl.col(f"{k}_{i.code}").first() for i in rules.indicators for k in ("mean", "var")),
            *([pl.col("passed").not_().sum().alias("n_failed")] if "passed" in units.columns else []),
        )
    )
    return units, summary


def _level(row: dict, level: str, rules: RulePack) -> LevelResult:
    disp, tol = rules.dispersion, rules.dispersion.tolerance
    stats: dict[str, IndicatorStat] = {}
    notes = []
    for i in rules.indicators:
        mean, var = row[f"mean_{i.code}"], row[f"var_{i.code}"]
        sd = max(var, 0.0) ** 0.5
        cv = sd / mean if mean != 0 else None
        if cv is None:
            notes.append(f"{i.name}全县均值为0，差异系数无法计算")
        thr = disp.cv_threshold.get(level) if disp.test == "each" else None
        ok = None if thr is None or cv is None else cv <= thr + tol
        stats[i.code] = IndicatorStat(i.code, i.name, i.unit, mean, sd, cv, thr, ok)
    cvs = [s.cv for s in stats.values()]
    composite = None if any(c is None for c in cvs) else sum(cvs) / len(cvs)
    if disp.test == "composite":
        cthr = disp.composite_threshold.get(level)
        passed = None if composite is None else composite <= cthr + tol
    else:
        cthr = None
        flags = [s.passed for s in stats.values()]
        passed = None if any(f is None for f in flags) else all(flags)
    return LevelResult(level, int(row["n_units"]), int(row["n_students"]), stats, composite, cthr, passed, tuple(notes))


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
    units = unit_indicators(split_units(df.filter(pl.col("reason").is_null()), rules), rules)
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
        passed = bool(levels) and all(v is True for v in verdicts) and c["failed"] == 0
        counties.append(CountyResult(key, c["code"], c["name"], passed, levels, c["failed"], tuple(notes)))
    return Assessment(rules, counties, units.sort([KEY, "level", "source_row"]), excluded.sort([KEY, "source_row"]), year)
