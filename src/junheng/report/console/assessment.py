"""The assessment on screen (rich, Chinese): per level every indicator's mean, CV, threshold and
verdict, the composite, the schools that pull each CV most, the weakest units and the excluded
schools with reasons. Display rounds to 3 decimals half-up (docs/rules.md §4)."""
from __future__ import annotations

from collections import Counter

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ...core.result import Assessment, CountyResult
from ...core.trace import top_contributors, weakest_units
from ..narrative.findings import say_all, worded_excluded
from ..narrative.numbers import fmt_num, fmt_verdict
from ...schema import LEVEL_NAMES
from .provisions import provisions_table
from ..safe_text import plain_text

#: Above this many counties the screen shows one summary line per county only.
DETAIL_MAX_COUNTIES = 5


def verdict_mark(ok: bool | None) -> Text:
    """达标 / 未达标 / 无法判定 as coloured rich Text (green / red / yellow)."""
    style = {True: "green", False: "bold red", None: "yellow"}[ok]
    return Text(fmt_verdict(ok), style=style)


def _level_table(a: Assessment, c: CountyResult, level: str) -> Table:
    lv = c.levels[level]
    composite = a.rules.dispersion.test == "composite"
    t = Table(title=f"{LEVEL_NAMES[level]}：{lv.units} 个单位，在校生 {lv.students:,} 人", title_justify="left", expand=False)
    t.add_column("指标", overflow="fold")
    t.add_column("全县均值", justify="right")
    t.add_column("差异系数", justify="right")
    if not composite:
        t.add_column("标准(≤)", justify="right")
        t.add_column("结果")
    t.add_column("拉高差异系数最多的学校（占方差比例）", overflow="fold")
    for code, s in lv.indicators.items():
        top = top_contributors(a, c.county_key, level, code, 2)
        who = "\n".join(f"{plain_text(r['name'])} {r['share'] * 100:.1f}%" for r in top.iter_rows(named=True) if r["share"] > 0)
        row = [f"{s.name}({s.unit})", fmt_num(s.mean), fmt_num(s.cv)]
        if not composite:
            row += [fmt_num(s.threshold, 2), verdict_mark(s.passed)]
        t.add_row(*row, who)
    label = "综合差异系数" if composite else "7项差异系数平均值（仅供参考）"
    row = [Text(label, style="bold"), "", Text(fmt_num(lv.composite_cv), style="bold")]
    if composite:
        row[1] = f"标准 ≤ {fmt_num(lv.composite_threshold, 2)}"
    else:
        row += ["", ""]
    t.add_row(*row, verdict_mark(lv.passed) if composite else "")
    return t


def _weak_table(a: Assessment, c: CountyResult, level: str, n: int = 10) -> Table | None:
    w = weakest_units(a, c.county_key, level, n)
    if w.height == 0:
        return None
    names = {i.code: i.label for i in a.rules.indicators}
    rule = a.rules.unit_rule is not None
    title = "未达标或最薄弱的单位（按单项标准）" if rule else "最薄弱的单位（低于全县均值的指标）"
    t = Table(title=f"{LEVEL_NAMES[level]}{title}", title_justify="left")
    t.add_column("学校")
    t.add_column("在校生", justify="right")
    if rule:
        t.add_column("达标项数", justify="right")
        t.add_column("结果")
    t.add_column("薄弱指标", overflow="fold")
    for r in w.iter_rows(named=True):
        row = [plain_text(r["name"]), f"{r['students']:,}"]
        if rule:
            verdict = verdict_mark(r["passed"])
            if not r["passed"] and r["met_count"] >= a.rules.unit_rule.min_met:
                verdict.append(f"（未达标项低于标准的{a.rules.unit_rule.floor_ratio:.0%}）", style="red")
            row += [f"{r['met_count']}/{len(names)}", verdict]
        row.append("、".join(names[b] for b in r["below"]) or "—")
        t.add_row(*row)
    return t


def _excluded(a: Assessment, c: CountyResult) -> Table | None:
    ex = worded_excluded(a.excluded_of(c.county_key), a.rules)
    if ex.height == 0:
        return None
    t = Table(title=f"未参与计算的学校：{ex.height} 所", title_justify="left")
    t.add_column("原因", overflow="fold")
    t.add_column("所数", justify="right")
    t.add_column("学校")
    counts = Counter(ex["reason"].to_list())
    for reason, n in counts.most_common():
        names = [plain_text(n) for n in ex.filter(ex["reason"] == reason)["name"].to_list()]
        shown = "、".join(names[:6]) + (f" 等 {len(names)} 所" if len(names) > 6 else "")
        t.add_row(plain_text(reason), str(n), shown)
    return t


def county_view(a: Assessment, c: CountyResult, full_verdict: bool | None | str = "none") -> Panel:
    """One county's full result as a rich Panel.

    full_verdict: the verdict including the county-level checks when they were run (True, False or
    None for undecided); the default "none" means no county checks, so the school-level verdict is
    the county's verdict.
    """
    parts: list = []
    for level in c.levels:
        parts.append(_level_table(a, c, level))
        for note in say_all(c.levels[level].notes):
            parts.append(Text(f"注意：{note}", style="yellow"))
        weak = _weak_table(a, c, level)
        if weak is not None:
            parts.append(weak)
    if a.rules.unit_rule is not None:
        ur = a.rules.unit_rule
        parts.append(Text(
            f"单校标准：{len(a.rules.indicators)} 项中至少 {ur.min_met} 项达标，其余项不低于标准的 {ur.floor_ratio:.0%}；"
            f"未达标单位 {c.units_failed} 个。"
        ))
    prov = provisions_table(a, c)
    if prov is not None:
        parts.append(prov)
    ex = _excluded(a, c)
    if ex is not None:
        parts.append(ex)
    for note in say_all(c.notes):
        parts.append(Text(f"注意：{note}", style="yellow"))
    name = c.county or c.county_code or "（未注明县区）"
    if full_verdict == "none":
        verdict = Text.assemble(("评估结论：", "bold"), verdict_mark(c.verdict))
    else:
        verdict = Text.assemble(("评估结论（含县级指标，详见下方县级核查）：", "bold"), verdict_mark(full_verdict),
                                ("；其中资源配置（学校层面）：", "bold"), verdict_mark(c.verdict))
    head = plain_text(f"{name}{f'（{c.county_code}）' if c.county_code and c.county else ''} · {a.rules.name}")
    return Panel(Group(verdict, *parts), title=Text(head), title_align="left", expand=False)  # a str title is markup


def summary_table(a: Assessment) -> Table:
    """One line per county: composite or failing indicators per level, and the verdict."""
    t = Table(title=f"{a.rules.name}：{len(a.counties)} 个县（区）", title_justify="left")
    t.add_column("县区代码")
    t.add_column("县区")
    for lv in ("primary", "junior"):
        t.add_column(f"{LEVEL_NAMES[lv]}" + ("综合差异系数" if a.rules.dispersion.test == "composite" else "超标指标数"), justify="right")
    t.add_column("结论")
    for c in a.counties:
        cells = []
        for lv in ("primary", "junior"):
            r = c.levels.get(lv)
            if r is None:
                cells.append("—")
            elif a.rules.dispersion.test == "composite":
                cells.append(fmt_num(r.composite_cv))
            else:
                cells.append(str(sum(1 for s in r.indicators.values() if s.passed is False)))
        t.add_row(plain_text(c.county_code or ""), plain_text(c.county or ""), *cells, verdict_mark(c.verdict))
    return t


def print_assessment(a: Assessment, console: Console, full_verdicts: dict | None = None) -> None:
    """Print an assessment: details per county, or a summary when there are many counties.

    full_verdicts: optional {county_key: verdict with the county-level checks} for the headline.
    """
    title = a.rules.document + (f" · {a.rules.province_name}" if a.rules.province_name else "")
    if a.year is not None:
        title += f" · {a.year} 年统计数据"
    console.print(Text(title, style="dim"))
    if len(a.counties) > DETAIL_MAX_COUNTIES:
        console.print(summary_table(a))
        console.print(Text(f"共 {len(a.counties)} 个县区，逐县明细请用 --format json 或 --format xlsx 输出。", style="dim"))
        return
    for c in a.counties:
        full = (full_verdicts or {}).get(c.county_key, "none")
        console.print(county_view(a, c, full))
