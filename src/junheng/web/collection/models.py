"""A school's figures for one school year, and where they stand in the workflow.

``data`` holds the canonical values of every field of ``junheng.schema.FIELDS`` (codes as keys;
ints, floats, text or null; ``equipment_value_yuan`` in 元) exactly as the file importer returns
them: it is only ever written from a table the importer validated (collection/validation.py).
``version`` grows on every save; a save or transition naming an older version is refused
(optimistic locking, collection/services.py).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from junheng.web.areas.models import School


class SchoolYear(models.Model):
    DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
    STATUS_CHOICES = [(DRAFT, "草稿"), (SUBMITTED, "已提交待审核"), (RETURNED, "已退回修改"), (APPROVED, "审核通过")]

    school = models.ForeignKey(School, verbose_name="学校", on_delete=models.PROTECT, related_name="years")
    year = models.IntegerField("学年（年度）")
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    data = models.JSONField("填报数据", default=dict, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "学校年度数据"
        ordering = ["-year", "school__school_id"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="one_record_per_school_year")]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year} 年"

    @property
    def editable(self) -> bool:
        """Drafts and returned records can be edited by the school."""
        return self.status in (self.DRAFT, self.RETURNED)
