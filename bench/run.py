"""Run every benchmark, print a summary table and rewrite BENCHMARKS.md with the measured numbers.

    pip install -e '.[bench]' && python bench/run.py

Benchmarks (each a ratio against a baseline timed in the same run, on one core; see their
docstrings for exactly what is timed and why):

* ``bench_assess.py``: ``junheng.core.assess`` of 210 000 schools / 2 900 counties under
  ``basic-2012`` and ``quality-2017`` against a pandas ``groupby(...).apply`` baseline.
  Goals: under 2 s, and at least 20 × faster.
* ``bench_read.py``: ``junheng.io.read_school_table`` of a 10 000-row .xlsx against openpyxl
  (read-only, every cell). Goal: at least 5 × faster.
* ``bench_report.py``: the official outputs (Excel, Word, HTML, charts) of one county under 5 s,
  and a 100-county batch with ``jobs=2`` against ``jobs=1`` (speed-up at least 1.5 on 2 cores).
* ``bench_national.py``: ``junheng assess`` of the national table (210 000 schools, .xlsx) to a
  JSON file, end to end in a fresh process, against the raw fastexcel read of the same file.
  Goals: under 15 s and under 1.5 GiB peak memory.
* ``bench_plan.py``: ``junheng plan --objective min-cost`` (quality-2017) on a 300-unit county,
  and its cost against a greedy baseline (cheapest shortfall first). Goals: under 10 s, cheaper.
* ``bench_monitor.py``: ``junheng monitor``'s core over five years of a 3 000-school province
  (quality-2017) against a pandas baseline. Goal: at least 10 × faster.
* ``bench_web.py``: 200 school reporters logging in and submitting their forms at once against
  the server on 127.0.0.1 (SQLite: ``junheng serve``; PostgreSQL: gunicorn with several workers,
  server of ``JUNHENG_BENCH_PG_URL``), throughput and p95, then every submission and audit entry
  checked. Goal: form p95 under 300 ms on PostgreSQL (needs ``.[prod]`` for gunicorn).
* ``bench_equity.py``: ``junheng equity`` (analysis.equity.assess_equity) over the national table
  against a pandas ``groupby(...).apply`` baseline from the definitions. Goal: at least 10 × faster.

Options: ``--quick`` (small data, one repeat; prints only, BENCHMARKS.md untouched),
``--strict`` (exit status 1 when a goal is missed), ``--output PATH`` (default: BENCHMARKS.md at
the repository root). The whole run takes about fifteen minutes on a 2-core machine (the report
batch alone about seven).
"""
from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import bench_assess  # noqa: E402
import bench_equity  # noqa: E402
import bench_monitor  # noqa: E402
import bench_national  # noqa: E402
import bench_plan  # noqa: E402
import bench_read  # noqa: E402
import bench_report  # noqa: E402
import bench_web  # noqa: E402
from common import ROOT, SINGLE_CORE_ENV, log, machine_info  # noqa: E402

REPRODUCE = "pip install -e '.[bench]' && python bench/run.py"


def _git() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout.strip()
        return head + (" (with uncommitted changes under src/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _s(x: float) -> str:
    return f"{x:.3f} s"


def _runs(xs: list[float]) -> str:
    return ", ".join(f"{x:.3f}" for x in xs)


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def national_rows(n: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Summary rows of bench_national: time (with the ratio to the raw read) and peak memory."""
    g, f, j, b = n["goals"], n["file"], n["junheng"], n["baseline"]
    what = f"assess {f['schools']:,}-school .xlsx to JSON, end to end"
    return [
        (f"{what}: time", _s(j["best"]), _s(b["best"]) + " (raw fastexcel read)",
         f"{n['ratio_to_floor']:.2f}x of the read", g["seconds"]["goal"], _verdict(g["seconds"]["pass"])),
        (f"{what}: peak memory", f"{j['peak_mb']:.0f} MB", f"{b['peak_mb']:.0f} MB (raw read)", "",
         g["memory"]["goal"], _verdict(g["memory"]["pass"])),
    ]


def national_section(n: dict) -> list[str]:
    """Section 4 of BENCHMARKS.md (bench_national)."""
    f, j, b = n["file"], n["junheng"], n["baseline"]
    return [
        "## 4. The national table end to end (`bench/bench_national.py`)",
        "",
        f"File: `write_school_table(generate(schools={f['schools']}, counties={f['counties']}, seed={f['seed']}), "
        f"'national.xlsx')`, {f['bytes'] / 1e6:.1f} MB; output: {f['json_mb']:.0f} MB of JSON, "
        f"{f['counties']} counties, {f['units']} units (parsed strictly and counted after timing). "
        f"Fresh process per run, best of {n['repeats']} after one warm-up run.",
        "",
        "| | best | all repeats (s) | peak memory |",
        "|---|---|---|---|",
        f"| `junheng assess national.xlsx -f json -o out.json` | {_s(j['best'])} | {_runs(j['walls'])} | "
        f"{j['peak_mb']:.0f} MB |",
        f"| raw read: fastexcel, every cell into a polars frame | {_s(b['best'])} | {_runs(b['walls'])} | "
        f"{b['peak_mb']:.0f} MB |",
        "",
        f"junheng / raw read: **{n['ratio_to_floor']:.2f}x** (the rest is validation, assessment and output); "
        f"goals < {bench_national.GOAL_SECONDS:g} s and < {bench_national.GOAL_MB / 1024:g} GiB.",
        "",
    ]


def plan_rows(q: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Summary rows of bench_plan: time, and cost against the greedy plan."""
    g = q["goals"]
    what = f"plan min-cost, {q['units']}-unit county (quality-2017)"
    return [
        (f"{what}: time", _s(q["junheng"]["best"]), "", "", g["seconds"]["goal"], _verdict(g["seconds"]["pass"])),
        (f"{what}: cost", f"{q['cost_yuan'] / 1e4:,.0f} 万元", f"{q['greedy_cost_yuan'] / 1e4:,.0f} 万元 (greedy)",
         f"{q['cheaper_by']:.1%} cheaper", g["cheaper"]["goal"], _verdict(g["cheaper"]["pass"])),
        (f"plan curve, {q['curve_points']} points, same county", _s(q["curve"]["best"]), "", "",
         g["curve"]["goal"], _verdict(g["curve"]["pass"])),
        *province_rows(q),
    ]


def province_rows(q: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Summary row of bench_plan's province run (rotation, jobs=2 vs jobs=1), when it ran."""
    if "province" not in q:
        return []
    v, g = q["province"], q["goals"]["province_speedup"]
    return [(f"plan rotation, {v['counties']}-county province: jobs=2 vs jobs=1", _s(v["jobs2"]),
             f"{_s(v['jobs1'])} (jobs=1)", f"{v['speedup']:.2f}x", g["goal"], _verdict(g["pass"]))]


def plan_section(q: dict) -> list[str]:
    """Section 6 of BENCHMARKS.md (bench_plan)."""
    return [
        "## 6. The planner (`bench/bench_plan.py`)",
        "",
        f"`plan(generate(schools={bench_plan.SCHOOLS}, counties=1, seed={bench_plan.SEED}), quality-2017)`, "
        f"{q['units']} units, default costs, 3 years: model, MILP, cone phase and the engine's proof.",
        "",
        "| | best | all repeats (s) | status | cost | lower bound | gap |",
        "|---|---|---|---|---|---|---|",
        f"| junheng min-cost | {_s(q['junheng']['best'])} | {_runs(q['junheng']['walls'])} | {q['status']} | "
        f"{q['cost_yuan'] / 1e4:,.0f} 万元 | {q['bound_yuan'] / 1e4:,.0f} 万元 | {q['gap']:.2%} |",
        f"| greedy (cheapest shortfall first) | | | passes (asserted) | {q['greedy_cost_yuan'] / 1e4:,.0f} 万元 | | |",
        "",
        f"min-cost is **{q['cheaper_by']:.1%} cheaper** than the greedy plan (goal: cheaper; time goal < "
        f"{bench_plan.GOAL_SECONDS:g} s).",
        "",
        f"Curve (`objective=\"curve\", points={q['curve_points']}`: min-cost, then max-pass and min-worst per budget, "
        f"every plan re-assessed): **{_s(q['curve']['best'])}**, {q['curve_to_min_cost']:.1f}x the min-cost run above "
        f"(goal < {bench_plan.CURVE_GOAL_SECONDS:g} s); units passing {q['curve_passing'][0]} → {q['curve_passing'][-1]}, "
        f"worst CV ratio {q['curve_ratio'][0]:.3f} → {q['curve_ratio'][-1]:.3f}; largest min-worst gap "
        f"{q['curve_max_gap']:.2%}; max-pass proven at {q['curve_pass_proven']} of {q['curve_points']} budgets.",
        "",
        *province_section(q),
    ]


def province_section(q: dict) -> list[str]:
    """The province paragraph of section 6 (bench_plan.province_worker), when it ran."""
    if "province" not in q:
        return []
    v = q["province"]
    return [
        "A province in parallel: `plan_parallel(generate("
        + ", ".join(f"{k}={x}" for k, x in bench_plan.PROVINCE.items()) + "), quality-2017, "
        + f"objective=\"rotation\", jobs=…)`, {v['counties']} counties, {v['units']} units ({v['optimal']} proven "
        "optimal); the same JSON with jobs=1 and jobs=2 (asserted).",
        "",
        "| jobs | wall | CPU (parent + workers) |",
        "|---|---|---|",
        f"| 1 | {_s(v['jobs1'])} | {_s(v['cpu1'])} |",
        f"| 2 | {_s(v['jobs2'])} | {_s(v['cpu2'])} |",
        "",
        f"Speed-up {v['speedup']:.2f}x (goal ≥ {bench_plan.GOAL_SPEEDUP:g}x on 2 idle cores); load average "
        f"{v['loadavg']:.1f} during the run.",
        "",
    ]


def summary_rows(a: dict, r: dict, p: dict) -> list[tuple[str, str, str, str, str, str]]:
    """(benchmark, junheng, baseline, ratio, goal, result) rows, one per goal."""
    ga, gr = a["goals"], r["goals"]
    what = f"assess {a['table']['schools']:,} schools / {a['table']['counties']:,} counties, both packs"
    return [
        (f"{what}: time",
         _s(a["junheng"]["best"]), "", "", ga["seconds"]["goal"], _verdict(ga["seconds"]["pass"])),
        (f"{what}: ratio",
         _s(a["junheng"]["best"]), _s(a["baseline"]["best"]) + " (pandas)", f"{a['ratio']:.1f}x",
         ga["ratio"]["goal"], _verdict(ga["ratio"]["pass"])),
        (f"read {r['file']['rows']:,}-row .xlsx ({r['file']['columns']} columns): ratio",
         _s(r["junheng"]["best"]), _s(r["baseline"]["best"]) + " (openpyxl)", f"{r['ratio']:.1f}x",
         gr["ratio"]["goal"], _verdict(gr["ratio"]["pass"])),
        *report_rows(p),
    ]


def report_rows(p: dict) -> list[tuple[str, str, str, str, str, str]]:
    """Summary rows of bench_report: one county per pack, and the batch speed-up."""
    gp, b = p["goals"], p["batch"]
    rows = [(f"report one county ({p['sample']['schools']} schools, xlsx + docx + html), {pack}",
             _s(v["best"]), "", "", gp["seconds"]["goal"], _verdict(v["best"] < bench_report.GOAL_SECONDS))
            for pack, v in p["one_county"].items()]
    rows.append((f"report batch {b['counties_in_table']} counties ({b['files']} files): jobs=2 vs jobs=1",
                 _s(b["jobs2"]), _s(b["jobs1"]) + " (jobs=1)", f"{b['speedup']:.2f}x",
                 gp["speedup"]["goal"], _verdict(gp["speedup"]["pass"])))
    return rows


def report_section(p: dict) -> list[str]:
    """Section 3 of BENCHMARKS.md (bench_report)."""
    b = p["batch"]
    v = p["versions"]
    return [
        "## 3. Official outputs (`bench/bench_report.py`)",
        "",
        f"matplotlib {v['matplotlib']}, python-docx {v['python-docx']}. One county: the bundled sample county "
        f"({p['sample']['schools']} schools), `write_report(..., formats=(\"xlsx\", \"docx\", \"html\"))`, "
        "one process, one thread, after one untimed warm-up call.",
        "",
        "| pack | best | all repeats (s) | CPU of best | .xlsx | .docx | .html |",
        "|---|---|---|---|---|---|---|",
        *(f"| {pack} | {_s(x['best'])} | {_runs(x['walls'])} | {_s(x['cpu_of_best'])} | "
          f"{x['bytes']['xlsx'] / 1e3:.0f} kB | {x['bytes']['docx'] / 1e3:.0f} kB | {x['bytes']['html'] / 1e3:.0f} kB |"
          for pack, x in p["one_county"].items()),
        "",
        f"Batch: `generate(schools={b['schools']}, counties={b['counties']}, seed={b['seed']})` under `{b['pack']}`, "
        f"{b['counties_in_table']} counties, {b['units']} units, {b['files']} files; `write_reports(..., jobs=N)`, "
        f"one run each, on a machine with nproc {p['nproc']}:",
        "",
        "| jobs | wall time | per county |",
        "|---|---|---|",
        f"| 1 (this process) | {_s(b['jobs1'])} | {_s(b['jobs1'] / b['counties_in_table'])} |",
        f"| 2 (two spawned worker processes) | {_s(b['jobs2'])} | {_s(b['jobs2'] / b['counties_in_table'])} |",
        "",
        f"Speed-up jobs=1 / jobs=2: **{b['speedup']:.2f}x** (goal ≥ {bench_report.GOAL_SPEEDUP:g}x).",
        "",
    ]


def print_table(rows) -> None:
    head = ("benchmark", "junheng", "baseline", "ratio", "goal", "result")
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    for row in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(x).ljust(w) for x, w in zip(row, widths)))


def markdown(a: dict, r: dict, p: dict, n: dict, m: dict, when: str, commit: str, q: dict | None = None,
             w: dict | None = None, mo: dict | None = None, e: dict | None = None) -> str:
    """The text of BENCHMARKS.md (q: the planner benchmark, section 6; w: the workspace under load, section 7;
    mo: annual monitoring, section 8; e: equity measures, section 9)."""
    rows = (summary_rows(a, r, p) + national_rows(n) + (plan_rows(q) if q else []) + (bench_web.rows(w) if w else [])
            + (bench_monitor.rows(mo) if mo else []) + (bench_equity.rows(e) if e else []))
    env = " ".join(f"{k}={v}" for k, v in SINGLE_CORE_ENV.items())
    t, eq_s, eq_f = a["table"], a["equivalence_small"], a["equivalence_full"]
    f = r["file"]
    lines = [
        "# Benchmarks",
        "",
        "Measured numbers, written by `bench/run.py`; do not edit by hand. To reproduce:",
        "",
        f"    {REPRODUCE}",
        "",
        "Every goal is a ratio against a baseline timed in the same run (or an absolute time on one",
        "core), so it does not depend on the machine. Timed parts run in a worker process started",
        f"with `{env}`; only compute is timed (data already in memory, or file already written);",
        "the figure is the best of several repeats. What each benchmark measures and why: the",
        "docstrings of `bench/bench_assess.py`, `bench/bench_read.py`, `bench/bench_report.py` and",
        "`bench/bench_national.py` (the end-to-end run: a whole command in a fresh process).",
        "",
        f"- Date: {when}",
        f"- Machine: nproc {m['nproc']}, {m['cpu']}, {m['os']}",
        f"- Python {m['python']}, polars {m['polars']}, pandas {m['pandas']}, numpy {m['numpy']}, "
        f"openpyxl {m['openpyxl']}, fastexcel {m['fastexcel']}",
        f"- junheng commit: {commit}",
        "",
        "## Summary",
        "",
        "| benchmark | junheng | baseline | ratio | goal | result |",
        "|---|---|---|---|---|---|",
        *(f"| {' | '.join(x or '–' for x in row)} |" for row in rows),
        "",
        "## 1. Assessment (`bench/bench_assess.py`)",
        "",
        f"Table: `generate(schools={t['schools']}, counties={t['counties']}, seed={t['seed']})`, "
        f"{t['counties_in_table']} counties; units (school sections) assessed: "
        + ", ".join(f"{p} {n}" for p, n in t["units"].items()) + ".",
        "One repeat assesses both rule packs, `basic-2012` then `quality-2017`.",
        "",
        "| | best | all repeats (s) | CPU of best |",
        "|---|---|---|---|",
        f"| junheng `assess` (polars, 1 thread), best of {a['repeats']['junheng']} | {_s(a['junheng']['best'])} | "
        f"{_runs(a['junheng']['walls'])} | {_s(a['junheng']['cpu_of_best'])} |",
        f"| pandas `groupby(['county', 'level']).apply`, best of {a['repeats']['baseline']} | {_s(a['baseline']['best'])} | "
        f"{_runs(a['baseline']['walls'])} | {_s(a['baseline']['cpu_of_best'])} |",
        "",
        "junheng per pack (best of "
        f"{a['repeats']['junheng']}): " + ", ".join(f"{p} {_s(x)}" for p, x in a["junheng_per_pack"].items()) + ".",
        "",
        f"Ratio baseline / junheng: **{a['ratio']:.1f}x** (goal ≥ {bench_assess.GOAL_RATIO:g}x); "
        f"junheng time **{_s(a['junheng']['best'])}** (goal < {bench_assess.GOAL_SECONDS:g} s).",
        "",
        "Equivalence (asserted; the run stops if it fails): the baseline's CVs equal junheng's to "
        f"{bench_assess.TOLERANCE:g} on `generate(schools={a['check_table']['schools']}, "
        f"counties={a['check_table']['counties']}, seed={a['check_table']['seed']})` before timing "
        "and on the full table after timing:",
        "",
        "| pack | CVs compared (small) | max abs diff (small) | CVs compared (full) | max abs diff (full) |",
        "|---|---|---|---|---|",
        *(f"| {p} | {eq_s[p]['cvs_compared']} | {eq_s[p]['max_abs_diff']:.1e} | {eq_f[p]['cvs_compared']} | "
          f"{eq_f[p]['max_abs_diff']:.1e} |" for p in eq_s),
        "",
        "## 2. Reading a school table (`bench/bench_read.py`)",
        "",
        f"File: `write_school_table(generate(schools={f['rows']}, counties={f['counties']}, seed={f['seed']}), "
        f"'….xlsx')`: {f['rows']} school rows under a merged title and merged group headers, "
        f"{f['columns']} columns, {f['cells_in_sheet']} cells in the sheet, {f['bytes'] / 1e6:.2f} MB. "
        "junheng's import must give the same school ids and 小学在校生数 as the cells openpyxl reads (asserted).",
        "",
        "| | best | all repeats (s) | CPU of best |",
        "|---|---|---|---|",
        f"| junheng `read_school_table` (read, header detection, conversion, validation), best of "
        f"{r['repeats']['junheng']} | {_s(r['junheng']['best'])} | {_runs(r['junheng']['walls'])} | "
        f"{_s(r['junheng']['cpu_of_best'])} |",
        f"| openpyxl `read_only=True`, every cell value, best of {r['repeats']['baseline']} | "
        f"{_s(r['baseline']['best'])} | {_runs(r['baseline']['walls'])} | {_s(r['baseline']['cpu_of_best'])} |",
        "",
        f"Ratio openpyxl / junheng: **{r['ratio']:.1f}x** (goal ≥ {bench_read.GOAL_RATIO:g}x).",
        "",
        *report_section(p),
        *national_section(n),
        *mutation_section(),
        *(plan_section(q) if q else []),
        *(bench_web.section(w) if w else []),
        *(bench_monitor.section(mo) if mo else []),
        *(bench_equity.section(e) if e else []),
    ]
    return "\n".join(lines)


def mutation_section() -> list[str]:
    """Section 5 of BENCHMARKS.md: the last mutation-testing run, kept from bench/mutation.md
    (written by ``tools/mutation_report.py``; mutmut is too slow to run here)."""
    src = ROOT / "bench" / "mutation.md"
    return ["", *src.read_text(encoding="utf-8").rstrip().splitlines(), ""] if src.is_file() else []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small data, one repeat; print only")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    ap.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = ap.parse_args(argv)

    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = _git()  # before the run: what was measured
    log("benchmark 1/8: assessment")
    a = bench_assess.run(quick=args.quick)
    log("benchmark 2/8: reading .xlsx")
    r = bench_read.run(quick=args.quick)
    log("benchmark 3/8: official reports")
    p = bench_report.run(quick=args.quick)
    log("benchmark 4/8: the national table end to end")
    n = bench_national.run(quick=args.quick)
    log("benchmark 5/8: the planner")
    q = bench_plan.run(quick=args.quick)
    log("benchmark 6/8: the workspace under load")
    w = bench_web.run(quick=args.quick)
    log("benchmark 7/8: annual monitoring")
    mo = bench_monitor.run(quick=args.quick)
    log("benchmark 8/8: equity measures")
    e = bench_equity.run(quick=args.quick)
    m = machine_info()

    print()
    print_table(summary_rows(a, r, p) + national_rows(n) + plan_rows(q) + bench_web.rows(w) + bench_monitor.rows(mo)
                + bench_equity.rows(e))
    if args.quick:
        print("\n(--quick: small data, one repeat; not a measurement, BENCHMARKS.md not written)")
    else:
        args.output.write_text(markdown(a, r, p, n, m, when, commit, q, w, mo, e), encoding="utf-8")
        print(f"\nwrote {args.output}")
    ok = all(g["pass"] for res in (a, r, p, n, q, w, mo, e) for g in res["goals"].values())
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
