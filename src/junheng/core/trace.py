"""Calculation trace: which units pull each CV up, and which units are weakest.

Each unit's share of an indicator's weighted variance is c_i = (P_i/P)(X_i − X̄)² / S²
(``contrib_<code>`` in the unit frame, see core/dispersion.py); since CV² = S² / X̄², the shares
say how much of the CV² each school causes. Pure functions over an :class:`Assessment`.
"""
from __future__ import annotations

import polars as pl

from .result import Assessment


def top_contributors(a: Assessment, county_key: str, level: str, code: str, n: int = 3) -> pl.DataFrame:
    """The n units with the largest share of one indicator's variance in one county and level.

    Returns columns school_id, name, students, value (the indicator), share (0–1, of S²), sorted
    by share descending. Empty when the level has no units.

    References
    ----------
    This project's calculation trace, not part of the official method: c_i of
    :func:`junheng.core.dispersion.grouped_weighted_stats` (docs/rules.md §1).
    """
    return (
        a.units.filter((pl.col("county_key") == county_key) & (pl.col("level") == level))
        .select("school_id", "name", "students", pl.col(code).alias("value"), pl.col(f"contrib_{code}").alias("share"))
        .sort("share", descending=True)
        .head(n)
    )


def weakest_units(a: Assessment, county_key: str, level: str, n: int = 10) -> pl.DataFrame:
    """The weakest units of one county and level.

    Under a rule pack with per-unit thresholds (quality-2017): the units failing the unit rule
    first, then by fewest thresholds met, then by largest relative shortfall. Otherwise (basic-2012):
    by the number of indicators below the county mean, then the shortfall score
    Σ_k max(0, 1 − X_ik / X̄_k) over the indicators (0 = at or above the county mean everywhere).
    Units with no indicator below threshold (or mean) are left out. Returns school_id, name,
    students, score, below (indicator codes below
    threshold, or below the county mean), and passed/met_count when present.

    References
    ----------
    This project's ranking, not part of the official method; thresholds and the unit rule from
    教督〔2017〕6号 (docs/rules.md §2), county means as 教督〔2012〕3号 (docs/rules.md §1).
    """
    rules = a.rules
    u = a.units.filter((pl.col("county_key") == county_key) & (pl.col("level") == level))
    if u.height == 0:
        return u.select("school_id", "name", "students")
    codes = [i.code for i in rules.indicators]
    if rules.unit_rule is not None:
        lv = "primary" if level == "primary" else "junior"
        ratio = {c: pl.col(c) / rules.indicator(c).threshold.get(lv) for c in codes}
        below = [pl.when(~pl.col(f"meets_{c}")).then(pl.lit(c)) for c in codes]
    else:
        stats = next(c for c in a.counties if c.county_key == county_key).levels[level].indicators
        ratio = {c: pl.col(c) / stats[c].mean for c in codes}  # the level's weighted mean (dispersion.py)
        below = [pl.when(ratio[c] < 1).then(pl.lit(c)) for c in codes]
    score = pl.sum_horizontal([(1 - ratio[c]).clip(lower_bound=0).fill_nan(0) for c in codes])
    out = u.with_columns(score.alias("score"), pl.concat_list(below).list.drop_nulls().alias("below"))
    out = out.filter(pl.col("below").list.len() > 0)
    if rules.unit_rule is not None:
        out = out.sort(["passed", "met_count", "score"], descending=[False, False, True])
        cols = ["school_id", "name", "students", "score", "below", "met_count", "passed"]
    else:
        out = out.sort([pl.col("below").list.len(), "score"], descending=[True, True])
        cols = ["school_id", "name", "students", "score", "below"]
    return out.select(cols).head(n)
