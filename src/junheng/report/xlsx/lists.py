"""The list sheets: 未参评学校 (excluded schools and reasons), 薄弱学校 (per level the weak units,
``core.trace.weakest_units``, and each one's share of every indicator's variance,
``contrib_<code>``, 0.0%) and 补足资源测算 (per unit and indicator the amount missing to reach the
standard, shortfalls.py). Several counties: leading 县区代码 / 县区 columns."""
from __future__ import annotations

import polars as pl

from ...core.trace import weakest_units
from ..narrative.findings import worded_excluded
from ..narrative.numbers import fmt_verdict
from ...schema import LEVEL_NAMES, school_type_name
from ..narrative.shortfalls import shortfalls
from .book import Formats, page_setup, sign_line, wrapped_height, write_head
from .scope import Scope


def _start(wb, F: Formats, s: Scope, name: str, title: str, head: list[str], widths: list[float]):
    """A list sheet: title, 填报单位 line, the header row (repeated on every printed page)."""
    ws = wb.add_worksheet(name)
    head = s.lead_head() + head
    widths = [8, 12][: len(s.lead_head())] + widths
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    last = len(head) - 1
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, title, F.title)
    ws.set_row(1, 20)
    ws.merge_range(1, 0, 1, last, sign_line(s.sheet_bureau()), F.sign)
    widths = write_head(ws, 2, head, widths, F.head)
    page_setup(ws, landscape=sum(widths) > 90, repeat=(2, 2))
    return ws, widths


def excluded_sheet(wb, F: Formats, s: Scope) -> None:
    """未参评学校: every excluded school of the scope's counties with its reason."""
    ws, widths = _start(wb, F, s, "未参评学校", f"{s.who()}未纳入计算的学校",
                        ["序号", "学校标识码", "学校名称", "办学类型", "原因"], [6, 12, 28, 16, 44])
    k0 = len(s.lead_head())
    r = 3
    for c in s.counties:
        for n, e in enumerate(worded_excluded(s.a.excluded_of(c.county_key), s.a.rules).iter_rows(named=True), start=1):
            ws.set_row(r, wrapped_height([(e["name"], widths[k0 + 2]), (e["reason"], widths[k0 + 4])]))
            ws.write_row(r, 0, s.lead(c), F.text)
            ws.write_number(r, k0, n, F.center)
            ws.write_string(r, k0 + 1, e["school_id"], F.text)
            ws.write_string(r, k0 + 2, e["name"], F.text)
            ws.write_string(r, k0 + 3, school_type_name(e["school_type"]), F.text)
            ws.write_string(r, k0 + 4, e["reason"], F.text)
            r += 1
    ws.freeze_panes(3, 0)


def weak_sheet(wb, F: Formats, s: Scope) -> None:
    """薄弱学校: per county and level the weak units, the indicators below the mark and their
    shares of every indicator's variance."""
    a = s.a
    rule = a.rules.unit_rule is not None
    inds = a.rules.indicators
    head = ["学段", "序号", "学校标识码", "学校名称", "在校生数（人）"] + (["达标项数", "单校结论"] if rule else [])
    head += ["薄弱指标（" + ("未达到单校标准" if rule else "低于全县平均值") + "）"]
    widths = [6, 6, 12, 26, 9] + ([7, 9] if rule else []) + [40]
    first = len(head)
    head += [f"占“{i.label}”方差比例" for i in inds]
    widths += [11] * len(inds)
    ws, widths = _start(wb, F, s, "薄弱学校", f"{s.who()}薄弱学校及其对差异系数的贡献", head, widths)
    k0 = len(s.lead_head())
    first += k0
    names = {i.code: i.label for i in inds}
    r = 3
    for c in s.counties:
        units = a.units_of(c.county_key)
        for level in c.levels:
            weak = weakest_units(a, c.county_key, level, n=units.height)
            if weak.height == 0:
                continue
            contrib = weak.select("school_id").join(units.filter(pl.col("level") == level), on="school_id",
                                                    how="left", maintain_order="left")
            for n, (w, u) in enumerate(zip(weak.iter_rows(named=True), contrib.iter_rows(named=True)), start=1):
                below = "、".join(names[b] for b in w["below"])
                ws.set_row(r, wrapped_height([(w["name"], widths[k0 + 3]), (below, widths[first - 1])]))
                ws.write_row(r, 0, s.lead(c), F.text)
                ws.write_string(r, k0, LEVEL_NAMES[level], F.center)
                ws.write_number(r, k0 + 1, n, F.center)
                ws.write_string(r, k0 + 2, w["school_id"], F.text)
                ws.write_string(r, k0 + 3, w["name"], F.text)
                ws.write_number(r, k0 + 4, int(w["students"]), F.int)
                if rule:
                    ws.write_number(r, k0 + 5, w["met_count"], F.int)
                    ws.write(r, k0 + 6, fmt_verdict(w["passed"]), F.verdict(w["passed"]))
                ws.write_string(r, first - 1, below, F.text)
                for k, ind in enumerate(inds):
                    ws.write_number(r, first + k, u[f"contrib_{ind.code}"], F.pct)
                r += 1
    ws.freeze_panes(3, k0 + 4)


def shortfall_sheet(wb, F: Formats, s: Scope) -> None:
    """补足资源测算: what each unit lacks to reach the target (单校标准 or 全县平均值); money in
    万元 (0.00), the rest in whole units."""
    a = s.a
    rule = a.rules.unit_rule is not None
    target = "单校标准" if rule else "全县平均值"
    head = ["学段", "学校标识码", "学校名称", "在校生数（人）", "指标", "现值", target, "需增加", "单位"]
    ws, widths = _start(wb, F, s, "补足资源测算",
                        f"{s.who()}{'未达标单位' if rule else '薄弱学校'}补足资源测算（达到{target}）", head,
                        [6, 12, 26, 10, 36, 11, 11, 11, 26])
    k0 = len(s.lead_head())
    inds = {i.code: i for i in a.rules.indicators}
    r = 3
    for c in s.counties:
        for x in shortfalls(a, c):
            ind = inds[x.code]
            unit = f"万元（{x.resource}）" if x.unit == "元" else f"{x.unit}（{x.resource}）"
            ws.set_row(r, wrapped_height([(x.name, widths[k0 + 2]), (x.indicator, widths[k0 + 4]), (unit, widths[k0 + 8])]))
            ws.write_row(r, 0, s.lead(c), F.text)
            ws.write_string(r, k0, LEVEL_NAMES[x.level], F.center)
            ws.write_string(r, k0 + 1, x.school_id, F.text)
            ws.write_string(r, k0 + 2, x.name, F.text)
            ws.write_number(r, k0 + 3, x.students, F.int)
            ws.write_string(r, k0 + 4, x.indicator, F.text)
            ws.write_number(r, k0 + 5, x.value, F.value(ind))
            ws.write_number(r, k0 + 6, x.target, F.limit if rule and ind.unit != "元" else F.value(ind))
            if x.unit == "元":
                ws.write_number(r, k0 + 7, x.amount / 10_000, F.n2)
            else:
                ws.write_number(r, k0 + 7, x.amount, F.int)
            ws.write_string(r, k0 + 8, unit, F.text)
            r += 1
    ws.freeze_panes(3, k0 + 3)
