"""Models of the ledgers (docs/ledgers.md). 整改台账: :class:`RectItem`, its notes and evidence files."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from junheng.web.areas.models import Area, School
from junheng.web.ledgers.rectification import status as st
from junheng.web.snapshots.models import Snapshot

SOURCES = [("assessment", "评估差距"), ("inspection", "督导反馈问题"), ("manual", "手工添加")]


class RectItem(models.Model):
    """One item of a county's 整改台账 (rectification ledger).

    An item from an assessment (``source="assessment"``) is tied to one unit and indicator
    (``school_code``, ``indicator``, ``pack``) and is closed or reopened by later snapshots
    (rectification/closure.py); the others are closed by hand after 核验.
    """

    county = models.ForeignKey(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=12, choices=SOURCES, default="manual")
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    problem = models.TextField("问题")
    measures = models.TextField("整改措施", blank=True)
    owner_unit = models.CharField("责任单位", max_length=200)
    school = models.ForeignKey(School, verbose_name="责任学校", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    owner_person = models.CharField("责任人", max_length=100, blank=True)
    owner_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="责任人账号", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    deadline = models.DateField("完成时限", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=st.STATUS_CHOICES, default=st.NOT_STARTED)
    done_on = models.DateField("报告完成日期", null=True, blank=True)
    # the indicator gap (assessment items only)
    snapshot = models.ForeignKey(Snapshot, verbose_name="来源快照", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    pack = models.CharField("规则包", max_length=40, blank=True)
    school_code = models.CharField("学校标识码", max_length=40, blank=True)
    indicator = models.CharField("指标代码", max_length=40, blank=True)
    indicator_name = models.CharField("指标", max_length=100, blank=True)
    shortfall = models.CharField("差距", max_length=200, blank=True)
    closed_by = models.ForeignKey(Snapshot, verbose_name="销号依据快照", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    result = models.TextField("整改结果", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = verbose_name_plural = "整改台账事项"
        ordering = ["county", "deadline", "pk"]
        indexes = [models.Index(fields=["county", "pack", "school_code", "indicator"])]

    def __str__(self) -> str:
        return f"整改事项 #{self.pk}（{self.owner_unit}）"

    @property
    def by_data(self) -> bool:
        """True for an item tied to an indicator gap (closed by snapshots, never by hand)."""
        return bool(self.indicator)

    def shown(self, today=None) -> str:
        """The status code shown (逾期 computed from the dates)."""
        return st.shown_status(self.deadline, self.status, today or timezone.localdate(), self.done_on)

    @property
    def shown_name(self) -> str:
        return st.SHOWN_NAMES[self.shown()]

    @property
    def overdue(self) -> bool:
        return self.shown() == st.OVERDUE


class RectNote(models.Model):
    """A progress note (进展情况) on an item, or a status change written by the program."""

    item = models.ForeignKey(RectItem, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField("时间", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填写人", null=True, on_delete=models.SET_NULL,
                             related_name="+")
    text = models.TextField("进展情况")
    status_change = models.BooleanField("状态变更", default=False)
    snapshot = models.ForeignKey(Snapshot, verbose_name="依据快照", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "整改进展"
        ordering = ["at", "pk"]


class Evidence(models.Model):
    """An evidence file of an item, stored under ``<data>/files/ledgers/evidence/`` (ledgers/evidence.py)."""

    item = models.ForeignKey(RectItem, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField("文件名", max_length=200)
    stored = models.CharField("保存位置（数据文件夹内的相对路径）", max_length=300)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    at = models.DateTimeField("上传时间", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "整改佐证材料"
        ordering = ["at", "pk"]


class Digest(models.Model):
    """A 日报 or 周报 of a county (or one township of it): what changed in a period (digests/collect.py).

    sections: ``[[heading, [line, …]], …]`` as computed; text: the plain text for a WeChat group."""

    DAILY, WEEKLY = "daily", "weekly"
    KINDS = [(DAILY, "日报"), (WEEKLY, "周报")]

    county = models.ForeignKey(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(Area, verbose_name="乡镇(街道)", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    kind = models.CharField("类型", max_length=10, choices=KINDS)
    start = models.DateTimeField("起")
    end = models.DateTimeField("止")
    title = models.CharField("标题", max_length=200)
    sections = models.JSONField("内容", default=list)
    text = models.TextField("微信群文本")
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人（空：定时任务）", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "日报/周报"
        ordering = ["-end", "-pk"]

    def __str__(self) -> str:
        return self.title
