"""The statuses of a 整改台账 item and the overdue rule (pure functions, no database).

Stored statuses: 未开始 → 整改中 → 已完成待核验 → 已销号 (and back to 整改中 when a later snapshot
shows the gap again). 逾期 is never stored: it is computed from the dates by :func:`is_overdue`
(docs/ledgers.md "状态与逾期"), so an item becomes overdue the day after its deadline without a job.
"""
from __future__ import annotations

import datetime as dt

NOT_STARTED, IN_PROGRESS, AWAITING, CLOSED = "not_started", "in_progress", "awaiting", "closed"
OVERDUE = "overdue"
#: Stored status → Chinese name.
STATUS_NAMES = {NOT_STARTED: "未开始", IN_PROGRESS: "整改中", AWAITING: "已完成待核验", CLOSED: "已销号"}
STATUS_CHOICES = list(STATUS_NAMES.items())
#: Every status a user sees (the stored ones and 逾期).
SHOWN_NAMES = {**STATUS_NAMES, OVERDUE: "逾期"}


def is_overdue(deadline: dt.date | None, status: str, today: dt.date, done_on: dt.date | None = None) -> bool:
    """True when the item missed its deadline.

    An item without a deadline, or 已销号, is never overdue. An item reported done
    (已完成待核验) is overdue only when it was reported after the deadline (``done_on``). Any other
    item is overdue from the day after the deadline (``today > deadline``).
    """
    if deadline is None or status == CLOSED:
        return False
    if status == AWAITING and done_on is not None:
        return done_on > deadline
    return today > deadline


def shown_status(deadline: dt.date | None, status: str, today: dt.date, done_on: dt.date | None = None) -> str:
    """The status shown: :data:`OVERDUE` when :func:`is_overdue`, else the stored status."""
    return OVERDUE if is_overdue(deadline, status, today, done_on) else status


def days_left(deadline: dt.date | None, today: dt.date) -> int | None:
    """Days until the deadline (negative: days overdue); None without a deadline."""
    return None if deadline is None else (deadline - today).days
