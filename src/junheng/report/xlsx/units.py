"""一校一表（小学）/（初中）: every unit of a level with its indicator values.

Each value cell below the per-unit threshold (quality-2017) or the county mean (basic-2012) is
bold on grey (book.SHORT: the marks print in black), the others plain. Under quality-2017 a reference row (单校标准（≥）)
follows the header, and each unit has 达标项数, the 6-of-7 verdict (单校结论) and the reason of a
failure. Each county's units are followed by three rows per indicator column as in the published
county tables: 全县平均值, 标准差 and 差异系数. Several counties: leading 县区代码 / 县区 columns,
the counties one after the other.
"""
from __future__ import annotations

import polars as pl

from ..narrative.numbers import fmt_verdict
from ...schema import LEVEL_NAMES, school_type_name
from ..narrative.numbers import cn_brackets, fmt_plain
from ..narrative.common import county_name
from .book import Formats, page_setup, sign_line, wrapped_height, write_head
from .cv_table import cv_cell
from .scope import Scope


def unit_sheets(wb, F: Formats, s: Scope) -> None:
    """Add one 一校一表 sheet per level present in any county of the scope."""
    levels = [lv for lv in LEVEL_NAMES if any(lv in c.levels for c in s.counties)]
    for level in levels:
        _sheet(wb, F, s, level)


def _sheet(wb, F: Formats, s: Scope, level: str) -> None:
    a = s.a
    rule = a.rules.unit_rule
    inds = a.rules.indicators
    L = LEVEL_NAMES[level]
    ws = wb.add_worksheet(f"一校一表（{L}）")
    lead = s.lead_head()
    x0 = len(lead) + 6  # first indicator column
    # headers broken where a reader breaks them (never one character a line); columns narrow
    # enough that the A4 landscape page is printed at about 90 % (body text near 10 pt)
    head = lead + ["序号", "学校标识码", "学校名称", "办学类型", "在校生数\n（人）", "资源分摊\n比例"]
    head += [f"{cn_brackets(i.name)}\n（{i.unit}）" for i in inds]
    if rule is not None:
        head += ["达标\n项数", "单校\n结论", "说明"]
    last = len(head) - 1
    widths = [8, 12][: len(lead)] + [4.5, 11, 20, 10, 8, 8] + [11] * len(inds) + ([5.5, 7, 18] if rule is not None else [])
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    legend = ("灰底加粗：未达到单校标准" if rule is not None else "灰底加粗：低于全县平均值")
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, f"{s.who()}{L}一校一表", F.title)
    ws.merge_range(1, 0, 1, last, f"{a.rules.name}；{legend}；每县末尾三行为全县平均值、标准差和差异系数", F.sub)
    ws.set_row(2, 20)
    ws.merge_range(2, 0, 2, last, sign_line(s.sheet_bureau()), F.sign)
    widths = write_head(ws, 3, head, widths, F.head)
    r = 4
    if rule is not None:
        ws.set_row(r, wrapped_height([(note_text(rule), sum(widths[-2:]))]))
        ws.merge_range(r, 0, r, x0 - 1, "单校标准（≥）", F.boldtext)
        for k, ind in enumerate(inds):
            ws.write_number(r, x0 + k, ind.threshold.get(level), F.limit)
        ws.write_number(r, x0 + len(inds), rule.min_met, F.int)
        ws.merge_range(r, x0 + len(inds) + 1, r, last, note_text(rule), F.text)
        r += 1
    header_rows = (3, r - 1)
    for c in s.counties:
        lv = c.levels.get(level)
        if lv is None:
            continue
        u = a.units_of(c.county_key).filter(pl.col("level") == level)
        why = [_why(row, rule) for row in u.iter_rows(named=True)] if rule is not None else []
        for n, row in enumerate(u.iter_rows(named=True), start=1):
            name_cells = [(row["name"], widths[len(lead) + 2]), (school_type_name(row["school_type"]), widths[len(lead) + 3])]
            name_cells += [(why[n - 1], widths[-1])] if why else []
            ws.set_row(r, wrapped_height(name_cells))
            ws.write_row(r, 0, s.lead(c), F.text)
            ws.write_number(r, len(lead), n, F.center)
            ws.write_string(r, len(lead) + 1, row["school_id"], F.text)
            ws.write_string(r, len(lead) + 2, row["name"], F.text)
            ws.write_string(r, len(lead) + 3, school_type_name(row["school_type"]), F.text)
            ws.write_number(r, len(lead) + 4, int(row["students"]), F.int)
            ws.write_number(r, len(lead) + 5, row["share"], F.n4)
            for k, ind in enumerate(inds):
                ok = row[f"meets_{ind.code}"] if rule is not None else row[ind.code] >= lv.indicators[ind.code].mean
                ws.write_number(r, x0 + k, row[ind.code], F.value(ind, "good" if ok else "bad"))
            if rule is not None:
                ws.write_number(r, x0 + len(inds), row["met_count"], F.int)
                ws.write(r, x0 + len(inds) + 1, fmt_verdict(row["passed"]), F.verdict(row["passed"]))
                ws.write_string(r, x0 + len(inds) + 2, why[n - 1], F.text)
            r += 1
        for label, key in (("全县平均值", "mean"), ("标准差", "sd"), ("差异系数", "cv")):
            ws.merge_range(r, 0, r, x0 - 1, f"{county_name(c)}{label}" if s.many else label, F.boldtext)
            for k, ind in enumerate(inds):
                st = lv.indicators[ind.code]
                if key == "cv":
                    cv_cell(ws, r, x0 + k, st.cv, F.bold3, F)
                else:
                    ws.write_number(r, x0 + k, getattr(st, key), F.value(ind, "bold"))
            for col in range(x0 + len(inds), last + 1):
                ws.write_blank(r, col, None, F.text)
            r += 1
    if not s.many:
        ws.freeze_panes(header_rows[1] + 1, len(lead) + 3)
    ws.autofilter(3, 0, max(r - 1, 3), last)
    page_setup(ws, repeat=header_rows)


def note_text(rule) -> str:
    """The per-unit rule in words: “至少6项达标，其余项不低于标准的85%”."""
    return f"至少{rule.min_met}项达标，其余项不低于标准的{fmt_plain(rule.floor_ratio * 100)}%"


def _why(row: dict, rule) -> str:
    """Why a unit fails the per-unit rule ("" when it passes)."""
    if row["passed"]:
        return ""
    if row["met_count"] < rule.min_met:
        return f"仅{row['met_count']}项达标"
    return f"未达标项低于标准的{fmt_plain(rule.floor_ratio * 100)}%"
