"""Benchmark 1: assessing a national-scale school table, junheng's core against a pandas baseline.

What is measured: the compute of a full assessment of a table of about 2 900 counties and
210 000 schools (``junheng.sample.generate(schools=210_000, counties=2_900, seed=1)``) under both
national rule packs, ``basic-2012`` and ``quality-2017``, one after the other, on one core. One
repeat = both packs; the figure is the best of 5 repeats for junheng
(``junheng.core.assess(table, load_rules(pack))``) and of 3 for the baseline.

Why a baseline: the issue asks for a speed *ratio* measured in the same run, so the goal does not
depend on the machine. The baseline is the program a data analyst would write with pandas:
per-school rows → units (same scope and the same 一贯制 / 完全中学 split rules, docs/rules.md §3) →
one column per indicator → ``df.groupby(["county", "level"]).apply(func)`` where ``func`` computes
the enrolment-weighted mean, SD and CV of each indicator with ``np.average``. It does what the
numeric part of ``assess`` does; it builds no result objects, so it is, if anything, favoured.

Honesty checks (assertions, outside the timed region): before timing, the baseline's CVs must
equal junheng's to 1e-9 on a smaller table (20 000 schools, 300 counties), for both packs; after
timing, the full-size results of the timed runs are compared the same way.

Goal (from the issue): junheng under 2 s for both packs together, and at least 20 × faster than
the baseline. The data are in memory before the clock starts (a polars frame for junheng, the
same table converted to a pandas frame for the baseline); generating them is not timed.

Run alone: ``python bench/bench_assess.py`` (the timed part runs in a worker process started with
``POLARS_MAX_THREADS=1``, see ``common.py``); ``bench/run.py`` runs it with the read benchmark.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from common import add_ratio, bench_main, best_of, check_single_core, log, run_worker  # noqa: E402

PACKS = ("basic-2012", "quality-2017")
FULL = {"schools": 210_000, "counties": 2_900, "seed": 1}
CHECK = {"schools": 20_000, "counties": 300, "seed": 1}
GOAL_SECONDS = 2.0
GOAL_RATIO = 20.0
REPEATS_JUNHENG = 5
REPEATS_BASELINE = 3
TOLERANCE = 1e-9


# --------------------------------------------------------------------------------------------
# The pandas baseline (written from docs/rules.md, not from junheng's code)
# --------------------------------------------------------------------------------------------

def _categories() -> dict[int, str]:
    from junheng.schema import SCHOOL_TYPES

    return {code: t.category for code, t in SCHOOL_TYPES.items()}


def pandas_units(schools, rules):
    """Per-school pandas rows → one row per unit (compulsory section with pupils) + indicators.

    Scope (docs/rules.md §1, §2) and splitting (§3) follow the rule pack's settings: unknown, special,
    vocational and senior-only schools out; 民办 and non-县属 schools out where the pack says so;
    teaching points out, or only those under the pack's minimum; schools without compulsory
    pupils out. Whole-school resources listed in ``rules.split.resources`` are shared out by
    weighted enrolment r_s·n_s / Σ r_t·n_t, indoor sports area moves from the teaching to the
    sports area, teachers are the section's own. Indicator = numerator × per / pupils.
    """
    import numpy as np
    import pandas as pd

    from junheng.schema import FIELDS

    df = schools.copy()
    numeric = [f.code for f in FIELDS if f.kind in ("int", "float") and f.code in df.columns]
    df[numeric] = df[numeric].astype("float64").fillna(0.0)
    for s in ("P", "J"):
        parts = df[f"pe_teachers_{s}"] + df[f"music_teachers_{s}"] + df[f"art_teachers_{s}"]
        df[f"pe_art_teachers_{s}"] = df[f"pe_art_teachers_{s}"].where(df[f"pe_art_teachers_{s}"] > 0, parts)
    df["category"] = df["school_type"].astype("int64").map(_categories()).fillna("unknown")
    ownership = df["ownership"].fillna("公办")
    authority = df["authority"].fillna("县属")

    sc = rules.scope
    out = df["category"].isin(["unknown", "senior"])
    if sc.special == "exclude":
        out |= df["category"] == "special"
    if sc.vocational == "exclude":
        out |= df["category"] == "vocational"
    if sc.private == "exclude":
        out |= ownership == "民办"
    out |= authority.isin(sc.excluded_authorities)
    point = df["category"] == "teaching_point"
    if sc.teaching_points == "exclude":
        out |= point
    elif sc.teaching_points == "include_if_large":
        out |= point & (df["students_P"] < sc.teaching_point_min_students)
    elif sc.teaching_points == "merge_into_parent":
        raise NotImplementedError("the baseline does not merge teaching points into their parent school")
    out |= (df["students_P"] + df["students_J"]) <= 0
    df = df[~out]

    def ratio(section):
        r = pd.Series(0.0 if section == "S" else 1.0, index=df.index)
        for cat in ("nine_year", "complete", "twelve_year"):
            r[df["category"] == cat] = rules.split.ratios(cat).get(section, 0.0)
        return r

    ratios = {s: ratio(s) for s in ("P", "J", "S")}
    denom = sum(ratios[s] * df[f"students_{s}"] for s in ("P", "J", "S"))
    split = set(rules.split.resources)
    teachers = ("teachers", "qualified_teachers", "senior_title_teachers", "backbone_teachers", "pe_art_teachers")
    frames = []
    for s, level in (("P", "primary"), ("J", "junior")):
        has = df[f"students_{s}"] > 0
        part = df[has]
        share = ratios[s][has] * part[f"students_{s}"] / denom[has]

        def amount(col):
            return part[col] * share if col in split else part[col]

        unit = pd.DataFrame({
            "county_code": part["county_code"], "county": part["county"],
            "school_id": part["school_id"], "level": level,
            "students": part[f"students_{s}"], "share": share,
        })
        if rules.split.indoor_sports_in_sports_area:
            unit["teaching_area"] = amount("teaching_area_m2") - amount("indoor_sports_m2")
            unit["sports_area"] = amount("sports_ground_m2") + amount("indoor_sports_m2")
        else:
            unit["teaching_area"] = amount("teaching_area_m2")
            unit["sports_area"] = amount("sports_ground_m2")
        for col in ("equipment_value_yuan", "teaching_computers", "books", "multimedia_rooms"):
            unit[col] = amount(col)
        for t in teachers:
            unit[t] = part[f"{t}_{s}"]
        frames.append(unit)
    units = pd.concat(frames, ignore_index=True)
    for ind in rules.indicators:
        units[ind.code] = units[ind.numerator] * ind.per / units["students"]
    return units


def county_level_stats(group, codes):
    """The analyst's per-group function: enrolment-weighted mean, SD and CV of each indicator."""
    import numpy as np
    import pandas as pd

    w = group["students"]
    out = {}
    for code in codes:
        mean = np.average(group[code], weights=w)
        sd = math.sqrt(np.average((group[code] - mean) ** 2, weights=w))
        out[f"mean_{code}"] = mean
        out[f"sd_{code}"] = sd
        out[f"cv_{code}"] = sd / mean if mean != 0 else float("nan")
    return pd.Series(out)


def pandas_assess(schools, rules):
    """The whole baseline: units, indicator columns, then groupby(["county", "level"]).apply."""
    units = pandas_units(schools, rules)
    codes = [i.code for i in rules.indicators]
    return units.groupby(["county", "level"]).apply(county_level_stats, codes=codes)


# --------------------------------------------------------------------------------------------
# Equivalence check
# --------------------------------------------------------------------------------------------

def junheng_cvs(assessment) -> dict[tuple[str, str, str], float | None]:
    """(county name, level, indicator) → CV from a junheng Assessment."""
    return {
        (c.county, lv.level, code): st.cv
        for c in assessment.counties for lv in c.levels.values() for code, st in lv.indicators.items()
    }


def baseline_cvs(stats, rules) -> dict[tuple[str, str, str], float | None]:
    """Same mapping from the baseline's groupby result (NaN → None: undefined CV)."""
    out = {}
    for (county, level), row in stats.iterrows():
        for i in rules.indicators:
            v = float(row[f"cv_{i.code}"])
            out[(county, level, i.code)] = None if math.isnan(v) else v
    return out


def compare(assessment, stats, rules, label: str) -> dict:
    """Assert the baseline and junheng give the same groups and CVs to :data:`TOLERANCE`."""
    a, b = junheng_cvs(assessment), baseline_cvs(stats, rules)
    assert a.keys() == b.keys(), f"{label}: different (county, level, indicator) sets: {len(a)} vs {len(b)}"
    worst = 0.0
    for k, va in a.items():
        vb = b[k]
        assert (va is None) == (vb is None), f"{label}: CV defined on one side only at {k}: {va} vs {vb}"
        if va is not None:
            worst = max(worst, abs(va - vb))
    assert worst <= TOLERANCE, f"{label}: CVs differ by up to {worst:.3g} > {TOLERANCE}"
    return {"cvs_compared": len(a), "max_abs_diff": worst}


# --------------------------------------------------------------------------------------------
# Worker (single core) and driver
# --------------------------------------------------------------------------------------------

def _without_provisions(table):
    """The table with nothing given in the special-provision columns (the baseline has no provisions)."""
    import polars as pl

    from junheng.schema import PROVISION_COLUMNS

    return table.with_columns([(pl.lit(None, pl.Utf8) if c == "central_urban" else pl.lit(0).cast(table[c].dtype)).alias(c)
                               for c in PROVISION_COLUMNS if c in table.columns])


def _worker(full: dict, check: dict, repeats_j: int, repeats_b: int) -> dict:
    check_single_core()
    from junheng.core import assess
    from junheng.rules import load_rules
    from junheng.sample import generate

    rules = {p: load_rules(p) for p in PACKS}

    log(f"equivalence check on {check['schools']} schools / {check['counties']} counties")
    small = _without_provisions(generate(**check))
    small_pd = small.to_pandas()
    checks = {p: compare(assess(small, rules[p]), pandas_assess(small_pd, rules[p]), rules[p], f"check {p}")
              for p in PACKS}

    log(f"generating {full['schools']} schools / {full['counties']} counties (not timed)")
    table = _without_provisions(generate(**full))
    table_pd = table.to_pandas()
    n_counties = table["county_code"].n_unique()

    last: dict = {}

    def run_junheng():
        for p in PACKS:
            last[("junheng", p)] = assess(table, rules[p])

    def run_baseline():
        for p in PACKS:
            last[("baseline", p)] = pandas_assess(table_pd, rules[p])


    log(f"timing junheng, best of {repeats_j}")
    t_j = best_of(run_junheng, repeats_j, setup=last.clear)
    log(f"junheng best {t_j['best']:.3f} s; timing pandas baseline, best of {repeats_b}")
    t_b = best_of(run_baseline, repeats_b, setup=lambda: [last.pop(("baseline", p), None) for p in PACKS])
    log(f"baseline best {t_b['best']:.3f} s")
    full_checks = {p: compare(last[("junheng", p)], last[("baseline", p)], rules[p], f"full {p}") for p in PACKS}
    log("timing junheng per pack (breakdown)")
    pack_j = {p: best_of(lambda p=p: assess(table, rules[p]), repeats_j)["best"] for p in PACKS}
    units = {p: last[("junheng", p)].units.height for p in PACKS}
    return {
        "table": {**full, "counties_in_table": n_counties, "units": units},
        "check_table": check,
        "junheng": t_j,
        "baseline": t_b,
        "junheng_per_pack": pack_j,
        "equivalence_small": checks,
        "equivalence_full": full_checks,
        "repeats": {"junheng": repeats_j, "baseline": repeats_b},
    }


def run(quick: bool = False) -> dict:
    """Run the benchmark in a single-core worker; return timings, ratio and verdicts.

    quick: a 10× smaller table and fewer repeats, to try the machinery (not a measurement).
    """
    full = {"schools": 21_000, "counties": 290, "seed": 1} if quick else FULL
    repeats = (1, 1) if quick else (REPEATS_JUNHENG, REPEATS_BASELINE)
    res = run_worker(Path(__file__), {"full": full, "check": CHECK, "repeats_j": repeats[0], "repeats_b": repeats[1]})
    j = res["junheng"]["best"]
    res["goals"] = {"seconds": {"goal": f"< {GOAL_SECONDS:g} s (both packs, one core)", "value": j,
                                "pass": j < GOAL_SECONDS}}
    return add_ratio(res, GOAL_RATIO, "the pandas baseline", quick)


if __name__ == "__main__":
    sys.exit(bench_main(__doc__.splitlines()[0], run, _worker))
