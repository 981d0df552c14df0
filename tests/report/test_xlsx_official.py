"""The official workbook: every number equals the Assessment's value, as a real number cell."""
from __future__ import annotations

import re

import openpyxl
import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from junheng.core.trace import weakest_units
from junheng.plan.text import ITEM_NAMES
from junheng.report.narrative.numbers import fmt_verdict, round_half_up
from junheng.report.narrative.numbers import cn_brackets
from junheng.report.narrative.shortfalls import county_fill
from junheng.schema import LEVEL_NAMES
from junheng.report.narrative.findings import worded_excluded

GREY = "FFBFBFBF"  # a shortfall: bold on grey (prints in black); what meets is plain
SIGN = "填报单位（盖章）：均衡示例县教育局"


def same(cell_value, x: float) -> bool:
    """A number cell equals an Assessment value: xlsxwriter stores 16 significant digits (Excel
    keeps 15–17), so equal to 1e-15 relative, and identical once rounded for display (3 places)."""
    return (isinstance(cell_value, (int, float)) and not isinstance(cell_value, bool)
            and abs(cell_value - x) <= 1e-15 * max(1.0, abs(x))
            and round_half_up(cell_value, 3) == round_half_up(x, 3))


@pytest.fixture(scope="module")
def wb(report_files):
    return openpyxl.load_workbook(report_files["xlsx"])


def _rows(ws):
    return list(ws.iter_rows())


def test_sheets(wb, assessment):
    levels = [LEVEL_NAMES[lv] for lv in assessment.counties[0].levels]
    extra = ["特殊规定"] if assessment.rules.provisions.visiting_pe_art_teachers else []  # quality-2017: 走教 data
    assert wb.sheetnames == ["校际差异系数表", "计算过程", *(f"一校一表（{lv}）" for lv in levels), "未参评学校", "薄弱学校",
                             "补足资源测算", *extra]


def test_every_sheet_has_the_sign_line(wb):
    for ws in wb.worksheets:
        line = next(c.value for row in ws.iter_rows(max_row=4) for c in row if str(c.value).startswith("填报单位"))
        assert line.startswith(SIGN), ws.title
        assert "填表人：＿" in line and "审核人：＿" in line and "日期：＿＿＿＿年＿＿月＿＿日" in line


def test_provisions_sheet_has_basis_line(wb, assessment):
    """特殊规定 (quality-2017 sample: 走教 data) names the 办法 and the year under its title, as 校际差异系数表."""
    if not assessment.rules.provisions.visiting_pe_art_teachers:  # basic-2012: no sheet (test_sheets)
        assert "特殊规定" not in wb.sheetnames
        return
    ws = wb["特殊规定"]
    assert ws["A2"].value == wb["校际差异系数表"]["A2"].value
    assert ws["A2"].value.startswith(f"依据：{assessment.rules.document}") and f"统计年度：{assessment.year}年" in ws["A2"].value


def test_cv_table_equals_assessment(wb, assessment):
    c = assessment.counties[0]
    ws = wb["校际差异系数表"]
    assert ws["A1"].value == f"{c.county}义务教育学校校际差异系数表"
    assert ws["A3"].value.startswith(SIGN)
    quality = assessment.rules.dispersion.test == "each"
    per = 5 if quality else 3
    # header rows 4-5: level names with units count, then 全县平均值 / 标准差 / 差异系数
    for k, (level, lv) in enumerate(c.levels.items()):
        assert ws.cell(4, 3 + per * k).value == f"{LEVEL_NAMES[level]}（{lv.units}个单位，在校生{lv.students}人）"
        assert [ws.cell(5, 3 + per * k + j).value for j in range(3)] == ["全县平均值", "标准差", "差异系数"]
    for n, ind in enumerate(assessment.rules.indicators):
        r = 6 + n
        assert ws.cell(r, 2).value == f"{cn_brackets(ind.name)}（{ind.unit}）"
        assert "(" not in ws.cell(r, 2).value  # full-width brackets in Chinese names
        for k, (level, lv) in enumerate(c.levels.items()):
            s = lv.indicators[ind.code]
            mean, sd, cv = (ws.cell(r, 3 + per * k + j) for j in range(3))
            assert same(mean.value, s.mean) and same(sd.value, s.sd) and same(cv.value, s.cv)
            # money per pupil in 元 with 2 decimals (生均教学仪器设备值), the rest as the Ministry: 3
            assert mean.number_format == sd.number_format == ("0.00" if ind.unit == "元" else "0.000")
            assert cv.number_format == "0.000"
            if quality:
                limit = ws.cell(r, 6 + per * k)
                assert limit.value == s.threshold == {"primary": 0.5, "junior": 0.45}[level]
                assert limit.number_format == "0.00"  # 0.50 and 0.45 printed alike
                assert ws.cell(r, 7 + per * k).value == fmt_verdict(s.passed)
    r = 6 + len(assessment.rules.indicators)
    if quality:  # the 2017 method tests each CV: no average of the CVs, the 学段结论 follows
        assert ws.cell(r, 2).value.startswith("学段结论")
        assert not any("差异系数平均值" in str(x.value or "") for row in ws.iter_rows() for x in row)
        return
    for k, (level, lv) in enumerate(c.levels.items()):
        assert same(ws.cell(r, 5 + per * k).value, lv.composite_cv)
        assert ws.cell(r, 5 + per * k).number_format == "0.000"
        limit = ws.cell(r + 1, 5 + per * k)
        assert limit.value == lv.composite_threshold == {"primary": 0.65, "junior": 0.55}[level]
        assert limit.number_format == "0.00"
    assert ws.cell(r, 2).value == "综合差异系数"


def test_unit_sheets_equal_units_and_colours(wb, assessment):
    c = assessment.counties[0]
    rule = assessment.rules.unit_rule
    inds = assessment.rules.indicators
    for level, lv in c.levels.items():
        ws = wb[f"一校一表（{LEVEL_NAMES[level]}）"]
        u = assessment.units_of(c.county_key).filter(pl.col("level") == level)
        for k, ind in enumerate(inds):  # broken before the unit, which stays whole on its own line
            head = ws.cell(4, 7 + k).value
            assert head.replace("\n", "") == f"{cn_brackets(ind.name)}（{ind.unit}）"
            assert head.split("\n")[-1] == f"（{ind.unit}）"
        top = 5
        if rule is not None:
            assert ws.cell(5, 1).value == "单校标准（≥）"
            assert [ws.cell(5, 7 + k).value for k in range(len(inds))] == [i.threshold.get(level) for i in inds]
            top = 6
        for n, row in enumerate(u.iter_rows(named=True)):
            r = top + n
            assert ws.cell(r, 2).value == row["school_id"]
            assert ws.cell(r, 3).value == row["name"]
            assert ws.cell(r, 5).value == row["students"]
            assert same(ws.cell(r, 6).value, row["share"])
            for k, ind in enumerate(inds):
                cell = ws.cell(r, 7 + k)
                assert same(cell.value, row[ind.code])
                assert cell.number_format == ("0.00" if ind.unit == "元" else "0.000")
                ok = row[f"meets_{ind.code}"] if rule is not None else row[ind.code] >= lv.indicators[ind.code].mean
                assert (cell.fill.fgColor.rgb == GREY) is (not ok) and bool(cell.font.b) is (not ok)
                assert cell.font.color is None or cell.font.color.type == "theme"  # default text colour: no red / green
            if rule is not None:
                assert ws.cell(r, 7 + len(inds)).value == row["met_count"]
                assert ws.cell(r, 8 + len(inds)).value == fmt_verdict(row["passed"])
        # the published county tables: 全县平均值, 标准差 and 差异系数 under the units
        end = top + u.height
        assert [ws.cell(end + j, 1).value for j in range(3)] == ["全县平均值", "标准差", "差异系数"]
        for k, ind in enumerate(inds):
            st = lv.indicators[ind.code]
            assert [same(ws.cell(end + j, 7 + k).value, x) for j, x in enumerate((st.mean, st.sd, st.cv))] == [True] * 3
        assert ws.cell(end + 3, 1).value is None


def test_excluded_sheet(wb, assessment):
    ex = worded_excluded(assessment.excluded_of(assessment.counties[0].county_key), assessment.rules)
    ws = wb["未参评学校"]
    got = [(ws.cell(r, 2).value, ws.cell(r, 5).value) for r in range(4, 4 + ex.height)]
    assert got == list(zip(ex["school_id"], ex["reason"]))
    assert ws.cell(4 + ex.height, 2).value is None


def test_weak_sheet_contributions(wb, assessment):
    c = assessment.counties[0]
    inds = assessment.rules.indicators
    ws = wb["薄弱学校"]
    head = [x.value for x in ws[3]]
    first = head.index(f"占“{inds[0].label}”方差比例")
    r = 4
    for level in c.levels:
        weak = weakest_units(assessment, c.county_key, level, n=10_000)
        units = assessment.units_of(c.county_key).filter(pl.col("level") == level)
        for w in weak.iter_rows(named=True):
            assert ws.cell(r, 3).value == w["school_id"]
            u = units.filter(pl.col("school_id") == w["school_id"]).row(0, named=True)
            for k, ind in enumerate(inds):
                cell = ws.cell(r, first + 1 + k)
                assert same(cell.value, u[f"contrib_{ind.code}"]) and cell.number_format == "0.0%"
            r += 1
    assert ws.cell(r, 3).value is None
    assert r > 4


def test_shortfall_sheet(wb, assessment, sample_table):
    # the sheet is the planner's 测算 (plan/fill.py) for the same inputs, one row per school and item
    fill = county_fill(sample_table, assessment, assessment.counties[0])
    ws = wb["补足资源测算"]
    assert fill.needs
    for r, n in enumerate(fill.needs, start=4):
        assert ws.cell(r, 1).value == n.school_id and ws.cell(r, 4).value == n.label
        if n.unit == "元":  # 仪器设备: an amount, no quantity × 1 元
            assert [ws.cell(r, j).value for j in (5, 6, 7)] == ["—", "—", "—"]
        else:
            assert same(ws.cell(r, 5).value, n.quantity) and ws.cell(r, 6).value == n.unit
            assert same(ws.cell(r, 7).value * n.quantity, n.amount_yuan)
        assert same(ws.cell(r, 8).value, n.amount_yuan / 10_000)
    assert any(n.unit == "元" for n in fill.needs)  # the sample has an equipment row
    # then 分项合计 per item and the totals, one-off and yearly apart: each the sum of the rows above
    rows = [[ws.cell(r, j).value for j in range(1, 11)] for r in range(4 + len(fill.needs), ws.max_row + 1)]
    items = [r for r in rows if r[0] == "分项合计"]
    assert [r[3] for r in items] == [name for name, *_ in fill.item_totals()]
    for r in items:
        mine = [n for n in fill.needs if ITEM_NAMES[n.cost_item] == r[3]]
        assert mine and abs(r[7] - sum(n.amount_yuan for n in mine) / 10_000) < 1e-9
    for kind, recurring in (("一次性", False), ("每年", True)):
        want = sum(n.amount_yuan for n in fill.needs if n.recurring == recurring) / 10_000
        got = [r[7] for r in rows if str(r[0]).startswith("合计") and r[8] == kind]
        assert got == ([] if not want else [pytest.approx(want, abs=1e-9)])
        assert want == pytest.approx(sum(r[7] for r in items if r[8] == kind), abs=1e-9)
    assert any(str(r[0]).startswith("合计") for r in rows)


def test_working_sheet_check_row_is_worded_officially(wb, assessment):
    """计算过程: under the formula row 差异系数 S÷X̄ the row 差异系数（核对值） holds the assessed CVs
    as plain numbers (a fresh reader found 「本软件计算的差异系数（核对用）」, tool text)."""
    ws = wb["计算过程"]
    lv = next(iter(assessment.counties[0].levels.values()))
    r = next(c.row for c in ws["A"] if c.value == "差异系数（核对值）")
    assert ws.cell(r - 1, 1).value == "差异系数 S÷X̄"
    first = assessment.rules.indicators[0]
    cv = lv.indicators[first.code].cv
    assert cv is None or same(ws.cell(r, 6).value, cv)


def test_no_number_stored_as_text(wb):
    decimal = re.compile(r"^-?[\d,]*\.\d+%?$")
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not decimal.match(cell.value), f"{ws.title}!{cell.coordinate} holds a number as text: {cell.value}"


def test_no_tool_text_in_the_official_tables(wb, assessment):
    """The stamped tables name the 办法 and the year (or a blank to fill in), never the input file,
    a pack code or “未注明” (a fresh reader found 统计年度：未注明；数据：sample_county.xlsx)."""
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [t for t in texts if "sample_county" in t or ".xlsx" in t or "未注明" in t or "规则包：" in t
                or "本软件" in t or "核对用" in t]
    info = next(t for t in texts if t.startswith("依据："))
    assert assessment.rules.document in info
    assert (f"统计年度：{assessment.year}年" if assessment.year else "统计年度：＿＿＿＿年") in info


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("每百名学生拥有体育艺术专任教师数生均教学仪器设备值") + ["、", "（美术、音乐）", "及"]),
                min_size=1, max_size=24),
       st.sampled_from(["元/生", "人", "㎡", "人/百生", "比例为%"]), st.floats(6, 16))
def test_header_cells_never_break_inside_a_bracketed_unit(words, unit, width):
    """issue 8 leftover: the 一校一表 header broke “（元/生” | “）”. header_text (every official
    table's header row) keeps the bracketed unit whole on one line, widening the column when it
    must; no line starts with a closing mark or ends with an opening one; every line fits the
    column (Excel units, CJK 2); the text is unchanged but for the breaks."""
    from junheng.report.xlsx.book import header_text, text_width

    text = "".join(words) + f"（{unit}）"
    assume("、、" not in text)  # marks glued together are one piece; no header has two in a row
    out, w = header_text(text, width)
    lines = out.split("\n")
    assert out.replace("\n", "") == text
    assert lines[-1].endswith(f"（{unit}）")  # the unit never split
    assert w >= width and all(text_width(x) <= w - 1 for x in lines)
    assert not any(x.startswith(("）", "、")) for x in lines[1:]) and not any(x.endswith("（") for x in lines)
    assert w == width or w == text_width(f"（{unit}）") + 1  # widened only for the unit
