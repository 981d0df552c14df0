"""The annual monitoring on screen and as JSON (docs/json-contract.md, ``junheng monitor … -f json``).

:func:`monitor_payload` is the JSON document (full precision); :func:`print_monitor` renders per
county: the verdicts and school changes, one table per level (a row per indicator, a column per
year, CVs at 3 decimals half-up, failing values red), the regressions and the 预警 list, class and
school sizes. Words from report/narrative/monitor.py.
"""
from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ...analysis.monitor import MonitorResult
from ...schema import LEVEL_NAMES
from ..narrative.monitor import (CHANGE_NAMES, SEVERITY_NAMES, SOURCE_NAMES, change_text, county_label, item_text,
                                 regression_text, severity_meaning, warning_value)
from ..narrative.numbers import fmt_num, fmt_plain, fmt_verdict
from ..safe_text import plain_text

STYLE = {"red": "bold red", "orange": "dark_orange", "yellow": "yellow", None: ""}
#: How many 预警 rows the screen shows per county (all are in the JSON and Excel outputs).
MAX_WARNINGS_SHOWN = 30


def monitor_payload(m: MonitorResult, *, sources: dict[int, str] | None = None,
                    warnings: list[str] | None = None) -> dict[str, Any]:
    """``{"rules", "rules_name", "years", "sources", "settings", "school_size_limits", "counties",
    "warnings"}`` (docs/json-contract.md); sources: year → file name (default: the result's)."""
    src = sources or m.sources
    return {"rules": m.rules.id, "rules_name": m.rules.name, "years": m.years,
            "sources": {str(y): src.get(y) for y in m.years}, "settings": m.settings.as_dict(),
            "school_size_limits": m.school_size_limits, "counties": m.counties, "warnings": warnings or []}


def _cell(v: float | None, passed: bool | None, warn: str | None) -> Text:
    text = fmt_num(v, 3, undefined="—")
    style = "bold red" if passed is False else STYLE.get(warn, "")
    return Text(text, style=style)


def print_monitor(m: MonitorResult, con: Console) -> None:
    """Per county the tables of the module doc; the 预警 legend at the end."""
    years = m.years
    for c in m.counties:
        name = plain_text(county_label(c))
        con.rule(f"{name}：年度监测复查（{years[0]}—{years[-1]}年，{m.rules.name}）")
        con.print("评估结论：" + "；".join(f"{y}年{fmt_verdict(v)}" for y, v in c["verdicts"].items()), markup=False)
        for y, ch in c["schools"].items():
            for kind in ("new", "closed", "renamed", "merged"):
                if ch[kind]:
                    con.print(f"{y}年{CHANGE_NAMES[kind]}{len(ch[kind])}所：" +
                              "；".join(plain_text(change_text(kind, r)) for r in ch[kind]), markup=False)
        for level, lv in c["levels"].items():
            t = Table(title=f"{name} {LEVEL_NAMES[level]}：差异系数逐年变化", title_justify="left", box=box.SIMPLE_HEAD)
            t.add_column("指标")
            for y in years:
                t.add_column(f"{y}年", justify="right")
            t.add_column("标准（≤）", justify="right")
            for s in lv["indicators"].values():
                t.add_row(s["name"], *[_cell(p["cv"], p["passed"], p["warning"]) for p in s["series"]],
                          "—" if s["threshold"] is None else fmt_plain(s["threshold"]))
            comp = lv["composite"]
            t.add_row("综合差异系数", *[_cell(p["cv"], p["passed"], p["warning"]) for p in comp["series"]],
                      "—" if comp["threshold"] is None else fmt_plain(comp["threshold"]), style="bold")
            con.print(t)
        if c["regressions"]:
            con.print("退步（由达标变为未达标）：", style="bold")
            for r in c["regressions"]:
                con.print("  " + plain_text(regression_text(r, m)), markup=False)
        else:
            con.print("退步：无。")
        if c["warnings"]:
            t = Table(title=f"{name} {years[-1]}年预警", title_justify="left", box=box.SIMPLE_HEAD)
            for h in ("预警级别", "项目", "当前值", "标准"):
                t.add_column(h)
            for w in c["warnings"][:MAX_WARNINGS_SHOWN]:
                t.add_row(Text(SEVERITY_NAMES[w['severity']], style=STYLE[w['severity']]), plain_text(item_text(w, m)),
                          warning_value(w), "—" if w["threshold"] is None else f"≤{fmt_plain(w['threshold'])}")
            con.print(t)
            if len(c["warnings"]) > MAX_WARNINGS_SHOWN:
                con.print(f"……另有 {len(c['warnings']) - MAX_WARNINGS_SHOWN} 项预警（完整清单见 -f json 或 -f xlsx）")
        else:
            con.print(f"{years[-1]}年预警：无。")
        t = Table(title=f"{name} 班额与学校规模", title_justify="left", box=box.SIMPLE_HEAD)
        for h in ("年度", "班额数据", "大班额", "超大班额", "超规模学校", "最大校额"):
            t.add_column(h)
        for y in years:
            cs, ss = c["class_size"][str(y)], c["school_size"][str(y)]
            src = cs.get("source")
            t.add_row(f"{y}年", SOURCE_NAMES[src], "—" if src is None else str(cs["big"]),
                      "—" if src is None else str(cs["huge"]), "—" if ss is None else str(ss["over"]),
                      "—" if ss is None else str(ss["largest"]))
        con.print(t)
    con.print("预警级别：" + "；".join(f"{SEVERITY_NAMES[s]}＝{severity_meaning(s, m)}" for s in SEVERITY_NAMES)
              + "。按平均班额统计时为各校学段的平均值。", style="dim")
