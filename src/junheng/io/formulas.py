"""Formula cells of an .xlsx sheet whose stored result cannot be trusted, read from the sheet XML.

The readers return a formula cell's cached value (the result Excel saved): a workbook written by
a program and never opened in Excel has formulas without one, which the reader returns as an
empty cell, i.e. "blank, counted as 0". So the sheet XML is scanned (as a stream, only when it
holds a formula at all) for

- ``no_value``: a formula without a cached value (no ``<v>`` or an empty one);
- ``zero``: a formula whose cached value is 0 while the formula is not a constant (it refers to
  cells or calls functions: ``=SUM(F3:F4)``, unlike ``=0`` or ``=1-1``), which is what an
  uncalculated or broken reference shows.
"""
from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from junheng.io.limits import col_index

_CHUNK = 1 << 20
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b([^>]*?)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)\s*'
    rb'(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>(.*?)</(?:\w+:)?v>)?', re.S)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
#: A formula with a letter (a cell reference or a function name) is not a constant.
_NOT_CONSTANT = re.compile(r"[A-Za-z]")


#: Messages of the two kinds (``{formula}``: the formula as written), for every importer.
FORMULA_TEXTS = {
    "no_value": "单元格是公式 {formula}，但文件中没有保存它的计算结果（常见于由程序生成、未用 Excel 打开保存的文件），"
                "无法读取数值。请用 Excel 或 WPS 打开、确认计算结果后保存，再导入。",
    "zero": "单元格是公式 {formula}，保存的计算结果为 0：如果公式引用的单元格为空、在别的文件中或尚未计算，"
            "结果可能不对，请核对。",
}


@dataclass(frozen=True)
class FormulaCell:
    """A suspicious formula cell: 0-based absolute row/column, kind (``no_value``/``zero``) and
    the formula text as written (``=SUM(F3:F4)``; ``=…`` for a shared formula's follower)."""

    row: int
    col: int
    kind: str
    formula: str


def _scan(text: bytes, out: list[FormulaCell]) -> None:
    for m in _FORMULA_CELL.finditer(text):
        attrs, formula, value = m.group(1), m.group(2), m.group(3)
        ref = _REF.search(attrs)
        if ref is None:
            continue
        t = _TYPE.search(attrs)
        # the XML text as the user wrote it: &lt; &amp; &#28857; … back to < & 点
        ftext = "=" + html.unescape((formula or b"\xe2\x80\xa6").decode("utf-8", "replace"))
        if value is None or value.strip() == b"":
            kind = "no_value"
        elif (t is None or t.group(1) == b"n") and value.strip() in (b"0", b"0.0") and \
                (formula is None or _NOT_CONSTANT.search(ftext[1:])):
            kind = "zero"
        else:
            continue
        out.append(FormulaCell(int(ref.group(2)) - 1, col_index(ref.group(1)), kind, ftext))


def suspicious_formulas(path: Path, part: str | None) -> list[FormulaCell]:
    """Formula cells of the sheet part ``part`` without a cached value or with a suspicious 0.

    Streams the XML; returns [] when the part cannot be read (the reader reports a damaged
    file) or holds no formula."""
    if part is None:
        return []
    out: list[FormulaCell] = []
    try:
        with zipfile.ZipFile(path) as z, z.open(part) as fh:
            rest = b""
            while chunk := fh.read(_CHUNK):
                data = rest + chunk
                cut = data.rfind(b"</row>")
                if cut < 0:
                    rest = data
                    continue
                head, rest = data[: cut + 6], data[cut + 6:]
                if b"f>" in head or b"<f " in head or b":f " in head:
                    _scan(head, out)
            if rest and (b"f>" in rest or b"<f " in rest):
                _scan(rest, out)
    except (OSError, KeyError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        return []
    return out
