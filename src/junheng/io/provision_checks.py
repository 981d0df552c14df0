"""Checks of the optional columns of the special provisions (docs/rules.md §2, schema.PROVISION_COLUMNS).

Whole and non-negative counts and non-negative areas are checked by the conversion of every
numeric field (:mod:`junheng.io.convert`: ``not_integer``, ``negative``). Here:

* ``invalid_value`` (error): a 是否中心城区学校 cell that is not 是 / 否 (or Y/N, 1/0, √/×);
* ``extra_area_not_central_urban`` (warning): 校外租赁及改造专用运动场地面积 given for a school not
  flagged 中心城区; the core does not count it then;
* ``visiting_teachers_high`` (warning): more visiting PE/art teachers than the section's own
  full-time teachers (:data:`MAX_VISITING_PER_TEACHER` × 专任教师数);
* ``visiting_section_missing`` (warning): visiting teachers in a section the school type lacks.

Whether a school qualifies (pupil band, rurality) depends on the rule pack: the assessment's
trace says it, not the importer.
"""
from __future__ import annotations

import polars as pl

from junheng.io.convert import BadCells
from junheng.io.issues import IssueCollector
from junheng.io.validate import clean, types_with
from junheng.schema import CENTRAL_URBAN_VALUES, FIELD_BY_CODE, SECTION_NAMES

#: Warn when a section reports more visiting PE/art teachers than this many per full-time teacher.
MAX_VISITING_PER_TEACHER = 1.0


def _h(code: str) -> str:
    return FIELD_BY_CODE[code].header


def check_provision_columns(table: pl.DataFrame, present: set[str], bad: BadCells, rep: IssueCollector) -> pl.DataFrame:
    """Normalise 是否中心城区学校 to 是 / 否 and report the issues listed in the module docstring.

    table: typed canonical table (every field column present). Returns the table with
    ``central_urban`` normalised (unknown spellings are reported and set to null).
    """
    if "central_urban" in present:
        raw = pl.col("central_urban").str.strip_chars()
        norm = raw.replace_strict(CENTRAL_URBAN_VALUES, default=None, return_dtype=pl.Utf8)
        rep.add_rows(table, raw.is_not_null() & (raw != "") & norm.is_null(), level="error", code="invalid_value",
                     column="central_urban", values=("central_urban",),
                     message=lambda r: f"“{_h('central_urban')}”应填“是”或“否”，不能为“{r['central_urban']}”。")
        table = table.with_columns(norm.alias("central_urban"))
    if "extra_sports_m2" in present:
        rep.add_rows(table, (pl.col("extra_sports_m2") > 0) & (pl.col("central_urban").fill_null("") != "是"),
                     level="warning", code="extra_area_not_central_urban", column="extra_sports_m2",
                     values=("extra_sports_m2",),
                     message=lambda r: f"填写了“{_h('extra_sports_m2')}” {r['extra_sports_m2']:g} ㎡，但该校未标为"
                                       f"中心城区学校（“{_h('central_urban')}”不是“是”），此面积不计入生均体育运动场馆面积。")
    for s in ("P", "J"):
        code, teachers = f"visiting_pe_art_teachers_{s}", f"teachers_{s}"
        if code not in present:
            continue
        has = pl.col("school_type").is_in(types_with(s)) | (pl.col("school_type") // 10 == 51)
        rep.add_rows(table, (pl.col(code) > 0) & ~has, level="warning", code="visiting_section_missing",
                     column=code, values=(code,),
                     message=lambda r, c=code, n=SECTION_NAMES[s]: f"该校办学类型没有{n}学段，"
                                                                  f"“{_h(c)}” {r[c]} 人不计入。")
        high = (pl.col(code) > MAX_VISITING_PER_TEACHER * pl.col(teachers).fill_null(0)) & has & clean(bad, code, teachers)
        rep.add_rows(table, high, level="warning", code="visiting_teachers_high", column=code, values=(code, teachers),
                     message=lambda r, c=code, t=teachers, n=SECTION_NAMES[s]:
                     f"“{_h(c)}” {r[c]} 人，多于本校{n}专任教师数 {r[t] or 0} 人，请核对。")
    return table
