"""Closed by the data: items tied to an indicator gap follow the county's newer snapshots.

For every such item of a county (``indicator`` set), the snapshot that decides is the latest
snapshot of the county after the item's own (ordered by 学年, then freezing order) that includes
the item's school. When that snapshot has no gap for the school and indicator under the item's
pack (rectification/gaps.py) the item moves to 已销号 with the snapshot as evidence; when it has
the gap and the item was closed by an earlier snapshot, the item is reopened (整改中). A school
missing from every later snapshot proves nothing and leaves the item as it is
(docs/ledgers.md "数据销号").
"""
from __future__ import annotations

import logging

from django.db import transaction

from junheng.errors import InputError
from junheng.web.ledgers.models import RectItem
from junheng.web.ledgers.rectification import status as st
from junheng.web.ledgers.rectification.gaps import snapshot_gaps
from junheng.web.ledgers.rectification.services import set_status
from junheng.web.snapshots.models import Snapshot

log = logging.getLogger(__name__)


def _order(s: Snapshot) -> tuple[int, int]:
    return (s.year, s.pk)


def deciding_snapshot(item: RectItem, snaps: list[Snapshot]) -> Snapshot | None:
    """The latest of ``snaps`` after the item's snapshot (学年, then pk) that includes its school."""
    start = _order(item.snapshot)
    later = [s for s in snaps if _order(s) > start and any(r.get("school_id") == item.school_code for r in s.rows)]
    return max(later, key=_order, default=None)


@transaction.atomic
def reconcile(county, user=None) -> dict[str, int]:
    """Close and reopen the data items of ``county`` (module doc). Returns {"closed": n, "reopened": m}.

    A snapshot that cannot be assessed under an item's pack (missing columns) decides nothing."""
    snaps = list(Snapshot.objects.filter(county=county))
    cache: dict[tuple[int, str], dict | None] = {}
    done = {"closed": 0, "reopened": 0}
    items = RectItem.objects.select_related("county", "snapshot").filter(county=county).exclude(indicator="")
    for item in items:
        snap = deciding_snapshot(item, snaps)
        if snap is None:
            continue
        key = (snap.pk, item.pack)
        if key not in cache:
            try:
                cache[key] = snapshot_gaps(snap, item.pack)
            except (InputError, KeyError) as e:
                log.warning("snapshot %s not assessed under %s: %s", snap.pk, item.pack, e)
                cache[key] = None
        gaps = cache[key]
        if gaps is None:
            continue
        gap = gaps.get((item.school_code, item.indicator))
        if gap is None and item.status != st.CLOSED:
            _close(item, snap, user)
            done["closed"] += 1
        elif gap is not None and item.status == st.CLOSED and item.closed_by_id is not None \
                and item.closed_by_id != snap.pk:
            set_status(item, user, st.IN_PROGRESS, item.version,
                       f"快照 #{snap.pk}（{snap.year} 学年）显示差距重新出现：尚缺{gap.text}", snapshot=snap)
            done["reopened"] += 1
    return done


def _close(item: RectItem, snap: Snapshot, user) -> None:
    """已销号 from any open status (the data proves the gap filled, whatever was reported)."""
    if item.status != st.AWAITING:  # set_status's moves go through 已完成待核验
        item = set_status(item, user, st.AWAITING, item.version, f"快照 #{snap.pk} 显示差距已补足", snapshot=snap)
    set_status(item, user, st.CLOSED, item.version,
               f"快照 #{snap.pk}（{snap.year} 学年，{snap.created_at:%Y-%m-%d}）显示已达到目标，数据销号", snapshot=snap)
