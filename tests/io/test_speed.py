"""Speed of the importer against openpyxl read-only on a 10 000-row, 60-column workbook.

Skipped unless JUNHENG_BENCH=1 (timings are machine dependent); run it with ``-s`` to see them.
"""
from __future__ import annotations

import os
import random
import time

import pytest

from junheng.io import read_school_table
from junheng.io.breakdowns import BREAKDOWN_FIELDS
from junheng.schema import FIELDS

pytestmark = pytest.mark.skipif(os.environ.get("JUNHENG_BENCH") != "1", reason="set JUNHENG_BENCH=1 to time")
ROWS = 10_000


def _value(code: str, i: int, rng: random.Random):
    if code == "school_id":
        return f"{i:010d}"
    if code == "school_type":
        return 312
    if code in ("name", "county", "township", "authority", "ownership"):
        return {"name": f"学校{i}", "county": "某县", "township": "某镇", "authority": "县属", "ownership": "公办"}[code]
    if code in ("county_code", "urban_rural_code", "parent_id"):
        return {"county_code": "522327", "urban_rural_code": "121", "parent_id": None}[code]
    if code.startswith(("students_S",)):
        return None
    if code.startswith("students_"):
        return rng.randint(300, 900)
    if code.startswith("teachers_"):
        return 30
    if code.startswith(("pe_art", "edu_", "title_")) or code.endswith("_teachers_P") or code.endswith("_teachers_J"):
        return rng.randint(0, 3)
    if code == "indoor_sports_m2":
        return rng.randint(0, 500)
    return rng.randint(2000, 5000)


def _workbook(path):
    import xlsxwriter

    fields = [f for f in FIELDS if not f.code.startswith(("qualified_", "senior_title_"))]
    fields += list(BREAKDOWN_FIELDS[: 60 - len(fields)])
    rng = random.Random(1)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("学校")
    ws.write_row(0, 0, [f.header + ("(万元)" if f.code == "equipment_value_yuan" else "") for f in fields])
    for i in range(ROWS):
        ws.write_row(i + 1, 0, [_value(f.code, i, rng) for f in fields])
    wb.close()
    return len(fields)


def test_speed_against_openpyxl(tmp_path):
    import openpyxl

    path = tmp_path / "big.xlsx"
    width = _workbook(path)
    ours = theirs = float("inf")
    for _ in range(3):  # best of three: the machine may be shared
        t0 = time.perf_counter()
        res = read_school_table(path)
        ours = min(ours, time.perf_counter() - t0)
        t0 = time.perf_counter()
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        cells = sum(len(r) for r in wb["学校"].iter_rows(values_only=True))
        wb.close()
        theirs = min(theirs, time.perf_counter() - t0)
    print(f"\n{ROWS} rows x {width} columns: read_school_table {ours:.2f} s (load + validate), "
          f"openpyxl read-only {theirs:.2f} s (cells only, {cells} cells), ratio {theirs / ours:.1f}x")
    assert res.table.height == ROWS
    assert theirs / ours >= 5
