"""What changed in a period, per county or township, read from the audit log (audit.models.AuditEntry).

Counted (docs/ledgers.md "日报/周报"): 提交、退回（with the reasons）、审核通过 of school records;
批量导入; 冻结快照; 整改事项 新增、销号（by data or by hand）、重新打开; and, from the ledger's dates,
the items overdue now and those whose deadline falls in the next 7 days; 控辍保学: new 疑似辍学,
confirmed 辍学, children returned (closed as 返校), 劝返 records, and the ledgers' counts now;
攻坚项目: milestones completed in the period, late now, due within 7 days. A township's digest counts
only the entries of its schools' records and items (snapshots and imports are county-wide and are
left out of it).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from junheng.report.docx.template import cn_date
from junheng.web.audit.models import AuditEntry
from junheng.web.ledgers.models import Child, Digest, Project, RectItem
from junheng.web.ledgers.projects.rules import milestone_late
from junheng.web.ledgers.rectification import status as st

#: Lines listed per kind before “等 N 项”.
MAX_LISTED = 5


@dataclass
class DigestData:
    """The computed digest: title, period text and sections ``[(heading, [line, …])]``."""

    title: str
    period: str
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


def period(kind: str, end: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of a digest ending at ``end``: 24 hours for a 日报, 7 days for a 周报."""
    return end - dt.timedelta(days=1 if kind == Digest.DAILY else 7), end


def _when(t: dt.datetime) -> str:
    t = timezone.localtime(t)
    return f"{t.year}年{t.month}月{t.day}日{t:%H:%M}"


def _listed(names: list[str]) -> str:
    more = f"等 {len(names)} 项" if len(names) > MAX_LISTED else ""
    return "、".join(names[:MAX_LISTED]) + more


def _what(i: RectItem) -> str:
    """An item in a few words: “某校（尚缺图书3063册）” or “县教育体育局“校舍维修滞后””."""
    if i.shortfall:
        return f"{i.owner_unit}（尚缺{i.shortfall}）"
    return f"{i.owner_unit}“{i.problem[:24]}{'…' if len(i.problem) > 24 else ''}”"


def collect(county, township, kind: str, start: dt.datetime, end: dt.datetime, today: dt.date | None = None) -> DigestData:
    """The digest of ``county`` (or ``township``, an Area of it) for [start, end) (module doc)."""
    from junheng.web.collection.models import SchoolYear

    today = today or timezone.localdate()
    where = township or county
    title = f"{where.name}{'（' + county.name + '）' if township else ''}义务教育均衡发展工作{dict(Digest.KINDS)[kind]}"
    entries = AuditEntry.objects.filter(county=county, at__gte=start, at__lt=end)
    items = RectItem.objects.filter(county=county).select_related("school")
    kids = Child.objects.filter(county=county)
    if township is not None:
        records = SchoolYear.objects.filter(school__township=township).values_list("pk", flat=True)
        items = items.filter(school__township=township)
        kids = kids.filter(township=township)
        targets = [str(i) for i in items] + [str(k) for k in kids]
        entries = entries.filter(record_id__in=list(records)) | entries.filter(target__in=targets)
    entries = list(entries.order_by("at", "pk"))
    by = {}
    for e in entries:
        by.setdefault(e.action, []).append(e)
    d = DigestData(title, f"{_when(start)}至{_when(end)}")

    data = []
    for action, label in (("submit", "提交"), ("approve", "审核通过"), ("return", "退回")):
        es = by.get(action, [])
        if es:
            data.append(f"{label} {len(es)} 次：{_listed(list(dict.fromkeys(e.target for e in es)))}")
    for e in by.get("return", [])[:MAX_LISTED]:
        data.append(f"退回原因（{e.target}）：{e.note}")
    if township is None:
        for e in by.get("import", []):
            if not e.record_id:
                data.append(f"批量导入：{e.target}（{e.note}）" if e.note else f"批量导入：{e.target}")
    d.sections.append(("一、数据填报与审核", data or ["无变化。"]))

    if township is None:
        snaps = [f"{e.target}（{e.note}）" for e in by.get("freeze", [])]
        d.sections.append(("二、数据快照", [f"冻结快照 {len(snaps)} 个：" + "；".join(snaps)] if snaps else ["未冻结新快照。"]))

    ledger = []
    for action, label in (("rect_new", "新增整改事项"), ("rect_close", "销号"), ("rect_open", "重新打开")):
        es = by.get(action, [])
        if es:
            by_data = sum(1 for e in es if "数据销号" in e.note) if action == "rect_close" else 0
            extra = f"（其中由数据快照核验销号 {by_data} 项）" if by_data else ""
            ledger.append(f"{label} {len(es)} 项{extra}")
    late = [i for i in items if st.is_overdue(i.deadline, i.status, today, i.done_on)]
    soon = [i for i in items if i.status != st.CLOSED and i.deadline and 0 <= (i.deadline - today).days <= 7]
    if late:
        ledger.append(f"逾期 {len(late)} 项：" + _listed([f"{_what(i)}（时限{cn_date(i.deadline)}）"
                                                          for i in sorted(late, key=lambda i: i.deadline)]))
    if soon:
        ledger.append(f"7 天内到期 {len(soon)} 项：" + _listed([f"{i.owner_unit}（{cn_date(i.deadline)}）"
                                                             for i in sorted(soon, key=lambda i: i.deadline)]))
    open_n = sum(1 for i in items if i.status != st.CLOSED)
    ledger.append(f"台账共 {len(items)} 项，未销号 {open_n} 项。")
    d.sections.append((f"{'三' if township is None else '二'}、整改台账", ledger))

    projects = Project.objects.filter(county=county).prefetch_related("milestones")
    if township is not None:
        projects = projects.filter(school__township=township)
    late_ms, soon_ms = [], []
    for p in projects:
        for m in p.milestones.all():
            if m.done_on is None and milestone_late(m.due, None, today):
                late_ms.append(f"{p.name}“{m.name}”（{cn_date(m.due)}）{'（一票否决）' if p.veto else ''}")
            elif m.done_on is None and 0 <= (m.due - today).days <= 7:
                soon_ms.append(f"{p.name}“{m.name}”（{cn_date(m.due)}）")
    done_ms = [e for e in by.get("proj_edit", []) if e.new.startswith("节点完成")]
    proj = [f"本期完成节点 {len(done_ms)} 个"]
    if late_ms:
        proj.append(f"滞后节点 {len(late_ms)} 个：" + _listed(late_ms))
    if soon_ms:
        proj.append(f"7 天内到期节点 {len(soon_ms)} 个：" + _listed(soon_ms))
    d.sections.append((f"{'四' if township is None else '三'}、攻坚项目", proj))

    moves = by.get("child_move", [])
    back = sum(1 for e in moves if e.new == "已销号" and "返校" in e.note)
    new_suspects = sum(1 for e in moves if e.new == "疑似辍学")
    confirmed = sum(1 for e in moves if e.new == "辍学")
    now = {s: kids.filter(state=s).count() for s in (Child.SUSPECTED, Child.DROPOUT)}
    d.sections.append((f"{'五' if township is None else '四'}、控辍保学", [
        f"新增疑似辍学 {new_suspects} 人，确认辍学 {confirmed} 人，劝返返校 {back} 人，劝返记录 {len(by.get('child_back', []))} 条",
        f"目前疑似辍学 {now[Child.SUSPECTED]} 人、辍学 {now[Child.DROPOUT]} 人。"]))
    return d
