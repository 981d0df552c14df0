"""Writers of fixture files for the importer tests (files are made at test time in tmp_path)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from junheng.errors import InputError

HEADER = ["学校标识码", "学校名称", "县(区)代码", "县(区)", "办学类型", "小学在校生数", "小学班数",
          "小学专任教师数", "初中在校生数", "初中班数", "初中专任教师数", "教学及辅助用房面积",
          "图书", "教学仪器设备资产值(万元)"]
ROWS = [
    ["5223270001", "一小", "522327", "某县", "211", 400, 10, 20, None, None, None, 3000, 8000, 12.5],
    ["5223270002", "二中", "522327", "某县", "311", None, None, None, 600, 12, 40, 6000, 20000, 30],
    ["5223270003", "三校", "522327", "某县", "312", 300, 6, 15, 200, 4, 12, 4000, 10000, 20],
]


def _cell(v):
    return "" if v is None else v


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    """Write rows as CSV in ``encoding`` (``utf-8-sig`` adds the BOM)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([[_cell(v) for v in r] for r in rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list], *, first_row: int = 0, first_col: int = 0,
               merges: tuple = (), sheet: str = "学校", before: tuple[str, ...] = ()) -> Path:
    """Write rows with xlsxwriter at (first_row, first_col) 0-based; merges are (r1, c1, r2, c2) absolute."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    for name in before:
        wb.add_worksheet(name).write(0, 0, "填报说明：请按统计口径填写。")
    ws = wb.add_worksheet(sheet)
    for r1, c1, r2, c2 in merges:
        ws.merge_range(r1, c1, r2, c2, rows[r1 - first_row][c1 - first_col])
    merged = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None and (first_row + i, first_col + j) not in merged:
                ws.write(first_row + i, first_col + j, v)
    wb.close()
    return path


def write_xls(path: Path, rows: list[list], *, merges: tuple = ()) -> Path:
    """Write rows with xlwt (.xls, BIFF8) from A1; merges are (r1, c1, r2, c2)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("学校")
    merged = set()
    for r1, c1, r2, c2 in merges:
        ws.write_merge(r1, r2, c1, c2, rows[r1][c1])
        merged |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None and (i, j) not in merged:
                ws.write(i, j, v)
    wb.save(str(path))
    return path


def table(header=None, rows=None, **changes) -> list[list]:
    """The base table (header + ROWS), with ``changes`` as {"r<i>_<header>": value} edits."""
    header = list(header or HEADER)
    rows = [list(r) for r in (rows or ROWS)]
    for key, v in changes.items():
        i, col = key.split("_", 1)
        rows[int(i[1:])][header.index(col)] = v
    return [header, *rows]


def errors_of(exc: InputError, code: str) -> list:
    """Issues of ``exc`` with the given code."""
    return [i for i in exc.issues if i.code == code]
