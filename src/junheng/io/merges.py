"""Merged-cell ranges of an .xlsx sheet, read from the sheet XML without loading the cells.

python-calamine reports merged ranges only after reading every cell of the sheet, which doubles
the reading time of a large workbook already read by fastexcel; the ranges sit in one small
``<mergeCells>`` element after ``<sheetData>``, so we read just that. Any surprise in the
package returns None and the caller falls back to python-calamine.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _sheet_part(z: zipfile.ZipFile, sheet: str) -> str | None:
    rid = None
    for el in ElementTree.fromstring(z.read("xl/workbook.xml")).iter():
        if el.tag.endswith("}sheet") and el.get("name") == sheet:
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
    if rid is None:
        return None
    for el in ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels")).iter():
        if el.get("Id") == rid:
            target = el.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return None


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """``{XML part: sheet name}`` of every sheet of an open .xlsx package ({} if unknown)."""
    try:
        names = [el.get("name") for el in ElementTree.fromstring(z.read("xl/workbook.xml")).iter()
                 if el.tag.endswith("}sheet")]
        return {part: n for n in names if n and (part := _sheet_part(z, n))}
    except (KeyError, ElementTree.ParseError, OSError, zipfile.BadZipFile):
        return {}


def sheet_part(path: Path, sheet: str) -> str | None:
    """The XML part (``xl/worksheets/sheet1.xml``) of ``sheet`` in an .xlsx package, None if unknown."""
    try:
        with zipfile.ZipFile(path) as z:
            return _sheet_part(z, sheet)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None


def xlsx_merged_ranges(path: Path, sheet: str) -> list[tuple[int, int, int, int]] | None:
    """Merged ranges ``(r1, c1, r2, c2)`` (0-based absolute, inclusive) of ``sheet``, or None if unknown."""
    try:
        with zipfile.ZipFile(path) as z:
            part = _sheet_part(z, sheet)
            if part is None:
                return None
            data = z.read(part)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    tail = data[max(data.rfind(b"sheetData"), 0):]
    out = []
    for c1, r1, c2, r2 in _REF.findall(tail):
        a, b = int(r1) - 1, _col(c1)
        out.append((a, b, int(r2) - 1 if r2 else a, _col(c2) if c2 else b))
    return out
