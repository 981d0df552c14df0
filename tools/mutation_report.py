"""Summarise a mutmut run (README.md, "开发"): kill rate per package, written to bench/mutation.md.

Run after ``nice -n 10 mutmut run --max-children 1`` in the repository root (mutmut keeps its
results in ``mutants/``, git-ignored). It writes bench/mutation.md and puts it into BENCHMARKS.md
as section 5; ``bench/run.py`` copies bench/mutation.md there too, so the figure survives a
benchmark run.

    python tools/mutation_report.py                 # print the table, write bench/mutation.md
    python tools/mutation_report.py --survivors core/assess.py   # diffs of the survivors there

Counting (status codes of mutmut 3): killed = a test failed (exit 1 or 3) or the mutant hit the
CPU limit (timeout, an endless loop the tests would notice); survived = every test passed, or no
test calls the mutated function ("no tests"); not run = no result yet. Kill rate =
killed / (mutants run − documented equivalent). Documented equivalent: a surviving mutant whose
only change is to the text of a message (a string literal with Chinese text or the message of a
``raise``, wrapped in "XX" or changed in case: message wording, which the tests check by numbers,
codes and key names rather than whole sentences; report/narrative/ owns the wording), or one
listed with its reason in tools/mutation_equivalents.toml. Code where a
mutant cannot change behaviour is marked in the source with ``# pragma: no mutate`` and a reason;
mutmut does not generate those mutants, and this report counts the marked lines.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import subprocess
import sys
import tomllib
from collections import Counter
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
PACKAGES = ("core", "rules", "io")
OUT = ROOT / "bench" / "mutation.md"
EQUIVALENTS = ROOT / "tools" / "mutation_equivalents.toml"
COMMAND = "nice -n 10 mutmut run --max-children 1"

KILLED = {1, 3, -24, 24, 152, 255, 36}
TIMEOUT = {-24, 24, 152, 255, 36}
SURVIVED = {0, 5, 33}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def results() -> dict[str, dict[str, int | None]]:
    """{source path relative to src/junheng: {mutant name: exit code or None}}."""
    out = {}
    for meta in sorted((MUTANTS / "src" / "junheng").glob("*/*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        out[f"{meta.parent.name}/{meta.name[:-5]}"] = data["exit_code_by_key"]
    return out


def diff(name: str) -> str:
    """The unified diff of one mutant (mutmut's own rendering)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    return get_diff_for_mutant(name)


def is_wording(d: str) -> bool:
    """True when the mutant only changes the text of a message: a string literal holding Chinese
    text, or the message of a ``raise``, wrapped in XX…XX or put in upper or lower case."""
    lines = changed_lines(d)
    if lines is None:
        return False
    was, now = lines
    for m in re.finditer(r"(['\"])((?:(?!\1).)*)\1", was):
        text = m.group(2)
        if not (CJK.search(text) or was.startswith("raise ")):
            continue
        for new in ("XX" + text + "XX", text.upper(), text.lower()):
            if new != text and was[: m.start(2)] + new + was[m.end(2):] == now:
                return True
    return False


def kind(path: str, d: str, known: set[tuple[str, str, str]]) -> str | None:
    """"wording" or "listed" for a documented equivalent survivor, else None."""
    if is_wording(d):
        return "wording"
    lines = changed_lines(d)
    return "listed" if lines and (path, *lines) in known else None


def equivalents() -> set[tuple[str, str, str]]:
    """(file, original line, mutated line) of the documented equivalent mutants."""
    data = tomllib.loads(EQUIVALENTS.read_text(encoding="utf-8"))
    return {(e["file"], e["was"].strip(), e["now"].strip()) for e in data.get("equivalent", [])}


def changed_lines(d: str) -> tuple[str, str] | None:
    """The one original and the one mutated line of a diff, stripped (None for a larger change)."""
    minus = [l[1:].strip() for l in d.splitlines() if l.startswith("-") and not l.startswith("---")]
    plus = [l[1:].strip() for l in d.splitlines() if l.startswith("+") and not l.startswith("+++")]
    return (minus[0], plus[0]) if len(minus) == 1 and len(plus) == 1 else None


def pragma_lines(package: str) -> int:
    """Lines of src/junheng/<package> marked ``# pragma: no mutate``."""
    return sum(line.count("pragma: no mutate") for p in (ROOT / "src" / "junheng" / package).glob("*.py")
               for line in p.read_text(encoding="utf-8").splitlines())


def summary(res: dict[str, dict[str, int | None]], by_file: bool = False) -> list[dict]:
    """One row per package (or per file) with the counts defined in the module docstring."""
    os_cwd = Path.cwd()
    rows = []
    known = equivalents()
    try:
        import os

        os.chdir(ROOT)  # mutmut's diff rendering reads mutants/ relative to the cwd
        groups = [p for p in res if res[p]] if by_file else list(PACKAGES)
        for pkg in groups:
            c: Counter = Counter()
            for path, codes in res.items():
                if not (path == pkg if by_file else path.startswith(pkg + "/")):
                    continue
                for name, code in codes.items():
                    c["total"] += 1
                    if code is None:
                        c["not_run"] += 1
                    elif code in KILLED:
                        c["killed"] += 1
                        c["timeout"] += code in TIMEOUT
                    elif code in SURVIVED:
                        k = kind(path, diff(name), known) if code == 0 else None
                        if k:
                            c[k] += 1
                            c["equivalent"] += 1
                        else:
                            c["survived"] += 1
                            c["no_tests"] += code != 0
                    else:
                        c["suspicious"] += 1
            c["run"] = c["total"] - c["not_run"]
            c["pragmas"] = 0 if by_file else pragma_lines(pkg)
            rows.append({"package": pkg, **c})
    finally:
        os.chdir(os_cwd)
    return rows


def rate(r: dict) -> str:
    base = r.get("run", 0) - r.get("equivalent", 0)
    return f"{100 * r.get('killed', 0) / base:.1f} %" if base else "—"


def markdown(rows: list[dict], files: list[dict]) -> str:
    """The mutation-testing section of BENCHMARKS.md."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    lines = [
        "## 5. Mutation testing (core/, rules/, io/)",
        "",
        f"mutmut {version('mutmut')}, {dt.date.today().isoformat()}, commit {commit}; command "
        f"`{COMMAND}` (settings in pyproject.toml `[tool.mutmut]`), summary by "
        "`python tools/mutation_report.py` (counting rules in its docstring). Not run in CI.",
        "",
        "| package | mutants | run | killed | (of which timeout) | survived | (of which no test) "
        "| documented equivalent (wording + listed) | not run | kill rate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['package']}/ | {r.get('total', 0)} | {r.get('run', 0)} | {r.get('killed', 0)} | "
                     f"{r.get('timeout', 0)} | {r.get('survived', 0)} | {r.get('no_tests', 0)} | "
                     f"{r.get('equivalent', 0)} ({r.get('wording', 0)} + {r.get('listed', 0)}) | "
                     f"{r.get('not_run', 0)} | {rate(r)} |")
    lines += ["", "Per file:", "", "| file | mutants | run | killed | survived | documented equivalent | not run "
              "| kill rate |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in files:
        lines.append(f"| {r['package']} | {r.get('total', 0)} | {r.get('run', 0)} | {r.get('killed', 0)} | "
                     f"{r.get('survived', 0)} | {r.get('equivalent', 0)} | {r.get('not_run', 0)} | {rate(r)} |")
    lines += ["", "Kill rate = killed / (run − documented equivalent). Lines marked `# pragma: no mutate` "
              "(each with its reason beside it): " + ", ".join(f"{r['package']}/ {r['pragmas']}" for r in rows)
              + ".", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--survivors", metavar="FILE", help="print the diffs of the survivors in core/x.py etc.")
    ap.add_argument("--no-write", action="store_true", help="print only; leave bench/mutation.md")
    args = ap.parse_args(argv)
    if not MUTANTS.is_dir():
        print("no mutants/ folder: run mutmut first (README.md, 开发)", file=sys.stderr)
        return 1
    res = results()
    if args.survivors:
        import os

        os.chdir(ROOT)
        known = equivalents()
        for name, code in res.get(args.survivors, {}).items():
            if code in SURVIVED:
                d = diff(name)
                if not (code == 0 and kind(args.survivors, d, known)):
                    print(f"# {name} ({'no tests' if code else 'survived'})\n{d}\n")
        return 0
    text = markdown(summary(res), summary(res, by_file=True))
    sampled = sample_rows(res)
    if sampled is not None:
        text += "\n" + sample_markdown(sampled)
    print(text)
    if not args.no_write:
        OUT.write_text(text, encoding="utf-8")
        splice(ROOT / "BENCHMARKS.md", text)
    return 0


def splice(path: Path, section: str) -> None:
    """Put ``section`` into BENCHMARKS.md in place of its mutation section (up to the next
    ``## `` heading; at the end when there is none), keeping the sections after it."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    title = "\n" + section.splitlines()[0]
    if title not in old:
        path.write_text(old.rstrip() + "\n\n" + section.rstrip() + "\n", encoding="utf-8")
        return
    head, rest = old.split(title, 1)
    tail = rest.split("\n## ", 1)[1] if "\n## " in rest else ""
    path.write_text(head.rstrip() + "\n\n" + section.rstrip() + "\n" + ("\n## " + tail if tail else ""),
                    encoding="utf-8")


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % for z = 1.96) of a proportion k/n (Wilson, JASA 1927)."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def sample_rows(res: dict[str, dict[str, int | None]]) -> list[dict] | None:
    """Counts of the random sample of tools/mutation_sample.py (mutants/sample.json), per package and
    overall, by the same rules as :func:`summary`; None when no sample was drawn."""
    path = MUTANTS / "sample.json"
    if not path.is_file():
        return None
    names = set(json.loads(path.read_text(encoding="utf-8"))["names"])
    picked = {p: {n: c for n, c in codes.items() if n in names} for p, codes in res.items()}
    rows = summary({p: c for p, c in picked.items() if c})
    total: Counter = Counter()
    for r in rows:
        total.update({k: v for k, v in r.items() if isinstance(v, int)})
    return rows + [{"package": "all", **total}]


def sample_markdown(rows: list[dict]) -> str:
    """The sample's table: kill rate with its 95 % Wilson interval per package and overall."""
    lines = ["Uniform random sample (`python tools/mutation_sample.py`, mutants/sample.json): kill rate with "
             "its 95 % Wilson interval; the mutants of the sample not run yet are left out (they were run in "
             "random-order batches, so those run are themselves a uniform sample).", "",
             "| package | sampled | run | killed | survived | documented equivalent | kill rate | 95 % interval |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        base = r.get("run", 0) - r.get("equivalent", 0)
        lo, hi = wilson(r.get("killed", 0), base)
        interval = f"{100 * lo:.1f}–{100 * hi:.1f} %" if base else "—"
        lines.append(f"| {r['package']}{'/' if r['package'] != 'all' else ''} | {r.get('total', 0)} | "
                     f"{r.get('run', 0)} | {r.get('killed', 0)} | {r.get('survived', 0)} | "
                     f"{r.get('equivalent', 0)} | {rate(r)} | {interval} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
