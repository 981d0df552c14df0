"""Benchmark 8: annual monitoring (``junheng.analysis.monitor.monitor``) of five years of a 3 000-school
province against a pandas baseline.

Data (not timed): ``generate(schools=3000, counties=30, seed=1)`` is the first year; each later
year is drawn from it with a seed per year (``numpy.random.default_rng([1, year])``): about 1 % of
the schools closed, 0.5 % renamed, and the resources (teaching area, sports ground, equipment,
computers, books) multiplied by a log-normal factor (σ = 0.05) per school, so that CVs, unit marks
and regressions move from year to year.

What is timed: ``monitor(five YearInputs, quality-2017)`` — assessing every year with the engine,
matching schools by id, the series, unit marks, regressions, 预警 and class/school sizes — best of
5; and the baseline a data analyst would write with pandas, best of 3: per year the units and
``groupby(["county", "level"]).apply`` statistics of ``bench_assess.pandas_assess``, the 2017 unit
rule with vectorised comparisons, school matching with ``merge`` (new, closed, renamed), the CV
series with ``concat``/``pivot`` and the regressions with ``shift`` per group, and average class
sizes with ``groupby``. The baseline computes less than junheng (no merge inference, no 预警, no
school sizes), so it is, if anything, favoured.

Equivalence (asserted, outside the timed region): every (county, level, indicator, year) CV of the
baseline equals junheng's series to 1e-9, and the numbers of new, closed and renamed schools agree.

Goal (issue 12): at least 10 × faster than the baseline. Run alone: ``python bench/bench_monitor.py``.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from common import add_ratio, bench_main, best_of, check_single_core, log, run_worker  # noqa: E402

PACK = "quality-2017"
SCHOOLS, COUNTIES, SEED = 3000, 30, 1
YEARS = (2020, 2021, 2022, 2023, 2024)
GOAL_RATIO = 10.0
REPEATS_JUNHENG = 5
REPEATS_BASELINE = 3
TOLERANCE = 1e-9
RESOURCES = ("teaching_area_m2", "sports_ground_m2", "equipment_value_yuan", "teaching_computers", "books")


def years_of(schools: int, counties: int, seed: int):
    """Five canonical tables (module doc): year → polars frame."""
    import numpy as np
    import polars as pl

    from junheng.sample import generate

    from bench_assess import _without_provisions

    # without the 2017 special provisions' data: the baseline (bench_assess) does not implement them
    base = _without_provisions(generate(schools=schools, counties=counties, seed=seed))
    out = {YEARS[0]: base}
    for y in YEARS[1:]:
        rng = np.random.default_rng([seed, y])
        n = base.height
        keep = rng.random(n) >= 0.01
        rename = rng.random(n) < 0.005
        cols = [(pl.col(c) * pl.Series(rng.lognormal(0.0, 0.05, n))).round(0).cast(base[c].dtype).alias(c)
                for c in RESOURCES]
        t = base.with_columns(cols).with_columns(
            pl.when(pl.Series(rename)).then(pl.col("name") + "（更名）").otherwise(pl.col("name")).alias("name"))
        t = t.with_columns(pl.min_horizontal("indoor_sports_m2", "teaching_area_m2").alias("indoor_sports_m2"))
        out[y] = t.filter(pl.Series(keep))
    return out


# --------------------------------------------------------------------------------------------
# The pandas baseline
# --------------------------------------------------------------------------------------------

def pandas_monitor(frames: dict, rules):
    """The analyst's program (module doc). frames: year → pandas frame of the school table."""
    import numpy as np
    import pandas as pd

    from bench_assess import county_level_stats, pandas_units

    codes = [i.code for i in rules.indicators]
    stats, marks, rosters = [], [], {}
    for y, df in frames.items():
        units = pandas_units(df, rules)
        s = units.groupby(["county", "level"]).apply(county_level_stats, codes=codes).reset_index()
        s["year"] = y
        stats.append(s)
        primary = units["level"] == "primary"
        met = pd.Series(0, index=units.index)
        floor_ok = pd.Series(True, index=units.index)
        for i in rules.indicators:
            thr = np.where(primary, i.threshold.primary, i.threshold.junior)
            meets = units[i.code] >= thr - rules.dispersion.tolerance
            met += meets.astype(int)
            floor_ok &= meets | (units[i.code] >= thr * rules.unit_rule.floor_ratio - rules.dispersion.tolerance)
        units["passed"] = (met >= rules.unit_rule.min_met) & floor_ok
        units["year"] = y
        marks.append(units[["county", "school_id", "level", "year", "passed"]])
        rosters[y] = df[["school_id", "name", "county"]]
        cls = df.assign(avg_P=df["students_P"] / df["classes_P"].where(df["classes_P"] > 0))
        cls.groupby("county")["avg_P"].apply(lambda a: ((a >= 56).sum(), (a >= 66).sum()))
    series = pd.concat(stats, ignore_index=True)
    long = series.melt(id_vars=["county", "level", "year"], value_vars=[f"cv_{c}" for c in codes],
                       var_name="indicator", value_name="cv").sort_values(["county", "level", "indicator", "year"])
    long["prev"] = long.groupby(["county", "level", "indicator"])["cv"].shift(1)
    thr = {"primary": rules.dispersion.cv_threshold.get("primary"), "junior": rules.dispersion.cv_threshold.get("junior")}
    long["thr"] = long["level"].map(thr)
    long["regressed"] = (long["prev"] <= long["thr"]) & (long["cv"] > long["thr"])
    wide = long.pivot_table(index=["county", "level", "indicator"], columns="year", values="cv")
    um = pd.concat(marks, ignore_index=True).sort_values(["county", "school_id", "level", "year"])
    um["prev"] = um.groupby(["county", "school_id", "level"])["passed"].shift(1)
    um["regressed"] = (um["prev"] == True) & (~um["passed"])  # noqa: E712
    changes = {}
    ys = list(frames)
    for y0, y1 in zip(ys, ys[1:]):
        m = rosters[y0].merge(rosters[y1], on="school_id", how="outer", suffixes=("_0", "_1"), indicator=True)
        changes[y1] = {"new": int((m["_merge"] == "right_only").sum()), "closed": int((m["_merge"] == "left_only").sum()),
                       "renamed": int(((m["_merge"] == "both") & (m["name_0"] != m["name_1"])).sum())}
    return long, wide, um, changes


# --------------------------------------------------------------------------------------------
# Equivalence
# --------------------------------------------------------------------------------------------

def compare(result, long, changes) -> dict:
    """Assert the baseline's CVs and change counts equal junheng's (module doc)."""
    ours = {}
    for c in result.counties:
        for level, lv in c["levels"].items():
            for code, s in lv["indicators"].items():
                for p in s["series"]:
                    if p["cv"] is not None:
                        ours[(c["county"], level, code, p["year"])] = p["cv"]
    theirs = {(r.county, r.level, r.indicator.removeprefix("cv_"), int(r.year)): r.cv
              for r in long.itertuples() if not math.isnan(r.cv)}
    assert ours.keys() == theirs.keys(), f"different CV keys: {len(ours)} vs {len(theirs)}"
    worst = max(abs(ours[k] - theirs[k]) for k in ours)
    assert worst <= TOLERANCE, f"CVs differ by up to {worst:.3g}"
    for y, ch in changes.items():
        mine = {k: sum(len(c["schools"][str(y)][k]) for c in result.counties) for k in ch}
        assert mine == ch, f"{y}: school changes differ: {mine} vs {ch}"
    return {"cvs_compared": len(ours), "max_abs_diff": worst}


def worker(schools: int, counties: int, seed: int, repeats_junheng: int, repeats_baseline: int) -> dict:
    """Worker side: build the years, check equivalence, time both."""
    check_single_core()
    from junheng.analysis.monitor import YearInput, monitor
    from junheng.rules import load_rules

    rules = load_rules(PACK)
    tables = years_of(schools, counties, seed)
    frames = {y: t.to_pandas() for y, t in tables.items()}
    inputs = [YearInput(y, t, f"{y}.xlsx") for y, t in tables.items()]
    log(f"monitor: {len(inputs)} years, {sum(t.height for t in tables.values())} school rows")
    res = monitor(inputs, rules)
    long, _, _, changes = pandas_monitor(frames, rules)
    eq = compare(res, long, changes)
    holder: dict = {}
    j = best_of(lambda: holder.__setitem__("r", monitor(inputs, rules)), repeats_junheng, setup=holder.clear)
    b = best_of(lambda: holder.__setitem__("b", pandas_monitor(frames, rules)), repeats_baseline, setup=holder.clear)
    return {"junheng": j, "baseline": b, "equivalence": eq,
            "data": {"schools": schools, "counties": counties, "seed": seed, "years": list(YEARS),
                     "rows": sum(t.height for t in tables.values()),
                     "regressions": sum(len(c["regressions"]) for c in res.counties),
                     "warnings": sum(len(c["warnings"]) for c in res.counties)},
            "repeats": {"junheng": repeats_junheng, "baseline": repeats_baseline}}


def run(quick: bool = False) -> dict:
    """Start the single-core worker; add the ratio and its goal."""
    params = ({"schools": 300, "counties": 3, "seed": SEED, "repeats_junheng": 1, "repeats_baseline": 1} if quick else
              {"schools": SCHOOLS, "counties": COUNTIES, "seed": SEED, "repeats_junheng": REPEATS_JUNHENG,
               "repeats_baseline": REPEATS_BASELINE})
    res = run_worker(Path(__file__), params)
    return add_ratio(res, GOAL_RATIO, "pandas baseline", quick)


def rows(m: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Summary row of BENCHMARKS.md."""
    d, g = m["data"], m["goals"]["ratio"]
    return [(f"monitor {len(d['years'])} years of {d['schools']:,} schools ({PACK}): ratio",
             f"{m['junheng']['best']:.3f} s", f"{m['baseline']['best']:.3f} s (pandas)", f"{m['ratio']:.1f}x",
             g["goal"], "PASS" if g["pass"] else "FAIL")]


def section(m: dict) -> list[str]:
    """Section 8 of BENCHMARKS.md."""
    d, j, b, e = m["data"], m["junheng"], m["baseline"], m["equivalence"]
    runs = lambda xs: ", ".join(f"{x:.3f}" for x in xs)  # noqa: E731
    return [
        "## 8. Annual monitoring (`bench/bench_monitor.py`)",
        "",
        f"Five years ({d['years'][0]}–{d['years'][-1]}) drawn from `generate(schools={d['schools']}, "
        f"counties={d['counties']}, seed={d['seed']})` with a seed per year ({d['rows']:,} school rows in all; "
        f"{d['regressions']} regressions and {d['warnings']} 预警 found), rule pack {PACK}.",
        "",
        "| | best | all repeats (s) | CPU of best |",
        "|---|---|---|---|",
        f"| junheng `monitor`, best of {m['repeats']['junheng']} | {j['best']:.3f} s | {runs(j['walls'])} | "
        f"{j['cpu_of_best']:.3f} s |",
        f"| pandas baseline, best of {m['repeats']['baseline']} | {b['best']:.3f} s | {runs(b['walls'])} | "
        f"{b['cpu_of_best']:.3f} s |",
        "",
        f"Ratio baseline / junheng: **{m['ratio']:.1f}x** (goal ≥ {GOAL_RATIO:g}x). Equivalence (asserted): "
        f"{e['cvs_compared']} CVs equal to {e['max_abs_diff']:.1e}; new/closed/renamed counts equal.",
        "",
    ]


if __name__ == "__main__":
    sys.exit(bench_main(__doc__.splitlines()[0], run, worker))
