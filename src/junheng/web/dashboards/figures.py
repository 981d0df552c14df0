"""What the dashboard shows, read from stored assessment documents (the JSON of ``junheng assess``,
docs/json-contract.md) — nothing is recomputed: CVs, thresholds, verdicts, unit values and marks
are the document's; the text uses report/narrative/numbers.py. Charts are plotly.js figure specs
(plain dicts, ``{"data": [...], "layout": {...}}``)."""
from __future__ import annotations

from junheng.report.narrative.numbers import cn_brackets, fmt_count, fmt_num, fmt_verdict
from junheng.schema import LEVEL_NAMES

#: Bars in grey like the documents' charts (report/charts.py): met light, not met dark and hatched,
#: no threshold of its own mid grey — black and white print keeps the verdict.
OK, BAD, NONE = "#c8c8c8", "#333333", "#8c8c8c"
_LAYOUT = {"margin": {"l": 48, "r": 12, "t": 36, "b": 8}, "height": 340, "font": {"size": 12},
           "legend": {"orientation": "h", "y": -0.25}, "paper_bgcolor": "#fff", "plot_bgcolor": "#fff"}


def county_doc(doc: dict) -> dict | None:
    """The (first) county of a snapshot's assessment document, None when it has none."""
    return (doc.get("counties") or [None])[0]


def levels(county: dict) -> list[dict]:
    """The levels of a county with their indicators ready for a table:
    ``[{"key", "name", "units", "students", "passed", "verdict", "composite_cv", "composite_threshold",
    "composite", "indicators": [{"code", "name", "unit", "cv", "threshold", "passed", "cv_text",
    "threshold_text", "verdict", "mean_text"}]}]`` (levels without units left out)."""
    out = []
    for key, lv in (county.get("levels") or {}).items():
        if not lv:
            continue
        inds = [{"code": code, "name": cn_brackets(i["name"]), "unit": i.get("unit") or "", "cv": i["cv"],
                 "threshold": i["threshold"], "passed": i["passed"], "cv_text": fmt_num(i["cv"]),
                 "threshold_text": "" if i["threshold"] is None else fmt_num(i["threshold"], 2),
                 "verdict": "" if i["threshold"] is None else fmt_verdict(i["passed"]),
                 "mean_text": fmt_num(i["mean"], 2)}
                for code, i in lv["indicators"].items()]
        out.append({"key": key, "name": LEVEL_NAMES.get(key, key), "units": fmt_count(lv["units"]),
                    "students": fmt_count(lv["students"]), "passed": lv.get("passed"),
                    "verdict": fmt_verdict(lv.get("passed")), "composite_cv": lv.get("composite_cv"),
                    "composite_threshold": lv.get("composite_threshold"),
                    "composite": fmt_num(lv.get("composite_cv")),
                    "composite_threshold_text": "" if lv.get("composite_threshold") is None
                    else fmt_num(lv["composite_threshold"], 2), "indicators": inds})
    return out


def _color(passed) -> str:
    return {True: OK, False: BAD}.get(passed, NONE)


def cv_figure(level: dict) -> dict:
    """Bars: each indicator's CV (light grey met, dark hatched not met, mid grey without its own threshold: the documents' greys), with the
    threshold as a marker; the composite CV last when the pack judges it."""
    names = [i["name"] for i in level["indicators"]]
    cvs = [i["cv"] for i in level["indicators"]]
    colors = [_color(i["passed"]) for i in level["indicators"]]
    limits = [i["threshold"] for i in level["indicators"]]
    if level["composite_threshold"] is not None:
        names.append("综合差异系数")
        cvs.append(level["composite_cv"])
        colors.append(_color(level["passed"]))
        limits.append(level["composite_threshold"])
    data = [{"type": "bar", "orientation": "h", "name": "差异系数", "y": names, "x": cvs,
             "marker": {"color": colors, "line": {"color": "#222", "width": 1},
                        "pattern": {"shape": ["/" if c == BAD else "" for c in colors], "fgcolor": "#fff"}},
             "hovertemplate": "%{y}<br>差异系数 %{x:.3f}<extra></extra>"}]
    if any(t is not None for t in limits):
        data.append({"type": "scatter", "mode": "markers", "name": "标准（不高于）", "y": names, "x": limits,
                     "marker": {"symbol": "line-ns-open", "size": 26, "color": "#222", "line": {"width": 3, "color": "#222"}},
                     "hovertemplate": "%{y}<br>标准 ≤ %{x:.2f}<extra></extra>"})
    layout = {**_LAYOUT, "height": 90 + 34 * len(names), "margin": {"l": 8, "r": 12, "t": 60, "b": 36},
              "title": {"text": f"{level['name']}：各指标差异系数与标准", "x": 0},
              "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
              "yaxis": {"automargin": True, "autorange": "reversed"},
              "xaxis": {"title": {"text": "差异系数"}, "rangemode": "tozero"}, "showlegend": True}
    return {"data": data, "layout": layout}


def trend(series: list[tuple[int, dict]]) -> dict[str, dict]:
    """Per level key: ``{"years": [...], "rows": [{"name", "values": [cv or None per year], "texts"}]}``
    from ``[(year, county document)]`` in year order (the CV of each indicator, then the composite)."""
    years = [y for y, _ in series]
    out: dict[str, dict] = {}
    for idx, (_, county) in enumerate(series):
        for lv in levels(county):
            t = out.setdefault(lv["key"], {"name": lv["name"], "years": years, "rows": {}})
            items = [(i["name"], i["cv"]) for i in lv["indicators"]] + [("综合差异系数", lv["composite_cv"])]
            for name, cv in items:
                row = t["rows"].setdefault(name, [None] * len(years))
                row[idx] = cv
    for t in out.values():
        t["rows"] = [{"name": n, "values": v, "texts": [fmt_num(x, undefined="—") for x in v]}
                     for n, v in t["rows"].items()]
    return out


def trend_figure(t: dict) -> dict:
    """Lines: each indicator's CV over the snapshot years of one level."""
    data = [{"type": "scatter", "mode": "lines+markers", "name": r["name"], "x": t["years"], "y": r["values"],
             "hovertemplate": f"{r['name']}<br>%{{x}} 年 %{{y:.3f}}<extra></extra>"} for r in t["rows"]]
    layout = {**_LAYOUT, "height": 380, "title": {"text": f"{t['name']}：历年差异系数", "x": 0},
              "xaxis": {"type": "category", "title": {"text": "学年"}},
              "yaxis": {"title": {"text": "差异系数"}, "rangemode": "tozero"}}
    return {"data": data, "layout": layout}


def progress_figure(counts: dict[str, int]) -> dict:
    """Horizontal stacked bar of the schools by status (labels and counts of collection/progress.py)."""
    palette = {"草稿": "#c9c9c9", "已提交待审核": "#5b7fd6", "已退回修改": "#b00020", "审核通过": "#17692e", "未填报": "#f0b400"}
    data = [{"type": "bar", "orientation": "h", "name": f"{label} {n}", "x": [n], "y": ["学校"],
             "marker": {"color": palette.get(label, NONE)}, "hovertemplate": f"{label}：%{{x}} 所<extra></extra>"}
            for label, n in counts.items()]
    layout = {**_LAYOUT, "height": 170, "barmode": "stack", "margin": {"l": 40, "r": 12, "t": 8, "b": 8},
              "xaxis": {"title": {"text": "学校数"}}, "yaxis": {"showticklabels": False}}
    return {"data": data, "layout": layout}


def units(county: dict, level: dict) -> dict:
    """The units of one level with their values and marks: ``{"columns": [indicator names],
    "rows": [{"name", "school_id", "students", "cells": [{"text", "ok"}], "met", "verdict", "passed"}]}``;
    ``ok`` is the unit's mark for that indicator (quality-2017), None when the pack has no unit rule."""
    codes = [i["code"] for i in level["indicators"]]
    rows = []
    for u in county.get("units") or []:
        if u.get("level") != level["key"]:
            continue
        meets = u.get("meets") or {}
        rows.append({"name": u["name"], "school_id": u["school_id"], "students": fmt_count(u["students"]),
                     "cells": [{"text": fmt_num(u["indicators"].get(c), 2, undefined="—"), "ok": meets.get(c)}
                               for c in codes],
                     "met": "" if u.get("met_count") is None else fmt_count(u["met_count"]),
                     "verdict": "" if u.get("passed") is None else fmt_verdict(u["passed"]), "passed": u.get("passed")})
    return {"columns": [i["name"] for i in level["indicators"]], "rows": rows}


def weakest(rows: list[dict], level: dict) -> list[dict]:
    """The stored weakest units of one level (junheng.core.trace.weakest_units rows) for display:
    the indicators below threshold (or below the county mean) by name."""
    names = {i["code"]: i["name"] for i in level["indicators"]}
    return [{"name": r["name"], "school_id": r["school_id"], "students": fmt_count(r["students"]),
             "below": "、".join(names.get(c, c) for c in r["below"]),
             "met": "" if r.get("met_count") is None else fmt_count(r["met_count"]),
             "verdict": "" if r.get("passed") is None else fmt_verdict(r["passed"])} for r in rows]
