"""The county-level checks for JSON and on screen (rich, Chinese).

:func:`county_checks_payload` is the ``county_checks`` section of one county in the JSON document
(full precision, no rounding); :func:`county_checks_view` renders one panel with a table per part
(资源配置 / 政府保障程度 / 教育质量 / 社会认可度 / 一票否决 or the basic-2012 parts), the yearly
money checks (growth in % and margins in percentage points, 2 decimals half-up on display) and
the failing items. Display rounding never feeds a verdict.
"""
from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ...core.county_result import CountyChecks, ItemResult, PartResult
from ...core.funding import FundingResult
from ..narrative.findings import MARGIN_UNITS, failure_line, item_failures, rule_text, say, say_all
from ..narrative.items import situation
from ..narrative.numbers import fmt_growth, fmt_pp, fmt_verdict
from ..safe_text import plain_text
from .assessment import verdict_mark

ANSWERS = {"met": "达标", "not_met": "未达标", "na": "不适用", None: "未填写"}
KINDS = {"computed": "计算", "qualitative": "定性", "mixed": "计算+定性"}
#: Items listed per failing item on screen (the JSON carries all).
FAILURES_SHOWN = 3


def _item(r: ItemResult) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "kind": r.kind, "source_status": r.source_status, "passed": r.passed,
            "detail": say(r.detail), "failures": item_failures(r), "answer": r.answer, "evidence": r.evidence,
            "value": r.value, "points": r.points, "score": r.score, "notes": say_all(r.notes)}


def _funding(f: FundingResult) -> dict[str, Any]:
    return {"region": f.region, "years": list(f.years), "passed": f.passed, "notes": say_all(f.notes),
            "checks": {code: {"name": c.name, "rule": rule_text(code, c.params), "margin_unit": MARGIN_UNITS[c.unit], "passed": c.passed,
                              "notes": say_all(c.notes),
                              "years": [{"year": r.year, "value": r.value, "previous": r.previous, "growth": r.growth,
                                         "reference": r.reference, "margin": r.margin, "passed": r.passed}
                                        for r in c.rows]}
                       for code, c in f.checks.items()}}


def county_checks_payload(checks: CountyChecks) -> dict[str, Any]:
    """The ``county_checks`` section of one county (JSON-ready dict, values unrounded).

    Keys: rules, passed, decided, parts (code → name, passed, in_verdict, notes, items), funding
    (yearly rows per check: growth as a fraction, margin in percentage points or 元), score
    (score-sheet totals and areas, or null), failures (every failing item: part, id, name, reason,
    veto), notes.
    """
    s = checks.score
    return {
        "rules": checks.rules,
        "passed": checks.passed,
        "decided": checks.verdict is not None,
        "parts": {code: {"name": p.name, "passed": p.passed, "in_verdict": p.in_verdict, "notes": say_all(p.notes),
                         "items": [_item(i) for i in p.items]} for code, p in checks.parts.items()},
        "funding": _funding(checks.funding) if checks.funding else None,
        "score": None if s is None else {
            "name": s.name, "score": s.score, "max_possible": s.max_possible, "total": s.total,
            "pass_score": s.pass_score, "passed": s.passed, "example": s.example,
            "areas": [{"id": a.id, "name": a.name, "points": a.points, "score": a.score, "undecided": a.undecided}
                      for a in s.areas]},
        "failures": [{"part": f.part, "part_name": f.part_name, "id": f.id, "name": f.name, "reason": say(f.reason),
                      "veto": f.veto} for f in checks.failures],
        "notes": say_all(checks.notes),
    }


def _part_table(p: PartResult) -> Table:
    title = f"{p.name}：{fmt_verdict(p.passed)}" + ("（仅供参考，不计入结论）" if not p.in_verdict else "")
    t = Table(title=title, title_justify="left", expand=False)
    t.add_column("编号", no_wrap=True)
    t.add_column("项目", overflow="fold", max_width=36)
    t.add_column("方式", no_wrap=True)
    t.add_column("情况", overflow="fold", max_width=60)
    scored = any(i.points is not None for i in p.items)
    if scored:
        t.add_column("得分", justify="right")
    t.add_column("结果")
    for i in p.items:
        row = [plain_text(i.id), plain_text(i.name), KINDS.get(i.kind, i.kind), plain_text(situation(i, FAILURES_SHOWN))]
        if scored:
            row.append("—" if i.score is None else f"{i.score:g}/{i.points:g}")
        t.add_row(*row, verdict_mark(i.passed))
    return t


def _funding_table(f: FundingResult) -> Table:
    t = Table(title="经费逐年核对（增长率、高出百分点）", title_justify="left", expand=False)
    t.add_column("项目", overflow="fold", max_width=30)
    for y in f.years[1:]:
        t.add_column(f"{y}年", justify="right")
    t.add_column("结果")
    for c in f.checks.values():
        if c.unit != "pp":
            continue
        cells = {r.year: r for r in c.rows}
        row = [c.name]
        for y in f.years[1:]:
            r = cells.get(y)
            if r is None:
                row.append("")
            elif r.reference is not None:
                row.append(Text(f"{fmt_growth(r.growth)}（{fmt_pp(r.margin)}）", style="red" if r.passed is False else ""))
            else:
                row.append(Text(fmt_growth(r.growth), style="red" if r.passed is False else ""))
        t.add_row(*row, verdict_mark(c.passed))
    return t


def county_checks_view(checks: CountyChecks) -> Panel:
    """One panel for a county: the verdict, a table per part, the money table and the failures."""
    head = Text.assemble(("县级核查结论：", "bold"), verdict_mark(checks.verdict),
                         f"  （规则包 {checks.rules}；{checks.county or ''} {checks.county_code or ''}）")
    parts: list = [head]
    for n in say_all(checks.notes):
        parts.append(Text(n, style="yellow"))
    for p in checks.parts.values():
        parts.append(_part_table(p))
        for n in say_all(p.notes):
            parts.append(Text(f"  注：{n}", style="dim"))
    if checks.score is not None:
        s = checks.score
        line = f"评分合计 {s.score:g} 分（满分 {s.total:g}，{s.pass_score:g} 分通过）"
        if s.max_possible > s.score:
            line += f"；另有 {s.max_possible - s.score:g} 分的项目缺少数据"
        parts.append(Text.assemble(line + "：", verdict_mark(s.passed)))
    if checks.funding is not None and len(checks.funding.years) > 1:
        parts.append(_funding_table(checks.funding))
    if checks.failures:
        parts.append(Text("未达标项目：", style="bold red"))
        for f in checks.failures:
            parts.append(Text(f"  • {failure_line(f)}", style="red" if f.veto else ""))
    return Panel(Group(*parts), title=Text(plain_text(f"{checks.county or checks.county_key} 县级核查")), expand=False)


def print_county_checks(checks: list[CountyChecks], console: Console) -> None:
    """Print the panel of every county's checks."""
    for c in checks:
        console.print(county_checks_view(c))
