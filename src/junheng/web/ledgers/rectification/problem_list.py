"""The inspectors' problem list (督导反馈问题清单) read from Excel or CSV, validated like every import.

Columns (matched by text as the school table's, io/headers.py: full-width forms, spaces, a
trailing 数 do not matter): 序号, 问题, 整改措施, 责任单位, 责任人, 完成时限 (synonyms in
:data:`COLUMNS`). The file goes through the importer's readers and guards (io/grid.py: type
sniffing, io/limits.py: size, cells, unpacked size); the header is the first of the top rows that
names 问题 and 责任单位. Every error names file, sheet, row and column, in Chinese; any error and
nothing is imported (:class:`~junheng.errors.InputError`). Blank rows are skipped.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from junheng.errors import InputError
from junheng.io.convert import text_problem
from junheng.io.grid import Grid, read_grids
from junheng.io.headers import HEADER_SCAN_ROWS, build_index, lookup
from junheng.io.issues import IssueCollector

#: code → (header as written in the official list, synonyms).
COLUMNS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号"),
    "problem": ("问题", "存在问题", "问题描述", "反馈问题", "督导反馈问题", "主要问题"),
    "measures": ("整改措施", "措施", "整改举措"),
    "owner_unit": ("责任单位", "牵头单位", "责任部门"),
    "owner_person": ("责任人", "责任领导"),
    "deadline": ("完成时限", "整改时限", "完成时间", "整改期限"),
}
REQUIRED = ("problem", "measures", "owner_unit", "deadline")
INDEX = build_index(COLUMNS.items())
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月(?:底|末)?)?(?:\s+00:00(?::00)?)?$")
#: Excel's day 0 (serial dates, 1900 system).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass
class Problem:
    """One row: the values of :data:`COLUMNS` (seq None when absent) and its spreadsheet row."""

    row: int
    seq: int | None
    problem: str
    measures: str
    owner_unit: str
    owner_person: str
    deadline: dt.date


def parse_deadline(text: str) -> dt.date | None:
    """A 完成时限 as a date: 2026-06-30, 2026/6/30, 2026.6.30, 2026年6月30日; 2026年6月 / 2026年6月底
    mean the month's last day; an Excel date serial (46203). None when it is not a date."""
    t = text.strip()
    if re.fullmatch(r"\d{5}(\.0+)?", t):
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(t)))
    m = _DATE_RE.match(t)
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
    try:
        if d is None:
            nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(y, mo, int(d))
    except ValueError:
        return None


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(grid.top_rows(HEADER_SCAN_ROWS)):
        found: dict[str, int] = {}
        for j, text in enumerate(row):
            code, _ = lookup(INDEX, text) if text else (None, None)
            if code and code not in found:
                found[code] = j
        if "problem" in found and "owner_unit" in found:
            return r, found
    return None


def read_problem_list(path: str | Path, *, name: str | None = None) -> list[Problem]:
    """The rows of a problem list (module doc). ``name``: the file name shown in messages.

    Raises InputError listing every error (nothing is returned half)."""
    path = Path(path)
    rep = IssueCollector(file=name or path.name)
    grid = next(read_grids(path, None, rep), None)
    if grid is None:
        raise rep.fatal("no_sheet", "文件中没有工作表。")
    rep.sheet = grid.sheet
    head = _header(grid)
    if head is None:
        raise rep.fatal("no_header", f"前 {HEADER_SCAN_ROWS} 行中没有找到表头（应含“问题”“责任单位”等列：序号、问题、"
                                     "整改措施、责任单位、责任人、完成时限）。")
    hrow, cols = head
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in cols]
    if missing:
        raise rep.fatal("missing_column", f"表头（第 {grid.excel_row(hrow)} 行）缺少列：{'、'.join(missing)}。",
                        row=grid.excel_row(hrow))
    rep.columns = {c: f"{COLUMNS[c][0]} ({grid.letter(j)}列)" for c, j in cols.items()}
    out: list[Problem] = []
    rows = grid.cells.iter_rows()
    for i, raw in enumerate(rows):
        if i <= hrow:
            continue
        vals = {c: ("" if raw[j] is None else str(raw[j]).strip()) for c, j in cols.items()}
        if not any(vals.values()):
            continue
        r = grid.excel_row(i)
        ok = True
        for c, v in vals.items():
            bad = text_problem(v)
            if bad:
                rep.add("error", bad[0], bad[1], row=r, column=c)
                ok = False
        for c in REQUIRED:
            if not vals.get(c):
                rep.add("error", "blank_cell", f"“{COLUMNS[c][0]}”不能为空。", row=r, column=c)
                ok = False
        deadline = parse_deadline(vals["deadline"]) if vals.get("deadline") else None
        if vals.get("deadline") and deadline is None:
            rep.add("error", "bad_date", f"“{vals['deadline']}”不是日期，完成时限请写成 2026-06-30 或 2026年6月30日"
                                         "（写到月份时按该月最后一天）。", row=r, column="deadline")
            ok = False
        seq = None
        if vals.get("seq"):
            if re.fullmatch(r"\d{1,6}", vals["seq"]):
                seq = int(vals["seq"])
            else:
                rep.add("error", "bad_seq", f"序号“{vals['seq']}”应为正整数。", row=r, column="seq")
                ok = False
        if ok:
            out.append(Problem(r, seq, vals["problem"], vals["measures"], vals["owner_unit"],
                               vals.get("owner_person", ""), deadline))
    if rep.has_errors:
        raise InputError(rep.final_issues())
    if not out:
        raise rep.fatal("no_rows", "表头以下没有问题行。")
    return out
