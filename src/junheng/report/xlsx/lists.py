"""The list sheets: 未参评学校 (excluded schools and reasons), 薄弱学校 (per level the weak units,
``core.trace.weakest_units``, and each one's share of every indicator's variance,
``contrib_<code>``, 0.0%) and 补足资源测算 (per school the items to build, buy or hire so that
the listed units reach the standard, plan/fill.py). Several counties: leading 县区代码 / 县区 columns."""
from __future__ import annotations

import polars as pl

from ...core.trace import weakest_units
from ..narrative.findings import worded_excluded
from ..narrative.numbers import fmt_verdict
from ...schema import LEVEL_NAMES, school_type_name
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
    """补足资源测算 (plan/fill.py via shortfalls.py): one row per school and item to build, buy or
    hire, the levels it serves and the indicators it raises (现值→目标), quantity, unit price and
    amount in 万元 (per year for teachers). A nine-year school's shared purchase is one row. Without
    a school table (``s.fills`` None) the row says the 测算 needs one."""
    from ..narrative.numbers import fmt_value

    a = s.a
    rule = a.rules.unit_rule is not None
    target = "单校标准" if rule else "全县平均值"
    head = ["学校标识码", "学校名称", "学段", "项目", "数量", "单位", "单价（元）", "金额（万元）", "类别", "所补指标（现值→目标）"]
    ws, widths = _start(wb, F, s, "补足资源测算",
                        f"{s.who()}{'未达标单位' if rule else '薄弱学校'}补足资源测算（达到{target}）", head,
                        [12, 24, 9, 22, 10, 6, 10, 11, 8, 44])
    k0 = len(s.lead_head())
    inds = {i.code: i for i in a.rules.indicators}
    r = 3
    for c in s.counties:
        fill = (s.fills or {}).get(c.county_key)
        if fill is None:
            ws.set_row(r, wrapped_height([("未提供学校数据表，未测算", widths[k0 + 1])]))
            ws.write_row(r, 0, s.lead(c), F.text)
            ws.write_string(r, k0 + 1, "未提供学校数据表，未测算", F.text)
            r += 1
            continue
        gaps = {(g.school_id, g.level, g.code): g for g in fill.gaps}
        for n in fill.needs:
            raised = "；".join(
                f"{LEVEL_NAMES[lv]}{inds[code].name}"
                f"{fmt_value(gaps[(n.school_id, lv, code)].value, inds[code].unit, inds[code].per)}→"
                f"{fmt_value(gaps[(n.school_id, lv, code)].target, inds[code].unit, inds[code].per)}"
                for lv, code in n.gaps)
            price = n.amount_yuan / n.quantity if n.quantity else 0.0
            ws.set_row(r, wrapped_height([(n.name, widths[k0 + 1]), (n.label, widths[k0 + 3]), (raised, widths[k0 + 9])]))
            ws.write_row(r, 0, s.lead(c), F.text)
            ws.write_string(r, k0, n.school_id, F.text)
            ws.write_string(r, k0 + 1, n.name, F.text)
            ws.write_string(r, k0 + 2, "、".join(LEVEL_NAMES[lv] for lv in n.levels), F.center)
            ws.write_string(r, k0 + 3, n.label, F.text)
            _amounts(ws, F, r, k0, n.unit, n.quantity, price, n.amount_yuan, n.recurring)
            ws.write_string(r, k0 + 9, raised, F.text)
            r += 1
        r = _totals(ws, F, s, c, fill, r, k0, widths[k0 + 3])
    ws.freeze_panes(3, k0 + 2)


def _amounts(ws, F: Formats, r: int, k0: int, unit: str, quantity: float, price: float | None, yuan: float,
             recurring: bool) -> None:
    """数量, 单位, 单价（元）, 金额（万元）, 类别 of one row: an amount of money (仪器设备, unit 元) is
    its 金额 alone (数量, 单位 and 单价 “—”); price None: no 单价 (a total)."""
    if unit == "元":
        for j in (4, 5, 6):
            ws.write_string(r, k0 + j, "—", F.center)
    else:
        ws.write_number(r, k0 + 4, quantity, F.int)
        ws.write_string(r, k0 + 5, unit, F.center)
        if price is None:
            ws.write_string(r, k0 + 6, "—", F.center)
        else:
            ws.write_number(r, k0 + 6, price, F.int)
    ws.write_number(r, k0 + 7, yuan / 10_000, F.n2)
    ws.write_string(r, k0 + 8, "每年" if recurring else "一次性", F.center)


def _totals(ws, F: Formats, s: Scope, c, fill, r: int, k0: int, width: float) -> int:
    """The 合计 rows under a county's needs: 分项合计 per item (plan/fill.Fill.item_totals) with its
    quantity and amount (``width``: the 项目 column's), then the one-off and the yearly amounts
    apart (合计（一次性） / 合计（每年）; one row 合计 when there is one kind only). Returns the row
    after them."""
    if not fill.needs:
        return r
    for name, unit, quantity, yuan, recurring in fill.item_totals():
        ws.set_row(r, wrapped_height([(name, width)]))
        ws.write_row(r, 0, s.lead(c), F.text)
        ws.merge_range(r, k0, r, k0 + 2, "分项合计", F.boldtext)
        ws.write_string(r, k0 + 3, name, F.boldtext)
        _amounts(ws, F, r, k0, unit, quantity, None, yuan, recurring)
        ws.write_blank(r, k0 + 9, None, F.text)
        r += 1
    kinds = [(False, fill.capital_yuan), (True, fill.recurring_yuan_per_year)]
    kinds = [(rec, y) for rec, y in kinds if any(n.recurring == rec for n in fill.needs)]
    for recurring, yuan in kinds:
        label = "合计" if len(kinds) == 1 else f"合计（{'每年' if recurring else '一次性'}）"
        ws.write_row(r, 0, s.lead(c), F.text)
        ws.merge_range(r, k0, r, k0 + 6, label, F.boldtext)
        ws.write_number(r, k0 + 7, yuan / 10_000, F.bold2)
        ws.write_string(r, k0 + 8, "每年" if recurring else "一次性", F.center)
        ws.write_blank(r, k0 + 9, None, F.text)
        r += 1
    return r
