"""Frozen snapshots of approved data, and their assessments (the JSON of ``junheng assess``)."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from junheng.web.areas.models import Area


class Snapshot(models.Model):
    """The approved records of one county and year at the moment of freezing.

    rows: list of the records' ``data`` dicts (canonical values, collection/models.py), ordered by
    学校标识码; excluded: the schools left out, ``[{"school_id", "name", "status"}]`` (not approved).
    A snapshot never changes after it is made.
    """

    county = models.ForeignKey(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="snapshots")
    year = models.IntegerField("学年（年度）")
    label = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("冻结时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="冻结人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    rows = models.JSONField("学校数据", default=list)
    excluded = models.JSONField("未纳入的学校", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "数据快照"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.county.name} {self.year} 年快照 #{self.pk}"


class SnapshotAssessment(models.Model):
    """The assessment of a snapshot under one rule pack: the document of ``junheng assess -f json``."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="assessments")
    pack = models.CharField("规则包", max_length=40)
    #: the JSON text itself (key order as ``junheng assess`` writes it; a JSON column may reorder keys)
    document = models.TextField("评估结果（JSON）")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "快照评估结果"
        constraints = [models.UniqueConstraint(fields=["snapshot", "pack"], name="one_assessment_per_pack")]


class ReportJob(models.Model):
    """The official reports of a snapshot under one pack (Excel, Word, HTML, as ``junheng report``),
    written by the job queue (snapshots/tasks.py) into ``<data>/files/reports/<id>/`` and zipped."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "排队中"), (RUNNING, "生成中"), (DONE, "已完成"), (FAILED, "失败")]

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="report_jobs")
    pack = models.CharField("规则包", max_length=40)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    step = models.CharField("当前步骤", max_length=200, blank=True)
    message = models.TextField("错误信息", blank=True)
    file = models.CharField("文件（数据文件夹内的相对路径）", max_length=400, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报告生成任务"
        ordering = ["-created_at", "-pk"]
