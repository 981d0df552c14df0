"""校际差异系数表: the Ministry's layout, one block per county.

Each block: a title, the method and data line, the 填报单位 / 填表人 / 审核人 / 日期 line, then
per level (小学, 初中 side by side) the columns 全县平均值, 标准差 and 差异系数 (quality-2017 adds
标准（≤）and 结果), one row per indicator with its unit in the row header, then (basic-2012 only:
quality-2017 tests each CV and has no average) 综合差异系数 and its threshold (0.00, so
0.65 / 0.55 / 0.50 / 0.45 print alike), the level verdict and the county verdict.
Means and SDs are the unrounded values shown as 0.000 (元: 0.00), CVs as 0.000.
"""
from __future__ import annotations

from ...core.result import CountyResult
from ..narrative.numbers import fmt_verdict
from ...schema import LEVEL_NAMES
from ..narrative.numbers import cn_brackets
from ..narrative.common import county_name
from .book import Formats, basis_line, page_setup, sign_line, wrapped_height
from .scope import Scope

SHEET = "校际差异系数表"
#: Blocks per sheet up to which each county starts on a new printed page (Excel allows 1023 breaks).
MAX_PAGE_BREAKS = 1000
NAME_WIDTH = 44  # the 指标（单位） column


def _per(s: Scope) -> int:
    return 5 if s.a.rules.dispersion.test == "each" else 3


def cv_sheet(wb, F: Formats, s: Scope) -> None:
    """Add 校际差异系数表 with one block per county of the scope."""
    ws = wb.add_worksheet(SHEET)
    per = _per(s)
    width = 2 + per * max((len(c.levels) for c in s.counties), default=1)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, NAME_WIDTH)
    ws.set_column(2, width - 1, 11)
    r, breaks = 0, []
    for c in s.counties:
        if r:
            breaks.append(r)
        r = _block(ws, F, s, c, r) + 1
    if not s.many:
        ws.freeze_panes(5, 2)
    elif len(breaks) <= MAX_PAGE_BREAKS:
        ws.set_h_pagebreaks(breaks)
    page_setup(ws, repeat=(3, 4) if not s.many else None)


def _block(ws, F: Formats, s: Scope, c: CountyResult, r: int) -> int:
    """Write one county's block from row r; returns the row after it."""
    a = s.a
    quality = a.rules.dispersion.test == "each"
    per = _per(s)
    levels = list(c.levels.items())
    ncols = 2 + per * max(len(levels), 1)
    ws.set_row(r, 30)
    ws.merge_range(r, 0, r, ncols - 1, f"{county_name(c)}义务教育学校校际差异系数表", F.title)
    ws.merge_range(r + 1, 0, r + 1, ncols - 1, basis_line(a.rules, a.year), F.sub)
    ws.set_row(r + 2, 20)
    ws.merge_range(r + 2, 0, r + 2, ncols - 1, sign_line(s.bureau_for(c)), F.sign)
    r += 3
    ws.set_row(r, 30)
    ws.merge_range(r, 0, r, 1, "", F.head)
    for k, (level, lv) in enumerate(levels):
        c0 = 2 + per * k
        ws.merge_range(r, c0, r, c0 + per - 1, f"{LEVEL_NAMES[level]}（{lv.units}个单位，在校生{lv.students}人）", F.head)
    r += 1
    ws.write_row(r, 0, ["序号", "指标（单位）"], F.head)
    for k in range(len(levels)):
        heads = ["全县平均值", "标准差", "差异系数"] + (["标准（≤）", "结果"] if quality else [])
        ws.write_row(r, 2 + per * k, heads, F.head)
    r += 1
    for n, ind in enumerate(a.rules.indicators, start=1):
        name = f"{cn_brackets(ind.name)}（{ind.unit}）"
        ws.set_row(r, wrapped_height([(name, NAME_WIDTH)]))
        ws.write_number(r, 0, n, F.center)
        ws.write(r, 1, name, F.text)
        for k, (level, lv) in enumerate(levels):
            st = lv.indicators[ind.code]
            c0 = 2 + per * k
            ws.write_number(r, c0, st.mean, F.value(ind))
            ws.write_number(r, c0 + 1, st.sd, F.value(ind))
            cv_cell(ws, r, c0 + 2, st.cv, F.n3, F)
            if quality:
                ws.write_number(r, c0 + 3, st.threshold, F.limit)
                ws.write(r, c0 + 4, fmt_verdict(st.passed), F.verdict(st.passed))
        r += 1
    if not quality:  # quality-2017 tests each CV: no average of the CVs (docs/rules.md)
        label = "综合差异系数"
        ws.set_row(r, wrapped_height([(label, NAME_WIDTH)]))
        ws.write(r, 0, "", F.center)
        ws.write(r, 1, label, F.boldtext)
        for k, (level, lv) in enumerate(levels):
            c0 = 2 + per * k
            ws.write_row(r, c0, ["", ""], F.center)
            cv_cell(ws, r, c0 + 2, lv.composite_cv, F.bold3, F)
        r += 1
        ws.write(r, 0, "", F.center)
        ws.write(r, 1, "综合差异系数标准（≤）", F.text)
        for k, (level, lv) in enumerate(levels):
            ws.write_row(r, 2 + per * k, ["", ""], F.center)
            ws.write_number(r, 4 + per * k, lv.composite_threshold, F.limit)
        r += 1
    label = "学段结论" + ("" if not quality else "（各项差异系数均不超过标准）")
    ws.set_row(r, wrapped_height([(label, NAME_WIDTH)]))
    ws.write(r, 0, "", F.center)
    ws.write(r, 1, label, F.text)
    for k, (level, lv) in enumerate(levels):
        c0 = 2 + per * k
        ws.merge_range(r, c0, r, c0 + per - 1, fmt_verdict(lv.passed), F.verdict(lv.passed))
    r += 1
    label = "资源配置结论（学校层面；完整结论见“县级指标”表）" if s.full else "全县评估结论"
    ws.set_row(r, wrapped_height([(label, NAME_WIDTH)]))
    ws.write(r, 0, "", F.center)
    ws.write(r, 1, label, F.boldtext)
    note = fmt_verdict(c.verdict)
    if a.rules.unit_rule is not None and c.units_failed:
        note += f"（{c.units_failed}个单位未达到单校标准）"
    ws.merge_range(r, 2, r, ncols - 1, note, F.verdict(c.verdict))
    return r + 1


def cv_cell(ws, r: int, col: int, cv: float | None, fmt, F: Formats) -> None:
    """A CV as a number, or “无法计算” when it is undefined (county mean 0)."""
    if cv is None:
        ws.write(r, col, "无法计算", F.undecided)
    else:
        ws.write_number(r, col, cv, fmt)
