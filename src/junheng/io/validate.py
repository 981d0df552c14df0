"""Validation rules of the school table (docs/data-dictionary.md "Validation"), as polars expressions.

Errors (the import fails, nothing is loaded) and warnings (reported, data loaded) each carry a
stable ``code``: missing_column, missing_value, duplicate_school_id, part_exceeds_whole,
no_pupils, section_not_in_type, unknown_urban_rural_code (errors); school_id_format,
optional_column_missing, blank_cells, county_code_filled (warnings). Conversion errors
(excel_error, not_numeric, not_integer, negative, unknown_school_type, scientific_code_digits_lost)
live in :mod:`junheng.io.convert`, breakdown_mismatch in :mod:`junheng.io.school_table`, the
plausibility warnings (per pupil, per class, per teacher; settable bounds) in
:mod:`junheng.io.plausibility`.

One clear error per bad cell: a rule that uses a cell which already failed conversion (``bad``,
see :data:`junheng.io.convert.BadCells`) or a required column that is missing stays silent.
"""
from __future__ import annotations

import polars as pl

from junheng.io.breakdowns import BREAKDOWN_FIELDS
from junheng.io.convert import BadCells
from junheng.io.issues import HEADERS, IssueCollector
from junheng.schema import (FIELD_BY_CODE, LOCATION_COLUMNS, PROVISION_COLUMNS, SCHOOL_TYPES, SECTION_NAMES,
                            URBAN_RURAL_CODES)

#: In a file with several counties, warn about a county code with fewer schools than this (a
#: mistyped code makes a one-school "county" whose CVs are all 0 and which passes).
MIN_COUNTY_SCHOOLS = 3

#: Length of a school_id (学校标识码); others get a warning.
SCHOOL_ID_DIGITS = 10

#: Per-section columns required where the school type has that section (special schools excepted).
#: 班数 (classes) is not among them: neither rule pack's indicators use it; only the county checks
#: of 班额 and of music/art rooms do, and they say so when the school table has no 班数.
SECTION_REQUIRED = ("students", "teachers")
#: Per-section columns the indicators use: a warning when the file lacks them.
SECTION_EXPECTED = ("qualified_teachers", "senior_title_teachers", "backbone_teachers", "pe_art_teachers")
#: Whole-school columns the indicators use: a warning when the file lacks them.
SCHOOL_EXPECTED = ("teaching_area_m2", "sports_ground_m2", "equipment_value_yuan", "teaching_computers",
                   "books", "multimedia_rooms")
#: (part, whole, what) pairs: the part may not exceed the whole.
PART_WHOLE = tuple(
    (f"{p}_{s}", f"teachers_{s}", f"{SECTION_NAMES[s]}专任教师数")
    for s in ("P", "J")
    for p in ("qualified_teachers", "senior_title_teachers", "backbone_teachers", "pe_art_teachers",
              "pe_teachers", "music_teachers", "art_teachers")
) + (("indoor_sports_m2", "teaching_area_m2", "教学及辅助用房面积"),)

_BREAKDOWN = {f.code: f for f in BREAKDOWN_FIELDS}
SPECIAL_TYPES = tuple(c for c, t in SCHOOL_TYPES.items() if t.category == "special")


def types_with(section: str) -> list[int]:
    """Non-special school type codes that have ``section`` (P/J/S)."""
    return [c for c, t in SCHOOL_TYPES.items() if section in t.sections and t.category != "special"]


#: At most this many row numbers are listed in a warning about a whole column.
MAX_LISTED_ROWS = 10


def _header(code: str) -> str:
    return HEADERS.get(code, code)


def clean(bad: BadCells, *codes: str) -> pl.Expr:
    """True on rows where none of the cells ``codes`` failed conversion."""
    rows = set().union(*(bad.get(c, ()) for c in codes))
    return ~pl.col("source_row").is_in(sorted(rows)) if rows else pl.lit(True)


def rows_text(rows: list[int]) -> str:
    """``第 10、14、22 行``; after :data:`MAX_LISTED_ROWS` rows, ``…等``."""
    shown = "、".join(map(str, rows[:MAX_LISTED_ROWS]))
    return f"第 {shown} 行" + ("等" if len(rows) > MAX_LISTED_ROWS else "")


def _num(v: float | int) -> str:
    """A number for messages: 4913.0 → ``4913``, 12.5 → ``12.5``."""
    return f"{v:g}" if isinstance(v, float) else str(v)


def students_total() -> pl.Expr:
    """A school's pupils of all sections (小学 + 初中 + 高中, blanks as 0), as an expression."""
    return pl.sum_horizontal(pl.col(f"students_{s}").fill_null(0) for s in ("P", "J", "S"))


def check_columns(table: pl.DataFrame, present: set[str], rep: IssueCollector, header_row: int,
                  unknown: str = "") -> set[str]:
    """Missing required columns (errors) and missing indicator columns (one warning).

    unknown: the unrecognised headers of the file as text (``小学再校生数(人)(K列)``), added to
    each missing-column error as a hint. Returns the codes of the missing required columns (the
    row checks that need them are skipped). The errors are always listed (never capped).
    """
    hint = f"文件中无法识别的列：{unknown}，是否拼写有误？" if unknown else ""
    missing = set()
    for code in ("school_id", "name", "school_type"):
        if code not in present:
            missing.add(code)
            rep.add("error", "missing_column", f"缺少必需的列“{_header(code)}”。{hint}", row=header_row,
                    column=_header(code), always=True)
    types = set(table.get_column("school_type").drop_nulls().unique().to_list())
    lacking = []
    for s in ("P", "J"):
        if not types & set(types_with(s)):
            continue
        for stem in SECTION_REQUIRED:
            code = f"{stem}_{s}"
            if code not in present:
                missing.add(code)
                rep.add("error", "missing_column",
                        f"表中有含{SECTION_NAMES[s]}的学校，但缺少必需的列“{_header(code)}”。{hint}",
                        row=header_row, column=_header(code), always=True)
        lacking += [f"{stem}_{s}" for stem in SECTION_EXPECTED if f"{stem}_{s}" not in present]
    lacking += [c for c in SCHOOL_EXPECTED if c not in present]
    if lacking:
        rep.add("warning", "optional_column_missing",
                "缺少以下指标用列，将按 0 计算：" + "、".join(_header(c) for c in lacking) + "。",
                row=header_row)
    return missing


def _has_section(s: str) -> pl.Expr:
    """Rows whose (non-special) school type has section ``s``."""
    return pl.col("school_type").is_in(types_with(s))


def check_required_values(raw: pl.DataFrame, table: pl.DataFrame, present: set[str], bad: BadCells,
                          rep: IssueCollector) -> None:
    """Empty required cells (errors).

    ``raw`` holds the cells as text (identity columns), ``table`` the typed values: a per-section
    count that is blank or a dash mark (``-`` ``—`` ``/``) where the school type has that
    section is an error; a cell that already failed conversion is not reported again.
    """
    rep.add_rows_many(raw, [(pl.col(code).is_null(), dict(level="error", code="missing_value", column=code,
                                                           message=lambda r, h=_header(code): f"“{h}”不能为空。"))
                            for code in ("school_id", "name", "school_type") if code in present])
    calls = []
    for s in ("P", "J"):
        for stem in SECTION_REQUIRED:
            code = f"{stem}_{s}"
            if code in present:
                calls.append((pl.col(code).is_null() & _has_section(s) & clean(bad, code),
                              dict(level="error", code="missing_value", column=code,
                                   message=lambda r, h=_header(code), n=SECTION_NAMES[s]:
                                   f"该校办学类型含{n}，“{h}”不能为空（没有请填 0）。")))
    rep.add_rows_many(table, calls)


def fill_county(table: pl.DataFrame, present: set[str], bad: BadCells, rep: IssueCollector) -> pl.DataFrame:
    """Blank 县(区)代码 on some rows: filled from the 县(区) name when it matches one code used
    elsewhere in the file (one warning listing the rows), else an error ``missing_value``.
    A blank 县(区) name is filled from the code when that code has one name (silently)."""
    if "county_code" not in present:
        return table
    code, name = pl.col("county_code"), pl.col("county")
    if not table.select(code.is_null().any() | name.is_null().any()).item():
        return table
    known = table.filter(code.is_not_null() & name.is_not_null()).select("county", "county_code").unique()
    if "county" in present and known.height:
        names = known.group_by("county_code").agg(pl.col("county").first(), pl.len().alias("n")).filter(pl.col("n") == 1)
        table = table.with_columns(pl.coalesce(name, code.replace_strict(
            dict(zip(names["county_code"], names["county"])), default=None, return_dtype=pl.Utf8)).alias("county"))
    blank = code.is_null() & clean(bad, "county_code")
    if not table.select(blank.any() & code.is_not_null().any()).item():
        return table
    codes = known.group_by("county").agg(pl.col("county_code").unique().sort())
    by_name = {n: c for n, c in zip(codes["county"], codes["county_code"].to_list())}
    one = {n: c[0] for n, c in by_name.items() if len(c) == 1}
    t = table.with_columns(name.replace_strict(one, default=None, return_dtype=pl.Utf8).alias("__code"))
    filled = t.filter(blank & pl.col("__code").is_not_null())
    if filled.height:
        pairs = "、".join(f"{n} → {c}" for n, c in filled.select("county", "__code").unique(maintain_order=True).iter_rows())
        rep.add("warning", "county_code_filled",
                f"{rows_text(filled['source_row'].to_list())}的“{_header('county_code')}”为空，"
                f"已按县(区)名称填入（{pairs}）。", column="county_code")
    rep.add_rows(t, blank & pl.col("__code").is_null(), level="error", code="missing_value", column="county_code",
                 values=("county",), message=lambda r: _county_reason(r["county"], by_name))
    return t.with_columns(pl.coalesce(code, pl.col("__code")).alias("county_code")).drop("__code")


def _county_reason(county: str | None, by_name: dict[str, list[str]]) -> str:
    h = _header("county_code")
    if county is None:
        return f"“{h}”为空（表中其他学校都填写了），请填写 6 位县(区)代码。"
    if county in by_name:
        return f"“{h}”为空；县(区)“{county}”在表中对应多个代码（{'、'.join(by_name[county])}），无法自动填写。"
    return f"“{h}”为空，且表中没有其他县(区)为“{county}”的学校可供参照，请填写 6 位县(区)代码。"


def check_blanks(table: pl.DataFrame, file_columns: list[str], bad: BadCells, rep: IssueCollector) -> pl.DataFrame:
    """Blank cells of the numeric columns the file has, other than required per-section counts
    (:func:`check_required_values`): one warning per column listing the rows, read as 0.

    A per-section column counts only on rows whose school type has that section (a primary
    school leaves the junior columns blank); special schools are not warned. The optional
    columns of the special provisions (schema.PROVISION_COLUMNS) are blank where a school has
    nothing to report: no warning; nor are the position columns (schema.LOCATION_COLUMNS: blank
    is "not known", kept null).
    """
    cols = []
    has = {s: pl.col(f"__has_{s}") for s in ("P", "J", "S")}
    table = table.with_columns(_has_section(s).alias(f"__has_{s}") for s in has)
    for code in file_columns:
        f = FIELD_BY_CODE.get(code) or _BREAKDOWN.get(code)
        if f is None or f.kind not in ("int", "float") or code in PROVISION_COLUMNS or code in LOCATION_COLUMNS:
            continue
        if f.section in ("P", "J") and code.rsplit("_", 1)[0] in SECTION_REQUIRED:
            continue
        cols.append((code, pl.col(code).is_null() & clean(bad, code) &
                     (has[f.section] if f.section else pl.lit(True))))
    counts = table.select([m.sum().alias(c) for c, m in cols]).row(0, named=True) if cols else {}
    fills = []
    for code, mask in cols:
        n = counts[code]
        if not n:
            continue
        rows = table.filter(mask).head(MAX_LISTED_ROWS + 1).get_column("source_row").to_list()
        rep.add("warning", "blank_cells", f"列“{rep.label(code)}”有 {n} 个空白单元格（{rows_text(rows)}），按 0 计算。",
                column=code)
        fills.append(pl.when(mask).then(0).otherwise(pl.col(code)).cast(table.schema[code]).alias(code))
    return table.with_columns(fills).drop(f"__has_{s}" for s in has)


def check_rows(table: pl.DataFrame, rep: IssueCollector, bad: BadCells | None = None,
               missing: set[str] = frozenset()) -> None:
    """Row rules on the typed canonical table (every field column present, nulls allowed): the
    errors of the module docstring (a 城乡分类代码 outside schema.URBAN_RURAL_CODES included).

    bad: cells that failed conversion (rules using them are skipped on that row); missing: required
    columns absent from the file (rules needing them are skipped).
    """
    bad = bad or {}
    dup = table.with_columns(
        pl.col("source_row").first().over("school_id").alias("__first"),
        pl.col("school_id").is_duplicated().alias("__dup"),
    )
    rep.add_rows(dup, pl.col("__dup") & (pl.col("source_row") != pl.col("__first")) & pl.col("school_id").is_not_null(),
                 level="error", code="duplicate_school_id", column="school_id", values=("school_id", "__first"),
                 message=lambda r: f"学校标识码 {r['school_id']} 与第 {r['__first']} 行重复。")
    calls: list[tuple[pl.Expr, dict]] = []
    for part, whole, what in PART_WHOLE:
        if part in missing or whole in missing:
            continue
        mask = (pl.col(part) > pl.col(whole).fill_null(0)) & clean(bad, part, whole)
        if part.startswith("pe_art_"):  # one message per row: a PE, music or art column already says it
            s = part[-1]
            mask = mask & ~pl.any_horizontal(pl.col(f"{k}_teachers_{s}").fill_null(0) > pl.col(whole).fill_null(0)
                                             for k in ("pe", "music", "art"))
        calls.append((mask, dict(level="error", code="part_exceeds_whole",
                     column=part, values=(part, whole),
                     message=lambda r, p=part, w=whole, h=_header(part), what=what:
                     f"“{h}”为 {_num(r[p])}，大于{what} {_num(r[w] or 0)}。")))
    students = [f"students_{s}" for s in ("P", "J", "S")]
    if not missing & set(students):
        calls.append(((students_total() == 0) & clean(bad, *students), dict(level="error", code="no_pupils",
                     column="students_P", values=("name",),
                     message=lambda r: f"学校“{r['name']}”没有在校生（各学段在校生数均为 0 或空）。")))
    for s in ("P", "J", "S"):
        allowed = types_with(s) + list(SPECIAL_TYPES)
        calls.append(((pl.col(f"students_{s}") > 0) & ~pl.col("school_type").is_in(allowed)
                      & clean(bad, f"students_{s}"), dict(level="error", code="section_not_in_type", column=f"students_{s}",
                     values=("school_type", f"students_{s}"),
                     message=lambda r, s=s: f"办学类型 {r['school_type']}（{SCHOOL_TYPES[r['school_type']].name}）"
                                            f"没有{SECTION_NAMES[s]}学段，却有{SECTION_NAMES[s]}在校生 "
                                            f"{r[f'students_{s}']} 人。")))
    code = pl.col("urban_rural_code")
    calls.append((code.is_not_null() & ~code.is_in(list(URBAN_RURAL_CODES)),
                  dict(level="error", code="unknown_urban_rural_code", column="urban_rural_code",
                       values=("urban_rural_code",),
                       message=lambda r: f"城乡分类代码“{r['urban_rural_code']}”不在统计用区划和城乡划分代码之中，"
                                         f"应为 {URBAN_RURAL_TEXT} 之一。")))
    rep.add_rows_many(table, calls)


#: The 城乡分类代码 for messages: ``111（主城区）、112（城乡结合区）、…``.
URBAN_RURAL_TEXT = "、".join(f"{c}（{n}）" for c, n in URBAN_RURAL_CODES.items())


def check_county_codes(table: pl.DataFrame, rep: IssueCollector) -> None:
    """Warnings for county codes that look mistyped: one 县(区) name under several codes, and, in a
    file with several counties, a code with fewer than :data:`MIN_COUNTY_SCHOOLS` schools (each
    code is assessed as a county of its own). Rows are named."""
    if "county_code" not in table.columns or table["county_code"].drop_nulls().n_unique() < 2:
        return
    code = pl.col("county_code")
    sizes = table.filter(code.is_not_null()).group_by("county_code").agg(
        pl.len().alias("n"), pl.col("source_row").sort().alias("rows"))
    largest = int(sizes["n"].max())
    h = _header("county_code")
    for c, n, rows in sizes.filter(pl.col("n") < min(MIN_COUNTY_SCHOOLS, largest)).sort("county_code").iter_rows():
        rep.add("warning", "county_code_small",
                f"{rows_text(rows)}的“{h}”为 {c}，该代码只有 {n} 所学校（本文件最大的县区有 {largest} 所）；"
                f"每个代码单独评估为一个县区，如是填写错误请改正。", column="county_code")
    if "county" in table.columns:
        named = table.filter(code.is_not_null() & pl.col("county").is_not_null())
        multi = named.group_by("county").agg(pl.col("county_code").unique().sort().alias("codes")).filter(
            pl.col("codes").list.len() > 1).sort("county")
        for name, codes in multi.iter_rows():
            counts = "、".join(f"{c}（{sizes.filter(code == c)['n'].item()} 所）" for c in codes)
            rep.add("warning", "county_name_codes", f"县(区)“{name}”在表中对应多个“{h}”：{counts}，请核对。",
                    column="county_code")


def check_warnings(table: pl.DataFrame, rep: IssueCollector) -> None:
    """Warning ``school_id_format``: a 学校标识码 that is not :data:`SCHOOL_ID_DIGITS` digits (rows
    named). The plausibility warnings (per pupil, per class, per teacher) are
    :func:`junheng.io.plausibility.check_plausibility`."""
    sid = pl.col("school_id")
    rep.add_rows(table, sid.is_not_null() & ~sid.str.contains(rf"^\d{{{SCHOOL_ID_DIGITS}}}$"),
                 level="warning", code="school_id_format", column="school_id", values=("school_id",),
                 message=lambda r: f"学校标识码“{r['school_id']}”不是 {SCHOOL_ID_DIGITS} 位数字，请核对"
                                   f"（Excel 可能去掉了前导 0：请把该列设为文本）。")
