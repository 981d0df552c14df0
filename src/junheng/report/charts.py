"""Charts of one county's result (matplotlib, Agg canvas, Chinese labels in the registered CJK font).

Per level (小学 / 初中) three figures, each read from the Assessment only:

* ``cv``: every indicator's CV (差异系数) as a bar, with the CV threshold line (quality-2017:
  0.50 / 0.45, bars over it dark grey with hatching) or, under basic-2012, the composite (综合差异系数) as its own
  bar and the composite threshold line (0.65 / 0.55);
* ``dist``: for each indicator the distribution of the units' values (histogram) with the
  per-unit threshold (quality-2017, units below it dark grey with hatching) or the county mean (basic-2012);
* ``contrib``: the weakest units (``core.trace.weakest_units``) × indicators, each cell the unit's
  share of that indicator's variance (``contrib_<code>``, in %), in grey levels.

Everything prints in black (:data:`FAIL`, :data:`MEET`, :data:`HATCH`): no meaning rests on colour.

Figures are built with :class:`matplotlib.figure.Figure` on an explicit Agg canvas (no pyplot,
no global backend switch, so an application's own matplotlib backend is left alone), inside ``rc_context(fonts.chart_rc())`` so every text uses Noto Sans CJK SC. PNG at
:data:`DPI` dots per inch, :data:`WIDTH_IN` inches wide.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..core.result import Assessment, CountyResult
from ..core.trace import weakest_units
from .narrative.numbers import fmt_num
from ..schema import LEVEL_NAMES
from .narrative.numbers import fmt_plain, value_unit
from .fonts import chart_rc
from .safe_text import short_label

DPI = 150
WIDTH_IN = 6.3
#: Greyscale marks (GB/T 9704 documents print in black): what fails is black with hatching, what
#: meets is light grey, undecided white with a dashed edge; lines are black, the standard dashed.
FAIL, MEET, OPEN, INK = "#303030", "#C8C8C8", "#FFFFFF", "#000000"
HATCH = "////"
#: How many weak units the contribution chart shows at most.
CONTRIB_UNITS = 10


@dataclass
class Chart:
    """key: ``"{level}_{kind}"``; figure: the matplotlib Figure; caption: Chinese caption without
    the “图n” number."""

    key: str
    figure: Figure
    caption: str

    def png(self) -> bytes:
        """The chart as PNG bytes."""
        return render_png(self.figure)


def render_png(fig: Figure, dpi: int = DPI) -> bytes:
    """Draw a figure on an Agg canvas and return PNG bytes."""
    buf = io.BytesIO()
    with rc_context(chart_rc()):
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _new(height: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def cv_chart(a: Assessment, c: CountyResult, level: str) -> Chart:
    """Bars of the CVs of one level against the threshold (see module doc)."""
    lv = c.levels[level]
    inds = a.rules.indicators
    composite = a.rules.dispersion.test == "composite"
    labels = [i.label for i in inds]
    cvs = [lv.indicators[i.code].cv for i in inds]
    states = [None if lv.indicators[i.code].cv is None else lv.indicators[i.code].passed is not False for i in inds]
    if composite:  # basic-2012: the indicators have no standard of their own, only the composite
        states = [None if s is None else True for s in states]
        labels.append("综合差异系数")
        cvs.append(lv.composite_cv)
        states.append(None if lv.composite_cv is None else bool(lv.passed))
        line, line_label = lv.composite_threshold, f"综合差异系数标准 ≤ {fmt_num(lv.composite_threshold, 2)}"
    else:
        thr = next(iter(lv.indicators.values())).threshold
        line, line_label = thr, f"差异系数标准 ≤ {fmt_num(thr, 2)}"
    fig = _new(0.38 * len(labels) + 1.1)
    ax = fig.add_subplot()
    y = np.arange(len(labels))[::-1]
    vals = [0.0 if v is None else v for v in cvs]
    for yi, v, ok in zip(y, vals, states):
        ax.barh(yi, v, height=0.6, color=MEET if ok else FAIL if ok is False else OPEN, edgecolor=INK,
                linewidth=0.6, hatch=HATCH if ok is False else None)
    for yi, v in zip(y, cvs):
        ax.text((v or 0) + 0.005, yi, fmt_num(v), va="center", fontsize=8)
    ax.axvline(line, color=INK, linestyle="--", linewidth=1.2, label=line_label)
    if any(ok is False for ok in states):
        from matplotlib.patches import Patch
        ax.legend(handles=[ax.get_lines()[-1], Patch(facecolor=FAIL, edgecolor=INK, hatch=HATCH, label="超过标准")],
                  loc="lower right", fontsize=8, frameon=False)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, max(max(vals), line) * 1.18 + 0.01)
    ax.set_xlabel("差异系数")
    if not any(ok is False for ok in states):
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    what = "综合差异系数标准" if composite else "差异系数标准"
    caption = f"{LEVEL_NAMES[level]}各项指标差异系数与{what}"
    ax.set_title(caption)  # the title says what the caption says
    ax.spines[["top", "right"]].set_visible(False)
    return Chart(f"{level}_cv", fig, caption)


def distribution_chart(a: Assessment, c: CountyResult, level: str) -> Chart:
    """Histograms of the units' values per indicator with the threshold or county mean line."""
    lv = c.levels[level]
    inds = a.rules.indicators
    u = a.units_of(c.county_key).filter(pl.col("level") == level)
    rule = a.rules.unit_rule is not None
    ncols = 3
    nrows = math.ceil(len(inds) / ncols)
    fig = _new(1.5 * nrows + 0.5)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for k, ind in enumerate(inds):
        ax = axes[k // ncols][k % ncols]
        x = u[ind.code].to_numpy()
        ref = ind.threshold.get(level) if rule else lv.indicators[ind.code].mean
        low = u[f"meets_{ind.code}"].to_numpy() == False if rule else x < ref  # noqa: E712
        lo, hi = (float(x.min()), float(x.max())) if x.size else (0.0, 1.0)
        lo, hi = min(lo, ref), max(hi, ref)
        bins = np.linspace(lo, hi if hi > lo else lo + 1, 13)
        _, _, patches = ax.hist([x[low], x[~low]], bins=bins, stacked=True, color=[FAIL, MEET], edgecolor=INK,
                                linewidth=0.4, label=["未达标" if rule else "低于均值", "达标" if rule else "不低于均值"])
        for bar in patches[0]:
            bar.set_hatch(HATCH)
        ax.axvline(ref, color=INK, linestyle="--", linewidth=1.1)
        ref_text = f"标准 {fmt_plain(ref)}" if rule else f"均值 {fmt_num(ref)}"
        ax.text(ref, ax.get_ylim()[1] * 0.92, " " + ref_text, fontsize=7, color=INK, va="top",
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.5})
        ax.set_title(f"{ind.label}（{value_unit(ind.unit, ind.per)}）", fontsize=8.5)
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    for k in range(len(inds), nrows * ncols):
        axes[k // ncols][k % ncols].set_axis_off()
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper right", ncols=2, fontsize=8, frameon=False)
    fig.supylabel("单位数（个）", fontsize=8)
    ref_name = "单校标准" if rule else "全县均值"
    caption = f"{LEVEL_NAMES[level]}各单位指标值分布（虚线为{ref_name}）"
    fig.suptitle(caption, fontsize=10)
    return Chart(f"{level}_dist", fig, caption)


def contribution_chart(a: Assessment, c: CountyResult, level: str, n: int = CONTRIB_UNITS) -> Chart | None:
    """Heat map: the n weakest units' shares (%) of each indicator's variance; None if no unit
    falls short."""
    weak = weakest_units(a, c.county_key, level, n)
    if weak.height == 0:
        return None
    inds = a.rules.indicators
    u = a.units_of(c.county_key).filter(pl.col("level") == level)
    rows = weak.select("school_id").join(u, on="school_id", how="left", maintain_order="left")
    m = np.array([[r[f"contrib_{i.code}"] * 100 for i in inds] for r in rows.iter_rows(named=True)])
    fig = _new(0.34 * len(rows) + 1.7)
    ax = fig.add_subplot()
    im = ax.imshow(m, cmap="Greys", aspect="auto", vmin=0, vmax=max(float(m.max()), 1.0))
    ax.set_xticks(range(len(inds)), [i.label for i in inds], rotation=30, ha="right", fontsize=9)
    ax.set_yticks(range(len(rows)), [short_label(n) for n in rows["name"].to_list()], fontsize=9)
    top = m.max() if m.size else 0
    for (r, k), v in np.ndenumerate(m):  # 10 pt at a 120 mm print width (7.5 pt): legible on paper
        ax.text(k, r, f"{v:.0f}" if v >= 10 else f"{v:.1f}", ha="center", va="center", fontsize=10,
                color="white" if v > top * 0.6 else "black")
    fig.colorbar(im, ax=ax, label="占该指标校际差异的比例（%）", shrink=0.8)
    caption = f"{LEVEL_NAMES[level]}拉大校际差异的主要学校（各校占各项指标差异的比例，%）"
    ax.set_title(caption)
    return Chart(f"{level}_contrib", fig, caption)


def county_charts(a: Assessment, c: CountyResult) -> list[Chart]:
    """All charts of one county, level by level (cv, dist, contrib). Figures are built in the CJK
    rc context; call :meth:`Chart.png` to render. Raises fonts.FontMissingError without the font."""
    out: list[Chart] = []
    with rc_context(chart_rc()):
        for level in c.levels:
            out.append(cv_chart(a, c, level))
            out.append(distribution_chart(a, c, level))
            ch = contribution_chart(a, c, level)
            if ch is not None:
                out.append(ch)
    return out
