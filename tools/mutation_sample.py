"""Run mutmut on a uniform random sample of the mutants of core/, io/ and rules/ (README.md, "开发").

A full run of the about 12 700 mutants takes many hours on a 2-core machine. A uniform random
sample gives an unbiased estimate of the kill rate with a stated confidence interval, which is
what BENCHMARKS.md §5 reports (`python tools/mutation_report.py --sample`).

    nice -n 10 mutmut run --max-children 1 "zzz*"       # only generate mutants/ (fails at the end: no match)
    python tools/mutation_sample.py --size 400 --seed 2026
    python tools/mutation_sample.py --size 120 --seed 11 --packages io   # guide sample of io/ only

A sample of fewer packages (``--packages``) is only a guide to where tests are missing, not the
measurement: it is written to mutants/sample-<packages>.json, which the report does not read.

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


def all_mutants(packages: tuple[str, ...] = PACKAGES) -> dict[str, int | None]:
    """{mutant name: exit code or None} for every mutant of ``packages``, in a fixed order."""
    out: dict[str, int | None] = {}
    for pkg in packages:
        for meta in sorted((MUTANTS / "src" / "junheng" / pkg).glob("*.py.meta")):
            out.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return out


def draw(size: int, seed: int, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """A uniform random sample of ``size`` mutant names of ``packages`` (without replacement), fixed by ``seed``.

    With the default (all mutated packages) the sample is the one the kill rate is measured on; a
    sample of fewer packages is only a guide to where tests are missing.
    """
    names = sorted(all_mutants(packages))
    return random.Random(seed).sample(names, min(size, len(names)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=400)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--batch", type=int, default=25)
    ap.add_argument("--packages", nargs="+", choices=PACKAGES, default=list(PACKAGES),
                    help="draw only from these packages (a guide sample, not the measurement)")
    args = ap.parse_args(argv)
    if not MUTANTS.is_dir():
        print("no mutants/ folder: generate the mutants first (see this script's docstring)", file=sys.stderr)
        return 1
    packages = tuple(p for p in PACKAGES if p in args.packages)
    names = draw(args.size, args.seed, packages)
    # a guide sample is kept apart: mutants/sample.json is the measurement tools/mutation_report.py reads
    path = SAMPLE if packages == PACKAGES else MUTANTS / f"sample-{'-'.join(packages)}.json"
    path.write_text(json.dumps({"size": args.size, "seed": args.seed, "packages": list(packages), "names": names},
                               ensure_ascii=False), encoding="utf-8")
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
