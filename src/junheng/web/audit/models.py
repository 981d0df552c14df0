"""One line of the audit log. Entries are only ever added (audit/log.py), never changed."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from junheng.web.areas.models import Area

ACTIONS = {
    "edit": "修改数据", "upload": "上传 Excel", "import": "批量导入", "submit": "提交", "approve": "审核通过",
    "return": "退回", "freeze": "冻结快照", "create": "新建记录",
}
#: Actions of the ledgers (docs/ledgers.md).
ACTIONS.update({
    "rect_new": "新建整改事项", "rect_edit": "修改整改事项", "rect_note": "填写整改进展", "rect_file": "上传佐证材料",
    "rect_state": "整改状态变更", "rect_close": "整改销号", "rect_open": "整改事项重新打开", "rect_imp": "导入问题清单",
    "rect_exp": "导出整改台账", "digest": "生成日报/周报",
    "child_view": "查看儿童信息", "child_imp": "导入适龄儿童名单", "child_edit": "修改儿童信息", "child_move": "控辍台账变更",
    "child_back": "劝返记录", "child_exp": "导出儿童名单", "duty_roles": "设置七长责任制",
    "proj_new": "新建攻坚项目", "proj_edit": "更新攻坚项目",
    "proj_exp": "导出攻坚作战一览表", "proj_plan": "由规划生成项目",
})


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.SET_NULL,
                             related_name="+")
    county = models.ForeignKey(Area, verbose_name="县(区)", null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=10, choices=list(ACTIONS.items()))
    target = models.CharField("对象", max_length=300)
    record_id = models.BigIntegerField("记录编号", null=True, db_index=True)
    field = models.CharField("字段", max_length=80, blank=True)
    old = models.TextField("原值", blank=True)
    new = models.TextField("新值", blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
        ordering = ["-at", "-pk"]
