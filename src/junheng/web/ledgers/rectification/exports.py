"""The 整改台账 as an Excel workbook and the 整改情况报告 as a Word document (the report style).

Excel: one row per item, the columns of the inspectors' list (序号/问题/整改措施/责任单位/责任人/
完成时限) then 状态, 进展情况 (latest note), 整改结果/销号依据; written through
ledgers/documents.py (report/safe_xlsx: text stays text). Word: the blocks of
report/narrative/blocks.py through ledgers/documents.py (the report's template and styles).
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from junheng.report.docx.template import cn_date
from junheng.report.narrative.blocks import Heading, Para, Table
from junheng.web.ledgers.documents import blocks_docx, table_xlsx
from junheng.web.ledgers.rectification import status as st

HEADER = ["序号", "问题", "整改措施", "责任单位", "责任人", "完成时限", "状态", "进展情况", "整改结果"]
WIDTHS = [6, 40, 40, 18, 10, 12, 12, 36, 36]


def _result(item) -> str:
    if item.status == st.CLOSED and item.closed_by_id:
        return f"已销号：{item.result}" if item.result else f"已销号（快照 #{item.closed_by_id}）"
    return item.result or ""


def rows(items, today: dt.date | None = None) -> list[list[str]]:
    """Display rows of the items (HEADER order); 序号 numbered 1… in the given order."""
    today = today or timezone.localdate()
    out = []
    for k, it in enumerate(items, 1):
        last = next((n.text for n in reversed(list(it.notes.all())) if not n.status_change), "")
        out.append([str(k), it.problem, it.measures, it.owner_unit, it.owner_person,
                    it.deadline.isoformat() if it.deadline else "", st.SHOWN_NAMES[it.shown(today)], last,
                    _result(it)])
    return out


def ledger_xlsx(items, county_name: str) -> bytes:
    """The ledger workbook (module doc) as bytes."""
    return table_xlsx(f"{county_name}整改台账", "整改台账", HEADER, WIDTHS, rows(items))


def report_blocks(items, county_name: str, today: dt.date | None = None) -> list:
    """The blocks of the 整改情况报告: 基本情况 (counts), then the table of every item with its
    measures and result."""
    today = today or timezone.localdate()
    items = list(items)
    shown = [it.shown(today) for it in items]
    n = {s: shown.count(s) for s in (st.NOT_STARTED, st.IN_PROGRESS, st.AWAITING, st.CLOSED, st.OVERDUE)}
    by_data = sum(1 for it in items if it.status == st.CLOSED and it.closed_by_id)
    blocks = [
        Heading(f"{county_name}整改情况报告", 0),
        Heading("一、基本情况", 1),
        Para(f"截至{cn_date(today)}，整改台账共列事项 {len(items)} 项：已销号 {n[st.CLOSED]} 项（其中经数据快照核验销号 "
             f"{by_data} 项），已完成待核验 {n[st.AWAITING]} 项，整改中 {n[st.IN_PROGRESS]} 项，未开始 {n[st.NOT_STARTED]} 项，"
             f"逾期 {n[st.OVERDUE]} 项。"),
        Heading("二、整改事项及结果", 1),
    ]
    data = rows(items, today)
    cols = [0, 1, 2, 3, 5, 6, 8]
    blocks.append(Table(header=[HEADER[j] for j in cols], rows=[[r[j] for j in cols] for r in data],
                        caption="表1 整改事项及结果", widths=[4, 22, 22, 12, 10, 9, 21], left=(1, 2, 3, 6),
                        marks=[[("bad" if s == st.OVERDUE and j == 5 else None) for j in range(len(cols))]
                               for s in shown]))
    if n[st.OVERDUE]:
        late = [f"{r[3]}：{r[1]}（时限 {r[5]}）" for r, s in zip(data, shown) if s == st.OVERDUE]
        blocks += [Heading("三、逾期事项", 1), Para("以下事项已超过完成时限，请责任单位说明原因并限期完成：" + "；".join(late) + "。")]
    return blocks


def report_docx(items, county_name: str, signer: str) -> bytes:
    """The 整改情况报告 (module doc) as .docx bytes."""
    return blocks_docx(report_blocks(items, county_name), f"{county_name}整改情况报告", county_name, "整改情况报告", signer)
