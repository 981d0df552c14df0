"""Benchmark 3: the official outputs (Excel tables, Word report, HTML page, charts).

What is measured (wall time, ``time.perf_counter``; the assessment is done before the clock starts):

* one county: ``junheng.report.bundle.write_report(assessment, out_dir, formats=("xlsx", "docx",
  "html"))`` for the bundled sample county (106 schools), under ``basic-2012`` and under
  ``quality-2017``, in one process on one core: charts drawn (matplotlib, Agg), the workbook,
  the .docx on the template and the self-contained HTML written into a temporary folder and moved
  into place. One untimed warm-up call first (imports, font registration), then best of 3.
  Goal: under 5 s per county and pack.
* a province batch: ``write_reports(assessment, out_dir, jobs=…)`` for
  ``generate(schools=10_600, counties=100, seed=1)`` under ``basic-2012`` (100 counties, 300
  files), once with ``jobs=1`` (in this process) and once with ``jobs=2`` (two worker processes
  started with ``spawn``; their start-up and imports are part of the time, as for a user). Each
  process is single-threaded (``POLARS_MAX_THREADS=1``, common.py), so the speed-up shows how well
  the work spreads over the cores. One run each (a run takes minutes). Goal: speed-up ≥ 1.5 on
  a 2-core machine.

Honesty check (assertion, outside the timed region): both batch runs write the same 300 file names.

Run alone: ``python bench/bench_report.py``; ``bench/run.py`` runs it with the other benchmarks.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from common import bench_main, best_of, check_single_core, log, run_worker  # noqa: E402

PACKS = ("basic-2012", "quality-2017")
BATCH = {"schools": 10_600, "counties": 100, "seed": 1}
BATCH_PACK = "basic-2012"
GOAL_SECONDS = 5.0
GOAL_SPEEDUP = 1.5
REPEATS = 3


def _worker(batch: dict, repeats: int) -> dict:
    check_single_core()
    import docx
    import matplotlib

    from junheng.core import assess
    from junheng.io import read_school_table
    from junheng.report.bundle import write_report, write_reports
    from junheng.rules import load_rules
    from junheng.sample import SAMPLE_XLSX, generate

    table = read_school_table(SAMPLE_XLSX).table
    root = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        one = {}
        for p in PACKS:
            a = assess(table, load_rules(p))
            out = root / p
            write_report(a, out, source_name=SAMPLE_XLSX.name, table=table)  # warm-up, untimed
            log(f"one county, {p}: best of {repeats}")
            t = best_of(lambda: write_report(a, out, source_name=SAMPLE_XLSX.name, table=table), repeats)
            sizes = {f.suffix[1:]: f.stat().st_size for f in out.iterdir()}
            one[p] = {**t, "bytes": sizes}

        log(f"generating {batch['schools']} schools / {batch['counties']} counties (not timed)")
        big = generate(**batch)
        a = assess(big, load_rules(BATCH_PACK))
        runs, names = {}, {}
        for jobs in (1, 2):
            out = root / f"batch{jobs}"
            log(f"batch of {len(a.counties)} counties, jobs={jobs}")
            t0 = time.perf_counter()
            paths = write_reports(a, out, source_name="province.xlsx", table=big, jobs=jobs)
            runs[jobs] = time.perf_counter() - t0
            names[jobs] = sorted(p.name for p in paths)
            log(f"jobs={jobs}: {runs[jobs]:.1f} s, {len(paths)} files")
            shutil.rmtree(out)
        assert names[1] == names[2] and len(names[1]) == 4 * len(a.counties), "batch runs wrote different files"  # xlsx, docx, html, 说明
        return {
            "one_county": one,
            "sample": {"schools": table.height, "file": SAMPLE_XLSX.name},
            "batch": {**batch, "pack": BATCH_PACK, "counties_in_table": len(a.counties), "files": len(names[1]),
                      "units": a.units.height, "jobs1": runs[1], "jobs2": runs[2], "speedup": runs[1] / runs[2]},
            "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "versions": {"matplotlib": matplotlib.__version__, "python-docx": getattr(docx, "__version__", "?")},
            "repeats": repeats,
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(quick: bool = False) -> dict:
    """Run the benchmark in a single-threaded worker; return timings and verdicts.

    quick: a 10-county batch and one repeat, to try the machinery (not a measurement).
    """
    batch = {"schools": 1_060, "counties": 10, "seed": 1} if quick else BATCH
    res = run_worker(Path(__file__), {"batch": batch, "repeats": 1 if quick else REPEATS}, timeout=3600)
    worst = max(v["best"] for v in res["one_county"].values())
    res["goals"] = {
        "seconds": {"goal": f"< {GOAL_SECONDS:g} s per county and pack (xlsx + docx + html)", "value": worst,
                    "pass": worst < GOAL_SECONDS},
        "speedup": {"goal": f">= {GOAL_SPEEDUP:g}x with jobs=2 vs jobs=1", "value": res["batch"]["speedup"],
                    "pass": res["batch"]["speedup"] >= GOAL_SPEEDUP},
    }
    res["quick"] = quick
    return res


if __name__ == "__main__":
    sys.exit(bench_main(__doc__.splitlines()[0], run, _worker))
