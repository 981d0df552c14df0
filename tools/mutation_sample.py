"""Run mutmut on a uniform random sample of the mutants of core/, io/ and rules/ (README.md, "开发").

A full run of the about 12 700 mutants takes many hours on a 2-core machine. A uniform random
sample gives an unbiased estimate of the kill rate with a stated confidence interval, which is
what BENCHMARKS.md §5 reports (`python tools/mutation_report.py --sample`).

    nice -n 10 mutmut run --max-children 1 "zzz*"       # only generate mutants/ (fails at the end: no match)
    python tools/mutation_sample.py --size 400 --seed 2026

The sample is drawn once per (size, seed) and written to mutants/sample.json; mutants are run in
batches of ``--batch`` in the sample's random order, so that the mutants done at any moment (a
stopped run) are themselves a uniform random sample. Mutants already run are not run again.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
SAMPLE = MUTANTS / "sample.json"
PACKAGES = ("core", "io", "rules")


def all_mutants() -> dict[str, int | None]:
    """{mutant name: exit code or None} for every mutant of the mutated packages, in a fixed order."""
    out: dict[str, int | None] = {}
    for pkg in PACKAGES:
        for meta in sorted((MUTANTS / "src" / "junheng" / pkg).glob("*.py.meta")):
            out.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return out


def draw(size: int, seed: int) -> list[str]:
    """A uniform random sample of ``size`` mutant names (without replacement), fixed by ``seed``."""
    names = sorted(all_mutants())
    return random.Random(seed).sample(names, min(size, len(names)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--batch", type=int, default=25)
    args = ap.parse_args(argv)
    if not MUTANTS.is_dir():
        print("no mutants/ folder: generate the mutants first (see this script's docstring)", file=sys.stderr)
        return 1
    names = draw(args.size, args.seed)
    SAMPLE.write_text(json.dumps({"size": args.size, "seed": args.seed, "names": names}, ensure_ascii=False),
                      encoding="utf-8")
    for i in range(0, len(names), args.batch):
        done = all_mutants()
        todo = [n for n in names[i:i + args.batch] if done.get(n) is None]
        if todo:
            subprocess.run(["mutmut", "run", "--max-children", "1", *todo], cwd=ROOT, check=False,
                           stdout=subprocess.DEVNULL)
        print(f"{min(i + args.batch, len(names))}/{len(names)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
