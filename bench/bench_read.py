"""Benchmark 2: reading a 10 000-row school table (.xlsx), junheng's importer against openpyxl.

What is measured: the wall time to turn an .xlsx county export into data, on one core, file
already written and in the OS page cache (one untimed warm-up read of each kind first).

* junheng: ``junheng.io.read_school_table(path)``: the whole import: cells (fastexcel /
  calamine), header detection over the merged title and group rows, matching of the Chinese
  headers, type conversion (万元 → 元, codes and ids as text), every validation rule of docs/data-dictionary.md.
  Best of 5.
* baseline: ``openpyxl.load_workbook(path, read_only=True)`` and iterating every cell value of
  the sheet (``iter_rows(values_only=True)``): the usual pure-Python way to read a workbook, and
  only the reading: no header matching, conversion or validation. Best of 3.

The file is written by the project's own generator as a county would export it
(``junheng.sample.write_school_table(generate(schools=10_000, counties=100, seed=1), path)``:
merged title row, merged group labels, leaf headers, then 10 000 school rows, one column per field
of the data dictionary).

Honesty check (assertion, outside the timed region): junheng's table has the same 10 000 school
ids, in the same order, and the same 小学在校生数 per row as the cells openpyxl reads.

Goal (from the issue): junheng at least 5 × faster than the openpyxl baseline.

Run alone: ``python bench/bench_read.py``; ``bench/run.py`` runs it with the assessment benchmark.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from common import add_ratio, bench_main, best_of, check_single_core, log, run_worker  # noqa: E402

ROWS = 10_000
COUNTIES = 100
SEED = 1
GOAL_RATIO = 5.0
REPEATS_JUNHENG = 5
REPEATS_BASELINE = 3


def openpyxl_cells(path: Path) -> int:
    """The baseline: open read-only and visit every cell value of the sheet; returns the count."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        n = 0
        for row in wb.worksheets[0].iter_rows(values_only=True):
            for _value in row:
                n += 1
        return n
    finally:
        wb.close()


def openpyxl_column(path: Path, header: str) -> list:
    """Untimed: the data cells under the leaf header ``header`` (for the honesty check)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(wb.worksheets[0].iter_rows(values_only=True))
    finally:
        wb.close()
    for h, row in enumerate(rows):
        if header in row:
            j = row.index(header)
            return [r[j] for r in rows[h + 1:] if any(v is not None for v in r)]
    raise AssertionError(f"header {header!r} not found by openpyxl")


def _check(path: Path, table) -> None:
    from junheng.sample import column_header
    from junheng.schema import FIELD_BY_CODE

    ids = openpyxl_column(path, column_header(FIELD_BY_CODE["school_id"]))
    pupils = openpyxl_column(path, column_header(FIELD_BY_CODE["students_P"]))
    assert table.height == ROWS == len(ids), f"rows: junheng {table.height}, openpyxl {len(ids)}, expected {ROWS}"
    assert table["school_id"].to_list() == [str(v) for v in ids], "school ids differ between junheng and openpyxl"
    got = table["students_P"].to_list()
    want = [None if v is None else int(v) for v in pupils]
    assert got == want, "小学在校生数 differs between junheng and openpyxl"


def _worker(repeats_j: int, repeats_b: int) -> dict:
    check_single_core()
    from junheng.io import read_school_table
    from junheng.sample import generate, write_school_table

    with tempfile.TemporaryDirectory(prefix="junheng-bench-") as tmp:
        path = Path(tmp) / "school_table_10000.xlsx"
        log(f"writing {ROWS} schools to {path.name} (not timed)")
        write_school_table(generate(schools=ROWS, counties=COUNTIES, seed=SEED), path)
        size = path.stat().st_size

        res = read_school_table(path)           # warm-up (page cache, imports), untimed
        cells = openpyxl_cells(path)
        _check(path, res.table)
        columns = len([c for c in res.table.columns if c != "source_row"])

        log(f"timing junheng read_school_table, best of {repeats_j}")
        t_j = best_of(lambda: read_school_table(path), repeats_j)
        log(f"junheng best {t_j['best']:.3f} s; timing openpyxl, best of {repeats_b}")
        t_b = best_of(lambda: openpyxl_cells(path), repeats_b)
        log(f"openpyxl best {t_b['best']:.3f} s")
    return {
        "file": {"rows": ROWS, "columns": columns, "cells_in_sheet": cells, "bytes": size,
                 "counties": COUNTIES, "seed": SEED, "warnings": len(res.warnings)},
        "junheng": t_j,
        "baseline": t_b,
        "repeats": {"junheng": repeats_j, "baseline": repeats_b},
    }


def run(quick: bool = False) -> dict:
    """Run the benchmark in a single-core worker; return timings, ratio and the verdict."""
    repeats = (1, 1) if quick else (REPEATS_JUNHENG, REPEATS_BASELINE)
    res = run_worker(Path(__file__), {"repeats_j": repeats[0], "repeats_b": repeats[1]})
    return add_ratio(res, GOAL_RATIO, "openpyxl (read_only, all cells)", quick)


if __name__ == "__main__":
    sys.exit(bench_main(__doc__.splitlines()[0], run, _worker))
