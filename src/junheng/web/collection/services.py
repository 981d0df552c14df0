"""Every write to a school-year record: saving data and moving through the workflow.

draft → submitted → approved, or submitted → returned (with a reason) → submitted again
(docs/web.md "流程"). Each write names the ``version`` the user saw; the update is one
``UPDATE … WHERE version = seen`` so a record changed meanwhile by someone else is refused with
:class:`StaleEdit` (optimistic locking), never silently overwritten. Every write is audited.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from junheng.web.accounts import display_name
from junheng.web.audit.log import log, log_changes
from junheng.web.collection.models import SchoolYear


class WorkflowError(Exception):
    """A write the record's state does not allow; the message is Chinese, for the user."""


class StaleEdit(WorkflowError):
    """The record changed since the user opened it. step: the user was submitting, approving or
    returning it (the message names the state it is in now), not saving data."""

    def __init__(self, record: SchoolYear, step: bool = False):
        who = display_name(record.updated_by) if record.updated_by else "其他用户"
        when = timezone.localtime(record.updated_at)   # the pages' time zone (Asia/Shanghai), not UTC
        if step:
            super().__init__(f"该记录已被{who}于 {when:%Y-%m-%d %H:%M} 改为“{record.get_status_display()}”，"
                             f"您看到的是旧版本，未做任何操作。请刷新页面后再操作。")
        else:
            super().__init__(f"该记录已被{who}于 {when:%Y-%m-%d %H:%M} 修改，您看到的是旧版本，"
                             f"未保存您的修改。请重新打开该记录，核对后再修改。")


def _same_version(record: SchoolYear, version: int) -> None:
    """Raise StaleEdit (step) when ``record`` (as just read) is no longer at the ``version`` the user saw:
    checked before the state, so a record a colleague just moved is reported as changed, not as refused."""
    if record.version != version:
        raise StaleEdit(record, step=True)


def _write(record: SchoolYear, version: int, user, **changes) -> SchoolYear:
    """Update ``record`` only if it still has ``version``; returns the fresh record."""
    n = SchoolYear.objects.filter(pk=record.pk, version=version).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now(), **changes)  # update() skips auto_now
    fresh = SchoolYear.objects.select_related("school", "school__county", "updated_by").get(pk=record.pk)
    if n == 0:
        raise StaleEdit(fresh)
    return fresh


@transaction.atomic
def save_data(record: SchoolYear, user, data: dict, version: int, action: str = "edit") -> SchoolYear:
    """Store validated ``data`` (collection/validation.py or the importer) on an editable record."""
    if not record.editable:
        raise WorkflowError(f"该记录{record.get_status_display()}，不能修改。")
    old = record.data
    fresh = _write(record, version, user, data=data)
    log_changes(user, action, fresh, old, data)
    return fresh


@transaction.atomic
def submit(record: SchoolYear, user, version: int) -> SchoolYear:
    """The school submits a draft or returned record for review (it must have been filled in)."""
    _same_version(record, version)
    if not record.editable:
        raise WorkflowError(f"该记录{record.get_status_display()}，不能提交。")
    if not record.data:
        raise WorkflowError("该记录还没有填写数据，不能提交。")
    fresh = _write(record, version, user, status=SchoolYear.SUBMITTED)
    log(user, "submit", county=fresh.school.county, target=str(fresh), record_id=fresh.pk)
    return fresh


@transaction.atomic
def approve(record: SchoolYear, user, version: int) -> SchoolYear:
    """The county approves a submitted record."""
    _same_version(record, version)
    if record.status != SchoolYear.SUBMITTED:
        raise WorkflowError("只能审核已提交的记录。")
    fresh = _write(record, version, user, status=SchoolYear.APPROVED, return_reason="")
    log(user, "approve", county=fresh.school.county, target=str(fresh), record_id=fresh.pk)
    return fresh


@transaction.atomic
def send_back(record: SchoolYear, user, version: int, reason: str) -> SchoolYear:
    """The county returns a submitted (or approved, before freezing) record to the school with a reason."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("退回时必须填写退回原因。")
    _same_version(record, version)
    if record.status not in (SchoolYear.SUBMITTED, SchoolYear.APPROVED):
        raise WorkflowError("只能退回已提交或已审核通过的记录。")
    fresh = _write(record, version, user, status=SchoolYear.RETURNED, return_reason=reason)
    log(user, "return", county=fresh.school.county, target=str(fresh), record_id=fresh.pk, note=reason)
    return fresh


def open_record(school, year: int, user) -> SchoolYear:
    """The school's record of ``year``, created (empty draft) when missing."""
    record, created = SchoolYear.objects.get_or_create(school=school, year=year, defaults={"updated_by": user})
    if created:
        log(user, "create", county=school.county, target=str(record), record_id=record.pk)
    return record
