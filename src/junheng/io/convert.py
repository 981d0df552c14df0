"""Turning the text cells of the matched columns into typed canonical columns.

All conversions are polars expressions over whole columns; a failing cell becomes an issue
(``excel_error``, ``not_numeric``, ``not_finite``, ``too_large``, ``not_integer``, ``negative``, ``unknown_school_type``,
``scientific_code_digits_lost``) and a null value (a negative number is kept). The rows of every failing cell are returned as
:data:`BadCells`, so that later checks using that cell stay silent (one error per bad cell).
Only columns where a plain cast fails are cleaned (NFKC: full-width digits, minus and period;
thousands separators).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

from junheng.io.grid import EXCEL_ERROR_TEXTS, NULL_MARKS, stripped
from junheng.io.issues import LINE_CHARS, UNSAFE_CHARS, IssueCollector, char_name

_UNSAFE_RE = re.compile(f"[{UNSAFE_CHARS}]")
from junheng.schema import SCHOOL_TYPES, Field

#: Text columns that hold numeric codes: an Excel number such as 2152000001.0 becomes "2152000001".
CODE_COLUMNS = ("school_id", "parent_id", "county_code", "urban_rural_code")
#: A name of the special-education type (51x) maps here unless the code itself is given.
SPECIAL_SCHOOL_DEFAULT = 519
#: Defaults of optional identity columns (docs/data-dictionary.md).
DEFAULTS = {"ownership": "公办", "authority": "县属"}

#: ASSUMPTION: no count, area (㎡) or amount (元) of one school reaches 10^12; a larger value is
#: a typing or export error (1e308 would make every sum infinite), refused as ``too_large``.
MAX_CELL_VALUE = 1e12

#: Column code → source rows of its cells that failed conversion (only columns with failures).
BadCells = dict[str, frozenset[int]]

_ERRORS = sorted(EXCEL_ERROR_TEXTS)
_DTYPES = {"text": pl.Utf8, "type": pl.Int64, "int": pl.Int64, "float": pl.Float64}


def dtype_of(f: Field) -> pl.DataType:
    """Canonical polars dtype of a field (text → Utf8, type/int → Int64, float → Float64)."""
    return _DTYPES[f.kind]


def _type_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _type_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for t in SCHOOL_TYPES.values():
        code = SPECIAL_SCHOOL_DEFAULT if t.category == "special" else t.code
        for n in (t.name, *t.synonyms):
            names.setdefault(_type_key(n), code)
    return names


#: Chinese names (and synonyms) of the 办学类型 → code.
SCHOOL_TYPE_NAMES: dict[str, int] = _type_names()
_CODE_PREFIX = re.compile(r"^(\d{3})(?:\.0+)?(?:[-_:、.]?(\D.*))?$")


def school_type_code(value: str | None) -> int | None:
    """办学类型 code of a cell: ``211``, ``211.0``, ``211 小学`` or a name such as ``九年一贯制学校``.

    A special-school name gives :data:`SPECIAL_SCHOOL_DEFAULT` (519). Returns None when unknown.
    """
    if value is None:
        return None
    key = _type_key(value)
    m = _CODE_PREFIX.match(key)
    if m:
        code = int(m.group(1))
        return code if code in SCHOOL_TYPES else None
    return SCHOOL_TYPE_NAMES.get(key, SCHOOL_TYPE_NAMES.get(key.removesuffix("学校")))


def _code_text(c: str) -> pl.Expr:
    s = pl.col(c)
    return pl.when(s.str.contains(r"^\d+\.0+$")).then(s.str.replace(r"\.0+$", "")).otherwise(s).alias(c)


#: A code cell in scientific notation (``5.22327E+9``): a CSV saved from Excel with the column as
#: 常规 (General) writes a long number so, keeping only the digits shown.
_SCIENTIFIC = r"^\d+(\.\d+)?[eE]\+?\d+$"
#: Messages of a code written in scientific notation (``{raw}`` as written, ``{digits}`` the whole
#: number it reads as, ``{kept}`` significant digits written, ``{lost}`` what may be lost).
SCIENTIFIC_LOST = ("代码写成了科学计数法“{raw}”，只有 {kept} 位有效数字，{lost}"
                   "（Excel 把该列设为“常规”格式另存 CSV 时会这样）。请在 Excel 中把该列设为“文本”格式、"
                   "填回完整的代码后重新导出。")
SCIENTIFIC_READ = ("代码写成了科学计数法“{raw}”，已按 {digits} 读取（写出的数字完整）。请把该列设为“文本”格式，"
                   "以免以后丢失数字。")
#: A code in scientific notation with more digits than this (``1E+999``) is not written out in messages.
MAX_SCIENTIFIC_DIGITS = 40


@dataclass(frozen=True)
class Scientific:
    """A code cell written in scientific notation: ``digits`` the whole number it reads as (the
    text as written when over :data:`MAX_SCIENTIFIC_DIGITS` digits), ``kept`` the significant
    digits written, ``size`` the digits of the whole number; ``exact``: every digit was written
    and the value is whole (``5.223270001E+9``), so nothing can have been lost."""

    digits: str
    kept: int
    size: int
    exact: bool

    def message(self, raw: str) -> str:
        """The Chinese message of this cell (:data:`SCIENTIFIC_READ` or :data:`SCIENTIFIC_LOST`)."""
        if self.exact:
            return SCIENTIFIC_READ.format(raw=raw, digits=self.digits)
        if self.size > MAX_SCIENTIFIC_DIGITS:
            lost = f"是一个 {self.size:,} 位的数，不是有效的代码"
        elif self.size > self.kept:
            lost = f"读作 {self.digits}，后 {self.size - self.kept} 位数字可能已丢失"
        else:
            lost = "不是整数，不是有效的代码"
        return SCIENTIFIC_LOST.format(raw=raw, digits=self.digits, kept=self.kept, lost=lost)


def scientific_code(raw: str) -> Scientific:
    """What a code written in scientific notation holds: ``5.22327E+9`` → digits ``5223270000``,
    6 digits written of 10, not exact (the exponent's zeros stand for digits not shown)."""
    from decimal import Decimal

    mantissa = re.split(r"[eE]", raw)[0].replace(".", "").lstrip("0")
    value = Decimal(raw)
    size = value.adjusted() + 1 if value >= 1 else 1
    digits = str(int(value)) if size <= MAX_SCIENTIFIC_DIGITS else raw
    return Scientific(digits, len(mantissa), size, size <= len(mantissa) and value == value.to_integral_value())


def _scientific_codes(df: pl.DataFrame, codes: list[str], rep: IssueCollector,
                      bad: dict[str, set[int]]) -> pl.DataFrame:
    """Code cells (:data:`CODE_COLUMNS`) in scientific notation. When the notation may have lost
    digits (``5.22327E+9`` for a 10-digit 学校标识码): error ``scientific_code_digits_lost``, the
    cell nulled and bad (no second message: duplicate, 10-digit check). When every digit was
    written (``5.223270001E+9``): warning ``scientific_code``, the cell read as its whole number."""
    if not codes:
        return df
    screen = df.select([pl.col(c).str.contains(_SCIENTIFIC).any().alias(c) for c in codes]).row(0, named=True)
    for c in [c for c in codes if screen[c]]:
        sci = pl.col(c).str.contains(_SCIENTIFIC).fill_null(False)
        found = {v: scientific_code(v) for v in df.filter(sci).get_column(c).unique().to_list()}
        lost = [v for v, f in found.items() if not f.exact]
        t = df.with_columns(pl.col(c).alias("__raw"))
        for mask, level, code in ((pl.col(c).is_in(lost), "error", "scientific_code_digits_lost"),
                                  (sci & ~pl.col(c).is_in(lost), "warning", "scientific_code")):
            rep.add_rows(t, mask, level=level, code=code, column=c, values=("__raw",),
                         message=lambda r: found[r["__raw"]].message(r["__raw"]))
        bad.setdefault(c, set()).update(df.filter(pl.col(c).is_in(lost)).get_column("source_row").to_list())
        whole = {v: f.digits for v, f in found.items() if f.exact}
        df = df.with_columns(pl.when(pl.col(c).is_in(lost)).then(None)
                             .otherwise(pl.col(c).replace(whole)).alias(c))
    return df
    screen = df.select([pl.col(c).str.contains(_SCIENTIFIC).any().alias(c) for c in codes]).row(0, named=True)
    for c in [c for c in codes if screen[c]]:
        sci = pl.col(c).str.contains(_SCIENTIFIC).fill_null(False)
        found = {v: scientific_code(v) for v in df.filter(sci).get_column(c).unique().to_list()}
        lost = [v for v, (_, kept, n) in found.items() if n > kept]
        t = df.with_columns(pl.col(c).alias("__raw"))
        for mask, level, code, text in ((pl.col(c).is_in(lost), "error", "scientific_code_digits_lost", SCIENTIFIC_LOST),
                                        (sci & ~pl.col(c).is_in(lost), "warning", "scientific_code", SCIENTIFIC_READ)):
            rep.add_rows(t, mask, level=level, code=code, column=c, values=("__raw",),
                         message=lambda r, text=text: text.format(raw=r["__raw"], digits=found[r["__raw"]][0],
                                                                  kept=found[r["__raw"]][1],
                                                                  lost=found[r["__raw"]][2] - found[r["__raw"]][1]))
        bad.setdefault(c, set()).update(df.filter(pl.col(c).is_in(lost)).get_column("source_row").to_list())
        whole = {v: d for v, (d, _, _) in found.items() if v not in lost}
        df = df.with_columns(pl.when(pl.col(c).is_in(lost)).then(None)
                             .otherwise(pl.col(c).replace(whole)).alias(c))
    return df


def clean_number(c: str) -> pl.Expr:
    """Cell text NFKC-normalised (１５６４０ → 15640, －３．５ → -3.5, − → -), without thousands
    separators and blanks (dash marks are dealt with by the caller)."""
    return (pl.col(c).str.normalize("NFKC").str.replace_all("−", "-", literal=True)
            .str.replace_all(",", "", literal=True).str.strip_chars())


def _error_cells(df: pl.DataFrame, codes: list[str], rep: IssueCollector, bad: dict[str, set[int]]) -> pl.DataFrame:
    """Report Excel error values (``#DIV/0!`` …) in the text/type columns ``codes`` and null them."""
    for c in codes:
        mask = pl.col(c).is_in(_ERRORS)
        rep.add_rows(df, mask, level="error", code="excel_error", column=c, values=(c,),
                     message=lambda r, c=c: f"单元格为 Excel 错误值 {r[c]}（公式出错），请改正公式或填入数值。")
        bad.setdefault(c, set()).update(df.filter(mask).get_column("source_row").to_list())
        df = df.with_columns(pl.when(mask).then(None).otherwise(pl.col(c)).alias(c))
    return df


#: Chinese text of each problem of a number cell (``{raw}``: the cell as written), for every importer.
PROBLEM_TEXTS = {
    "excel_error": "单元格为 Excel 错误值 {raw}（公式出错），请改正公式或填入数值",
    "not_numeric": "“{raw}”不是数值",
    "not_finite": "“{raw}”不是有限的数值（无穷大或非数值 NaN），请填入实际数值",
    "too_large": f"数值 {{raw}} 超出合理范围（绝对值不超过 {MAX_CELL_VALUE:,.0f}），请检查是否填错或多了位数",
    "negative": "数值 {raw} 为负数，不能小于 0",
    "not_integer": "数值 {raw} 不是整数（此列为人数/个数）",
}


def shown_number(raw) -> str:
    """A cell's text as a message shows it: a number of more than 20 characters (``1e308`` read
    as its 309 digits, a 20-digit integer stored as a float) in scientific form with 6
    significant digits (``1e+308``), anything else unchanged."""
    text = "" if raw is None else str(raw)
    if len(text) > 20:
        try:
            return f"{float(text.replace(',', '')):.6g}"
        except ValueError:
            return text
    return text


def number_problems(s: pl.Expr, n: pl.Expr, *, cleaned: bool = True) -> list[tuple[str, pl.Expr]]:
    """(problem code, mask) of number cells: ``s`` the cleaned text (:func:`clean_number`), ``n``
    that text cast to Float64 (``strict=False``). cleaned=False: the column cast without cleaning
    (only ``too_large`` can occur). The one definition of a bad number cell, for every importer:

    - empty, blank or a dash mark (:data:`NULL_MARKS`): no value, not a problem (the caller's
      rules on empty cells apply: required → error, otherwise a warning listing the rows);
    - an Excel error text (``#DIV/0!`` …): ``excel_error``; any other text that is not a
      number: ``not_numeric``; ``inf``, ``NaN``, ``Infinity``: ``not_finite``;
    - a number above :data:`MAX_CELL_VALUE` in absolute value: ``too_large``.
    """
    out = []
    if cleaned:
        error = s.is_in(_ERRORS)
        text = s.is_not_null() & (s != "") & ~s.is_in(list(NULL_MARKS)) & ~error
        out += [("excel_error", error), ("not_numeric", text & n.is_null()),
                ("not_finite", text & (n.is_nan() | n.is_infinite()))]
    out.append(("too_large", n.is_finite() & (n.abs() > MAX_CELL_VALUE)))
    return out


def parse_numbers(texts: list[str | None]) -> list[tuple[float | None, str | None]]:
    """(value, problem code) of each text cell, by the rules of :func:`number_problems` (a cell
    with a problem, or empty, has value None). For the importers that convert cell by cell."""
    df = pl.DataFrame({"s": texts}, schema={"s": pl.Utf8}).with_columns(stripped("s")).with_columns(clean_number("s"))
    df = df.with_columns(pl.col("s").cast(pl.Float64, strict=False).alias("n"))
    checks = number_problems(pl.col("s"), pl.col("n"))
    problem = pl.lit(None, pl.Utf8)
    for code, mask in reversed(checks):
        problem = pl.when(mask.fill_null(False)).then(pl.lit(code)).otherwise(problem)
    df = df.with_columns(problem.alias("p"))
    return [(None if p else n, p) for n, p in df.select("n", "p").iter_rows()]


#: Longest text of one cell (a school name is under 50 characters; 学校标识码 has 10 digits).
MAX_TEXT_CHARS = 200


#: Messages of a text cell that is refused (``{char}``: the character's code and name, ``{n}``: length).
UNSAFE_TEXT = "单元格含有不可见的控制字符 {char}（可能是复制粘贴带入的），请删除该字符后重新输入"
LONG_TEXT = "单元格文字过长（{n:,} 个字符，最多 {limit} 个），请检查是否粘贴错了内容"


def text_problem(text: str, *, number: bool = False) -> tuple[str, str] | None:
    """(code, message) when one text cell is refused (``unsafe_text``, ``text_too_long``), else
    None: the cell-by-cell form of the school table's check, for the other importers.

    number: the cell is in a number column; a long text that is a number (1e308 is read as its 309
    digits) is then left to the number checks (``too_large``), not called a long text."""
    m = _UNSAFE_RE.search(text)
    if m:
        return "unsafe_text", UNSAFE_TEXT.format(char=char_name(m.group()))
    if len(text) > MAX_TEXT_CHARS and not (number and _is_number(text)):
        return "text_too_long", LONG_TEXT.format(n=len(text), limit=MAX_TEXT_CHARS)
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _unsafe_text(df: pl.DataFrame, codes: list[str], rep: IssueCollector, bad: dict[str, set[int]]) -> pl.DataFrame:
    """Text cells with a control, line-break, zero-width or bidirectional-override character
    (``unsafe_text``; :data:`UNSAFE_CHARS` and :data:`LINE_CHARS`) or longer than
    :data:`MAX_TEXT_CHARS` (``text_too_long``): errors, the cell nulled. The value itself is not
    echoed (it could rearrange the message on screen)."""
    if not codes:
        return df
    unsafe = f"[{UNSAFE_CHARS}{LINE_CHARS}]"
    screen = df.select([(pl.col(c).str.contains(unsafe) | (pl.col(c).str.len_chars() > MAX_TEXT_CHARS))
                        .any().alias(c) for c in codes]).row(0, named=True)
    for c in [c for c in codes if screen[c]]:
        hit = pl.col(c).str.contains(unsafe).fill_null(False)
        long = pl.col(c).str.len_chars() > MAX_TEXT_CHARS
        t = df.with_columns(pl.col(c).str.extract(f"({unsafe})").alias("__ch"), pl.col(c).str.len_chars().alias("__n"))
        rep.add_rows(t, hit, level="error", code="unsafe_text", column=c, values=("__ch",),
                     message=lambda r: UNSAFE_TEXT.format(char=char_name(r["__ch"])) + "。")
        rep.add_rows(t, long & ~hit, level="error", code="text_too_long", column=c, values=("__n",),
                     message=lambda r: LONG_TEXT.format(n=r["__n"], limit=MAX_TEXT_CHARS) + "。")
        bad.setdefault(c, set()).update(df.filter(hit | long.fill_null(False)).get_column("source_row").to_list())
        df = df.with_columns(pl.when(hit | long.fill_null(False)).then(None).otherwise(pl.col(c)).alias(c))
    return df


def convert_columns(df: pl.DataFrame, fields: list[Field], rep: IssueCollector) -> tuple[pl.DataFrame, BadCells]:
    """Type the columns of ``df`` named by ``fields`` (text cells in, canonical dtypes out).

    ``df`` has text columns named by field code and ``source_row``. Numbers: full-width forms
    normalised, thousands separators and blanks removed, dash marks are null; Excel error values,
    non-numbers, negatives and non-integer counts are reported as errors through ``rep``.
    Returns the converted frame and the rows of the failing cells per column.
    """
    bad: dict[str, set[int]] = {}
    text = [f.code for f in fields if f.kind == "text"]
    nums = [f for f in fields if f.kind in ("int", "float")]
    codes = [c for c in text if c in CODE_COLUMNS]
    texts = text + [f.code for f in fields if f.kind == "type"]
    # one pass over the text columns: any cell like an Excel error (#…), any non-ASCII code
    screen = df.select([pl.col(c).str.starts_with("#").any().alias(f"e{c}") for c in texts]
                       + [pl.col(c).str.contains(r"[^\x00-\x7f]").any().alias(f"w{c}") for c in codes]
                       ).row(0, named=True) if texts else {}
    df = _error_cells(df, [c for c in texts if screen[f"e{c}"]], rep, bad)
    df = _unsafe_text(df, texts, rep, bad)
    wide = {c: screen[f"w{c}"] for c in codes}
    df = df.with_columns([(pl.col(c).str.normalize("NFKC").str.strip_chars() if wide[c] else pl.col(c)).alias(c)
                          for c in codes])
    df = df.with_columns([_code_text(c) for c in codes])
    df = _scientific_codes(df, codes, rep, bad)
    # most columns are clean numbers: cast first, clean (separators, blanks) only columns that need it
    failed = df.select(_cast_fails(tuple(nums))).row(0, named=True) if nums else {}
    plan = _number_plan(tuple(nums), tuple(failed[f.code] for f in nums))
    df = df.with_columns(plan.cleaned).with_columns(plan.cast)
    checks = plan.checks
    counts = df.select(plan.counts).row(0) if checks else ()
    for (code, f, mask), count in zip(checks, counts):
        if count:
            raw = f"__s_{f.code}"
            text = PROBLEM_TEXTS[code]
            rep.add_rows(df, mask, level="error", code=code, column=f.code, values=(raw,),
                         message=lambda r, raw=raw, text=text: text.format(raw=shown_number(r[raw])) + "。")
            bad.setdefault(f.code, set()).update(df.filter(mask.fill_null(False)).get_column("source_row").to_list())
    df = df.with_columns(plan.typed).drop([c for c in df.columns if c.startswith("__")])
    if any(f.code == "school_type" for f in fields):
        df = _convert_type(df, rep, bad)
    return df, {c: frozenset(rows) for c, rows in bad.items()}


@dataclass(frozen=True)
class _NumberPlan:
    """The expressions :func:`convert_columns` applies to the number columns (built once per set of
    columns: expressions are immutable, and building ~100 columns' worth costs more than running
    them on the one row of the web form)."""

    cleaned: tuple[pl.Expr, ...]
    cast: tuple[pl.Expr, ...]
    checks: tuple[tuple[str, Field, pl.Expr], ...]
    counts: tuple[pl.Expr, ...]
    typed: tuple[pl.Expr, ...]


@lru_cache(maxsize=256)
def _cast_fails(nums: tuple[Field, ...]) -> tuple[pl.Expr, ...]:
    """Per number column: does any non-empty cell fail the plain Float64 cast (needs cleaning)?"""
    return tuple((pl.col(f.code).is_not_null() & ~pl.col(f.code).cast(pl.Float64, strict=False).is_finite()
                  .fill_null(False)).any().alias(f.code) for f in nums)


@lru_cache(maxsize=256)
def _number_plan(nums: tuple[Field, ...], cleaned: tuple[bool, ...]) -> _NumberPlan:
    """``cleaned[i]``: column ``nums[i]`` failed the plain cast and is cleaned (:func:`clean_number`)."""
    failed = {f.code: c for f, c in zip(nums, cleaned)}
    checks: list[tuple[str, Field, pl.Expr]] = []
    for f in nums:
        s, n = pl.col(f"__s_{f.code}"), pl.col(f"__n_{f.code}")
        # error values and non-numbers fail the plain cast: only these columns can hold them
        for code, mask in number_problems(s, n, cleaned=failed[f.code]):
            checks.append((code, f, mask))
        checks.append(("negative", f, n.is_finite() & (n < 0) & (n.abs() <= MAX_CELL_VALUE)))
        if f.kind == "int":
            checks.append(("not_integer", f, n.is_finite() & (n >= 0) & (n != n.round(0))))
    fits = [pl.col(f"__n_{f.code}").is_finite() & (pl.col(f"__n_{f.code}").abs() <= MAX_CELL_VALUE) for f in nums]
    typed = [pl.when(fit).then(pl.col(f"__n_{f.code}"))
             .cast(dtype_of(f)).alias(f.code) if f.kind == "float" else
             pl.when(fit & (pl.col(f"__n_{f.code}") == pl.col(f"__n_{f.code}").round(0)))
             .then(pl.col(f"__n_{f.code}")).cast(pl.Int64).alias(f.code)
             for f, fit in zip(nums, fits)]
    return _NumberPlan(
        cleaned=tuple((clean_number(f.code) if failed[f.code] else pl.col(f.code)).alias(f"__s_{f.code}")
                      for f in nums),
        cast=tuple(pl.col(f"__s_{f.code}").cast(pl.Float64, strict=False).alias(f"__n_{f.code}") for f in nums),
        checks=tuple(checks),
        counts=tuple(m.fill_null(False).sum().alias(str(i)) for i, (_, _, m) in enumerate(checks)),
        typed=tuple(typed))


def _convert_type(df: pl.DataFrame, rep: IssueCollector, bad: dict[str, set[int]]) -> pl.DataFrame:
    values = df.get_column("school_type").drop_nulls().unique().to_list()
    mapping = {v: school_type_code(v) for v in values}
    known = {k: v for k, v in mapping.items() if v is not None}
    unknown = [k for k, v in mapping.items() if v is None]
    if unknown:
        rep.add_rows(df.rename({"school_type": "__raw_type"}), pl.col("__raw_type").is_in(unknown),
                     level="error", code="unknown_school_type", column="school_type", values=("__raw_type",),
                     message=lambda r: f"办学类型“{r['__raw_type']}”无法识别（应为 211、218、311、312、341、"
                                       f"342、345、511–519 等代码或其中文名称）。")
        rows = df.filter(pl.col("school_type").is_in(unknown)).get_column("source_row").to_list()
        bad.setdefault("school_type", set()).update(rows)
    return df.with_columns(pl.col("school_type").replace_strict(known, default=None, return_dtype=pl.Int64))
