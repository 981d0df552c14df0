"""The assessment as an Excel workbook (three sheets, real numbers with number formats).

Sheets: 评估结论 (rule pack, document, province, year, source file, each county's verdict),
差异系数 (one row per county, level and indicator, plus the composite), 单位指标 (one row
per unit: pupils, share, indicator values, variance shares, per-unit verdicts), 未参评学校
(excluded schools and reasons), and 特殊规定 when a special provision's data were given (docs/rules.md
§2: which school, counted or not and why, the indicator before and after). Written all-or-nothing.
"""
from __future__ import annotations

from pathlib import Path

from ...core.result import Assessment
from ...fmt import fmt_verdict
from ...schema import LEVEL_NAMES, school_type_name
from ..files import write_atomic
from ..provision_text import write_provisions_sheet
from ..safe_xlsx import new_workbook


def _write(a: Assessment, path: Path, source: str | None) -> None:
    wb = new_workbook(path, {"constant_memory": True})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    n3 = wb.add_format({"num_format": "0.000"})
    n4 = wb.add_format({"num_format": "0.0000"})
    pct = wb.add_format({"num_format": "0.0%"})
    bad = wb.add_format({"font_color": "#C00000", "bold": True})
    good = wb.add_format({"font_color": "#006100"})
    low = wb.add_format({"num_format": "0.000", "font_color": "#C00000", "bg_color": "#FFC7CE"})
    inds = a.rules.indicators

    ws = wb.add_worksheet("评估结论")
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 60)
    info = [("规则包", f"{a.rules.id}（{a.rules.name}）"), ("依据", a.rules.document),
            ("省级覆盖", a.rules.province_name or "无"), ("统计年度", str(a.year) if a.year else "未注明"),
            ("数据文件", source or "")]
    for r, (k, v) in enumerate(info):
        ws.write(r, 0, k, head)
        ws.write(r, 1, v)
    r = len(info) + 1
    ws.write_row(r, 0, ["县区代码", "县区", "资源配置结论（学校层面）", "未达标单位数"], head)
    ws.set_column(2, 3, 14)
    for c in a.counties:
        r += 1
        ws.write_row(r, 0, [c.county_code or "", c.county or ""])
        ws.write(r, 2, fmt_verdict(c.verdict), good if c.verdict else bad)
        if a.rules.unit_rule is not None:
            ws.write_number(r, 3, c.units_failed)

    ws = wb.add_worksheet("差异系数")
    cols = ["县区代码", "县区", "学段", "指标", "单位数", "在校生数", "全县均值", "标准差", "差异系数", "标准(≤)", "结果"]
    ws.write_row(0, 0, cols, head)
    ws.set_column(0, 1, 12)
    ws.set_column(3, 3, 36)
    ws.freeze_panes(1, 0)
    r = 1
    for c in a.counties:
        for level, lv in c.levels.items():
            for s in lv.indicators.values():
                ws.write_row(r, 0, [c.county_code or "", c.county or "", LEVEL_NAMES[level], s.name, lv.units, lv.students])
                ws.write_number(r, 6, s.mean, n3)
                ws.write_number(r, 7, s.sd, n3)
                ws.write(r, 8, s.cv if s.cv is not None else "无法计算", n3)
                ws.write(r, 9, s.threshold if s.threshold is not None else "", n3)
                ws.write(r, 10, fmt_verdict(s.passed) if s.passed is not None else "", good if s.passed else bad)
                r += 1
            composite = lv.composite_threshold is not None
            label = "综合差异系数" if composite else "差异系数平均值（仅供参考，无标准）"
            ws.write_row(r, 0, [c.county_code or "", c.county or "", LEVEL_NAMES[level], label, lv.units, lv.students])
            ws.write(r, 8, lv.composite_cv if lv.composite_cv is not None else "无法计算", n3)
            if composite:
                ws.write_number(r, 9, lv.composite_threshold, n3)
                ws.write(r, 10, fmt_verdict(lv.passed), good if lv.passed else bad)
            else:
                r += 1
                ws.write_row(r, 0, [c.county_code or "", c.county or "", LEVEL_NAMES[level], "学段结论（各项差异系数均不超过标准）"])
                ws.write(r, 10, fmt_verdict(lv.passed), good if lv.passed else bad)
            r += 1

    ws = wb.add_worksheet("单位指标")
    rule = a.rules.unit_rule is not None
    cols = ["县区代码", "县区", "学校标识码", "学校名称", "办学类型", "学段", "在校生数", "资源分摊比例"]
    cols += [f"{i.name}({i.unit})" for i in inds] + [f"{i.name}占方差比例" for i in inds]
    cols += ["达标项数", "单校结论"] if rule else []
    ws.write_row(0, 0, cols, head)
    ws.set_row(0, 48)
    ws.set_column(3, 3, 28)
    ws.freeze_panes(1, 4)
    for r, u in enumerate(a.units.iter_rows(named=True), start=1):
        ws.write_row(r, 0, [u["county_code"] or "", u["county"] or "", u["school_id"], u["name"],
                            school_type_name(u["school_type"]), LEVEL_NAMES[u["level"]], int(u["students"])])
        ws.write_number(r, 7, u["share"], n4)
        for k, i in enumerate(inds):
            fmt = n3 if not rule or u[f"meets_{i.code}"] else low
            ws.write_number(r, 8 + k, u[i.code], fmt)
            ws.write_number(r, 8 + len(inds) + k, u[f"contrib_{i.code}"], pct)
        if rule:
            ws.write_number(r, 8 + 2 * len(inds), u["met_count"])
            ws.write(r, 9 + 2 * len(inds), fmt_verdict(u["passed"]), good if u["passed"] else bad)

    write_provisions_sheet(wb, a, [c.county_key for c in a.counties], head, wb.add_format({"text_wrap": True}), n3)

    ws = wb.add_worksheet("未参评学校")
    ws.write_row(0, 0, ["县区代码", "县区", "学校标识码", "学校名称", "办学类型", "原因"], head)
    ws.set_column(3, 3, 28)
    ws.set_column(5, 5, 40)
    for r, e in enumerate(a.excluded.iter_rows(named=True), start=1):
        ws.write_row(r, 0, [e["county_code"] or "", e["county"] or "", e["school_id"], e["name"],
                            school_type_name(e["school_type"]), e["reason"]])
    wb.close()


def write_assessment_xlsx(a: Assessment, path: str | Path, *, source: str | None = None) -> Path:
    """Write the assessment workbook to ``path`` (all-or-nothing). source: the input file name,
    shown on the 评估结论 sheet. Returns the path. Raises OSError when the file cannot be written."""
    return write_atomic(path, lambda tmp: _write(a, tmp, source))
