"""The assessment: school table + rule pack → per-county verdicts (pure; no files, no printing).

Pipeline (docs/rules.md): prepare → scope/exclusions (§1, §2) → teaching-point merge (setting) →
split into units (§3) → special provisions (§2, core/provisions.py) → indicators (§1 table, §2
table) → enrolment-weighted mean, SD and CV per county, level and indicator (core/dispersion.py;
§1, 教督〔2012〕3号 说明) → composite (basic) or per-indicator test
(quality) → per-unit thresholds and the 6-of-7 rule (§2) → level and county verdicts.
"""
from __future__ import annotations

import numpy as np
import polars as pl

from ..rules.loader import RulePack
from .dispersion import grouped_weighted_stats
from .findings import finding
from .result import Assessment, CountyResult, IndicatorStat, LevelResult
from .provisions import apply_provisions
from .units import KEY, exclusion_reason, merge_teaching_points, prepare, reason_detail, split_units

LEVEL_ORDER = ("primary", "junior")


def unit_indicators(units: pl.DataFrame, rules: RulePack) -> pl.DataFrame:
    """Add one column per indicator: value = numerator × per / pupils (docs/rules.md §1, §2 formulas).

    units: output of :func:`junheng.core.units.split_units` (students > 0). The multiplication is
    done before the division so that values such as 42 × 100 / 1000 are exactly 4.2.

    References
    ----------
    Indicator definitions: 教督〔2012〕3号 (eight indicators) and 教督〔2017〕6号 (seven indicators
    with per-school thresholds); docs/rules.md §1, §2.
    """
    return units.with_columns(
        [(pl.col(i.numerator) * i.per / pl.col("students")).alias(i.code) for i in rules.indicators]
    )


def _unit_rule(units: pl.DataFrame, rules: RulePack) -> pl.DataFrame:
    """Per-unit thresholds: ``meets_<code>``, ``met_count`` and ``passed`` (docs/rules.md §2).

    A unit passes when it meets at least ``unit_rule.min_met`` thresholds and every unmet value is
    at least ``floor_ratio`` × its threshold. Comparisons allow ``dispersion.tolerance``.

    References
    ----------
    教督〔2017〕6号 (thresholds, at least 6 of 7 met); the 85 % floor is ASSUMPTION-grade (quoted
    widely, original text not seen); docs/rules.md §2.
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
    """Weighted mean, SD and CV per (county, level, indicator) and each unit's variance share.

    units must be sorted by county and level; one call of
    :func:`junheng.core.dispersion.grouped_weighted_stats` per indicator over the group ids.
    """
    first = (pl.col(KEY) != pl.col(KEY).shift(1)) | (pl.col("level") != pl.col("level").shift(1))
    gid = units.select(first.fill_null(True).cast(pl.Int64).cum_sum().sub(1))[KEY].to_numpy()
    w = units["students"].to_numpy().astype(np.float64)
    summary = units[np.flatnonzero(np.diff(gid, prepend=-1))].select(KEY, "level", "county_code", "county")
    if units.height == 0:  # every school excluded: no groups (the counties are still listed)
        return units.with_columns(pl.lit(0.0).alias(f"contrib_{i.code}") for i in rules.indicators), summary
    contrib, stats = [], []
    total = None
    for i in rules.indicators:
        s = grouped_weighted_stats(gid, w, units[i.code].to_numpy())
        total = s.total
        contrib.append(pl.Series(f"contrib_{i.code}", s.shares))
        stats += [pl.Series(f"mean_{i.code}", s.mean), pl.Series(f"sd_{i.code}", s.sd),
                  pl.Series(f"cv_{i.code}", s.cv, nan_to_null=True)]
    if total is None:
        total = np.bincount(gid, weights=w)
    stats += [pl.Series("n_units", np.bincount(gid)), pl.Series("n_students", total.round().astype(np.int64))]
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
        mean, sd, cv = row[f"mean_{i.code}"], row[f"sd_{i.code}"], row[f"cv_{i.code}"]
        if cv is not None:
            ok = None if thr is None else cv <= thr + tol
        else:
            ok = None
            notes.append(finding("assess.mean_zero", indicator=i.code, name=i.name))
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
    reasons. Raises ValueError if required columns are missing. Formulas: docs/rules.md §1–§4.
    """
    df = prepare(table).with_columns(exclusion_reason(rules).alias("reason"))
    if rules.scope.teaching_points == "merge_into_parent":
        df = merge_teaching_points(df)
    excluded = df.filter(pl.col("reason").is_not_null()).select(
        KEY, "county_code", "county", "school_id", "name", "school_type", "reason", reason_detail().alias("reason_detail"),
        "source_row"
    )
    units = split_units(df.filter(pl.col("reason").is_null()), rules)
    units = unit_indicators(apply_provisions(units, rules), rules)  # docs/rules.md §2 special provisions
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
            notes.append(finding("assess.no_units"))
        verdicts = [lv.passed for lv in levels.values()]
        if any(v is None for v in verdicts):
            notes.append(finding("assess.cv_undefined"))
        if any(v is False for v in verdicts) or c["failed"] > 0:
            verdict = False
        elif not levels or any(v is None for v in verdicts):
            verdict = None
        else:
            verdict = True
        counties.append(CountyResult(key, c["code"], c["name"], verdict, levels, c["failed"], tuple(notes)))
    return Assessment(rules, counties, units, excluded.sort([KEY, "source_row"]), year)
