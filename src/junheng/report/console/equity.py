"""The equity analysis on screen and as JSON (CONTRACT: ``junheng equity … --format json``).

:func:`equity_payload` is the JSON document (full precision, null where a measure is undefined);
:func:`print_equity` renders one table per county and level: a row per measure, a column per
indicator (3 decimals, half-up, display only), and the between-group shares of Theil T.
"""
from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from ...analysis.equity import EquityResult
from ...core.result import Assessment
from ..narrative.numbers import fmt_num, round_half_up
from ..safe_text import plain_text

LEVEL_NAMES = {"primary": "小学", "junior": "初中"}
#: Column heads of the screen table: measure code → Chinese name.
MEASURE_NAMES = {"gini": "基尼系数", "theil_t": "泰尔指数T", "theil_l": "泰尔指数L", "mcloone": "McLoone",
                 "verstegen": "Verstegen", "range_ratio": "联邦极差率", "restricted_range": "限制性极差",
                 "cv": "差异系数"}


def equity_payload(a: Assessment, r: EquityResult, *, source: str | None = None) -> dict[str, Any]:
    """``{"rules", "rules_name", "source", "counties": [...], "quadrants": {...}}`` (see EquityResult)."""
    return {"rules": r.rules, "rules_name": a.rules.name, "source": source,
            "counties": r.counties, "quadrants": r.quadrants}


def _share(part: dict | None) -> str:
    share = None if part is None else part["between_share"]
    return "—" if share is None else f"{round_half_up(share * 100, 1):.1f}%"


def _fmt(v: float | None) -> str:
    return fmt_num(v, 3, undefined="—")


#: Printed under the tables: what the measures mean and what “—” stands for.
LEGEND = ("说明：基尼系数、泰尔指数越接近 0 越均衡；McLoone 指数为中位数以下学生的平均水平与中位数之比（1 为最好），"
          "Verstegen 指数为中位数以上的平均水平与中位数之比（1 为最好）；联邦极差率 =（第95百分位 − 第5百分位）÷ 第5百分位，"
          "限制性极差为两者之差（单位同该项指标）；“T乡镇间占比”“T城乡间占比”为泰尔指数T中乡镇之间、城乡之间差距所占比例。"
          "“—”表示无法计算（均值或中位数为 0；有学校该项为 0 时泰尔指数L无定义）。均按在校生数加权。")


def _column_groups(widths: list[int], width: int) -> list[list[int]]:
    """Indicator columns (1…) in groups whose table, with the label column 0, fits ``width``."""
    pad = 3  # padding (0, 1) either side and the box's one-cell divider
    groups: list[list[int]] = [[]]
    used = widths[0] + pad
    for j in range(1, len(widths)):
        if groups[-1] and used + widths[j] + pad > width:
            groups.append([])
            used = widths[0] + pad
        groups[-1].append(j)
        used += widths[j] + pad
    return groups


def print_equity(a: Assessment, r: EquityResult, con: Console, *, quadrant_only: bool = False) -> None:
    """One table per county and level (a row per measure, a column per indicator), then the
    quadrants per level and province; ``quadrant_only``: the quadrant tables only, with each
    indicator's quadrant.

    Numbers are never cut: each indicator column is at least as wide as its widest number (the
    headers wrap instead), so a narrow terminal wraps the table rather than showing “3,125…”.
    """
    labels = {i.code: i.label for i in a.rules.indicators}
    for c in [] if quadrant_only else r.counties:
        for level, lv in c["levels"].items():
            title = f"{plain_text(c['county'] or c['county_code'])} {LEVEL_NAMES.get(level, level)}：均衡程度的其他度量"
            codes, inds = list(lv["indicators"]), list(lv["indicators"].values())
            rows = [[name, *(_fmt(v[m]) for v in inds)] for m, name in MEASURE_NAMES.items()]
            rows += [[name, *(_share(v["decomposition"][g]["theil_t"]) for v in inds)]
                     for g, name in (("township", "T乡镇间占比"), ("urban_rural", "T城乡间占比"))]
            heads = ["度量", *(labels.get(code, code) for code in codes)]
            widths = [max(cell_len(x) for x in (heads[j], *(row[j] for row in rows))) for j in range(len(heads))]
            for part in _column_groups(widths, con.width):
                t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
                for j in (0, *part):
                    t.add_column(heads[j], justify="left" if j == 0 else "right", no_wrap=True, min_width=widths[j])
                for row in rows:
                    t.add_row(row[0], *(row[j] for j in part))
                con.print(t)
    if r.counties and not quadrant_only:
        con.print(LEGEND, style="dim")
    for level, rows in r.quadrants.items():
        lv_name = LEVEL_NAMES.get(level, level)
        t = Table(title=f"{lv_name}：各县（区）水平与均衡象限（与本省各县比较）", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
        for h, justify in (("省", "left"), ("县（区）", "left"), ("水平指数", "right"), ("平均差异系数", "right"),
                           ("象限", "left")):
            t.add_column(h, justify=justify, no_wrap=True)
        for q in rows:
            t.add_row(q["province"], plain_text(q["county"] or q["county_code"]), _fmt(q["level_index"]),
                      _fmt(q["mean_cv"]), q["quadrant"])
        con.print(t)
        if quadrant_only and rows:
            _print_indicator_quadrants(f"{lv_name}：分指标象限", rows, labels, con)
    if quadrant_only and not r.quadrants:
        con.print("没有可比较的县（区）：象限需要同一省（县(区)代码前两位相同）至少两个县（区）。")
    if r.quadrants:
        con.print(QUADRANT_LEGEND + (" 分指标列：前一字为水平、后一字为均衡（“高低”即高水平低均衡）。" if quadrant_only else ""),
                  style="dim")


def _print_indicator_quadrants(title: str, rows: list[dict], labels: dict[str, str], con: Console) -> None:
    """Each county's quadrant per indicator (“高低”), the indicator columns in groups that fit the
    console's width (the county column repeated in each), so no cell is ever cut or wrapped."""
    codes = list(rows[0]["indicators"])
    heads = ["县（区）", *(labels.get(code, code) for code in codes)]
    body = [[plain_text(q["county"] or q["county_code"]), *(_short(q["indicators"][c]["quadrant"]) for c in codes)]
            for q in rows]
    # indicator heads fold onto lines of 3 characters, the cells never wrap
    widths = [max(cell_len(x) for x in (heads[0], *(b[0] for b in body)))]
    widths += [max(6, *(cell_len(b[j]) for b in body)) for j in range(1, len(heads))]
    for part in _column_groups(widths, con.width):
        t = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
        t.add_column(heads[0], no_wrap=True, min_width=widths[0])
        for j in part:
            t.add_column(heads[j], justify="center", overflow="fold", width=widths[j])
        for b in body:
            t.add_row(b[0], *(b[j] for j in part))
        con.print(t)


def _short(name: str) -> str:
    """高水平低均衡 → 高低 (the per-indicator columns of ``--quadrant``)."""
    return name[0] + name[3]


#: Printed under the quadrant tables: how they are made (docs/equity.md §象限).
QUADRANT_LEGEND = ("象限：每个县（区）与同省（县(区)代码前两位相同）各县比较。水平指数 = 各项指标“本县均值 ÷ 本省各县均值的平均”的平均"
                   "（1 为平均水平），不低于本省中位数为“高水平”；平均差异系数（各项指标差异系数的平均）不高于本省中位数为“高均衡”。"
                   "分指标象限用该指标的均值和差异系数与本省中位数比较。中位数划分是本软件的约定，不是官方标准。")
