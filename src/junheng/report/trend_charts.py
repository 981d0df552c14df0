"""Trend charts of the annual monitoring (年度监测复查): per county and level, the CVs over the years.

Conventions of report/charts.py: a :class:`~junheng.report.charts.Chart` on an explicit Agg canvas
(no pyplot), built inside ``rc_context(fonts.chart_rc())`` (Noto Sans CJK SC), the same colours and
width. One line per indicator CV, the composite (综合差异系数) as a thick dark line, the threshold
as a black dashed line (quality-2017: the per-indicator CV limit; basic-2012: the composite limit);
a year whose value fails is marked with a black ring; indicator lines differ by grey level, marker and dash (black-and-white print).
"""
from __future__ import annotations

from typing import Any

from matplotlib import rc_context

from ..analysis.monitor import MonitorResult
from ..schema import LEVEL_NAMES
from .charts import INK, Chart, _new

#: Indicator lines told apart in black and white (GB/T 9704 documents print in black): grey levels,
#: markers and dash patterns in turn.
_GREYS = ("#000000", "#555555", "#888888", "#AAAAAA")
_MARKS = ("o", "^", "v", "D", "x", "+", "*", "P")
_DASHES = ("-", "--", ":", "-.")
from .fonts import chart_rc
from .narrative.numbers import fmt_num


def trend_chart(c: dict[str, Any], level: str, m: MonitorResult) -> Chart:
    """The CV series of one county level (module doc); c: a county object of the MonitorResult."""
    lv = c["levels"][level]
    years = m.years
    labels = {i.code: i.label for i in m.rules.indicators}
    fig = _new(3.6)
    ax = fig.add_subplot()
    top = 0.0
    for k, (code, s) in enumerate(lv["indicators"].items()):
        ys = [p["cv"] for p in s["series"]]
        ax.plot(years, ys, marker=_MARKS[k % len(_MARKS)], markersize=3.5, linewidth=1.1,
                color=_GREYS[k % len(_GREYS)], linestyle=_DASHES[k // len(_GREYS) % len(_DASHES)],
                label=labels.get(code, code))
        for y, p in zip(years, s["series"]):
            if p["passed"] is False and p["cv"] is not None:
                ax.plot([y], [p["cv"]], marker="o", markersize=9, markerfacecolor="none", markeredgecolor=INK,
                        markeredgewidth=1.4)
        top = max([top, *[v for v in ys if v is not None]])
    comp = lv["composite"]
    cys = [p["cv"] for p in comp["series"]]
    ax.plot(years, cys, color=INK, linewidth=2.6, marker="s", markersize=4, label="综合差异系数")
    top = max([top, *[v for v in cys if v is not None]])
    thr = comp["threshold"] if comp["threshold"] is not None else next(
        (s["threshold"] for s in lv["indicators"].values() if s["threshold"] is not None), None)
    if thr is not None:
        what = "综合差异系数标准" if comp["threshold"] is not None else "差异系数标准"
        ax.axhline(thr, color=INK, linestyle=(0, (6, 3)), linewidth=1.2, label=f"{what} ≤ {fmt_num(thr, 2)}")
        top = max(top, thr)
    ax.set_xticks(years, [f"{y}年" for y in years])
    ax.set_ylim(0, top * 1.15 + 0.01)
    ax.set_ylabel("差异系数")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False)
    caption = f"{LEVEL_NAMES[level]}差异系数逐年变化"
    ax.set_title(caption)
    return Chart(f"{level}_trend", fig, caption)


def monitor_charts(m: MonitorResult) -> dict[str, dict[str, tuple[bytes, str]]]:
    """Per county key (code, else name), chart key → (PNG bytes, caption). Raises
    fonts.FontMissingError without the CJK font."""
    out: dict[str, dict[str, tuple[bytes, str]]] = {}
    with rc_context(chart_rc()):
        for c in m.counties:
            key = c["county_code"] or c["county"]
            for level in c["levels"]:
                ch = trend_chart(c, level, m)
                out.setdefault(key, {})[ch.key] = (ch.png(), ch.caption)
    return out
