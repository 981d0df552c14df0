"""The 攻坚作战一览表 as an Excel workbook and as a Word 攻坚项目推进情况 report (the ledger documents of
ledgers/documents.py: report/safe_xlsx for the workbook, the report's template and styles for Word).

One row per project, in the board's order (一票否决 first): 序号, 项目名称, 类别, 责任单位, 责任人,
投资（万元）, 进度, 一票否决, 节点 (every milestone: name, planned date, done date or 滞后/未到期),
下一节点, 标记 (节点滞后 n 个). A milestone is late by projects/rules.py (the board's own rule).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from junheng.report.docx.template import cn_date
from junheng.report.narrative.blocks import Heading, Para, Table
from junheng.report.narrative.numbers import fmt_num
from junheng.web.ledgers.documents import blocks_docx, table_xlsx
from junheng.web.ledgers.projects.rules import milestone_late

HEADER = ["序号", "项目名称", "类别", "责任单位", "责任人", "投资（万元）", "进度", "一票否决", "节点", "下一节点", "标记"]
WIDTHS = [6, 30, 10, 18, 10, 12, 8, 9, 44, 24, 14]


def _money(v: Decimal | None) -> str:
    return "" if v is None else fmt_num(float(v), 2)


def _milestone(m, today: dt.date) -> str:
    """``开工 计划 2026-03-01，2026-03-05 完成（延期）`` / ``… 未完成（滞后）`` / ``… 未到期``."""
    text = f"{m.name} 计划 {m.due:%Y-%m-%d}，"
    late = milestone_late(m.due, m.done_on, today)
    if m.done_on is not None:
        return text + f"{m.done_on:%Y-%m-%d} 完成" + ("（延期）" if late else "")
    return text + ("未完成（滞后）" if late else "未到期")


def rows(projects, today: dt.date | None = None) -> list[list[str]]:
    """Display rows (HEADER order) of ``projects`` (with their milestones), 序号 1… in the given order."""
    today = today or timezone.localdate()
    out = []
    for k, p in enumerate(projects, 1):
        ms = list(p.milestones.all())
        nxt = next((m for m in ms if m.done_on is None), None)
        late = sum(1 for m in ms if m.done_on is None and milestone_late(m.due, None, today))
        out.append([str(k), p.name, p.get_kind_display(), p.owner_unit, p.owner_person, _money(p.budget_wan),
                    f"{p.progress}%", "是" if p.veto else "否", "\n".join(_milestone(m, today) for m in ms),
                    f"{nxt.name}（{nxt.due:%Y-%m-%d}）" if nxt else "", f"节点滞后 {late} 个" if late else ""])
    return out


def board_xlsx(projects, county_name: str) -> bytes:
    """The board workbook (module doc) as bytes."""
    return table_xlsx(f"{county_name}一票否决制攻坚作战一览表", "攻坚作战一览表", HEADER, WIDTHS, rows(projects))


def board_blocks(projects, county_name: str, today: dt.date | None = None) -> list:
    """Blocks of the 攻坚项目推进情况 report: 基本情况 (counts, investment, late projects), the table
    of every project, then the projects with late milestones."""
    today = today or timezone.localdate()
    projects = list(projects)
    data = rows(projects, today)
    late = [(p, r) for p, r in zip(projects, data) if r[10]]
    budget = sum((p.budget_wan for p in projects if p.budget_wan is not None), Decimal(0))
    done = sum(1 for p in projects if p.progress >= 100)
    blocks = [
        Heading(f"{county_name}攻坚项目推进情况", 0),
        Heading("一、基本情况", 1),
        Para(f"截至{cn_date(today)}，一票否决制攻坚作战一览表共列项目 {len(projects)} 个（其中一票否决项目 "
             f"{sum(1 for p in projects if p.veto)} 个），计划投资 {fmt_num(float(budget), 2)} 万元；已完成（进度 100%）"
             f"{done} 个，有节点滞后的 {len(late)} 个。"),
        Heading("二、项目推进情况", 1),
    ]
    cols = [0, 1, 2, 3, 5, 6, 8, 10]
    blocks.append(Table(header=[HEADER[j] for j in cols], rows=[[r[j] for j in cols] for r in data],
                        caption="表1 攻坚项目推进情况", widths=[4, 26, 7, 13, 14, 7, 20, 9], left=(1, 3, 6),
                        marks=[[("bad" if r[10] and HEADER[j] == "标记" else None) for j in cols] for r in data]))
    if late:
        text = "；".join(f"{p.owner_unit}：{p.name}（{r[10]}，下一节点 {r[9]}）" for p, r in late)
        blocks += [Heading("三、节点滞后项目", 1),
                   Para(f"以下项目有节点未按计划完成，请责任单位说明原因并采取措施按期推进：{text}。")]
    return blocks


def board_docx(projects, county_name: str, signer: str) -> bytes:
    """The 攻坚项目推进情况 report (module doc) as .docx bytes."""
    return blocks_docx(board_blocks(projects, county_name), f"{county_name}攻坚项目推进情况", county_name,
                       "攻坚项目推进情况", signer)
