"""评估结论: the front sheet of ``assess -o x.xlsx``: rule pack, document, province, year, source
file, then one row per county: per level the composite CV (basic-2012) or the informational mean
of the CVs (quality-2017) and the level verdict, the units failing the per-unit rule and the
county's school-level verdict."""
from __future__ import annotations

from ..narrative.numbers import fmt_verdict
from ...schema import LEVEL_NAMES
from .book import Formats, page_setup, sign_line
from .cv_table import cv_cell
from .scope import Scope

SHEET = "评估结论"


def summary_sheet(wb, F: Formats, s: Scope) -> None:
    """Add 评估结论 (the method and one row per county of the scope)."""
    a = s.a
    quality = a.rules.dispersion.test == "each"
    rule = a.rules.unit_rule is not None
    ws = wb.add_worksheet(SHEET)
    head = ["县区代码", "县区"]
    for level in LEVEL_NAMES.values():
        head += [f"{level}{'差异系数平均值（仅供参考）' if quality else '综合差异系数'}", f"{level}学段结论"]
    head += (["未达标单位数"] if rule else []) + ["资源配置结论（学校层面）"]
    last = len(head) - 1
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 18)
    ws.set_column(2, last, 13)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, f"{s.who()}{a.rules.name}结论", F.title)
    info = [("规则包", f"{a.rules.id}（{a.rules.name}）"), ("依据", a.rules.document),
            ("省级覆盖", a.rules.province_name or "无"), ("统计年度", str(a.year) if a.year else "未注明"),
            ("数据文件", s.source or "")]
    for r, (k, v) in enumerate(info, start=1):
        ws.write(r, 0, k, F.head)
        ws.merge_range(r, 1, r, last, v, F.text)
    r = len(info) + 1
    ws.merge_range(r, 0, r, last, sign_line(s.sheet_bureau()), F.sign)
    r += 1
    ws.set_row(r, 45)
    ws.write_row(r, 0, head, F.head)
    top = r
    for c in s.counties:
        r += 1
        ws.write_row(r, 0, [c.county_code or "", c.county or ""], F.text)
        for k, level in enumerate(LEVEL_NAMES):
            lv = c.levels.get(level)
            if lv is None:
                ws.write_row(r, 2 + 2 * k, ["", ""], F.center)
                continue
            cv_cell(ws, r, 2 + 2 * k, lv.composite_cv, F.n3, F)
            ws.write(r, 3 + 2 * k, fmt_verdict(lv.passed), F.verdict(lv.passed))
        if rule:
            ws.write_number(r, last - 1, c.units_failed, F.int)
        ws.write(r, last, fmt_verdict(c.verdict), F.verdict(c.verdict))
    ws.freeze_panes(top + 1, 2)
    ws.autofilter(top, 0, max(r, top), last)
    page_setup(ws, repeat=(top, top))
