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
import re
import zipfile
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import polars as pl

from junheng.io import limits
from junheng.io.formulas import suspicious_formulas
from junheng.io.merges import sheet_part, xlsx_merged_ranges
from junheng.io.issues import IssueCollector, column_letter

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv",)

#: Excel error values as Excel shows them, by calamine's name of the error (fastexcel reports
#: ``Error(Div0)``). A cell holding one of these texts (CSV) is an error cell too.
EXCEL_ERRORS = {"Div0": "#DIV/0!", "NA": "#N/A", "Value": "#VALUE!", "Ref": "#REF!", "Name": "#NAME?",
                "Null": "#NULL!", "Num": "#NUM!", "GettingData": "#GETTING_DATA"}
EXCEL_ERROR_TEXTS = frozenset(EXCEL_ERRORS.values()) | {"#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!"}
#: DECISION (one rule for every importer): a cell holding only one of these marks is empty, as
#: if blank — statistical tables write a dash for "none". The empty-cell rules then apply (a
#: required cell is an error, an optional count a warning listing the rows, read as 0).
NULL_MARKS = ("-", "－", "—", "——", "--", "/", "\\", "／", "―", "–")
_ERROR_DETAIL = re.compile(r"Error\((\w+)\)")

#: Leading bytes of common files that are not spreadsheets, and what to call them in messages.
FOREIGN_MAGIC = ((b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
                 (b"%PDF", "PDF 文件"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"))
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: Parts of a ZIP (Office Open XML) package that say what it is, when it is not a workbook.
ZIP_PARTS = (("word/document.xml", "Word 文档"), ("ppt/presentation.xml", "PowerPoint 演示文稿"))
#: Longest technical text (the library's own message) appended to a Chinese reason.
TECH_INFO_CHARS = 160

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
    ``(r1, c1, r2, c2)`` inclusive, relative to the grid; sheet: None for CSV; formulas: the
    suspicious formula cells (:class:`junheng.io.formulas.FormulaCell`, rows/columns relative to
    the grid) of an .xlsx sheet; hidden: a hidden sheet (yielded after the visible ones);
    encoding/delimiter: how a CSV was read.
    """

    file: str
    sheet: str | None
    cells: pl.DataFrame
    row0: int = 0
    col0: int = 0
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str = ","
    hidden: bool = False
    formulas: list = field(default_factory=list)

    def excel_row(self, i: int) -> int:
        """1-based spreadsheet row number of grid row ``i``."""
        return self.row0 + i + 1

    def letter(self, j: int) -> str:
        """Excel column letter of grid column ``j``."""
        return column_letter(self.col0 + j)

    def top_rows(self, n: int) -> list[list[str]]:
        """The first ``n`` rows as lists of stripped text ('' for an empty cell)."""
        return [[("" if v is None else str(v).strip()) for v in row] for row in self.cells.head(n).iter_rows()]


def read_grids(path: Path, sheet: str | int | None, rep: IssueCollector) -> Iterator[Grid]:
    """Yield the grid of the requested sheet, or (sheet=None) of every worksheet: the visible ones
    in order, then the hidden ones (``Grid.hidden``; a caller may stop before them).

    The content decides how an .xlsx/.xls/.csv file is read (a warning when it disagrees with the
    extension). Raises InputError (via ``rep``) for an empty file, a file that is not a
    spreadsheet, an unsupported extension, a missing sheet or an unreadable file.
    """
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + EXCEL_SUFFIXES:
        raise rep.fatal("unsupported_file",
                        f"不支持的文件类型“{path.suffix or '(无扩展名)'}”，请使用 .xlsx、.xls 或 .csv 文件。")
    kind, what = sniff(path)
    if kind == "empty":
        raise rep.fatal("empty_file", "文件为空（0 字节），请检查是否选错了文件或文件未保存完整。")
    if kind == "other":
        expected = "CSV 或 Excel" if suffix in CSV_SUFFIXES else "Excel"
        raise rep.fatal("not_a_spreadsheet", f"不是 {expected} 文件（内容看起来是{what}），请选择学校数据表。")
    if kind in ("xlsx", "xls"):
        actual = ".xlsx" if kind == "xlsx" else ".xls"
        mismatch = kind != {".xls": "xls", ".xlsx": "xlsx", ".xlsm": "xlsx"}.get(suffix)
        if mismatch:
            rep.add("warning", "extension_mismatch",
                    f"文件扩展名为 {path.suffix}，但内容是 {actual} 格式，已按 {actual} 读取（建议改正扩展名）。")
        yield from _read_excel(path, sheet, rep, kind, from_bytes=mismatch)
    elif suffix in CSV_SUFFIXES:
        yield _read_csv(path, rep)
    else:
        what = "文本（CSV）文件，请把扩展名改为 .csv" if kind == "text" else "无法识别的格式"
        raise rep.fatal("not_a_spreadsheet", f"不是 Excel 文件（内容看起来是{what}）。")


def sniff(path: Path) -> tuple[str, str]:
    """What a file holds, by its first bytes: ``(kind, description)``.

    kind: ``empty``; ``xlsx`` (a ZIP package with xl/workbook.xml, or a broken ZIP); ``xls`` (an
    OLE compound file); ``other`` (a known non-spreadsheet: PNG, PDF, Word …, described in
    Chinese); ``text`` (no NUL bytes: CSV, HTML …) or ``unknown``.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "unknown", ""
    if not head:
        return "empty", ""
    for magic, what in FOREIGN_MAGIC:
        if head.startswith(magic):
            return "other", what
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except (OSError, zipfile.BadZipFile):
            return "xlsx", ""  # a damaged workbook: the reader says so
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return "xlsx", ""
        return "other", next((w for part, w in ZIP_PARTS if part in names), "ZIP 压缩包")
    if head.startswith(OLE_MAGIC):
        return "xls", ""
    lead = head.lstrip(codecs.BOM_UTF8).lstrip().lower()
    if lead.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return "other", "网页（HTML）或 XML 文件，请用 Excel 打开后另存为 .xlsx"
    return ("text", "") if b"\x00" not in head else ("unknown", "")


def tech_info(exc: BaseException) -> str:
    """The library's message as a trailing ``（技术信息：…）``, one line of at most
    :data:`TECH_INFO_CHARS`, only when ``JUNHENG_DEBUG`` is set ('' otherwise: the libraries
    speak English, and users get Chinese only)."""
    import os

    if not os.environ.get("JUNHENG_DEBUG"):
        return "。"
    text = next((ln.strip() for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
    if len(text) > TECH_INFO_CHARS:
        text = text[: TECH_INFO_CHARS - 1] + "…"
    return f"（技术信息：{text}）"


def _ole_reason(path: Path) -> str:
    """Why an OLE (.xls) file could not be read, in Chinese: encrypted, a Word document, or damaged."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        head = b""
    if "EncryptedPackage".encode("utf-16-le") in head:
        return "文件已加密（设有打开密码），请在 Excel 中取消密码后另存再导入"
    if "WordDocument".encode("utf-16-le") in head:
        return "不是 Excel 文件（内容看起来是 Word 文档）"
    return "无法读取 Excel 文件（文件损坏或格式不符）"


def _renamed(df: pl.DataFrame) -> pl.DataFrame:
    """Columns renamed to c0…cN (cells stay as read; :func:`stripped` cleans the ones used)."""
    return df.rename({old: f"c{j}" for j, old in enumerate(df.columns)})


@lru_cache(maxsize=4096)
def stripped(c: str) -> pl.Expr:
    """Text of column ``c`` with surrounding whitespace removed; blank cells and cells holding
    only a dash mark (:data:`NULL_MARKS`) null.

    Cached: an expression is immutable and building it (the dash-mark list as a literal) costs
    more than applying it to a one-row form (the web form validates one row per request)."""
    s = pl.col(c).cast(pl.Utf8).str.strip_chars()
    return pl.when((s == "") | s.is_in(list(NULL_MARKS))).then(None).otherwise(s).alias(c)


def is_empty_text(text: str | None) -> bool:
    """True for a cell that counts as empty: None, blank, or only a dash mark (as :func:`stripped`)."""
    return text is None or text.strip() in ("", *NULL_MARKS)


def _read_excel(path: Path, sheet: str | int | None, rep: IssueCollector, kind: str,
                from_bytes: bool = False) -> Iterator[Grid]:
    """Grids of an Excel file; ``kind`` (``xlsx``/``xls``) is its format by content.

    from_bytes: read the file's bytes (the libraries choose the format by extension from a path).
    """
    import fastexcel
    from python_calamine import CalamineWorkbook

    if kind == "xlsx":
        limits.check_package(path, rep)
    else:
        limits.check_file_size(path, rep)
    try:
        if from_bytes:
            data = path.read_bytes()
            reader = fastexcel.read_excel(data)
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        else:
            reader = fastexcel.read_excel(str(path))
            workbook = CalamineWorkbook.from_path(str(path))
        metas = workbook.sheets_metadata
    except Exception as exc:  # corrupt, encrypted, not really Excel …
        reason = _ole_reason(path) if kind == "xls" else "无法读取 Excel 文件（文件损坏或格式不符）"
        raise rep.fatal("unreadable_file", reason + tech_info(exc)) from None
    names = [m.name for m in metas]
    hidden = {m.name for m in metas if not str(m.visible).endswith(".Visible")}
    listed = "、".join(n + ("（隐藏）" if n in hidden else "") for n in names)
    if sheet is None:
        sheets = [m.name for m in metas if "WorkSheet" in str(m.typ)] or names
        wanted = [n for n in sheets if n not in hidden] + [n for n in sheets if n in hidden]
    elif isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise rep.fatal("sheet_not_found", f"没有第 {sheet + 1} 个工作表（共有：{listed}）。")
        wanted = [names[sheet]]
    else:
        if sheet not in names:
            raise rep.fatal("sheet_not_found", f"没有名为“{sheet}”的工作表（共有：{listed}）。")
        wanted = [sheet]
    for name in wanted:
        rep.sheet = name
        if sheet is not None and name in hidden:
            rep.add("warning", "hidden_sheet", f"工作表“{name}”是隐藏的工作表，已按指定读取。")
        if kind == "xlsx":
            limits.check_sheet(path, sheet_part(path, name), rep)
        try:
            grid = _excel_grid(reader, workbook, path, name, kind)
        except Exception as exc:
            if type(exc).__name__ == "InputError":
                raise
            raise rep.fatal("unreadable_file", f"无法读取工作表“{name}”（文件损坏或含有不支持的内容），"
                                               f"请在 Excel 中打开后另存为 .xlsx 再导入{tech_info(exc)}") from None
        grid.hidden = name in hidden
        yield grid


def _excel_grid(reader, workbook, path: Path, name: str, kind: str) -> Grid:
    """Cells from fastexcel; merged ranges from the xlsx XML (python-calamine for .xls).

    With ``skip_rows=0`` fastexcel does not drop leading empty rows, so frame row i is sheet row i;
    its columns start at the first used column, whose absolute index fastexcel reports. When the
    columns are not contiguous, python-calamine's own values and ``.start`` are used instead.
    Error cells get their Excel text (:func:`_with_errors`).
    """
    fsheet = reader.load_sheet(name, header_row=None, skip_rows=0, dtypes="string",
                                whitespace_as_null=True)
    infos = fsheet.available_columns()
    col0 = infos[0].absolute_index if infos else 0
    merges = xlsx_merged_ranges(path, name) if kind == "xlsx" else None
    batch, cell_errors = fsheet.to_arrow_with_errors()
    errors = {}  # (absolute row, absolute column) -> Excel error text
    for e in (cell_errors.errors if cell_errors else ()):
        m = _ERROR_DETAIL.search(e.detail)
        if m and e.position[1] < len(infos):
            errors[(e.position[0], infos[e.position[1]].absolute_index)] = \
                EXCEL_ERRORS.get(m.group(1), f"#{m.group(1).upper()}")
    if all(c.absolute_index == col0 + j for j, c in enumerate(infos)):
        cells, row0 = pl.from_arrow(batch), 0
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
    cells = _with_errors(_renamed(cells), {(r - row0, c - col0): t for (r, c), t in errors.items()})
    formulas = [replace(f, row=f.row - row0, col=f.col - col0)
                for f in (suspicious_formulas(path, sheet_part(path, name)) if kind == "xlsx" else ())]
    return Grid(path.name, name, cells, row0, col0, rel, formulas=formulas)


def _with_errors(cells: pl.DataFrame, errors: dict[tuple[int, int], str]) -> pl.DataFrame:
    """Write the Excel text of the (few) error cells, ``{(grid row, grid column): text}``, into ``cells``."""
    by_col: dict[int, list[tuple[int, str]]] = {}
    for (r, c), text in errors.items():
        if 0 <= r < cells.height and 0 <= c < cells.width:
            by_col.setdefault(c, []).append((r, text))
    out = []
    for c, hits in by_col.items():
        col = cells.get_column(f"c{c}").cast(pl.Utf8).clone()
        col.scatter([r for r, _ in hits], [t for _, t in hits])
        out.append(col)
    return cells.with_columns(out) if out else cells


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


#: Encodings reported in messages by their Chinese description.
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "utf-16": "UTF-16（Excel“Unicode 文本”）",
                  "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "gb18030": "GBK/GB18030（简体中文）",
                  "big5": "Big5（繁体中文）", "cp950": "Big5（繁体中文）"}
#: Field separators a CSV may use (Excel writes ``,``; "Unicode text" tabs; European settings ``;``).
CSV_DELIMITERS = (",", "\t", ";", "|")
_BIG5 = {"big5", "cp950", "big5hkscs"}


def _utf16_without_bom(raw: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when every other byte of the start is NUL (ASCII in UTF-16)."""
    head = raw[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 4 and even < odd // 8:
        return "utf-16-le"
    if even > len(head) // 4 and odd < even // 8:
        return "utf-16-be"
    return None


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding name).

    Order: UTF-8 with BOM, UTF-16 with BOM (Excel "Unicode text"), UTF-16 without BOM (by its
    NUL bytes), UTF-8, then the charset-normalizer guess: Big5 when it guesses Big5 and the bytes
    decode as Big5, otherwise :data:`CSV_FALLBACK_ENCODING` (any GB guess is read as GB18030)
    when it decodes. Raises UnicodeDecodeError when nothing fits.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "utf-16"
    wide = _utf16_without_bom(raw)
    if wide:
        try:
            return raw.decode(wide), wide
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    guess = (best.encoding if best else "").lower()
    order = ([guess] if guess in _BIG5 else []) + [CSV_FALLBACK_ENCODING] + (
        [guess] if guess and guess not in _GB_FAMILY | _BIG5 else [])
    for enc in order:
        try:
            return raw.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnicodeDecodeError(guess or "unknown", raw[:1], 0, 1, "无法识别的编码")


def csv_delimiter(text: str) -> str:
    """The separator of a CSV text: of :data:`CSV_DELIMITERS`, the one splitting the first
    (up to 30) non-empty lines into the most fields, counted on the line where it gives the
    fewest (a separator must be on every line); ``,`` on a tie or when none splits."""
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()][:30]
    best, score = ",", 0
    for d in CSV_DELIMITERS:
        counts = sorted(ln.count(d) for ln in lines)
        n = counts[len(counts) // 4] if counts else 0   # most lines, not every one (title rows)
        if n > score:
            best, score = d, n
    return best


def encoding_text(grid: Grid) -> str:
    """``编码 UTF-8，逗号分隔`` for a CSV grid ('' for a sheet)."""
    if grid.encoding is None:
        return ""
    sep = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}.get(grid.delimiter, grid.delimiter)
    return f"按 {ENCODING_NAMES.get(grid.encoding, grid.encoding)} 编码、{sep}分隔读取"


def _read_csv(path: Path, rep: IssueCollector) -> Grid:
    rep.sheet = None
    try:
        limits.check_file_size(path, rep)
        raw = path.read_bytes()
    except OSError as exc:
        raise rep.fatal("unreadable_file", f"无法读取文件（{os_reason(exc)}）") from None
    try:
        text, enc = decode_csv(raw)
    except UnicodeDecodeError:
        raise rep.fatal("unreadable_file", "无法识别 CSV 文件的字符编码（支持 UTF-8、UTF-16、GBK、GB18030 和 Big5）。"
                                           "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。") from None
    if not text.strip(" \t\r\n,;\ufeff"):
        raise rep.fatal("empty_file", "文件为空（没有任何内容），请检查是否选错了文件或文件未保存完整。")
    delimiter = csv_delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise rep.fatal("unreadable_file", f"CSV 文件格式错误（{_csv_reason(exc)}），请在 Excel 中打开后另存。") from None
    limits.check_table(len(rows), max((len(r) for r in rows), default=0), rep)
    return Grid(path.name, None, _frame_from_rows(rows), encoding=enc, delimiter=delimiter)


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"有单元格超过 {csv.field_size_limit():,} 个字符"
    if "NUL" in text or "null byte" in text:
        return "含有空字符（NUL），可能不是文本文件"
    return "引号不成对或换行有误"


def os_reason(exc: OSError) -> str:
    """A Chinese reason for a failed read (permission, missing, a folder …)."""
    import errno

    return {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "文件不存在",
            errno.EISDIR: "这是一个文件夹", errno.ELOOP: "符号链接循环", errno.ENAMETOOLONG: "文件名过长",
            errno.EIO: "磁盘读取错误"}.get(exc.errno, "系统无法读取该文件")
