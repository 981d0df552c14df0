"""Collecting input issues: location (file, sheet, row, column), capping, and the final raise.

Checks are polars expressions over the whole table; :class:`IssueCollector` turns the rows where an
expression is true into :class:`~junheng.errors.Issue` objects, so Python only loops over the
(capped) rows that are reported, never over every cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

import polars as pl

from junheng.errors import InputError, Issue
from junheng.io.breakdowns import BREAKDOWN_FIELDS
from junheng.schema import FIELDS

#: Canonical Chinese header of every code (message label of a column the file does not have).
HEADERS: dict[str, str] = {f.code: f.header for f in FIELDS + BREAKDOWN_FIELDS}

#: Characters never shown or accepted from a cell: C0/C1 controls (but tab, line feed, carriage
#: return), DEL, the bidirectional marks, embeddings, overrides and isolates with which a name can
#: be made to read differently on screen than in the file (U+200E/F, U+202A–E, U+2066–9), and the
#: zero-width characters that make two equal-looking names differ (U+200B–D, U+2060, U+FEFF).
UNSAFE_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
#: Also refused in the school table's one-line cells (names, codes): tab, line feed, carriage
#: return (a name typed with Alt+Enter reads as another school's name in a later year). Multi-line
#: texts elsewhere (a 整改 measure, a 佐证材料 note) keep them.
LINE_CHARS = "\t\n\r"
_UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")


def safe_text(text: str | None) -> str | None:
    """``text`` with each :data:`UNSAFE_CHARS` character shown as its code (``<U+202E>``), for
    messages (file, sheet and header names come from the file)."""
    if text is None:
        return None
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def char_name(ch: str) -> str:
    """``U+202E（从右到左覆盖）`` for an unsafe character."""
    names = {0: "空字符 NUL", 0x202E: "从右到左覆盖", 0x202D: "从左到右覆盖", 0x202B: "从右到左嵌入",
             0x202A: "从左到右嵌入", 0x200F: "从右到左标记", 0x200E: "从左到右标记", 0x2066: "从左到右隔离",
             0x2067: "从右到左隔离", 0x2068: "方向隔离", 0x2069: "隔离结束", 0x202C: "方向格式结束",
             0x09: "制表符", 0x0A: "换行符", 0x0D: "回车符", 0x200B: "零宽空格", 0x200C: "零宽非连接符",
             0x200D: "零宽连接符", 0x2060: "零宽不换行空格", 0xFEFF: "零宽不换行空格"}
    code = ord(ch)
    return f"U+{code:04X}（{names.get(code, '控制字符')}）"


#: At most this many errors (and, separately, warnings) are listed; the rest are counted in one
#: closing issue (code ``more_errors`` / ``more_warnings``). A county file with a systematic
#: mistake would otherwise produce tens of thousands of lines.
MAX_REPORTED_ISSUES = 200


def column_letter(index: int) -> str:
    """Excel column letter of a 0-based absolute column index: 0 → ``A``, 27 → ``AB``."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


@dataclass
class IssueCollector:
    """Issues of one import: where they are and how many were found.

    ``columns`` maps a canonical code to the column label used in messages
    (``"图书 (F列)"``); codes without a file column fall back to the canonical Chinese header
    (never the English code).
    """

    file: str
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0})
    listed: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0})

    def label(self, code: str | None) -> str | None:
        """Message label of a canonical column (header text and letter)."""
        if code is None:
            return None
        return self.columns.get(code) or HEADERS.get(code, code)

    def add(self, level: str, code: str, message: str, *, row: int | None = None,
            column: str | None = None, always: bool = False) -> None:
        """Record one issue; ``column`` is a canonical code or an already formatted label.

        always: list it even past :data:`MAX_REPORTED_ISSUES` (file- and header-level problems,
        which explain the row-level ones).
        """
        self.counts[level] += 1
        if always or self.listed[level] < MAX_REPORTED_ISSUES:
            self.listed[level] += 1
            self.issues.append(Issue(level=level, message=message, file=safe_text(self.file),
                                     sheet=safe_text(self.sheet), row=row, column=safe_text(self.label(column)),
                                     code=code))


    def add_rows(self, df: pl.DataFrame, mask: pl.Expr, *, level: str, code: str,
                 column: str | None, message: Callable[[dict], str],
                 values: tuple[str, ...] = ()) -> int:
        """Report every row of ``df`` where ``mask`` is true.

        ``message`` gets a dict with ``source_row`` and the ``values`` columns of that row.
        Returns how many rows matched (all are counted, only the first ones are listed).
        """
        hits = df.filter(mask.fill_null(False))
        if hits.height == 0:  # the usual case: no second query for the rows to list
            return 0
        room = max(MAX_REPORTED_ISSUES - self.listed[level], 0)
        for rec in hits.head(room).select("source_row", *values).iter_rows(named=True):
            self.add(level, code, message(rec), row=rec["source_row"], column=column)
        self.counts[level] += hits.height - min(hits.height, room)
        return hits.height

    def add_rows_many(self, df: pl.DataFrame, calls: list[tuple[pl.Expr, dict]]) -> list[int]:
        """:meth:`add_rows` for each ``(mask, keywords)`` of ``calls``, in order, after one query
        that counts the rows of every mask: a mask matching no row costs no query of its own
        (the web form validates one row per request, where the per-query cost dominates).
        Returns the counts."""
        if not calls:
            return []
        counts = df.select([m.fill_null(False).sum().alias(str(i)) for i, (m, _) in enumerate(calls)]).row(0)
        return [self.add_rows(df, m, **kw) if n else 0 for (m, kw), n in zip(calls, counts)]

    @property
    def has_errors(self) -> bool:
        """True when at least one error was found."""
        return self.counts["error"] > 0

    def final_issues(self) -> list[Issue]:
        """Errors before warnings; in each, file-wide ones first, then by row (the header row
        before the data); a closing line for what was capped."""
        out = sorted(self.issues, key=lambda i: (i.level != "error", i.row is not None, i.row or 0))
        for level, name in (("error", "错误"), ("warning", "警告")):
            extra = self.counts[level] - self.listed[level]
            if extra > 0:
                out.append(Issue(level=level, code=f"more_{level}s", file=self.file, sheet=self.sheet,
                                 message=f"共 {self.counts[level]} 处{name}，另有 {extra} 处未列出。"))
        return out

    def warnings(self) -> list[Issue]:
        """The warnings only, as returned with a successful load."""
        return [i for i in self.final_issues() if i.level == "warning"]

    def fail(self) -> InputError:
        """The InputError carrying every issue found so far (raise it)."""
        return InputError(self.final_issues())

    def require_file(self, path, what: str) -> None:
        """Raise (as :meth:`fatal`) unless ``path`` is an existing file; ``what`` names the expected
        file in the message, e.g. ``"学校数据表文件（.xlsx、.xls 或 .csv）"``."""
        if path.is_dir():
            raise self.fatal("is_directory", f"“{path}”是文件夹，请指定{what}。")
        if not path.is_file():
            raise self.fatal("file_not_found", f"找不到文件：{path}")

    def fatal(self, code: str, message: str, **where) -> InputError:
        """Record one error and return the InputError to raise (for problems that stop reading)."""
        self.add("error", code, message, always=True, **where)
        return self.fail()
