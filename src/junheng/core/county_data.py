"""The county workbook's data as the core consumes it (no I/O; ``junheng.io.county_workbook`` builds it).

Sources of the rules these data feed: docs/rules.md §1 (basic-2012 county parts), §2 (quality-2017
government guarantee, quality, recognition, one-veto) and §6 (money checks).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

#: Columns of the finance frame (经费 sheet), one row per year. Money in 万元 (``_wan``) or 元
#: (``_yuan``); a column the workbook lacks is absent or all null.
FINANCE_COLUMNS: dict[str, pl.DataType] = {
    "year": pl.Int64,                       # 年度
    "appropriation_wan": pl.Float64,        # 教育财政拨款 / 义务教育财政拨款 (万元)
    "regular_revenue_wan": pl.Float64,      # 财政经常性收入 (万元)
    "budget_edu_wan": pl.Float64,           # 一般公共预算教育支出 (万元)
    "students": pl.Int64,                   # 义务教育在校生数 (人)
    "teacher_pay_yuan": pl.Float64,         # 教师平均工资 (元)
    "civil_servant_pay_yuan": pl.Float64,   # 公务员平均工资 (元)
    "operating_per_pupil_P_yuan": pl.Float64,  # 小学生均公用经费 (元)
    "operating_per_pupil_J_yuan": pl.Float64,  # 初中生均公用经费 (元)
    "boarders": pl.Int64,                   # 寄宿生数 (人)
}

#: Chinese headers of the finance columns (the 经费 sheet), for messages naming a missing column.
FINANCE_HEADERS: dict[str, str] = {
    "year": "年度",
    "appropriation_wan": "教育财政拨款",
    "regular_revenue_wan": "财政经常性收入",
    "budget_edu_wan": "一般公共预算教育支出",
    "students": "义务教育在校生数",
    "teacher_pay_yuan": "教师平均工资",
    "civil_servant_pay_yuan": "公务员平均工资",
    "operating_per_pupil_P_yuan": "小学生均公用经费",
    "operating_per_pupil_J_yuan": "初中生均公用经费",
    "boarders": "寄宿生数",
}

#: Qualitative statuses (定性 sheet): met 达标, not_met 未达标, na 不适用.
STATUSES = ("met", "not_met", "na")


@dataclass(frozen=True, slots=True)
class Answer:
    """One row of the 定性 sheet: status (met | not_met | na), evidence text, optional score
    (得分, for score-sheet items) and the spreadsheet row it came from."""

    status: str
    evidence: str = ""
    score: float | None = None
    row: int | None = None


@dataclass(frozen=True)
class CountyData:
    """Everything the county workbook holds, in canonical form.

    finance: polars frame with :data:`FINANCE_COLUMNS` (those present), sorted by year, years
    consecutive; classes: ``school_id`` (Utf8), ``level`` (primary | junior), ``class_name``
    (Utf8), ``size`` (Int64), ``source_row`` — one row per class, or None when the workbook has no
    班级 sheet; schools: ``school_id``, ``music_rooms``, ``art_rooms`` (Int64), ``operating_funds_yuan``
    (Float64, the school's 公用经费拨款 of the year), ``source_row`` — or None; inputs: 指标 sheet
    values by code (``rules.loader.COUNTY_INPUTS``; rates in percent, counts in persons, money in
    元); answers: 定性 rows by item id; satisfaction: ``group`` (Utf8), ``valid`` (Int64 有效问卷数),
    ``satisfied`` (Float64 满意数, computed from the rate when only a rate is given),
    ``source_row`` — or None; region: east | central | west (地区) or None; county_code/county:
    from the 基本信息 sheet, or None; profile: the county's description from the 基本信息 sheet
    by code (``io.county_fields.PROFILE_ITEMS``: area_km2 in km², townships a count,
    registered_population/resident_population in 万人, gdp/public_budget_revenue in 亿元), only
    the rows filled in.
    """

    finance: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"year": pl.Int64}))
    classes: pl.DataFrame | None = None
    schools: pl.DataFrame | None = None
    inputs: dict[str, float] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    satisfaction: pl.DataFrame | None = None
    region: str | None = None
    county_code: str | None = None
    county: str | None = None
    source: str | None = None
    profile: dict[str, float] = field(default_factory=dict)
