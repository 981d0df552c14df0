"""The official Excel tables of one county (xlsxwriter): real numbers with number formats.

Sheets (rows read from the Assessment only):

* 校际差异系数表: the Ministry's layout: a title row, then per level (小学, 初中 side by side) the
  columns 全县平均值 and 差异系数 (quality-2017 adds 标准（≤）and 结果), one row per indicator with
  its unit in the row header (生均教学及辅助用房面积（㎡）), then 综合差异系数 (basic-2012) or the
  mean of the CVs (labelled informational, quality-2017), the threshold and the level verdict,
  then the county verdict. Means and CVs are the unrounded values shown as 0.000.
* 一校一表（小学）/（初中）: every unit with its indicator values (0.000), each cell green when the
  unit meets the per-unit threshold (quality-2017) or is not below the county mean (basic-2012)
  and red otherwise, a reference row (标准 or 全县平均值) under the header, and under quality-2017
  达标项数 and the 6-of-7 verdict (单校结论) with the reason of a failure.
* 未参评学校: excluded schools with their reasons.
* 薄弱学校: per level the weak units (``core.trace.weakest_units``, all with a shortfall) and each
  one's share of every indicator's variance (``contrib_<code>``, 0.0%).
* 补足资源测算: per unit and indicator the amount missing to reach the standard (shortfalls.py).
* 特殊规定: only when a special provision's data were given (docs/rules.md §2; provision_text.py).
* 县级指标, 经费增长: only when the county's CountyChecks are given (county.py).
"""
from __future__ import annotations

from pathlib import Path

import polars as pl
import xlsxwriter

from ...core.county_result import CountyChecks
from ...core.result import Assessment, CountyResult
from ...core.trace import weakest_units
from ...fmt import fmt_verdict
from ...schema import LEVEL_NAMES, school_type_name
from ..cnfmt import cn_brackets, fmt_plain
from ..narrative import county_name
from ..provision_text import write_provisions_sheet
from ..safe_xlsx import new_workbook
from ..shortfalls import shortfalls

CV_FORMAT = "0.000"


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 10.5, "valign": "vcenter", "border": 1}
        f = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
        self.cell = f  # more cell formats on the same base (county.py)
        self.title = wb.add_format({"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"})
        self.sub = wb.add_format({"font_name": "宋体", "font_size": 10, "align": "left", "valign": "vcenter", "italic": True})
        self.head = f(bold=True, align="center", bg_color="#DDEBF7", text_wrap=True)
        self.text = f(align="left", text_wrap=True)
        self.center = f(align="center")
        self.int = f(num_format="0", align="right")
        self.n3 = f(num_format=CV_FORMAT)
        self.gen = f(num_format="General")
        self.n2 = f(num_format="0.00")
        self.n4 = f(num_format="0.0000")
        self.pct = f(num_format="0.0%")
        self.good3 = f(num_format=CV_FORMAT, font_color="#006100", bg_color="#C6EFCE")
        self.bad3 = f(num_format=CV_FORMAT, font_color="#9C0006", bg_color="#FFC7CE")
        self.good = f(align="center", font_color="#006100", bg_color="#C6EFCE", bold=True)
        self.bad = f(align="center", font_color="#9C0006", bg_color="#FFC7CE", bold=True)
        self.undecided = f(align="center", font_color="#9C5700", bg_color="#FFEB9C")
        self.bold3 = f(num_format=CV_FORMAT, bold=True)
        self.boldtext = f(align="left", bold=True)

    def verdict(self, ok: bool | None):
        return self.undecided if ok is None else self.good if ok else self.bad


def _cv_sheet(wb, F: _Formats, a: Assessment, c: CountyResult, source: str | None, full: bool = False) -> None:
    ws = wb.add_worksheet("校际差异系数表")
    quality = a.rules.dispersion.test == "each"
    per = 4 if quality else 2
    levels = list(c.levels.items())
    ncols = 2 + per * max(len(levels), 1)
    ws.merge_range(0, 0, 0, ncols - 1, f"{county_name(c)}义务教育学校校际差异系数表", F.title)
    ws.set_row(0, 30)
    info = f"依据：{a.rules.document}" + (f"；{a.rules.province_name}" if a.rules.province_name else "")
    info += f"；统计年度：{a.year or '未注明'}" + (f"；数据：{source}" if source else "")
    ws.merge_range(1, 0, 1, ncols - 1, info, F.sub)
    ws.merge_range(2, 0, 3, 0, "序号", F.head)
    ws.merge_range(2, 1, 3, 1, "指标（单位）", F.head)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 44)
    ws.set_column(2, ncols - 1, 13)
    for k, (level, lv) in enumerate(levels):
        c0 = 2 + per * k
        ws.merge_range(2, c0, 2, c0 + per - 1, f"{LEVEL_NAMES[level]}（{lv.units}个单位，在校生{lv.students}人）", F.head)
        heads = ["全县平均值", "差异系数"] + (["标准（≤）", "结果"] if quality else [])
        ws.write_row(3, c0, heads, F.head)
    ws.set_row(2, 30)
    r = 4
    for n, ind in enumerate(a.rules.indicators, start=1):
        ws.write_number(r, 0, n, F.center)
        ws.write(r, 1, f"{cn_brackets(ind.name)}（{ind.unit}）", F.text)
        for k, (level, lv) in enumerate(levels):
            s = lv.indicators[ind.code]
            c0 = 2 + per * k
            ws.write_number(r, c0, s.mean, F.n3)
            _cv(ws, r, c0 + 1, s.cv, F.n3, F)
            if quality:
                ws.write_number(r, c0 + 2, s.threshold, F.gen)
                ws.write(r, c0 + 3, fmt_verdict(s.passed), F.verdict(s.passed))
        r += 1
    label = "综合差异系数" if not quality else f"{len(a.rules.indicators)}项差异系数平均值（仅供参考，无标准）"
    ws.write(r, 0, "", F.center)
    ws.write(r, 1, label, F.boldtext)
    for k, (level, lv) in enumerate(levels):
        c0 = 2 + per * k
        ws.write(r, c0, "", F.center)
        _cv(ws, r, c0 + 1, lv.composite_cv, F.bold3, F)
        if quality:
            ws.write_row(r, c0 + 2, ["", ""], F.center)
    r += 1
    if not quality:
        ws.write(r, 0, "", F.center)
        ws.write(r, 1, "综合差异系数标准（≤）", F.text)
        for k, (level, lv) in enumerate(levels):
            ws.write(r, 2 + per * k, "", F.center)
            ws.write_number(r, 3 + per * k, lv.composite_threshold, F.gen)
        r += 1
    ws.write(r, 0, "", F.center)
    ws.write(r, 1, "学段结论" + ("" if not quality else "（各项差异系数均不超过标准）"), F.text)
    for k, (level, lv) in enumerate(levels):
        c0 = 2 + per * k
        if per > 1:
            ws.merge_range(r, c0, r, c0 + per - 1, fmt_verdict(lv.passed), F.verdict(lv.passed))
    r += 1
    ws.write(r, 0, "", F.center)
    ws.write(r, 1, "资源配置结论（学校层面；完整结论见“县级指标”表）" if full else "全县评估结论", F.boldtext)
    note = fmt_verdict(c.verdict)
    if a.rules.unit_rule is not None and c.units_failed:
        note += f"（{c.units_failed}个单位未达到单校标准）"
    ws.merge_range(r, 2, r, ncols - 1, note, F.verdict(c.verdict))
    ws.freeze_panes(4, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _cv(ws, r: int, col: int, cv: float | None, fmt, F: _Formats) -> None:
    if cv is None:
        ws.write(r, col, "无法计算", F.undecided)
    else:
        ws.write_number(r, col, cv, fmt)


def _unit_sheets(wb, F: _Formats, a: Assessment, c: CountyResult) -> None:
    rule = a.rules.unit_rule
    inds = a.rules.indicators
    units = a.units_of(c.county_key)
    for level, lv in c.levels.items():
        L = LEVEL_NAMES[level]
        ws = wb.add_worksheet(f"一校一表（{L}）")
        head = ["序号", "学校标识码", "学校名称", "办学类型", "在校生数（人）", "资源分摊比例"]
        head += [f"{cn_brackets(i.name)}（{i.unit}）" for i in inds]
        if rule is not None:
            head += ["达标项数", "单校结论", "说明"]
        last = len(head) - 1
        legend = ("绿色：达到单校标准；红色：未达到" if rule is not None else "绿色：不低于全县平均值；红色：低于全县平均值")
        ws.merge_range(0, 0, 0, last, f"{county_name(c)}{L}一校一表", F.title)
        ws.merge_range(1, 0, 1, last, f"{a.rules.name}；{legend}", F.sub)
        ws.write_row(2, 0, head, F.head)
        ws.set_row(2, 60)
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 12)
        ws.set_column(2, 2, 26)
        ws.set_column(3, 3, 14)
        ws.set_column(4, 5, 9)
        ws.set_column(6, last, 12)
        ws.merge_range(3, 0, 3, 5, "单校标准（≥）" if rule is not None else "全县平均值", F.boldtext)
        for k, ind in enumerate(inds):
            ref = ind.threshold.get(level) if rule is not None else lv.indicators[ind.code].mean
            ws.write_number(3, 6 + k, ref, F.gen if rule is not None else F.n3)
        if rule is not None:
            ws.write_number(3, 6 + len(inds), rule.min_met, F.int)
            ws.write_row(3, 7 + len(inds), [f"至少{rule.min_met}项达标", f"其余项不低于标准的{fmt_plain(rule.floor_ratio * 100)}%"], F.text)
        u = units.filter(pl.col("level") == level)
        for n, row in enumerate(u.iter_rows(named=True), start=1):
            r = 3 + n
            ws.write_number(r, 0, n, F.center)
            ws.write_string(r, 1, row["school_id"], F.text)
            ws.write_string(r, 2, row["name"], F.text)
            ws.write_string(r, 3, school_type_name(row["school_type"]), F.text)
            ws.write_number(r, 4, int(row["students"]), F.int)
            ws.write_number(r, 5, row["share"], F.n4)
            for k, ind in enumerate(inds):
                ok = row[f"meets_{ind.code}"] if rule is not None else row[ind.code] >= lv.indicators[ind.code].mean
                ws.write_number(r, 6 + k, row[ind.code], F.good3 if ok else F.bad3)
            if rule is not None:
                ws.write_number(r, 6 + len(inds), row["met_count"], F.int)
                ws.write(r, 7 + len(inds), fmt_verdict(row["passed"]), F.verdict(row["passed"]))
                why = ""
                if not row["passed"]:
                    why = (f"仅{row['met_count']}项达标" if row["met_count"] < rule.min_met
                           else f"未达标项低于标准的{fmt_plain(rule.floor_ratio * 100)}%")
                ws.write_string(r, 8 + len(inds), why, F.text)
        ws.freeze_panes(4, 3)
        ws.autofilter(2, 0, 3 + u.height, last)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(2, 3)


def _excluded_sheet(wb, F: _Formats, a: Assessment, c: CountyResult) -> None:
    ws = wb.add_worksheet("未参评学校")
    ws.merge_range(0, 0, 0, 4, f"{county_name(c)}未纳入计算的学校", F.title)
    ws.write_row(1, 0, ["序号", "学校标识码", "学校名称", "办学类型", "原因"], F.head)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 28)
    ws.set_column(3, 3, 16)
    ws.set_column(4, 4, 44)
    for n, e in enumerate(a.excluded_of(c.county_key).iter_rows(named=True), start=1):
        ws.write_number(1 + n, 0, n, F.center)
        ws.write_string(1 + n, 1, e["school_id"], F.text)
        ws.write_string(1 + n, 2, e["name"], F.text)
        ws.write_string(1 + n, 3, school_type_name(e["school_type"]), F.text)
        ws.write_string(1 + n, 4, e["reason"], F.text)


def _weak_sheet(wb, F: _Formats, a: Assessment, c: CountyResult) -> None:
    ws = wb.add_worksheet("薄弱学校")
    rule = a.rules.unit_rule is not None
    inds = a.rules.indicators
    head = ["学段", "序号", "学校标识码", "学校名称", "在校生数（人）"] + (["达标项数", "单校结论"] if rule else [])
    head += ["薄弱指标（" + ("未达到单校标准" if rule else "低于全县平均值") + "）"]
    first = len(head)
    head += [f"占“{i.label}”方差比例" for i in inds]
    ws.merge_range(0, 0, 0, len(head) - 1, f"{county_name(c)}薄弱学校及其对差异系数的贡献", F.title)
    ws.write_row(1, 0, head, F.head)
    ws.set_row(1, 45)
    ws.set_column(0, 1, 6)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 26)
    ws.set_column(first - 1, first - 1, 40)
    ws.set_column(first, len(head) - 1, 11)
    names = {i.code: i.label for i in inds}
    units = a.units_of(c.county_key)
    r = 2
    for level in c.levels:
        weak = weakest_units(a, c.county_key, level, n=units.height)
        if weak.height == 0:
            continue
        contrib = weak.select("school_id").join(units.filter(pl.col("level") == level), on="school_id",
                                                how="left", maintain_order="left")
        for n, (w, u) in enumerate(zip(weak.iter_rows(named=True), contrib.iter_rows(named=True)), start=1):
            ws.write_string(r, 0, LEVEL_NAMES[level], F.center)
            ws.write_number(r, 1, n, F.center)
            ws.write_string(r, 2, w["school_id"], F.text)
            ws.write_string(r, 3, w["name"], F.text)
            ws.write_number(r, 4, int(w["students"]), F.int)
            col = 5
            if rule:
                ws.write_number(r, 5, w["met_count"], F.int)
                ws.write(r, 6, fmt_verdict(w["passed"]), F.verdict(w["passed"]))
                col = 7
            ws.write_string(r, col, "、".join(names[b] for b in w["below"]), F.text)
            for k, ind in enumerate(inds):
                ws.write_number(r, first + k, u[f"contrib_{ind.code}"], F.pct)
            r += 1
    ws.freeze_panes(2, 4)


def _shortfall_sheet(wb, F: _Formats, a: Assessment, c: CountyResult) -> None:
    ws = wb.add_worksheet("补足资源测算")
    rule = a.rules.unit_rule is not None
    target = "单校标准" if rule else "全县平均值"
    head = ["学段", "学校标识码", "学校名称", "在校生数（人）", "指标", "现值", target, "需增加", "单位"]
    ws.merge_range(0, 0, 0, len(head) - 1, f"{county_name(c)}{'未达标单位' if rule else '薄弱学校'}补足资源测算（达到{target}）", F.title)
    ws.write_row(1, 0, head, F.head)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 26)
    ws.set_column(3, 3, 10)
    ws.set_column(4, 4, 36)
    ws.set_column(5, 8, 11)
    for r, s in enumerate(shortfalls(a, c), start=2):
        ws.write_string(r, 0, LEVEL_NAMES[s.level], F.center)
        ws.write_string(r, 1, s.school_id, F.text)
        ws.write_string(r, 2, s.name, F.text)
        ws.write_number(r, 3, s.students, F.int)
        ws.write_string(r, 4, s.indicator, F.text)
        ws.write_number(r, 5, s.value, F.n3)
        ws.write_number(r, 6, s.target, F.gen if rule else F.n3)
        if s.unit == "元":
            ws.write_number(r, 7, s.amount / 10_000, F.n2)
            ws.write_string(r, 8, f"万元（{s.resource}）", F.text)
        else:
            ws.write_number(r, 7, s.amount, F.int)
            ws.write_string(r, 8, f"{s.unit}（{s.resource}）", F.text)
    ws.freeze_panes(2, 3)


def write_official_xlsx(a: Assessment, c: CountyResult, path: str | Path, *, source: str | None = None,
                        checks: CountyChecks | None = None) -> Path:
    """Write the county's official tables to ``path`` (the caller makes the write atomic; see
    bundle.py). source: the input file name shown under the title; checks: the county's
    county-level checks (adds the sheets 县级指标 and 经费增长). Returns the path."""
    wb = new_workbook(path)
    F = _Formats(wb)
    _cv_sheet(wb, F, a, c, source, full=checks is not None)
    _unit_sheets(wb, F, a, c)
    _excluded_sheet(wb, F, a, c)
    _weak_sheet(wb, F, a, c)
    _shortfall_sheet(wb, F, a, c)
    write_provisions_sheet(wb, a, [c.county_key], F.head, F.text, F.n3, title=f"{county_name(c)}特殊规定使用情况",
                           title_format=F.title)
    if checks is not None:
        from .county import county_sheets

        county_sheets(wb, F, checks, county_name(c))
    wb.close()
    return Path(path)
