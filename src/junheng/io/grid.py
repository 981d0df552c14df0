"""Reading the cells of a sheet (Excel via fastexcel + python-calamine, CSV via the csv module).

A :class:`Grid` is the used range of one sheet as a polars DataFrame of text cells (columns
``c0 … cN``, every cell ``pl.Utf8`` or null), plus where that range sits in the sheet: calamine
starts a range at the first used cell, so grid row 0 / column 0 are Excel row ``row0 + 1`` and
column ``col0`` (0-based). Messages always use the real Excel row number and column letter.

Cell values come from fastexcel (Rust → Arrow → polars, all cells read as text so ids keep
their leading zeros), read from sheet row 0 so that frame rows are sheet rows; the column offset
is fastexcel's ``absolute_index`` (python-calamine's ``.start`` in the fallback path). Merged
cells come from the xlsx XML (:mod:`junheng.io.merges`) or python-calamine for .xls.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import polars as pl

from junheng.io.merges import xlsx_merged_ranges
from junheng.io.report import Reporter, column_letter

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)

#: ASSUMPTION: a CSV that is not UTF-8 and that charset-normalizer does not place in another
#: family comes from a mainland Chinese Excel and is decoded as GB18030 (a superset of GBK and
#: GB2312) whenever that decoding succeeds.
CSV_FALLBACK_ENCODING = "gb18030"
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz", "euc_cn", "ms936"}


@dataclass
class Grid:
    """The used cells of one sheet as text.

    cells: polars DataFrame, columns ``c0 … cN`` (``pl.Utf8`` as read: may hold blanks, see
    :func:`stripped`);
    row0/col0: 0-based absolute row/column of ``cells[0, "c0"]``; merges: merged ranges as
    ``(r1, c1, r2, c2)`` inclusive, relative to the grid; sheet: None for CSV.
    """

    file: str
    sheet: str | None
    cells: pl.DataFrame
    row0: int = 0
    col0: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str | None = None

    def excel_row(self, i: int) -> int:
        """1-based spreadsheet row number of grid row ``i``."""
        return self.row0 + i + 1

    def letter(self, j: int) -> str:
        """Excel column letter of grid column ``j``."""
        return column_letter(self.col0 + j)

    def top_rows(self, n: int) -> list[list[str]]:
        """The first ``n`` rows as lists of stripped text ('' for an empty cell)."""
        return [[("" if v is None else str(v).strip()) for v in row] for row in self.cells.head(n).iter_rows()]


def read_grids(path: Path, sheet: str | int | None, rep: Reporter) -> Iterator[Grid]:
    """Yield the grid of the requested sheet, or of every visible worksheet in order (sheet=None).

    Raises InputError (via ``rep``) for an unsupported extension, a missing sheet or an
    unreadable file.
    """
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        yield _read_csv(path, rep)
    elif suffix in EXCEL_SUFFIXES:
        yield from _read_excel(path, sheet, rep)
    else:
        raise rep.fatal("unsupported_file",
                        f"不支持的文件类型“{path.suffix or '(无扩展名)'}”，请使用 .xlsx、.xls 或 .csv 文件。")


def _renamed(df: pl.DataFrame) -> pl.DataFrame:
    """Columns renamed to c0…cN (cells stay as read; :func:`stripped` cleans the ones used)."""
    return df.rename({old: f"c{j}" for j, old in enumerate(df.columns)})


def stripped(c: str) -> pl.Expr:
    """Text of column ``c`` with surrounding whitespace removed, blank cells null."""
    s = pl.col(c).cast(pl.Utf8).str.strip_chars()
    return pl.when(s == "").then(None).otherwise(s).alias(c)


def _read_excel(path: Path, sheet: str | int | None, rep: Reporter) -> Iterator[Grid]:
    import fastexcel
    from python_calamine import CalamineWorkbook

    try:
        reader = fastexcel.read_excel(str(path))
        workbook = CalamineWorkbook.from_path(str(path))
        metas = workbook.sheets_metadata
    except Exception as exc:  # corrupt, encrypted, not really Excel …
        raise rep.fatal("unreadable_file", f"无法读取 Excel 文件（文件损坏、加密或格式不符）：{exc}") from None
    names = [m.name for m in metas]
    if sheet is None:
        wanted = [m.name for m in metas if str(m.visible).endswith("Visible") and "WorkSheet" in str(m.typ)]
        wanted = wanted or names
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise rep.fatal("sheet_not_found", f"没有第 {sheet + 1} 个工作表（共有：{'、'.join(names)}）。")
        wanted = [names[sheet]]
    else:
        if sheet not in names:
            raise rep.fatal("sheet_not_found", f"没有名为“{sheet}”的工作表（共有：{'、'.join(names)}）。")
        wanted = [sheet]
    for name in wanted:
        rep.sheet = name
        try:
            yield _excel_grid(reader, workbook, path, name)
        except Exception as exc:
            if type(exc).__name__ == "InputError":
                raise
            raise rep.fatal("unreadable_file", f"无法读取工作表“{name}”：{exc}") from None


def _excel_grid(reader, workbook, path: Path, name: str) -> Grid:
    """Cells from fastexcel; merged ranges from the xlsx XML (python-calamine for .xls).

    With ``skip_rows=0`` fastexcel does not drop leading empty rows, so frame row i is sheet row i;
    its columns start at the first used column, whose absolute index fastexcel reports. When the
    columns are not contiguous, python-calamine's own values and ``.start`` are used instead.
    """
    fsheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string",
                                whitespace_as_null=True)
    infos = fsheet.available_columns()
    col0 = infos[0].absolute_index if infos else 0
    merges = xlsx_merged_ranges(path, name) if path.suffix.lower() in (".xlsx", ".xlsm") else None
    if all(c.absolute_index == col0 + j for j, c in enumerate(infos)):
        cells, row0 = fsheet.to_polars(), 0
        csheet = None
    else:
        csheet = workbook.get_sheet_by_name(name)
        if csheet.start is None:
            return Grid(path.name, name, pl.DataFrame())
        (row0, col0), width = csheet.start, csheet.end[1] - csheet.start[1] + 1
        cells = _frame_from_rows(csheet.to_python(skip_empty_area=True), width)
    if merges is None:
        csheet = csheet or workbook.get_sheet_by_name(name)
        merges = [(a, b, c, d) for (a, b), (c, d) in csheet.merged_cell_ranges or []]
    rel = [(a - row0, b - col0, c - row0, d - col0) for a, b, c, d in merges]
    return Grid(path.name, name, _renamed(cells), row0, col0, rel)


def _cell_text(v) -> str | None:
    """Text of a calamine cell value; integral floats without ``.0`` (ids keep their digits)."""
    if v is None or v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _frame_from_rows(rows: list[list], width: int | None = None) -> pl.DataFrame:
    width = width if width is not None else max((len(r) for r in rows), default=0)
    cols = {f"c{j}": [(_cell_text(r[j]) if j < len(r) else None) for r in rows] for j in range(width)}
    return pl.DataFrame(cols, schema={c: pl.Utf8 for c in cols})


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding name).

    Order: UTF-8 with BOM, UTF-16 with BOM, UTF-8, then the charset-normalizer guess (any GB
    guess is read as GB18030) with :data:`CSV_FALLBACK_ENCODING` preferred when it decodes.
    Raises UnicodeDecodeError when nothing fits.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    guess = (best.encoding if best else "").lower()
    order = [CSV_FALLBACK_ENCODING] + ([guess] if guess and guess not in _GB_FAMILY else [])
    for enc in order:
        try:
            return raw.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnicodeDecodeError(guess or "unknown", raw[:1], 0, 1, "无法识别的编码")


def _read_csv(path: Path, rep: Reporter) -> Grid:
    rep.sheet = None
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise rep.fatal("unreadable_file", f"无法读取文件：{exc.strerror or exc}") from None
    try:
        text, enc = decode_csv(raw)
    except UnicodeDecodeError:
        raise rep.fatal("unreadable_file", "无法识别 CSV 文件的字符编码（支持 UTF-8、GBK、GB18030）。") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise rep.fatal("unreadable_file", f"CSV 文件格式错误：{exc}") from None
    return Grid(path.name, None, _frame_from_rows(rows), encoding=enc)
