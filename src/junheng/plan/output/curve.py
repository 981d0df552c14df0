"""Shells of the cost–compliance curve (plan/curve.py) and of ``min-worst``: the JSON parts, the
screen table, the xlsx sheet 投入达标曲线 and the chart (matplotlib on the report's CJK font,
report/fonts.py; greyscale-friendly: black and grey lines told apart by dash and marker).
Formatting only."""
from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
from matplotlib import rc_context

from ...report.charts import DPI, Chart, _new
from ...report.fonts import chart_rc
from ...report.narrative.numbers import fmt_num, fmt_pct, fmt_wan
from ..curve import Curve
from ..text import STATUS

SHEET = "投入达标曲线"
HEAD = ("预算（万元）", "最多达标单位数", "可证明的上限", "该方案投入（万元）", "最差差异系数比", "可证明的下界",
        "该方案投入（万元）")


def _num(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def curve_payload(c: Curve) -> dict[str, Any]:
    """The ``curve`` object of a county in the JSON (docs/json-contract.md, "Plan")."""
    return {
        "end_yuan": c.end_yuan, "full_compliance": c.full_compliance, "units": c.units, "seconds": c.seconds,
        "points": [{"budget_yuan": p.budget_yuan, "passing_units": p.passing_units, "bound_units": p.bound_units,
                    "pass_cost_yuan": p.pass_cost_yuan, "pass_status": p.pass_status,
                    "worst_ratio": _num(p.worst_ratio), "bound_ratio": _num(p.bound_ratio),
                    "worst_cost_yuan": p.worst_cost_yuan, "worst_status": p.worst_status,
                    "worst_gap": _num(p.worst_gap)} for p in c.points],
    }


def worst_line(ratio: float | None, bound: float | None, gap: float | None, status: str) -> str:
    """The status line of a min-worst plan."""
    s = f"状态：{STATUS[status]}；实施后最差差异系数与标准之比 {fmt_num(ratio)}"
    if bound is not None and math.isfinite(bound):
        s += f"（可证明的下界 {fmt_num(bound)}，相差不超过 {fmt_pct(gap or 0.0, 2)}）"
    else:
        s += "（综合差异系数不是凸函数，未给出下界）"
    return s


def curve_rows(c: Curve, rule: bool) -> list[list[str]]:
    """Display rows of the curve table (HEAD), one per budget."""
    rows = []
    for p in c.points:
        rows.append([fmt_wan(p.budget_yuan).removesuffix("万元").strip(),
                     str(p.passing_units) if rule else "—", str(p.bound_units) if rule else "—",
                     fmt_wan(p.pass_cost_yuan).removesuffix("万元").strip() if rule else "—",
                     fmt_num(p.worst_ratio), "—" if not math.isfinite(p.bound_ratio) else fmt_num(p.bound_ratio),
                     fmt_wan(p.worst_cost_yuan).removesuffix("万元").strip()])
    return rows


def print_curve(c: Curve, rule: bool, con) -> None:
    """The curve as a rich table on ``con``."""
    from rich.table import Table

    end = "全部达标所需投入" if c.full_compliance else "给定预算"
    t = Table(title=f"投入—达标曲线：{len(c.points)} 个预算点，从零到{end}", caption="左右两组各自求解，不一定是同一方案")
    for h in HEAD:
        t.add_column(h, justify="right")
    for row in curve_rows(c, rule):
        t.add_row(*row)
    con.print(t)
    con.print("最差差异系数比：各学段各项指标差异系数与其标准之比的最大值（basic-2012 为综合差异系数与标准之比），"
              "不大于 1 即全部达到差异系数标准。", style="dim")


def curve_chart(c: Curve, rule: bool, title: str) -> Chart:
    """The curve as a figure: units passing (black, solid, circles; left axis) and the worst ratio
    (grey, dashed, squares; right axis) against the budget in 万元, the ratio 1 (standard) dotted."""
    with rc_context(chart_rc()):
        fig = _new(3.4)
        ax = fig.add_subplot()
        x = np.array([p.budget_yuan for p in c.points]) / 1e4
        r = np.array([p.worst_ratio for p in c.points])
        handles = []
        if rule:
            n = [p.passing_units for p in c.points]
            handles += ax.plot(x, n, color="black", linestyle="-", marker="o", markersize=3.5, linewidth=1.4,
                               label="最多达标单位数（左轴）")
            ax.axhline(c.units, color="#999999", linestyle="-.", linewidth=0.8)
            ax.text(x[0], c.units, f" 单位总数 {c.units}", fontsize=7, va="bottom", color="#555555")
            ax.set_ylabel("达标单位数（个）")
            ax.set_ylim(0, c.units * 1.1)
            ax2 = ax.twinx()
        else:
            ax.set_yticks([])
            ax2 = ax
        handles += ax2.plot(x, r, color="#555555", linestyle="--", marker="s", markersize=3.2, linewidth=1.4,
                            label="最差差异系数比（右轴）" if rule else "最差差异系数比")
        handles.append(ax2.axhline(1.0, color="#555555", linestyle=":", linewidth=1.0, label="差异系数标准（比值 1）"))
        ax2.set_ylabel("最差差异系数 / 标准")
        ax2.set_ylim(0, max(float(np.nanmax(r)) if r.size else 1.0, 1.0) * 1.1)
        ax.set_xlabel("预算（万元，含经常性支出）")
        ax.set_title(title, fontsize=10)
        ax.legend(handles=handles, loc="lower center", fontsize=8, frameon=True, framealpha=0.9)
        for a in {ax, ax2}:
            a.spines[["top"]].set_visible(False)
    return Chart("plan_curve", fig, title)


def write_curve_sheet(wb, F, c: Curve, rule: bool, title: str, name: str = SHEET) -> None:
    """One county's sheet ``name`` (default 投入达标曲线): the table (numbers, 万元) and the chart."""
    ws = wb.add_worksheet(name)
    for j, w in enumerate((14, 14, 12, 16, 14, 12, 16)):
        ws.set_column(j, j, w)
    ws.merge_range(0, 0, 0, len(HEAD) - 1, title, F.title)
    ws.write_row(1, 0, HEAD, F.head)
    for i, p in enumerate(c.points, start=2):
        ws.write_number(i, 0, p.budget_yuan / 1e4, F.n2)
        if rule:
            ws.write_number(i, 1, p.passing_units, F.int)
            ws.write_number(i, 2, p.bound_units, F.int)
            ws.write_number(i, 3, p.pass_cost_yuan / 1e4, F.n2)
        else:
            for j in (1, 2, 3):
                ws.write_string(i, j, "—", F.center)
        ws.write_number(i, 4, p.worst_ratio, F.n4) if math.isfinite(p.worst_ratio) else ws.write_string(i, 4, "—", F.center)
        ws.write_number(i, 5, p.bound_ratio, F.n4) if math.isfinite(p.bound_ratio) else ws.write_string(i, 5, "—", F.center)
        ws.write_number(i, 6, p.worst_cost_yuan / 1e4, F.n2)
    r = len(c.points) + 3
    ws.set_row(r, 30)  # a merged cell does not grow with its wrapped text
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.merge_range(r, 0, r, len(HEAD) - 1, "两组数字各自求解：左为预算内达标单位最多的方案，右为预算内最差差异系数比最小的方案，"
                   "不一定是同一方案；每个方案均已用评估引擎重新评估。", F.text)
    png = curve_chart(c, rule, title).png()
    ws.insert_image(r + 2, 0, "curve.png", {"image_data": io.BytesIO(png), "x_scale": 96 / DPI, "y_scale": 96 / DPI})

