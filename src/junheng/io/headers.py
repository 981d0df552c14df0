"""Finding the header of a school table and matching its columns to fields, by text.

County exports put a merged title row on top, then one to three header rows with merged cells
(a group label such as 小学 / 办学条件 or a table code such as 教基1102 above a leaf such as
在校生数), sometimes a column-number row (甲 乙 1 2 3 …) before the data. For every candidate
header row we fill the merged cells of the rows above it, build for each column the texts
"leaf alone" and "upper labels + leaf", normalise them (:func:`normalise`) and look them up among
the headers and synonyms of ``schema.FIELDS`` and the raw breakdowns. The row matching most
fields wins (the earliest on a tie).
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from junheng.io.breakdowns import BREAKDOWN_FIELDS
from junheng.io.grid import Grid
from junheng.schema import FIELDS, Field

#: Rows scanned from the top of the sheet for the header.
HEADER_SCAN_ROWS = 30
#: Header rows considered above and including the leaf row (table code, group, sub-group, leaf).
HEADER_MAX_ROWS = 4
#: A header row must match at least this many fields to count as the header.
MIN_HEADER_FIELDS = 3

#: Unit suffixes dropped from a header, in their NFKC form (㎡ becomes m2, （ becomes ( …).
UNIT_SUFFIXES = ("m2", "平方米", "平米", "万元", "元", "人", "个", "册", "台", "间", "所", "°", "度")
_UNIT_RE = re.compile(r"\((" + "|".join(map(re.escape, UNIT_SUFFIXES)) + r")\)$")
_SPACE_RE = re.compile(r"\s+")
_NUMBER_RE = re.compile(r"^[-+]?[\d.,eE]+$")
_COLUMN_NUMBER_RE = re.compile(r"^([甲乙丙丁戊己庚辛壬癸]|\d{1,3}|[A-Za-z]{1,2}|[ivxIVX]+)$")


def normalise(text: str) -> tuple[str, str | None]:
    """Normalise a header text for matching; returns (key, unit) where unit is the dropped suffix.

    NFKC (full-width brackets, colons and digits become half-width, ㎡ becomes m2), every
    whitespace removed (incl. U+3000 and newlines), latin letters lower-cased, then a trailing
    unit in brackets such as ``(万元)`` dropped and returned. Non-unit brackets (``(小学)``) stay.
    """
    key = _SPACE_RE.sub("", unicodedata.normalize("NFKC", text)).lower()
    key = key.replace("m²", "m2").replace("[", "(").replace("]", ")")
    unit = None
    m = _UNIT_RE.search(key)
    if m:
        unit = m.group(1)
        key = key[: m.start()]
    return key, unit


def _variants(key: str) -> list[str]:
    """The key itself, then forms without a leading 其中: and with/without a trailing 数."""
    out = [key]
    for k in list(out):
        for pre in ("其中:", "其中"):
            if k.startswith(pre) and len(k) > len(pre):
                out.append(k[len(pre):])
    for k in list(out):
        out.append(k[:-1] if k.endswith("数") else k + "数")
    return list(dict.fromkeys(out))


def build_index(pairs: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Lookup table ``normalised text → code`` of ``(code, texts)`` pairs, for every importer
    (school table columns, county workbook sheets, columns and row labels).

    Exact texts (after :func:`normalise`) first; then their looser forms (:func:`_variants`:
    without a leading 其中:, with/without a trailing 数), which never override an exact text.
    """
    exact: dict[str, str] = {}
    for code, texts in pairs:
        for text in texts:
            exact.setdefault(normalise(text)[0], code)
    index = dict(exact)
    for key, code in exact.items():
        for v in _variants(key)[1:]:
            index.setdefault(v, code)
    return index


def lookup(index: dict[str, str], text: str) -> tuple[str | None, str | None]:
    """Code of ``text`` in a :func:`build_index` table (or None), and the unit suffix dropped."""
    key, unit = normalise(text)
    for v in _variants(key):
        if v in index:
            return index[v], unit
    return None, unit


def field_index(fields: Iterable[Field]) -> dict[str, str]:
    """:func:`build_index` of fields by their header and synonyms."""
    return build_index((f.code, (f.header, *f.synonyms)) for f in fields)


#: Every field the importer knows (canonical fields first, then raw breakdowns).
ALL_FIELDS: tuple[Field, ...] = FIELDS + BREAKDOWN_FIELDS
FIELD_INDEX: dict[str, str] = field_index(ALL_FIELDS)


@functools.lru_cache(maxsize=4096)
def match_header(text: str) -> tuple[str | None, str | None]:
    """Field code of one header text (after :func:`normalise`), or None; plus its unit suffix."""
    return lookup(FIELD_INDEX, text)


@dataclass
class ColumnMatch:
    """A file column matched to a field: grid column index, header text as written, unit suffix."""

    code: str
    index: int
    text: str
    unit: str | None


@dataclass
class Header:
    """The header found in a grid.

    row: grid index of the leaf header row; data_start: grid index of the first data row (after
    any column-number row); columns: code → ColumnMatch; duplicates: (code, first, second)
    columns mapped to one field; unknown: (grid column, text) of header cells matching nothing.
    """

    row: int
    data_start: int
    columns: dict[str, ColumnMatch] = field(default_factory=dict)
    duplicates: list[tuple[str, ColumnMatch, ColumnMatch]] = field(default_factory=list)
    unknown: list[tuple[int, str]] = field(default_factory=list)


def _filled_rows(grid: Grid, rows: list[list[str]]) -> list[list[str]]:
    """Copy the top-left value of each merged range into all its cells (within ``rows``)."""
    out = [list(r) for r in rows]
    n, w = len(out), len(out[0]) if out else 0
    for r1, c1, r2, c2 in grid.merges:
        if r1 < 0 or r1 >= n or c1 < 0 or c1 >= w:
            continue
        value = out[r1][c1]
        for r in range(r1, min(r2, n - 1) + 1):
            for c in range(c1, min(c2, w - 1) + 1):
                out[r][c] = value
    return out


def _column_texts(window: list[list[str]], j: int) -> list[str]:
    """Non-empty texts of column ``j`` from top to bottom, consecutive repeats removed."""
    texts = [row[j] for row in window if row[j]]
    return [t for k, t in enumerate(texts) if k == 0 or t != texts[k - 1]]


def _candidates(texts: list[str]) -> list[str]:
    """Header texts to try for one column, most specific first.

    The leaf (last text) alone, then each upper label with the leaf (``小学`` + ``在校生数``,
    ``在校生数(小学)``), then longer concatenations of labels.
    """
    if not texts:
        return []
    *upper, leaf = texts
    out = [leaf]
    for g in reversed(upper):
        out += [g + leaf, f"{leaf}({g})"]
    for n in range(2, len(upper) + 1):
        for combo in itertools.combinations(upper, n):
            out.append("".join(combo) + leaf)
    return out


def _match_column(texts: list[str]) -> tuple[str | None, str | None, str]:
    for cand in _candidates(texts):
        code, unit = match_header(cand)
        if code:
            if unit is None:  # a unit may sit on the leaf while the match used the concatenation
                unit = next((u for t in reversed(texts) if (u := normalise(t)[1])), None)
            return code, unit, cand
    return None, None, texts[-1] if texts else ""


def _forward_fill_groups(window: list[list[str]]) -> list[list[str]]:
    """Horizontal fill of group labels in upper rows, over empty cells that have a label below."""
    out = [list(r) for r in window]
    for i in range(len(out) - 1):
        for j in range(1, len(out[i])):
            if not out[i][j] and out[i][j - 1] and any(out[k][j] for k in range(i + 1, len(out))):
                out[i][j] = out[i][j - 1]
    return out


def _match_row(filled: list[list[str]], r: int) -> Header:
    top = max(0, r - HEADER_MAX_ROWS + 1)
    window = _forward_fill_groups(filled[top : r + 1])
    head = Header(row=r, data_start=r + 1)
    for j in range(len(window[0]) if window else 0):
        texts = _column_texts(window, j)
        if not texts or _NUMBER_RE.match(texts[-1]):  # empty, or a data value: no header ends in a number
            continue
        code, unit, text = _match_column(texts)
        if code is None:
            head.unknown.append((j, texts[-1]))
            continue
        m = ColumnMatch(code, j, text, unit)
        if code in head.columns:
            head.duplicates.append((code, head.columns[code], m))
        else:
            head.columns[code] = m
    return head


def is_column_number_row(row: list[str]) -> bool:
    """True for a row like 甲 乙 1 2 3 … that numbers the columns under the header."""
    cells = [c for c in row if c]
    return len(cells) >= 2 and all(_COLUMN_NUMBER_RE.match(c) for c in cells)


def find_header(grid: Grid, min_fields: int = MIN_HEADER_FIELDS) -> Header | None:
    """Locate the header rows in the first :data:`HEADER_SCAN_ROWS` rows and match the columns.

    Returns None when no row matches ``min_fields`` fields (:data:`MIN_HEADER_FIELDS`; 1 finds a
    partial header, for the message that names the missing required columns).
    """
    rows = grid.top_rows(HEADER_SCAN_ROWS)
    if not rows:
        return None
    filled = _filled_rows(grid, rows)
    best: Header | None = None
    for r in range(len(filled)):
        if not any(filled[r]):
            continue
        head = _match_row(filled, r)
        if best is None or len(head.columns) > len(best.columns):
            best = head
    if best is None or len(best.columns) < min_fields:
        return None
    while best.data_start < len(rows) and (
        is_column_number_row(rows[best.data_start]) or not any(rows[best.data_start])
    ):
        best.data_start += 1
    return best
