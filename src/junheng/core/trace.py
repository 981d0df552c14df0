"""Calculation trace: which units pull each CV up, and which units are weakest.

Each unit's share of an indicator's weighted variance is c_i = (P_i/P)(X_i − X̄)² / S²
(``contrib_<code>`` in the unit frame, see core/dispersion.py); since CV² = S² / X̄², the shares
say how much of the CV² each school causes. Pure functions over an :class:`Assessment`.
"""
from __future__ import annotations

import polars as pl

from ..rules.loader import PROVISION_NUMERATORS
from .provisions import PROVISION_CODES
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


def provisions_used(a: Assessment, county_key: str | None = None) -> pl.DataFrame:
    """Every unit where data for a special provision (docs/rules.md §2, core/provisions.py) was given.

    One row per (unit, provision) with a status (given > 0 under a pack that has the provision),
    in unit order: county_key, school_id, name, level, students, provision (code), indicator (code),
    status (``counted`` | ``disabled`` | ``size_out_of_band`` | ``not_rural`` |
    ``not_central_urban``), basis (why a school counted as rural, or null), size (pupils compared
    with the band, visiting teachers only), urban_rural_code, given and added
    (teachers or ㎡ of the unit), before / after (the indicator without and with the provision),
    delta (after − before), threshold (per-unit threshold of the level, null without one),
    meets_before / meets_after (null without a threshold) and decisive (the threshold is met only
    because of the provision). county_key None: all counties.
    """
    rules, tol = a.rules, a.rules.dispersion.tolerance
    u = a.units if county_key is None else a.units.filter(pl.col("county_key") == county_key)
    frames = []
    for p in PROVISION_CODES:
        ind = next((i for i in rules.indicators if i.numerator == PROVISION_NUMERATORS[p]), None)
        if ind is None or f"{p}_status" not in u.columns:
            continue
        if ind.threshold is not None:
            thr = pl.when(pl.col("level") == "primary").then(pl.lit(ind.threshold.primary)).otherwise(
                pl.lit(ind.threshold.junior))
        else:
            thr = pl.lit(None, pl.Float64)
        rows = u.filter(pl.col(f"{p}_status").is_not_null()).select(
            "county_key", "school_id", "name", "level", "students",
            pl.lit(p).alias("provision"), pl.lit(ind.code).alias("indicator"),
            pl.col(f"{p}_status").alias("status"),
            (pl.col(f"{p}_basis") if f"{p}_basis" in u.columns else pl.lit(None, pl.Utf8)).alias("basis"),
            (pl.col(f"{p}_size") if f"{p}_size" in u.columns else pl.lit(None, pl.Int64)).alias("size"),
            "urban_rural_code",
            pl.col(f"{p}_given").alias("given"), pl.col(f"{p}_added").alias("added"),
            ((pl.col(ind.numerator) - pl.col(f"{p}_added")) * ind.per / pl.col("students")).alias("before"), pl.col(ind.code).alias("after"),
            pl.col(f"{p}_delta").alias("delta"), thr.alias("threshold"),
        )
        rows = rows.with_columns(
            (pl.col("before") >= pl.col("threshold") - tol).alias("meets_before"),
            (pl.col("after") >= pl.col("threshold") - tol).alias("meets_after"),
        ).with_columns((pl.col("meets_after") & ~pl.col("meets_before")).fill_null(False).alias("decisive"))
        frames.append(rows)
    if not frames:
        return pl.DataFrame(schema={"county_key": pl.Utf8, "school_id": pl.Utf8, "name": pl.Utf8, "level": pl.Utf8,
                                    "students": pl.Int64, "provision": pl.Utf8, "indicator": pl.Utf8,
                                    "status": pl.Utf8, "basis": pl.Utf8, "size": pl.Int64,
                                    "urban_rural_code": pl.Utf8, "given": pl.Float64, "added": pl.Float64,
                                    "before": pl.Float64, "after": pl.Float64, "delta": pl.Float64,
                                    "threshold": pl.Float64, "meets_before": pl.Boolean, "meets_after": pl.Boolean,
                                    "decisive": pl.Boolean})
    return pl.concat(frames, how="vertical")
