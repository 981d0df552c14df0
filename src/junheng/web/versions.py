"""The record version a page posts back (optimistic locking, docs/web.md 乐观锁).

Every page that changes a versioned row (a school-year record, a rectification item) carries the
version it showed in a hidden ``version`` field; the write is refused when the row has moved on.
A request without a readable version (a page saved incomplete, a hand-made request) is refused
with :data:`MISSING_VERSION`, never taken as "some old version" or silently ignored.
"""
from __future__ import annotations

#: The message of a write without a version.
MISSING_VERSION = "请求缺少版本号（页面不完整或已过期），未做任何修改。请重新打开该页面后再操作。"


def posted_version(request) -> int | None:
    """The ``version`` field of the POST as an int, or None when missing, empty or not a number."""
    v = request.POST.get("version", "").strip()
    return int(v) if v.isdigit() else None
