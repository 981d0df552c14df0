"""Input problems reported to the user (in Chinese), with where they are.

Every message names the file, sheet, row and column it concerns, so a county statistician can
find the cell in Excel. Errors stop the import (nothing is loaded); warnings are reported and the
data are still loaded.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem in an input file.

    level: ``error`` | ``warning``; file: file name; sheet: sheet name (None for CSV);
    row: 1-based spreadsheet/CSV line number (None for a whole-file problem); column: the header
    text as written in the file, with its column letter when known (e.g. ``"图书 (F列)"``);
    message: Chinese text; code: a stable English key for tests and scripts.
    """

    level: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    code: str = ""

    def where(self) -> str:
        """Location as Chinese text: ``文件 a.xlsx，工作表 Sheet1，第 12 行，列 图书 (F列)``."""
        parts = []
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.sheet:
            parts.append(f"工作表 {self.sheet}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:  # a scenario / settings file names its key (设置项 …), a table its column
            parts.append(self.column if self.column.startswith("设置项 ") else f"列 {self.column}")
        return "，".join(parts)

    def text(self) -> str:
        """Location and message without the level tag: ``文件 a.xlsx，第 12 行：……`` (the JSON
        ``warnings`` entries, docs/json-contract.md: the list already says what they are)."""
        w = self.where()
        return f"{w}：{self.message}" if w else self.message

    def __str__(self) -> str:
        tag = "错误" if self.level == "error" else "警告"
        return f"[{tag}] {self.text()}"


class JunhengError(Exception):
    """Base class of errors shown to the user as a message (never as a traceback)."""


class InputError(JunhengError):
    """The input file is invalid; ``issues`` lists every error (and warning) found. Nothing is loaded."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        errors = [i for i in self.issues if i.level == "error"]
        super().__init__(f"输入文件有 {len(errors)} 处错误，未导入任何数据。")


class RulesError(JunhengError):
    """A rule pack or provincial override is missing or invalid."""


class WorkerLost(Exception):
    """A worker process of ``--jobs`` ended abruptly (killed, or by the system when out of memory):
    no result of the run is written; the CLI says so in Chinese (exit 3, not a traceback)."""

    def __init__(self) -> None:
        super().__init__("一个并行计算进程意外终止（可能是内存不足或被系统结束），未写入任何文件。"
                         "请用较少的并行进程数（如 --jobs 1）重新运行。")
