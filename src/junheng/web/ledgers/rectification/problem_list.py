"""The inspectors' problem list (督导反馈问题清单) read from Excel or CSV, validated like every import.

Columns (read by ledgers/lists.py with the importer's readers, header matching and limits):
序号, 问题, 整改措施, 责任单位, 责任人, 完成时限 (synonyms in :data:`COLUMNS`); the header is the
first of the top rows that names 问题 and 责任单位. Every error names file, sheet, row and column, in Chinese; any error and
nothing is imported (:class:`~junheng.errors.InputError`). Blank rows are skipped.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from junheng.web.ledgers.lists import LONG_TEXT, field_lengths, read_list
from junheng.web.ledgers.models import RectItem

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


def read_problem_list(path: str | Path, *, name: str | None = None) -> list[Problem]:
    """The rows of a problem list (module doc). ``name``: the file name shown in messages.

    Raises InputError listing every error (nothing is returned half)."""
    rows, rep = read_list(path, COLUMNS, REQUIRED, ("problem", "owner_unit"), name=name, what="问题清单",
                          lengths={"problem": LONG_TEXT, "measures": LONG_TEXT, **field_lengths(RectItem, COLUMNS)})
    out: list[Problem] = []
    for lr in rows:
        vals, r = lr.values, lr.row
        deadline = parse_deadline(vals["deadline"]) if vals["deadline"] else None
        if vals["deadline"] and deadline is None:
            rep.add("error", "bad_date", f"“{vals['deadline']}”不是日期，完成时限请写成 2026-06-30 或 2026年6月30日"
                                         "（写到月份时按该月最后一天）。", row=r, column="deadline")
        seq = None
        if vals["seq"]:
            if re.fullmatch(r"\d{1,6}", vals["seq"]):
                seq = int(vals["seq"])
            else:
                rep.add("error", "bad_seq", f"序号“{vals['seq']}”应为正整数。", row=r, column="seq")
        out.append(Problem(r, seq, vals["problem"], vals["measures"], vals["owner_unit"], vals["owner_person"], deadline))
    if rep.has_errors:
        raise rep.fail()
    return out
