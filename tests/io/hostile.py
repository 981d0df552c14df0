"""Writers of damaged, odd and hostile input files (made at test time in tmp_path, never committed).

Each writer takes a target path and returns it. The base is a valid school table with every
column both rule packs need (:data:`HEAD`, :data:`ROWS`), so that a file which should be read
is assessed (exit 0) and a file which should be refused fails for the one reason it was made for.
XML-level oddities (a far cell, formulas without cached values, a zip bomb) are made by editing
the package written by xlsxwriter.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from tests.test_cli import HEAD as _CLI_HEAD, ROWS as _CLI_ROWS

# the hand-made county of tests/test_cli.py (the published books example): one source of both
HEAD = _CLI_HEAD.split(",")
_R = list(_CLI_ROWS)


def _value(text: str):
    if text == "":
        return None
    if text.isdigit() and len(text) < 10:
        return int(text)
    return text


ROWS: list[list] = [[_value(t) for t in r.split(",")] for r in _R]


def col(header: str) -> int:
    """0-based column of ``header`` in :data:`HEAD`."""
    return HEAD.index(header)


def rows(**changes) -> list[list]:
    """Header + rows, with ``{"r<i>_<header>": value}`` edits (i is 0-based among the data rows)."""
    out = [list(r) for r in ROWS]
    for key, v in changes.items():
        i, h = key.split("_", 1)
        out[int(i[1:])][col(h)] = v
    return [list(HEAD), *out]


def write_csv_text(path: Path, table: list[list], *, sep: str = ",", encoding: str = "utf-8",
                   bom: bool = False) -> Path:
    """Rows joined by ``sep`` (no quoting: test values hold no separators), CRLF lines."""
    text = "\r\n".join(sep.join("" if v is None else str(v) for v in r) for r in table) + "\r\n"
    data = text.encode(encoding)
    if bom and encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    path.write_bytes(data)
    return path


def write_xlsx(path: Path, table: list[list] | None = None, *, sheets: tuple = (), hidden: bool = False,
               merges: tuple = (), name: str = "学校") -> Path:
    """The table on sheet ``name`` (hidden when asked), after ``sheets`` = ((name, rows), ...)
    written first; ``merges`` = (r1, c1, r2, c2) inclusive on the table sheet, the top-left cell's
    value kept."""
    import xlsxwriter

    table = rows() if table is None else table
    wb = xlsxwriter.Workbook(str(path))
    for sname, srows in sheets:
        ws = wb.add_worksheet(sname)
        for i, r in enumerate(srows):
            for j, v in enumerate(r):
                if v is not None:
                    ws.write(i, j, v)
    ws = wb.add_worksheet(name)
    inside = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r1, c1, r2, c2 in merges:
        ws.merge_range(r1, c1, r2, c2, table[r1][c1])
    for i, r in enumerate(table):
        for j, v in enumerate(r):
            if v is not None and (i, j) not in inside:
                ws.write(i, j, v)
    if hidden:
        ws.hide()
        wb.worksheets()[0].activate()
    wb.close()
    return path


def edit_sheet_xml(path: Path, edit, part: str | None = None) -> Path:
    """Rewrite the (last) worksheet XML of the package with ``edit(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    sheets = [i.filename for i, _ in items if i.filename.startswith("xl/worksheets/sheet")]
    part = part or sorted(sheets)[-1]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info.filename, edit(data) if info.filename == part else data)
    return path


def far_cell(path: Path) -> Path:
    """A valid table plus a cell at XFD1048576 and the dimension A1:XFD1048576 (a few KB)."""
    write_xlsx(path)

    def edit(xml: bytes) -> bytes:
        xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(b"</sheetData>",
                           b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    return edit_sheet_xml(path, edit)


def far_cell_hidden(path: Path) -> Path:
    """A far cell (column XFD) in the middle of the sheet, the dimension left small."""
    write_xlsx(path)

    def edit(xml: bytes) -> bytes:
        return re.sub(rb'(<row r="3"[^>]*>)', rb'\1<c r="XFD3"><v>1</v></c>', xml, count=1)
    return edit_sheet_xml(path, edit)


def zip_bomb(path: Path, cells: int = 6_000_000) -> Path:
    """A workbook whose sheet holds ``cells`` identical cells (≈ 40 bytes each uncompressed),
    deflated to well under 1 MB; the dimension claims A1:Y8."""
    write_xlsx(path)
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    part = sorted(n for n, _ in items if n.startswith("xl/worksheets/sheet"))[-1]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name != part:
                z.writestr(name, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with z.open(name, "w", force_zip64=True) as fh:
                fh.write(head)
                per_row = 1000
                for r in range(9, 9 + cells // per_row):
                    fh.write(b'<row r="%d">' % r + b'<c r="A%d"><v>1</v></c>' % r * per_row + b"</row>")
                fh.write(b"</sheetData>" + tail)
    return path


def formulas(path: Path, *, cached: str | None, formula: str = "SUM(F3:F4)", cell: str = "F2") -> Path:
    """A valid table whose ``cell`` is a formula, with cached value ``cached`` (None: no cached value)."""
    return set_formula(write_xlsx(path), cell, formula, cached)


def set_formula(path: Path, cell: str, formula: str, cached: str | None) -> Path:
    """Make ``cell`` (which must hold a value) of the last sheet a formula with cached value ``cached``."""
    def edit(xml: bytes) -> bytes:
        value = b"" if cached is None else b"<v>" + cached.encode() + b"</v>"
        new = b'<c r="' + cell.encode() + b'"><f>' + formula.encode() + b"</f>" + value + b"</c>"
        out, n = re.subn(rb'<c r="' + cell.encode() + rb'"[^>]*?(/>|>.*?</c>)', new, xml, count=1)
        assert n == 1
        return out
    return edit_sheet_xml(path, edit)
