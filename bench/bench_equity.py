"""Benchmark 7: ``junheng equity`` (analysis.equity.assess_equity) over the national table against
a straightforward pandas baseline, in the same run.

What is measured (one core, data in memory): ``assess_equity(a)`` where ``a`` is the assessment
under ``basic-2012`` of ``generate(schools=210_000, counties=2_900, seed=1)`` (the national table of
bench_national.py, about 420 000 units, 8 indicators): every measure of docs/equity.md (Gini,
Theil T and L, McLoone, Verstegen, federal range ratio, restricted range) and the Theil
decompositions by township and by urban–rural class, per county, level and indicator. The
assessment itself is not timed. Best of :data:`REPEATS`.

The baseline is too slow for the whole table on the shared machine (about a quarter of an hour), so
the ratio is taken like for like on every :data:`EVERY`-th county of the same table (the same
assessment restricted to those counties, about 290 counties): junheng and the baseline on the
same units, same run. junheng's time on the whole national table is reported next to it, with the
baseline's time scaled by the number of units (its cost is linear in the groups) for orientation.

Baseline: what an analyst writes in pandas from the same unit frame (converted untimed):
``groupby(["county_key", "level"]).apply(f)`` where ``f`` loops over the indicators and computes
each measure from its definition with numpy on the group (Gini as the double sum over pairs, the
weighted quantiles by sorting and cumulating the weights, the decompositions by an inner
``groupby`` of township and of urban–rural class). Best of :data:`BASE_REPEATS`.

Honesty check (outside the timed region): on every (county, level, indicator) both give the same
Gini, Theil T and L, McLoone, Verstegen, range ratio, restricted range and Theil T between-share
by township within :data:`TOLERANCE` (undefined = NaN on both sides).

Goal (issue 12): the baseline / junheng ratio ≥ :data:`GOAL_RATIO`.

Run alone: ``python bench/bench_equity.py``; ``bench/run.py`` runs it with the others.
"""
from __future__ import annotations

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from common import add_ratio, bench_main, best_of, check_single_core, log, run_worker  # noqa: E402

SCHOOLS, COUNTIES, SEED = 210_000, 2_900, 1
QUICK_SCHOOLS, QUICK_COUNTIES = 6_000, 80
REPEATS, BASE_REPEATS = 3, 1
#: The ratio is measured on every EVERY-th county (module docstring).
EVERY = 10
GOAL_RATIO = 10.0
TOLERANCE = 1e-9
#: Measures compared in the honesty check (junheng's JSON key → baseline column).
CHECKED = ("gini", "theil_t", "theil_l", "mcloone", "verstegen", "range_ratio", "restricted_range")


def _wq(x, w, p):
    """Weighted quantile by definition: the smallest x_k whose cumulative weight ≥ p · W."""
    import numpy as np

    o = np.argsort(x, kind="stable")
    cw = np.cumsum(w[o])
    k = int(np.searchsorted(cw, p * cw[-1] * (1 - 1e-12), side="left"))
    return x[o][min(k, len(x) - 1)]


def _theil(x, w):
    import numpy as np

    m = np.sum(w * x) / np.sum(w)
    if m == 0:
        return np.nan, np.nan
    r = x / m
    t = np.sum(w * np.where(r > 0, r * np.log(np.where(r > 0, r, 1)), 0)) / np.sum(w)
    lv = np.nan if np.any(x <= 0) else np.sum(w * np.log(m / x)) / np.sum(w)
    return t, lv


def baseline(df, codes):
    """The pandas baseline (module docstring): one row per (county_key, level, indicator)."""
    import numpy as np
    import pandas as pd

    def per_group(g):
        w = g["students"].to_numpy(float)
        rows = []
        for code in codes:
            x = g[code].to_numpy(float)
            W, m = w.sum(), np.sum(w * x) / w.sum()
            gini = np.nan if m == 0 else np.sum(np.outer(w, w) * np.abs(x[:, None] - x[None, :])) / (2 * W * W * m)
            t, lv = _theil(x, w)
            med = _wq(x, w, 0.5)
            lo, hi = x <= med, x >= med
            mcl = np.nan if med == 0 else np.sum(w[lo] * x[lo]) / (med * w[lo].sum())
            ver = np.nan if med == 0 else np.sum(w[hi] * x[hi]) / (med * w[hi].sum())
            q05, q95 = _wq(x, w, 0.05), _wq(x, w, 0.95)
            out = {"indicator": code, "gini": gini, "theil_t": t, "theil_l": lv, "mcloone": mcl, "verstegen": ver,
                   "range_ratio": np.nan if q05 == 0 else (q95 - q05) / q05, "restricted_range": q95 - q05}
            for name in ("township", "urban_rural"):
                tw = tb = 0.0
                for _, h in g.assign(_x=x).groupby(name):
                    wh, xh = h["students"].to_numpy(float), h["_x"].to_numpy(float)
                    mh = np.sum(wh * xh) / wh.sum()
                    if m == 0 or mh == 0:
                        continue
                    s = wh.sum() * mh / (W * m)
                    tw += s * _theil(xh, wh)[0]
                    tb += s * np.log(mh / m)
                out[f"{name}_t_between"] = np.nan if m == 0 else tb
                out[f"{name}_t_within"] = np.nan if m == 0 else tw
            rows.append(out)
        return pd.DataFrame(rows)

    return df.groupby(["county_key", "level"], sort=True).apply(per_group, include_groups=False)


def worker(schools: int, counties: int, repeats: int, base_repeats: int) -> dict:
    check_single_core()
    import numpy as np
    import polars as pl

    from junheng.analysis.equity import URBAN_RURAL_CLASSES, MISSING_GROUP, assess_equity
    from junheng.core import assess
    from junheng.rules import load_rules
    from junheng.sample import generate

    log(f"equity: generating and assessing {schools:,} schools / {counties:,} counties (untimed)")
    table = generate(schools=schools, counties=counties, seed=SEED)
    rules = load_rules("basic-2012")
    full = assess(table, rules)
    picked = sorted(table["county_code"].unique().to_list())[::EVERY]
    a = assess(table.filter(pl.col("county_code").is_in(picked)), rules)
    codes = [i.code for i in a.rules.indicators]
    units = a.units.select("county_key", "level", "students", "township", "urban_rural_code", *codes)
    df = units.with_columns(
        pl.col("township").fill_null(MISSING_GROUP).replace("", MISSING_GROUP),
        pl.col("urban_rural_code").str.slice(0, 2).replace_strict(URBAN_RURAL_CLASSES, default=MISSING_GROUP)
        .fill_null(MISSING_GROUP).alias("urban_rural")).to_pandas()
    log(f"equity: junheng assess_equity on the whole table ({full.units.height:,} units), best of {repeats}")
    res = {"junheng_full": best_of(lambda: assess_equity(full), repeats)}
    log(f"equity: junheng on every {EVERY}th county ({units.height:,} units), best of {repeats}")
    res["junheng"] = best_of(lambda: assess_equity(a), repeats)
    log(f"equity: pandas baseline on the same counties, best of {base_repeats}")
    res["baseline"] = best_of(lambda: baseline(df, codes), base_repeats)
    res["baseline_full_scaled"] = res["baseline"]["best"] * full.units.height / units.height
    # honesty check, untimed
    r = assess_equity(a)
    b = baseline(df, codes).reset_index()
    keys = {c.county_code: c.county_key for c in a.counties}
    worst, compared = 0.0, 0
    ours = {}
    for c in r.counties:
        for level, lv in c["levels"].items():
            for code, d in lv["indicators"].items():
                ours[(keys[c["county_code"]], level, code)] = d
    for row in b.itertuples(index=False):
        d = ours[(row.county_key, row.level, row.indicator)]
        share = d["decomposition"]["township"]["theil_t"]
        pairs = [(d[m], getattr(row, m)) for m in CHECKED]
        total = row.township_t_between + row.township_t_within
        pairs.append((None if share is None else share["between_share"],
                      np.nan if not np.isfinite(total) or total == 0 else row.township_t_between / total))
        for mine, theirs in pairs:
            mine = np.nan if mine is None else mine
            if np.isnan(mine) or np.isnan(theirs):
                assert np.isnan(mine) and np.isnan(theirs), (row, mine, theirs)
                continue
            worst = max(worst, abs(mine - theirs) / max(1.0, abs(theirs)))
            compared += 1
    assert worst <= TOLERANCE, worst
    res["check"] = {"values_compared": compared, "max_rel_diff": worst}
    res["table"] = {"schools": schools, "counties": counties, "units": full.units.height, "indicators": len(codes),
                    "subset_counties": len(picked), "subset_units": units.height}
    return res


def rows(e: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Summary rows for bench/run.py."""
    t, g = e["table"], e["goals"]["ratio"]
    return [(f"equity, every {EVERY}th county ({t['subset_units']:,} units): ratio", f"{e['junheng']['best']:.3f} s",
             f"{e['baseline']['best']:.3f} s (pandas)", f"{e['ratio']:.1f}x", g["goal"], "PASS" if g["pass"] else "FAIL"),
            (f"equity, national table ({t['units']:,} units): time", f"{e['junheng_full']['best']:.3f} s",
             f"~{e['baseline_full_scaled']:.0f} s (pandas, scaled)", "", "reported", "–")]


def section(e: dict) -> list[str]:
    """The section of BENCHMARKS.md."""
    t, c = e["table"], e["check"]
    runs = lambda r: ", ".join(f"{x:.3f}" for x in r["walls"])  # noqa: E731
    return ["## 9. Equity measures (`bench/bench_equity.py`)", "",
            f"`assess_equity` of the basic-2012 assessment of `generate(schools={t['schools']}, counties={t['counties']}, "
            f"seed={SEED})` ({t['units']:,} units, {t['indicators']} indicators), against a pandas `groupby(...).apply` "
            f"baseline from the definitions; ratio on every {EVERY}th county ({t['subset_counties']} counties, "
            f"{t['subset_units']:,} units), same run.", "",
            "| | best | all repeats (s) | CPU of best |", "|---|---|---|---|",
            f"| junheng, whole table | {e['junheng_full']['best']:.3f} s | {runs(e['junheng_full'])} | "
            f"{e['junheng_full']['cpu_of_best']:.3f} s |",
            f"| junheng, every {EVERY}th county | {e['junheng']['best']:.3f} s | {runs(e['junheng'])} | "
            f"{e['junheng']['cpu_of_best']:.3f} s |",
            f"| pandas baseline, every {EVERY}th county | {e['baseline']['best']:.3f} s | {runs(e['baseline'])} | "
            f"{e['baseline']['cpu_of_best']:.3f} s |", "",
            f"Ratio baseline / junheng: **{e['ratio']:.1f}x** (goal ≥ {GOAL_RATIO:g}x). Same values: "
            f"{c['values_compared']:,} compared, largest relative difference {c['max_rel_diff']:.1e}.", ""]


def run(quick: bool = False) -> dict:
    params = {"schools": QUICK_SCHOOLS if quick else SCHOOLS, "counties": QUICK_COUNTIES if quick else COUNTIES,
              "repeats": 1 if quick else REPEATS, "base_repeats": 1 if quick else BASE_REPEATS}
    res = run_worker(Path(__file__), params, timeout=3600)
    return add_ratio(res, GOAL_RATIO, "the pandas baseline", quick)


if __name__ == "__main__":
    sys.exit(bench_main(__doc__.splitlines()[0], run, worker))
