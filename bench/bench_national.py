"""Benchmark 4: the national table end to end, ``junheng assess national.xlsx -f json -o out.json``.

What is measured: the wall time and the peak memory (maximum resident set size) of the whole
command in a fresh process, as a user runs it: start-up, reading and validating the .xlsx, both
the assessment and the JSON document written to a file. The file is the national table written
by the project's generator (``write_school_table(generate(schools=210_000, counties=2_900,
seed=1), path)``: merged title and group headers, one row per school, about 8 million cells).

Baseline (the physical floor): a fresh process that only reads every cell of the same sheet with
fastexcel into a polars frame (``fastexcel.read_excel(path).load_sheet(0, header_row=None)
.to_polars()``): what any reader must pay before validation, assessment and output.

Both run with the single-core environment of the other benchmarks, after one untimed warm-up run
each (page cache); best of :data:`REPEATS`. Peak memory is ``ru_maxrss`` of the child
(``os.wait4``). Honesty check (outside the timed region): the JSON document parses (strict: no
NaN/Infinity) and has one entry per county of the table.

Goals (issue 7): under 15 s and under 1.5 GB; the ratio to the floor is reported.

Run alone: ``python bench/bench_national.py``; ``bench/run.py`` runs it with the others.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from common import SINGLE_CORE_ENV, bench_main, log, run_worker  # noqa: E402

SCHOOLS = 210_000
COUNTIES = 2_900
SEED = 1
REPEATS = 2
GOAL_SECONDS = 15.0
GOAL_MB = 1536.0  # 1.5 GiB

FLOOR = ("import sys, fastexcel; "
         "fastexcel.read_excel(sys.argv[1]).load_sheet(0, header_row=None).to_polars()")


def timed_process(args: list[str]) -> tuple[float, float]:
    """Run ``args`` in a fresh process (single-core environment); (wall seconds, peak RSS in MB)."""
    env = {**os.environ, **SINGLE_CORE_ENV}
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed (exit {proc.returncode}):\n{err[-3000:]}")
    return wall, usage.ru_maxrss / 1024


def best(args: list[str], repeats: int) -> dict:
    timed_process(args)  # warm-up (page cache, .pyc), untimed
    runs = [timed_process(args) for _ in range(repeats)]
    walls = [w for w, _ in runs]
    return {"best": min(walls), "walls": walls, "peak_mb": max(m for _, m in runs)}


def _worker(schools: int, counties: int, repeats: int) -> dict:
    from junheng.sample import generate, write_school_table

    with tempfile.TemporaryDirectory(prefix="junheng-bench-") as tmp:
        path, out = Path(tmp) / "national.xlsx", Path(tmp) / "out.json"
        log(f"writing {schools} schools / {counties} counties to {path.name} (not timed)")
        write_school_table(generate(schools=schools, counties=counties, seed=SEED), path)
        size = path.stat().st_size
        cmd = [sys.executable, "-m", "junheng.cli", "assess", str(path), "-f", "json", "-o", str(out)]
        log(f"timing junheng assess -f json, best of {repeats}")
        t_j = best(cmd, repeats)
        log(f"junheng best {t_j['best']:.2f} s, peak {t_j['peak_mb']:.0f} MB; timing the raw read")
        t_b = best([sys.executable, "-c", FLOOR, str(path)], repeats)
        log(f"raw read best {t_b['best']:.2f} s, peak {t_b['peak_mb']:.0f} MB")
        doc = json.loads(out.read_bytes(), parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
        n = len(doc["counties"])
        assert n == counties, f"JSON has {n} counties, table has {counties}"
        units = sum(len(c["units"]) for c in doc["counties"])
        json_mb = out.stat().st_size / 1e6
    return {"file": {"schools": schools, "counties": counties, "seed": SEED, "bytes": size,
                     "json_mb": json_mb, "units": units},
            "junheng": t_j, "baseline": t_b, "repeats": repeats}


def run(quick: bool = False) -> dict:
    """Run the benchmark (a worker writes the file and times both commands); add goals."""
    params = {"schools": 20_000, "counties": 300, "repeats": 1} if quick else \
        {"schools": SCHOOLS, "counties": COUNTIES, "repeats": REPEATS}
    res = run_worker(Path(__file__), params, timeout=3600)
    j = res["junheng"]
    res["ratio_to_floor"] = j["best"] / res["baseline"]["best"]
    res["goals"] = {
        "seconds": {"goal": f"< {GOAL_SECONDS:g} s", "value": j["best"], "pass": j["best"] < GOAL_SECONDS},
        "memory": {"goal": f"< {GOAL_MB / 1024:g} GiB peak", "value": j["peak_mb"], "pass": j["peak_mb"] < GOAL_MB},
    }
    res["quick"] = quick
    return res


if __name__ == "__main__":
    sys.exit(bench_main(__doc__.splitlines()[0], run, _worker))
