"""Size guards run before any reader allocates: a hostile or damaged file is refused, never loaded.

A few-KB .xlsx can declare (or hold) a cell at XFD1048576, and the reader would then allocate
the whole rectangle (17 billion cells); a highly compressed workbook can expand to gigabytes.
So before fastexcel / python-calamine open a workbook, the ZIP directory is checked (the
uncompressed size of every part and its compression ratio), and before a sheet is read its XML
is scanned as a stream (never held whole): the declared ``<dimension>``, the largest row
number, the widest column and the number of ``<c>`` cells.

Limits (named settings; the environment variables override them for one run):

- :data:`MAX_CELLS` (``JUNHENG_MAX_CELLS``): cells of one sheet's used rectangle, and cells a
  sheet holds. 50 million is ten times a national school table (300 000 schools × 40 columns
  = 12 million) and still fits in memory.
- :data:`MAX_UNCOMPRESSED_MB` (``JUNHENG_MAX_MB``): megabytes of one part of the package once
  uncompressed (and of a CSV file).
- :data:`MAX_COMPRESSION_RATIO`: a part larger than :data:`RATIO_CHECK_MB` that is more than
  this many times smaller compressed is refused (real sheets compress 5–30 times; a "zip bomb"
  of repeated cells thousands of times).
"""
from __future__ import annotations

import math
import os
import re
import zipfile
from pathlib import Path

from junheng.io.issues import IssueCollector, column_letter

MAX_CELLS = 50_000_000
MAX_UNCOMPRESSED_MB = 2048
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MB = 32
ENV_MAX_CELLS = "JUNHENG_MAX_CELLS"
ENV_MAX_MB = "JUNHENG_MAX_MB"

_CHUNK = 1 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d{1,7})?(?::([A-Z]{1,3})(\d{1,7}))?"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
#: Cell references (``r="BA12"``) beyond column BA or with a row number of 7 digits or more (one
#: pattern starting with a literal, so the search runs at C speed over the whole XML).
_FAR_REF = re.compile(rb'r="((?:[B-Z][A-Z]|[A-Z]{3,})\d+|[A-Z]{1,2}\d{7,})"')
_SPLIT_REF = re.compile(rb"([A-Z]+)(\d+)")
_ANY_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+)\d+"')


def setting(env: str, default: int | float) -> int | float:
    """The value of environment variable ``env`` when it is a positive number of the type of
    ``default`` (``int``: digits, ``_`` allowed as a separator; ``float``: any finite number),
    else ``default``. The one reader of the importer's settings (these limits and the
    plausibility bounds of :mod:`junheng.io.plausibility`)."""
    raw = os.environ.get(env, "").strip().replace("_", "")
    if isinstance(default, int) and not raw.isdigit():
        return default
    try:
        value = type(default)(raw)
    except ValueError:
        return default
    return value if value > 0 and math.isfinite(value) else default


def max_cells() -> int:
    """Largest number of cells of one sheet (:data:`MAX_CELLS` or ``JUNHENG_MAX_CELLS``)."""
    return setting(ENV_MAX_CELLS, MAX_CELLS)


def max_bytes() -> int:
    """Largest uncompressed part / CSV file in bytes (:data:`MAX_UNCOMPRESSED_MB` or ``JUNHENG_MAX_MB``)."""
    return setting(ENV_MAX_MB, MAX_UNCOMPRESSED_MB) << 20


def col_index(letters: bytes | str) -> int:
    """0-based column index of Excel column letters: ``A`` → 0, ``XFD`` → 16383."""
    n = 0
    for ch in letters.encode() if isinstance(letters, str) else letters:
        n = n * 26 + ch - 64
    return n - 1


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.1f} MB"


def _cells_text(n: int) -> str:
    return f"{n / 1e8:.1f} 亿个" if n >= 1e8 else f"{n / 1e4:,.0f} 万个" if n >= 1e4 else f"{n} 个"


_RAISE_HINT = (f"如确需导入这么大的表，可设置环境变量 {ENV_MAX_CELLS}（单元格数）或 {ENV_MAX_MB}（兆字节）"
               "提高上限后再运行。")


def check_file_size(path: Path, rep: IssueCollector) -> None:
    """Refuse a file (CSV, .xls) larger than :func:`max_bytes`."""
    size = path.stat().st_size
    if size > max_bytes():
        raise rep.fatal("file_too_large", f"文件过大（{_mb(size)}），超过上限 {_mb(max_bytes())}。{_RAISE_HINT}")


#: Most columns of a CSV (Excel's own limit, XFD): a line of a million separators is not a table.
MAX_COLUMNS = 16_384


def check_table(rows: int, width: int, rep: IssueCollector) -> None:
    """Refuse parsed CSV rows wider than :data:`MAX_COLUMNS` or with more than :func:`max_cells`
    cells in their rectangle, before the frame is built (InputError, code ``sheet_too_large``)."""
    if width > MAX_COLUMNS:
        raise rep.fatal("sheet_too_large", f"文件有一行分成了 {width:,} 列，超过上限 {MAX_COLUMNS:,} 列（Excel 的最大列数），"
                                           "可能不是学校表或分隔符有误，未读取。")
    if rows * width > max_cells():
        raise rep.fatal("sheet_too_large", f"文件约有 {_cells_text(rows * width)}单元格（{rows:,} 行 × {width:,} 列），"
                                           f"超过上限 {_cells_text(max_cells())}，未读取。{_RAISE_HINT}")


def check_package(path: Path, rep: IssueCollector) -> None:
    """Refuse an .xlsx package with a part too large once uncompressed or suspiciously compressed.

    Reads only the ZIP directory (sizes as declared); a damaged ZIP is left to the reader.
    Raises InputError (via ``rep``, code ``file_too_large``).
    """
    from junheng.io.merges import sheet_parts

    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            limit = max_bytes()
            suspect = [i for i in infos if i.file_size > limit or (
                i.file_size > RATIO_CHECK_MB << 20 and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1))]
            parts = sheet_parts(z) if suspect else {}
    except (OSError, zipfile.BadZipFile):
        return
    for info in suspect:
        size, packed = info.file_size, max(info.compress_size, 1)
        what = _part_name(info.filename, parts)
        if size > limit:
            raise rep.fatal("file_too_large", f"工作簿中的{what}解压后有 {_mb(size)}，"
                                              f"超过上限 {_mb(limit)}。{_RAISE_HINT}")
        if size > MAX_COMPRESSION_RATIO * packed:
            raise rep.fatal("file_too_large",
                            f"工作簿中的{what}压缩后只有 {_mb(packed)}，解压后却有 {_mb(size)}"
                            f"（压缩比 {size // packed} 倍，正常表格为 5–30 倍），疑似异常文件，未读取。"
                            "请在 Excel 中打开、删除多余的行列后另存。")


def _part_name(part: str, sheets: dict[str, str]) -> str:
    """A package part for people: 工作表“学校”的数据, 共享文字表, 其他部件 (n)."""
    if part in sheets:
        return f"工作表“{sheets[part]}”的数据"
    if part.endswith("sharedStrings.xml"):
        return "共享文字表"
    if part.startswith("xl/worksheets/"):
        return "一个工作表的数据"
    return "一个内部部件"


def scan_sheet(z: zipfile.ZipFile, part: str) -> tuple[int, int, int, int]:
    """(declared cells, last row number, widest column index + 1, number of cells) of one sheet
    part, streaming its XML in chunks of 1 MB (the XML is never held whole).

    The declared rectangle is the ``<dimension ref>``; the widest column is that of the first
    megabyte's cells and of any cell beyond column BA further on (a school table rarely has more
    than 52 columns, so these are few), the last row that of the last ``<row>`` of each chunk and
    of any 7-digit cell row: a hostile file cannot hide a far cell in the middle of the sheet
    (rows in the middle below 1 000 000 bound the rectangle by their count). Only C-speed
    searches run over the whole XML (``bytes.count``, regexes with a literal anchor).
    """
    declared = last_row = width = cells = 0
    tail = b""
    with z.open(part) as fh:
        first = True
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            if first:
                m = _DIMENSION.search(data[:4096])
                if m and m.group(3):
                    rows = int(m.group(4)) - int(m.group(2) or 1) + 1
                    cols = col_index(m.group(3)) - col_index(m.group(1) or b"A") + 1
                    declared = max(rows, 1) * max(cols, 1)
                first = False
                for m in _ANY_CELL.finditer(data):
                    width = max(width, col_index(m.group(1)) + 1)
            cells += chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b":c ")   # <x:c r="…"> too
            for m in _FAR_REF.finditer(data):
                ref = _SPLIT_REF.match(m.group(1))
                width = max(width, col_index(ref.group(1)) + 1)
                if len(ref.group(2)) >= 7:
                    last_row = max(last_row, int(ref.group(2)))
            at = max(data.rfind(b"<row "), data.rfind(b":row "))
            start = data.rfind(b"<", 0, at + 1) if at >= 0 else -1    # the "<" of <row or of <x:row
            m = _ROW.match(data, start) if start >= 0 else None
            if m:
                last_row = max(last_row, int(m.group(1)))
            tail = data[-128:]
    return declared, last_row, width, cells


def check_sheet(path: Path, part: str | None, rep: IssueCollector) -> None:
    """Refuse a sheet whose used rectangle or cell count exceeds :func:`max_cells` (InputError
    via ``rep``, code ``sheet_too_large``, naming the sheet ``rep.sheet``); ``part`` is the
    sheet's XML part in the package (None: nothing to check)."""
    if part is None:
        return
    try:
        with zipfile.ZipFile(path) as z:
            declared, last_row, width, cells = scan_sheet(z, part)
    except (OSError, KeyError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
        return  # a damaged package: the reader reports it
    limit = max_cells()
    area = last_row * width
    if cells > limit:
        raise rep.fatal("sheet_too_large", f"工作表有 {_cells_text(cells)}单元格，超过上限 {_cells_text(limit)}，"
                                           f"未读取。{_RAISE_HINT}")
    for n, what in ((declared, "声明的使用范围"), (area, "实际使用范围")):
        if n > limit:
            far = f"（最远到第 {last_row} 行、{column_letter(width - 1)} 列）" if what == "实际使用范围" else ""
            raise rep.fatal("sheet_too_large",
                            f"工作表{what}约有 {_cells_text(n)}单元格{far}，超过上限 {_cells_text(limit)}，未读取。"
                            "可能是在很远的单元格误填了内容或格式：请在 Excel 中删除多余的行列后另存。"
                            f"{_RAISE_HINT}")
