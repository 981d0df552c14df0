"""Validation rules of the school table (DATA.md "Validation"), as polars expressions.

Errors (the import fails, nothing is loaded) and warnings (reported, data loaded) each carry a
stable ``code``: missing_column, missing_value, duplicate_school_id, part_exceeds_whole,
no_pupils, section_not_in_type (errors); school_id_format, books_per_student_high,
area_per_student_high, pupil_teacher_ratio_high, teaching_point_large, optional_column_missing
(warnings). Conversion errors (not_numeric, not_integer, negative, unknown_school_type) live in
:mod:`junheng.io.convert`, breakdown_mismatch in :mod:`junheng.io.school_table`.
"""
from __future__ import annotations

import polars as pl

from junheng.io.report import Reporter
from junheng.schema import FIELD_BY_CODE, SCHOOL_TYPES, SECTION_NAMES

#: Warn when a school has more than this many books per pupil (all sections).
MAX_BOOKS_PER_STUDENT = 100
#: Warn when a school has more than this many ㎡ of teaching and auxiliary rooms per pupil.
MAX_TEACHING_AREA_PER_STUDENT = 30.0
#: Warn when a section has more than this many pupils per full-time teacher.
MAX_PUPIL_TEACHER_RATIO = 40.0
#: Warn when a teaching point (小学教学点, 218) has more than this many pupils.
MAX_TEACHING_POINT_PUPILS = 200
#: Length of a school_id (学校标识码); others get a warning.
SCHOOL_ID_DIGITS = 10

#: Per-section columns required where the school type has that section (special schools excepted).
SECTION_REQUIRED = ("students", "classes", "teachers")
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

SPECIAL_TYPES = tuple(c for c, t in SCHOOL_TYPES.items() if t.category == "special")


def types_with(section: str) -> list[int]:
    """Non-special school type codes that have ``section`` (P/J/S)."""
    return [c for c, t in SCHOOL_TYPES.items() if section in t.sections and t.category != "special"]


def _header(code: str) -> str:
    return FIELD_BY_CODE[code].header if code in FIELD_BY_CODE else code


def _num(v: float | int) -> str:
    """A number for messages: 4913.0 → ``4913``, 12.5 → ``12.5``."""
    return f"{v:g}" if isinstance(v, float) else str(v)


def _students_total() -> pl.Expr:
    return pl.sum_horizontal(pl.col(f"students_{s}").fill_null(0) for s in ("P", "J", "S"))


def check_columns(table: pl.DataFrame, present: set[str], rep: Reporter, header_row: int) -> None:
    """Missing required columns (errors) and missing indicator columns (one warning)."""
    for code in ("school_id", "name", "school_type"):
        if code not in present:
            rep.add("error", "missing_column", f"缺少必需的列“{_header(code)}”。", row=header_row,
                    column=_header(code))
    types = set(table.get_column("school_type").drop_nulls().unique().to_list())
    lacking = []
    for s in ("P", "J"):
        if not types & set(types_with(s)):
            continue
        for stem in SECTION_REQUIRED:
            code = f"{stem}_{s}"
            if code not in present:
                rep.add("error", "missing_column",
                        f"表中有含{SECTION_NAMES[s]}的学校，但缺少必需的列“{_header(code)}”。",
                        row=header_row, column=_header(code))
        lacking += [f"{stem}_{s}" for stem in SECTION_EXPECTED if f"{stem}_{s}" not in present]
    lacking += [c for c in SCHOOL_EXPECTED if c not in present]
    if lacking:
        rep.add("warning", "optional_column_missing",
                "缺少以下指标用列，将按 0 计算：" + "、".join(_header(c) for c in lacking) + "。",
                row=header_row)


def check_required_values(raw: pl.DataFrame, types: pl.Series, present: set[str], rep: Reporter) -> None:
    """Empty required cells (errors). ``raw`` holds the cells as text, ``types`` the type codes."""
    for code in ("school_id", "name", "school_type"):
        if code in present:
            rep.add_rows(raw, pl.col(code).is_null(), level="error", code="missing_value", column=code,
                         message=lambda r, h=_header(code): f"“{h}”不能为空。")
    raw = raw.with_columns(types.alias("__type"))
    for s in ("P", "J"):
        for stem in SECTION_REQUIRED:
            code = f"{stem}_{s}"
            if code in present:
                rep.add_rows(raw, pl.col(code).is_null() & pl.col("__type").is_in(types_with(s)),
                             level="error", code="missing_value", column=code,
                             message=lambda r, h=_header(code), n=SECTION_NAMES[s]:
                             f"该校办学类型含{n}，“{h}”不能为空（没有请填 0）。")


def check_rows(table: pl.DataFrame, rep: Reporter) -> None:
    """Row rules on the typed canonical table (every field column present, nulls allowed)."""
    dup = table.with_columns(
        pl.col("source_row").first().over("school_id").alias("__first"),
        pl.col("school_id").is_duplicated().alias("__dup"),
    )
    rep.add_rows(dup, pl.col("__dup") & (pl.col("source_row") != pl.col("__first")) & pl.col("school_id").is_not_null(),
                 level="error", code="duplicate_school_id", column="school_id", values=("school_id", "__first"),
                 message=lambda r: f"学校标识码 {r['school_id']} 与第 {r['__first']} 行重复。")
    for part, whole, what in PART_WHOLE:
        mask = pl.col(part) > pl.col(whole).fill_null(0)
        if part.startswith("pe_art_"):  # one message per row: a PE, music or art column already says it
            s = part[-1]
            mask = mask & ~pl.any_horizontal(pl.col(f"{k}_teachers_{s}").fill_null(0) > pl.col(whole).fill_null(0)
                                             for k in ("pe", "music", "art"))
        rep.add_rows(table, mask, level="error", code="part_exceeds_whole",
                     column=part, values=(part, whole),
                     message=lambda r, p=part, w=whole, h=_header(part), what=what:
                     f"“{h}”为 {_num(r[p])}，大于{what} {_num(r[w] or 0)}。")
    rep.add_rows(table, _students_total() == 0, level="error", code="no_pupils", column="students_P",
                 values=("name",), message=lambda r: f"学校“{r['name']}”没有在校生（各学段在校生数均为 0 或空）。")
    for s in ("P", "J", "S"):
        allowed = types_with(s) + list(SPECIAL_TYPES)
        rep.add_rows(table, (pl.col(f"students_{s}") > 0) & ~pl.col("school_type").is_in(allowed),
                     level="error", code="section_not_in_type", column=f"students_{s}",
                     values=("school_type", f"students_{s}"),
                     message=lambda r, s=s: f"办学类型 {r['school_type']}（{SCHOOL_TYPES[r['school_type']].name}）"
                                            f"没有{SECTION_NAMES[s]}学段，却有{SECTION_NAMES[s]}在校生 "
                                            f"{r[f'students_{s}']} 人。")


def check_warnings(table: pl.DataFrame, rep: Reporter) -> None:
    """Plausibility warnings: id format, books/area per pupil, pupil-teacher ratio, big teaching points."""
    sid = pl.col("school_id")
    rep.add_rows(table, sid.is_not_null() & ~sid.str.contains(rf"^\d{{{SCHOOL_ID_DIGITS}}}$"),
                 level="warning", code="school_id_format", column="school_id", values=("school_id",),
                 message=lambda r: f"学校标识码“{r['school_id']}”不是 {SCHOOL_ID_DIGITS} 位数字，请核对"
                                   f"（Excel 可能去掉了前导 0：请把该列设为文本）。")
    t = table.with_columns(_students_total().alias("__students"))
    for code, col, limit, what, unit in (
        ("books_per_student_high", "books", MAX_BOOKS_PER_STUDENT, "生均图书", "册"),
        ("area_per_student_high", "teaching_area_m2", MAX_TEACHING_AREA_PER_STUDENT, "生均教学及辅助用房面积", "㎡"),
    ):
        rep.add_rows(t, (pl.col("__students") > 0) & (pl.col(col) / pl.col("__students") > limit),
                     level="warning", code=code, column=col, values=(col, "__students"),
                     message=lambda r, col=col, limit=limit, what=what, unit=unit:
                     f"{what} {r[col] / r['__students']:.1f} {unit}，超过 {limit} {unit}，请核对。")
    for s in ("P", "J"):
        st, te = pl.col(f"students_{s}"), pl.col(f"teachers_{s}").fill_null(0)
        rep.add_rows(table, (st > 0) & ((te == 0) | (st / te > MAX_PUPIL_TEACHER_RATIO)),
                     level="warning", code="pupil_teacher_ratio_high", column=f"teachers_{s}",
                     values=(f"students_{s}", f"teachers_{s}"),
                     message=lambda r, s=s: f"{SECTION_NAMES[s]}生师比 {r[f'students_{s}']}:{r[f'teachers_{s}'] or 0}"
                                            f" 高于 {MAX_PUPIL_TEACHER_RATIO:g}:1，请核对。")
    rep.add_rows(table, (pl.col("school_type") == 218) & (pl.col("students_P") > MAX_TEACHING_POINT_PUPILS),
                 level="warning", code="teaching_point_large", column="students_P", values=("students_P",),
                 message=lambda r: f"小学教学点有 {r['students_P']} 名学生，超过 {MAX_TEACHING_POINT_PUPILS} 人，"
                                   f"请核对办学类型。")
