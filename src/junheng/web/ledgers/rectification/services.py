"""Every write to the 整改台账 (docs/ledgers.md): creating items, progress, status, closure by hand.

Each write is audited (audit/log.py) and each status change leaves a :class:`RectNote`. Status
writes name the ``version`` the user saw (optimistic locking as collection/services.py): an item
changed meanwhile is refused with :class:`LedgerError`, never overwritten.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from junheng.web.audit.log import log
from junheng.web.ledgers.models import RectItem, RectNote
from junheng.web.ledgers.rectification import status as st
from junheng.web.ledgers.rectification.gaps import gap_measures, gap_problem, snapshot_gaps
from junheng.web.snapshots.services import PACKS


class LedgerError(Exception):
    """A write the item does not allow (Chinese message, for the user)."""


def _audit(user, action: str, item: RectItem, **kw) -> None:
    log(user, action, county=item.county, target=str(item), **kw)


@transaction.atomic
def from_snapshot(snap, pack: str, user) -> tuple[int, int]:
    """One item per unit and gap of ``snap`` under ``pack`` for the units the 自评报告 lists
    (rectification/gaps.py): 问题 and 整改措施 in the report's wording, 责任单位 the school. A gap that already has an item (same
    school, indicator and pack, any status) is left alone: the closure check follows it.

    Returns (created, already there). Raises as snapshots.services.assessed."""
    from junheng.web.areas.models import School

    if pack not in PACKS:
        raise LedgerError("没有这个规则包。")
    gaps = snapshot_gaps(snap, pack, every_unit=False)
    have = set(RectItem.objects.filter(county=snap.county, pack=pack).exclude(indicator="")
               .values_list("school_code", "indicator"))
    schools = {s.school_id: s for s in School.objects.filter(county=snap.county)}
    made = 0
    for (sid, code), s in gaps.items():
        if (sid, code) in have:
            continue
        item = RectItem.objects.create(
            county=snap.county, source="assessment", problem=gap_problem(s, pack), measures=gap_measures(s),
            owner_unit=s.name, school=schools.get(sid), snapshot=snap, pack=pack, school_code=sid,
            indicator=code, indicator_name=s.indicator, shortfall=s.text, created_by=user)
        _audit(user, "rect_new", item, note=f"由快照 #{snap.pk}（{PACKS[pack]}）生成：{item.problem}")
        made += 1
    return made, len(gaps) - made


@transaction.atomic
def create(county, user, **fields) -> RectItem:
    """An item entered by hand (``source="manual"``) or imported (``source="inspection"``)."""
    item = RectItem.objects.create(county=county, created_by=user, **fields)
    _audit(user, "rect_new", item, note=item.problem)
    return item


def _write(item: RectItem, version: int, **changes) -> RectItem:
    n = RectItem.objects.filter(pk=item.pk, version=version).update(version=F("version") + 1, **changes)
    if n == 0:
        raise LedgerError("该事项已被他人修改，您看到的是旧版本，未保存。请刷新页面后再操作。")
    return RectItem.objects.select_related("county", "school", "owner_user").get(pk=item.pk)


@transaction.atomic
def add_note(item: RectItem, user, text: str) -> RectNote:
    """A progress note (进展情况); a 未开始 item moves to 整改中."""
    from junheng.web.ledgers.lists import form_problem

    text = text.strip()
    if not text:
        raise LedgerError("请填写进展情况。")
    bad = form_problem(RectNote, {"text": text})
    if bad:
        raise LedgerError(bad)
    note = RectNote.objects.create(item=item, user=user, text=text)
    _audit(user, "rect_note", item, note=text)
    if item.status == st.NOT_STARTED:
        set_status(item, user, st.IN_PROGRESS, item.version, "开始整改")
    return note


#: (from, to) status moves a user may make; 已销号 of a data item only by a snapshot (closure.py).
MOVES = {
    (st.NOT_STARTED, st.IN_PROGRESS), (st.NOT_STARTED, st.AWAITING), (st.IN_PROGRESS, st.AWAITING),
    (st.AWAITING, st.IN_PROGRESS), (st.AWAITING, st.CLOSED), (st.CLOSED, st.IN_PROGRESS),
}


@transaction.atomic
def set_status(item: RectItem, user, new: str, version: int, note: str = "", *, snapshot=None) -> RectItem:
    """Move ``item`` to status ``new`` (:data:`MOVES`); 已完成待核验 records the day (for the overdue
    rule, status.is_overdue). Closing (已销号) by hand is for items not tied to an indicator; the
    caller checks the user's right (views: county staff close and reopen)."""
    if (item.status, new) not in MOVES:
        raise LedgerError(f"事项{st.STATUS_NAMES[item.status]}，不能改为{st.STATUS_NAMES.get(new, new)}。")
    if new == st.CLOSED and item.by_data and snapshot is None:
        raise LedgerError("该事项对应评估指标差距，由数据销号：冻结新的快照且差距已补足时自动销号。")
    changes = {"status": new}
    if new == st.AWAITING:
        changes["done_on"] = timezone.localdate()
    if new == st.CLOSED:
        changes.update(closed_at=timezone.now(), closed_by=snapshot, result=note or item.result)
    if new == st.IN_PROGRESS and item.status in (st.CLOSED, st.AWAITING):
        changes.update(closed_at=None, closed_by=None, done_on=None)
    fresh = _write(item, version, **changes)
    text = f"{st.STATUS_NAMES[item.status]} → {st.STATUS_NAMES[new]}" + (f"：{note}" if note else "")
    RectNote.objects.create(item=fresh, user=user, text=text, snapshot=snapshot, status_change=True)
    action = "rect_close" if new == st.CLOSED else "rect_open" if item.status == st.CLOSED else "rect_state"
    _audit(user, action, fresh, field="status", old=st.STATUS_NAMES[item.status], new=st.STATUS_NAMES[new],
           note=note)
    return fresh


EDITABLE = ("problem", "measures", "owner_unit", "owner_person", "deadline", "school", "owner_user")


@transaction.atomic
def edit(item: RectItem, user, version: int, **fields) -> RectItem:
    """Change the item's text, owner or deadline (county staff); one audit entry per changed field."""
    changes = {k: v for k, v in fields.items() if k in EDITABLE and getattr(item, k) != v}
    if not changes:
        return item
    fresh = _write(item, version, **changes)
    for k, v in changes.items():
        _audit(user, "rect_edit", fresh, field="", old=f"{RectItem._meta.get_field(k).verbose_name}：{getattr(item, k) or ''}",
               new=str(v or ""))
    return fresh


@transaction.atomic
def import_problems(county, user, problems, file_name: str) -> int:
    """Items of an inspectors' problem list (rectification/problem_list.py), all or none; 责任单位
    naming a school of the county ties the item to it (that school then sees it)."""
    from junheng.web.areas.models import School

    schools = {s.name: s for s in School.objects.filter(county=county)}
    for p in problems:
        RectItem.objects.create(county=county, source="inspection", seq=p.seq, problem=p.problem,
                                measures=p.measures, owner_unit=p.owner_unit, school=schools.get(p.owner_unit),
                                owner_person=p.owner_person, deadline=p.deadline, created_by=user)
    log(user, "rect_imp", county=county, target=f"{county.name}督导反馈问题清单",
        note=f"{file_name}：{len(problems)} 项")
    return len(problems)
