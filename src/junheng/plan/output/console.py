"""The screen table of ``junheng plan``: per county the status, cost, before/after verdicts and
CVs, the actions summed per item, and the blocking constraints."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ...report.narrative.numbers import fmt_count, fmt_num, fmt_wan
from ...schema import LEVEL_NAMES
from ..run import PlanResult
from ..text import ACTIONS, ITEM_NAMES, STATUS, blocking_text, status_text
from .curve import print_curve, worst_line

TITLES = {"min-cost": "最少投入方案", "max-pass": "预算 {budget} 内达标学校最多的方案",
          "min-worst": "预算 {budget} 内最差差异系数比最小的方案", "curve": "全部达标的最少投入方案与投入—达标曲线"}


def print_plan(p: PlanResult, con: Console) -> None:
    """Print the plan of every county to ``con``."""
    if p.objective == "rotation":
        from .rotation import print_rotation

        return print_rotation(p, con)
    before = {c.county_key: c for c in p.before.counties}
    after = {c.county_key: c for c in p.after.counties}
    names = dict(zip(p.before.units["school_id"].to_list(), p.before.units["name"].to_list()))
    for cp in p.counties:
        title = TITLES[p.objective].format(budget=fmt_wan(p.budget_yuan or 0))
        con.print(f"{cp.county or cp.county_key}（{p.rules.short or p.rules.name}，{title}）", style="bold")
        if p.objective == "min-worst":
            con.print(worst_line(cp.worst_ratio, cp.bound_ratio, cp.gap, cp.status))
        elif p.objective == "max-pass":
            con.print(f"状态：{STATUS[cp.status]}；达标单位 {cp.passing_units} / {cp.units}"
                      f"（可证明的上限 {cp.bound_units}）")
        else:
            con.print(f"状态：{status_text(cp.status, cp.gap)}")
        if cp.status == "infeasible":
            con.print("无法在限额内达标，受以下约束限制：", style="red")
            for b in cp.blocking[:30]:
                con.print(f"  {blocking_text(b, p.rules, names)}", markup=False)
            continue
        bound = f"（下界 {fmt_wan(cp.bound_yuan)}）" if p.objective in ("min-cost", "curve") else ""
        con.print(f"一次性投入 {fmt_wan(cp.capital_yuan)}；每年新增经常性支出 {fmt_wan(cp.recurring_yuan_per_year)}；"
                  f"{p.years} 年合计 {fmt_wan(cp.total_yuan)}{bound}")
        b, a = before.get(cp.county_key), after.get(cp.county_key)
        t = Table(title="差异系数与达标情况（实施前 → 实施后）", show_lines=False)
        for h in ("学段", "指标", "实施前", "实施后", "标准"):
            t.add_column(h)
        for lv, lr in b.levels.items():
            la = a.levels[lv]
            for code, s in lr.indicators.items():
                thr = s.threshold if s.threshold is not None else lr.composite_threshold
                t.add_row(LEVEL_NAMES[lv], s.name, fmt_num(s.cv), fmt_num(la.indicators[code].cv),
                          "" if thr is None else f"{thr:g}")
            if lr.composite_cv is not None and lr.composite_threshold is not None:
                t.add_row(LEVEL_NAMES[lv], "综合差异系数", fmt_num(lr.composite_cv), fmt_num(la.composite_cv),
                          f"{lr.composite_threshold:g}")
        con.print(t)
        con.print(f"未达标单位：{b.units_failed} → {a.units_failed}；县域结论：{'达标' if b.passed else '未达标'} → "
                  f"{'达标' if a.passed else '未达标'}")
        sums: dict[tuple[str, str], list[float]] = {}
        for act in cp.actions:
            k = (act["action"], act["cost_item"])
            s = sums.setdefault(k, [0, 0.0, 0])
            s[0] += act["quantity"]
            s[1] += act["amount_yuan"]
            s[2] += 1
        t = Table(title="投入汇总（按项目）")
        for h in ("措施", "项目", "学校数", "数量", "金额"):
            t.add_column(h)
        for (action, code), (q, amt, n) in sorted(sums.items(), key=lambda kv: -kv[1][1]):
            rec = "（每年）" if p.costs.items[code].kind == "recurring" else ""
            t.add_row(ACTIONS[action], ITEM_NAMES[code], str(n), fmt_count(q), fmt_wan(amt) + rec)
        con.print(t)
        if cp.county_key in p.curves:
            print_curve(p.curves[cp.county_key], p.rules.unit_rule is not None, con)
        con.print("各校明细请用 --format xlsx（采购/建设清单）或 --format json 查看。", style="dim")
