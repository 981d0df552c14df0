"""Charts of ``junheng equity`` (matplotlib, the conventions of report/charts.py: Figure on an Agg
canvas, CJK font through ``fonts.chart_rc()``, :data:`~junheng.report.charts.DPI`), readable in
greyscale: shapes, hatches and black/grey/white, never colour alone.

* one chart per measure and level (:func:`measure_chart`): a panel per indicator, a bar per county
  (at most :data:`MAX_BARS` counties), else a histogram of the measure over the counties;
* one chart per level and province (:func:`quadrant_chart`): the counties' level index (x) against
  their mean CV (y, reversed so that 高均衡 is up), the province's medians as dashed lines, a
  marker shape per quadrant, the quadrant names in the corners.
"""
from __future__ import annotations

import math

import numpy as np
from matplotlib import rc_context

from ..analysis.equity import QUADRANTS, EquityResult
from ..core.result import Assessment
from ..schema import LEVEL_NAMES
from .charts import WIDTH_IN, Chart, _new
from .console.equity import MEASURE_NAMES
from .fonts import chart_rc
from .narrative.numbers import fmt_num
from .safe_text import short_label

#: Up to this many counties a measure is drawn as one bar per county, else as a histogram.
MAX_BARS = 12
#: Up to this many counties the quadrant chart names each point.
MAX_NAMED = 30
#: Marker per quadrant: filled black / white with black edge / grey triangle / black-edged cross.
MARKERS = {"高水平高均衡": ("o", "black"), "高水平低均衡": ("s", "white"), "低水平高均衡": ("^", "#9a9a9a"),
           "低水平低均衡": ("X", "#4d4d4d")}
#: The measures drawn (every measure of docs/equity.md but the CV, which report/charts.py draws).
MEASURES = tuple(m for m in MEASURE_NAMES if m != "cv")


def _county_name(c: dict) -> str:
    return short_label(c["county"] or c["county_code"] or "")


def measure_chart(a: Assessment, r: EquityResult, level: str, measure: str) -> Chart | None:
    """One measure of every county at one level, a panel per indicator (module doc); None when no
    county has the level."""
    counties = [c for c in r.counties if level in c["levels"]]
    if not counties:
        return None
    inds = a.rules.indicators
    ncols = 2
    nrows = math.ceil(len(inds) / ncols)
    bars = len(counties) <= MAX_BARS
    fig = _new(max(1.9, (0.22 * len(counties) + 0.8) if bars else 1.7) * nrows + 0.6)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, ind in enumerate(inds):
        ax = axes[k // ncols][k % ncols]
        vals = [c["levels"][level]["indicators"][ind.code][measure] for c in counties]
        x = np.array([np.nan if v is None else v for v in vals], dtype=float)
        if bars:
            y = np.arange(len(counties))[::-1]
            ax.barh(y, np.nan_to_num(x), color="#bdbdbd", edgecolor="black", linewidth=0.6, height=0.65,
                    hatch=["" if v is not None else "//" for v in vals])
            for yi, v in zip(y, vals):
                ax.text(0 if v is None else v, yi, " " + fmt_num(v, 3, undefined="无法计算"), va="center", fontsize=6.5)
            ax.set_yticks(y, [_county_name(c) for c in counties], fontsize=7)
            hi = np.nanmax(x) if np.isfinite(x).any() else 1.0
            ax.set_xlim(min(0.0, np.nanmin(x) if np.isfinite(x).any() else 0.0), hi * 1.35 if hi > 0 else 1.0)
        else:
            ok = x[np.isfinite(x)]
            ax.hist(ok, bins=20, color="#bdbdbd", edgecolor="black", linewidth=0.5)
            if ok.size:
                ax.axvline(float(np.median(ok)), color="black", linestyle="--", linewidth=1)
            ax.set_ylabel("县（区）数", fontsize=7)
            missing = len(x) - ok.size
            if missing:
                ax.text(0.98, 0.95, f"无法计算：{missing} 个", transform=ax.transAxes, ha="right", va="top", fontsize=6.5)
        ax.set_title(ind.label, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    for k in range(len(inds), nrows * ncols):
        axes[k // ncols][k % ncols].set_axis_off()
    how = "各县（区）" if bars else f"{len(counties)} 个县（区）的分布（虚线为中位数）"
    caption = f"{LEVEL_NAMES[level]}{MEASURE_NAMES[measure]}：{how}"
    fig.suptitle(caption, fontsize=10)
    return Chart(f"{level}_{measure}", fig, caption)


def quadrant_chart(rows: list[dict], level: str, province: str) -> Chart:
    """The level × balance quadrant of one province's counties at one level (module doc). rows:
    the entries of ``EquityResult.quadrants[level]`` of that province."""
    from statistics import median

    fig = _new(WIDTH_IN * 0.8)
    ax = fig.add_subplot()
    xs, ys = [q["level_index"] for q in rows], [q["mean_cv"] for q in rows]
    mx, my = median(xs), median(ys)
    for name, (marker, face) in MARKERS.items():
        pts = [(q["level_index"], q["mean_cv"]) for q in rows if q["quadrant"] == name]
        if pts:
            px, py = zip(*pts)
            ax.scatter(px, py, marker=marker, s=46, facecolor=face, edgecolor="black", linewidth=0.8, label=name, zorder=3)
    if len(rows) <= MAX_NAMED:
        for q in rows:
            ax.annotate(_county_name(q), (q["level_index"], q["mean_cv"]), xytext=(4, 3), textcoords="offset points",
                        fontsize=7)
    ax.axvline(mx, color="black", linestyle="--", linewidth=0.9)
    ax.axhline(my, color="black", linestyle="--", linewidth=0.9)
    ax.margins(0.22)                        # room for the corner names
    ax.invert_yaxis()                       # lower CV = more balanced = up
    corners = {(True, True): (0.98, 0.98, "right", "top"), (False, True): (0.02, 0.98, "left", "top"),
               (True, False): (0.98, 0.02, "right", "bottom"), (False, False): (0.02, 0.02, "left", "bottom")}
    for key, (x, y, ha, va) in corners.items():
        ax.text(x, y, QUADRANTS[key], transform=ax.transAxes, ha=ha, va=va, fontsize=8, color="#555555")
    ax.set_xlabel("水平指数（各指标均值 ÷ 本省各县均值的平均，1 为平均水平）", fontsize=8)
    ax.set_ylabel("平均差异系数（越小越均衡，纵轴向上递减）", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=4)
    ax.spines[["top", "right"]].set_visible(False)
    caption = f"{LEVEL_NAMES[level]}各县（区）水平与均衡象限（省级代码 {province}，虚线为中位数）"
    ax.set_title(caption, fontsize=9.5)
    return Chart(f"{level}_quadrant_{province}", fig, caption)


def equity_charts(a: Assessment, r: EquityResult) -> list[Chart]:
    """Every chart of an equity result: per level a chart per measure (:data:`MEASURES`), then a
    quadrant chart per level and province with at least two counties. Raises
    fonts.FontMissingError without the CJK font."""
    out: list[Chart] = []
    with rc_context(chart_rc()):
        for level in ("primary", "junior"):
            for m in MEASURES:
                ch = measure_chart(a, r, level, m)
                if ch is not None:
                    out.append(ch)
            provinces: dict[str, list[dict]] = {}
            for q in r.quadrants.get(level, []):
                provinces.setdefault(q["province"], []).append(q)
            out += [quadrant_chart(rows, level, p) for p, rows in provinces.items()]
    return out


def write_charts(charts: list[Chart], folder) -> list:
    """Each chart as ``<folder>/<key>.png`` (all-or-nothing per file: report/files.write_atomic);
    the folder is created. Returns the paths. Raises OSError when a file cannot be written."""
    from pathlib import Path

    from .files import write_atomic

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for ch in charts:
        data = ch.png()
        out.append(write_atomic(folder / f"{ch.key}.png", lambda p, d=data: p.write_bytes(d)))
    return out
