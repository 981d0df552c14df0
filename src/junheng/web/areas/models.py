"""The area tree, schools and accounts.

``Area.path`` is the materialised path of the tree (``43/4301/430121/430121-城关镇``): "everything
in my area" is one ``path__startswith`` filter, portable to every database (ORM only, no recursive
SQL). Codes follow the national administrative division codes: province = the first 2 digits of the
6-digit 县(区)代码, city = the first 4; a township has no code in the school table and is keyed by
its county code and name.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models

from junheng.web.areas import roles

LEVELS = [("province", "省"), ("city", "市"), ("county", "县(区)"), ("township", "乡镇(街道)")]


class Area(models.Model):
    """One node of the tree province / city / county / township."""

    code = models.CharField("代码", max_length=80, unique=True)
    name = models.CharField("名称", max_length=200)
    level = models.CharField("层级", max_length=10, choices=LEVELS)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    path = models.CharField("路径", max_length=400, unique=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "区域"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}/{self.code}" if self.parent_id else self.code
        super().save(*args, **kwargs)

    def contains(self, other: "Area") -> bool:
        """True when ``other`` is this area or lies inside it."""
        return other.path == self.path or other.path.startswith(self.path + "/")


class School(models.Model):
    """A school of a county (identity only; its yearly figures are collection.SchoolYear)."""

    school_id = models.CharField("学校标识码", max_length=40, unique=True)
    name = models.CharField("学校名称", max_length=200)
    county = models.ForeignKey(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="schools")
    township = models.ForeignKey(Area, verbose_name="乡镇(街道)", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="township_schools")
    school_type = models.IntegerField("办学类型代码")
    area_path = models.CharField("所在区域路径", max_length=400, editable=False, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["school_id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.school_id}）"

    def save(self, *args, **kwargs):
        self.area_path = (self.township or self.county).path
        super().save(*args, **kwargs)


class Profile(models.Model):
    """The role of an account and where it works (a school for a reporter, an area for the others)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=20, choices=roles.ROLE_CHOICES)
    area = models.ForeignKey(Area, verbose_name="区域", null=True, blank=True, on_delete=models.PROTECT)
    school = models.ForeignKey(School, verbose_name="学校", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = verbose_name_plural = "账号角色"

    def __str__(self) -> str:
        where = self.school or self.area or "全部"
        return f"{self.user.username}：{roles.ROLE_NAMES.get(self.role, self.role)}（{where}）"
