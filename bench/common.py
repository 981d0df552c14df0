"""Shared helpers of the benchmarks: single-core worker processes, best-of-N timing, machine info.

Every timed section runs in a fresh worker process started with :data:`SINGLE_CORE_ENV`, so that
polars reads ``POLARS_MAX_THREADS=1`` before it is first imported (the size of its thread pool is
fixed at import) and the baselines (pandas, openpyxl) get the same single core. Timings are wall
clock (``time.perf_counter``) of the compute only; the CPU time of the process
(``time.process_time``) is recorded next to it to show that only one core was busy.
"""
from __future__ import annotations

import gc
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent

#: Environment of the worker processes: one thread for polars (and its Rust pool), BLAS and OpenMP.
SINGLE_CORE_ENV = {
    "POLARS_MAX_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}

_MARK = "BENCH-RESULT "


def best_of(fn: Callable[[], object], repeats: int, setup: Callable[[], object] | None = None) -> dict:
    """Call ``fn`` ``repeats`` times; return the best and every wall time and CPU time (seconds).

    ``setup`` (untimed) runs before each call, e.g. to drop the previous call's results so that
    freeing them is not billed to the next call; then a full garbage collection, also untimed.
    """
    walls, cpus = [], []
    for _ in range(repeats):
        if setup is not None:
            setup()
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        t1, c1 = time.perf_counter(), time.process_time()
        del out  # freeing the result is not part of the measurement
        walls.append(t1 - t0)
        cpus.append(c1 - c0)
    return {"best": min(walls), "walls": walls, "cpu_of_best": cpus[walls.index(min(walls))], "cpus": cpus}


def emit(result: dict) -> None:
    """Worker side: print the result as one marked JSON line on stdout."""
    print(_MARK + json.dumps(result, ensure_ascii=False), flush=True)


def run_worker(script: Path, params: dict, timeout: float = 600) -> dict:
    """Run ``python script --worker '<params as JSON>'`` on one core; return the JSON it emitted.

    The worker's other output (progress lines on stderr) is passed through; a failing worker
    (for example a failed equivalence assertion) raises RuntimeError with its stderr.
    """
    env = {**os.environ, **SINGLE_CORE_ENV}
    proc = subprocess.run(
        [sys.executable, str(script), "--worker", json.dumps(params)],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout,
    )
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark worker {script.name} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(_MARK):
            return json.loads(line[len(_MARK):])
    raise RuntimeError(f"benchmark worker {script.name} printed no result:\n{proc.stdout[-2000:]}")


def add_ratio(res: dict, goal: float, baseline: str, quick: bool) -> dict:
    """Add ``ratio`` = baseline best / junheng best and its goal (``goals["ratio"]``) to ``res``."""
    res["ratio"] = res["baseline"]["best"] / res["junheng"]["best"]
    res.setdefault("goals", {})["ratio"] = {
        "goal": f">= {goal:g}x {baseline}", "value": res["ratio"], "pass": res["ratio"] >= goal,
    }
    res["quick"] = quick
    return res


def bench_main(description: str, run: Callable[..., dict], worker: Callable[..., dict],
               argv: list[str] | None = None) -> int:
    """Command line of one benchmark script.

    Without options: ``run()`` (which starts the single-core worker), print its JSON, exit 1 when
    a goal is missed. ``--quick``: ``run(quick=True)``. ``--worker JSON`` (used by ``run_worker``):
    ``worker(**params)`` in this process, result emitted on stdout.
    """
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--worker", metavar="JSON", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="small data, one repeat (tries the machinery only)")
    args = ap.parse_args(argv)
    if args.worker:
        emit(worker(**json.loads(args.worker)))
        return 0
    res = run(quick=args.quick)
    print(json.dumps(res, indent=2, ensure_ascii=False))
    return 0 if all(g["pass"] for g in res["goals"].values()) else 1


def check_single_core() -> None:
    """Worker side: fail loudly if polars was imported before the thread limit could apply."""
    import polars as pl

    if os.environ.get("POLARS_MAX_THREADS") != "1" or pl.thread_pool_size() != 1:
        raise RuntimeError(
            f"worker must run with POLARS_MAX_THREADS=1 (polars pool size is {pl.thread_pool_size()})"
        )


def log(msg: str) -> None:
    """Progress line on stderr (stdout carries the result)."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(module: str) -> str:
    try:
        mod = __import__(module)
        return getattr(mod, "__version__", "?")
    except ImportError:
        return "not installed"


def machine_info() -> dict:
    """nproc, CPU model (/proc/cpuinfo), OS, and the versions of Python and the libraries timed."""
    return {
        "nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "polars": _version("polars"),
        "pandas": _version("pandas"),
        "numpy": _version("numpy"),
        "openpyxl": _version("openpyxl"),
        "fastexcel": _version("fastexcel"),
    }
