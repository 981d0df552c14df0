"""The equity analysis on screen and as JSON (CONTRACT: ``junheng equity … --format json``).

:func:`equity_payload` is the JSON document (full precision, null where a measure is undefined);
:func:`print_equity` renders one table per county and level: a row per measure, a column per
indicator (3 decimals, half-up, display only), and the between-group shares of Theil T.
"""
from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from ..analysis.equity import EquityResult
from ..core.result import Assessment
from .narrative.numbers import fmt_num, round_half_up
from .safe_text import console_text

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


def print_equity(a: Assessment, r: EquityResult, con: Console) -> None:
    """One table per county and level (a row per measure, a column per indicator), then the quadrants."""
    labels = {i.code: i.label for i in a.rules.indicators}
    for c in r.counties:
        for level, lv in c["levels"].items():
            t = Table(title=f"{console_text(c['county'] or c['county_code'])} {LEVEL_NAMES.get(level, level)}：均衡程度的其他度量",
                      title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1))
            t.add_column("度量", no_wrap=True)
            for code in lv["indicators"]:
                t.add_column(labels.get(code, code), justify="right")
            inds = list(lv["indicators"].values())
            for m, name in MEASURE_NAMES.items():
                t.add_row(name, *(_fmt(v[m]) for v in inds))
            for g, name in (("township", "T乡镇间占比"), ("urban_rural", "T城乡间占比")):
                t.add_row(name, *(_share(v["decomposition"][g]["theil_t"]) for v in inds))
            con.print(t)
    for level, rows in r.quadrants.items():
        t = Table(title=f"{LEVEL_NAMES.get(level, level)}：各县（区）水平与均衡象限", title_justify="left")
        for h in ("县（区）", "水平指数", "平均差异系数", "象限"):
            t.add_column(h)
        for q in rows:
            t.add_row(console_text(q["county"] or q["county_code"]), _fmt(q["level_index"]), _fmt(q["mean_cv"]), q["quadrant"])
        con.print(t)
