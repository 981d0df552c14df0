"""Records ⇄ the importer's tables: the database holds what the file importer returned, and every
table built from the database goes back through the same importer (:func:`junheng.io.school_table.read_rows`).

So a form, an uploaded sheet, a bulk import and a snapshot are validated by one implementation
(junheng.io.validate / convert), and a snapshot's table is exactly what ``junheng assess`` would read
from the same figures in a file.
"""
from __future__ import annotations

import re

import polars as pl

from junheng.errors import Issue
from junheng.io.school_table import LoadResult, read_rows
from junheng.sample import column_header
from junheng.schema import FIELDS, Field

#: The header of each field in tables built from stored data: the canonical header, with the unit
#: in brackets; equipment in 元 (stored unit), so no conversion happens on the way back.
def stored_header(f: Field) -> str:
    return f"{f.header}(元)" if f.code == "equipment_value_yuan" else column_header(f)


def cell_text(v) -> str | None:
    """A stored value as the text of a cell (None for null; floats without a trailing ``.0``)."""
    if v is None:
        return None
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() else repr(v)
    return str(v)


def stored_rows(datas: list[dict]) -> list[list[str | None]]:
    """Header + one row per stored record ``data`` dict, in :data:`junheng.schema.FIELDS` order."""
    return [[stored_header(f) for f in FIELDS]] + [[cell_text(d.get(f.code)) for f in FIELDS] for d in datas]


def load_stored(datas: list[dict], file: str) -> LoadResult:
    """The canonical table of stored records, through the importer (raises InputError like a file)."""
    return read_rows(stored_rows(datas), file=file)


def row_data(table: pl.DataFrame, i: int = 0) -> dict:
    """Row ``i`` of a canonical table as the ``data`` dict stored in a record (schema fields only)."""
    row = table.row(i, named=True)
    return {f.code: row[f.code] for f in FIELDS}


_LETTER = re.compile(r"\(([A-Z]{1,3})列\)")


def issue_column(issue: Issue, codes: list[str]) -> str | None:
    """The field code an issue is about, from the column letter in its label (``图书(册) (F列)``)
    and the codes in the order the columns were given; None for a table-wide issue."""
    m = _LETTER.search(issue.column or "")
    if not m:
        return None
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return codes[n - 1] if 0 < n <= len(codes) else None
