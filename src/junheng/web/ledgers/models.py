"""Models of the ledgers (docs/ledgers.md). 整改台账: :class:`RectItem`, its notes and evidence files."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from junheng.web.areas.models import Area, School
from junheng.web.ledgers.rectification import status as st
from junheng.web.snapshots.models import Snapshot

SOURCES = [("assessment", "评估差距"), ("inspection", "督导反馈问题"), ("manual", "手工添加"), ("plan", "填平补齐规划")]


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


class EvidenceFile(models.Model):
    """A stored evidence file (佐证材料): checked and saved by ledgers/evidence.py under
    ``<data>/files/ledgers/evidence/``; the fields every kind of evidence has."""

    name = models.CharField("文件名", max_length=200)
    stored = models.CharField("保存位置（数据文件夹内的相对路径）", max_length=300)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    at = models.DateTimeField("上传时间", auto_now_add=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class Evidence(EvidenceFile):
    """An evidence file of a 整改 item."""

    item = models.ForeignKey(RectItem, on_delete=models.CASCADE, related_name="evidence")

    class Meta(EvidenceFile.Meta):
        verbose_name = verbose_name_plural = "整改佐证材料"


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


# ---- 控辍保学 (docs/ledgers.md "控辍保学") ---------------------------------------------------------

#: The default 七长责任制 roles of a county (configurable: DutyRole rows).
DEFAULT_DUTY_ROLES = ("县长", "乡镇长", "村（居）委会主任", "教育局长", "校长", "班主任", "家长")


class DutyRole(models.Model):
    """One role of a county's 七长责任制 (the list is the county's own)."""

    county = models.ForeignKey(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("职务", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "七长责任制职务"
        ordering = ["county", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="one_duty_role_name")]

    def __str__(self) -> str:
        return self.name


class DropoutSettings(models.Model):
    """A county's settings: 疑似辍学 after more than ``absent_days_limit`` consecutive absent days."""

    county = models.OneToOneField(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="+")
    absent_days_limit = models.PositiveSmallIntegerField("连续缺勤天数上限", default=10)


class Child(models.Model):
    """A child of the school-age roll (适龄儿童台账); ``state`` places it in one of the ledgers:
    在册 (roll), 疑似辍学 (suspected, derived), 辍学 (dropout, confirmed), 已销号 (closed, with outcome).

    Personal data (name, identity number, guardian, phone) is shown only to the roles of
    areas/scope.py ``can_see_identity``; the identity number is masked in every list and export."""

    ROLL, SUSPECTED, DROPOUT, CLOSED = "roll", "suspected", "dropout", "closed"
    STATES = [(ROLL, "在册"), (SUSPECTED, "疑似辍学"), (DROPOUT, "辍学"), (CLOSED, "已销号")]
    OUTCOMES = [("returned", "返校"), ("transferred", "转学"), ("home", "送教上门"), ("other", "其他")]

    county = models.ForeignKey(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(Area, verbose_name="户籍所在乡镇(街道)", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    village = models.CharField("村（居）", max_length=100, blank=True)
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, unique=True)
    gender = models.CharField("性别", max_length=2, blank=True)
    birth_date = models.DateField("出生日期")
    guardian = models.CharField("监护人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    school = models.ForeignKey(School, verbose_name="就读学校", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    grade = models.CharField("年级", max_length=20, blank=True)
    junior_entry_year = models.PositiveSmallIntegerField("初一入学年份", null=True, blank=True)
    absent_days = models.PositiveSmallIntegerField("连续缺勤天数", default=0)
    reported_on = models.DateField("学校月报日期", null=True, blank=True)
    rechecked_on = models.DateField("县级复查日期", null=True, blank=True)
    state = models.CharField("台账", max_length=10, choices=STATES, default=ROLL)
    reason = models.CharField("疑似辍学原因", max_length=200, blank=True)
    outcome = models.CharField("销号方式", max_length=12, choices=OUTCOMES, blank=True)
    outcome_note = models.TextField("销号说明", blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    deceased = models.BooleanField("死亡", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "适龄儿童"
        ordering = ["county", "township", "pk"]

    def __str__(self) -> str:
        return f"儿童 #{self.pk}"  # never the name: audit targets and logs stay free of personal data


class ChildEvidence(EvidenceFile):
    """An evidence file of a child's closure (销号佐证：返校证明、转学证明、送教上门记录…). Personal data:
    downloaded only by the roles that see children's identities (areas/scope.py), each download audited."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="evidence")

    class Meta(EvidenceFile.Meta):
        verbose_name = verbose_name_plural = "销号佐证材料"


class ChildDuty(models.Model):
    """The person holding one 七长责任制 role for one child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="duties")
    role = models.ForeignKey(DutyRole, verbose_name="职务", on_delete=models.PROTECT, related_name="+")
    person = models.CharField("责任人", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "七长责任人"
        constraints = [models.UniqueConstraint(fields=["child", "role"], name="one_person_per_duty")]


class ReturnVisit(models.Model):
    """A 劝返 record: who went, when, how, and what came of it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="visits")
    on = models.DateField("劝返日期")
    visitors = models.CharField("劝返人员", max_length=200)
    outcome = models.TextField("劝返情况")
    returned = models.BooleanField("已返校", default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, on_delete=models.SET_NULL,
                             related_name="+")
    at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "劝返记录"
        ordering = ["on", "pk"]


# ---- 攻坚作战一览表 ---------------------------------------------------------------------------------

PROJECT_KINDS = [("new_school", "新建学校"), ("extension", "改扩建"), ("gaibo", "改薄"), ("equipment", "设备购置"),
                 ("banbantong", "班班通"), ("teachers", "教师补充"), ("other", "其他")]


class Project(models.Model):
    """One project of the county's 攻坚作战一览表."""

    county = models.ForeignKey(Area, verbose_name="县(区)", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("项目名称", max_length=200)
    kind = models.CharField("类别", max_length=12, choices=PROJECT_KINDS, default="other")
    owner_unit = models.CharField("责任单位", max_length=200)
    owner_person = models.CharField("责任人", max_length=100, blank=True)
    school = models.ForeignKey(School, verbose_name="学校", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    budget_wan = models.DecimalField("投资（万元）", max_digits=12, decimal_places=2, null=True, blank=True)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    veto = models.BooleanField("一票否决", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "攻坚项目"
        ordering = ["county", "-veto", "pk"]

    def __str__(self) -> str:
        return f"攻坚项目 #{self.pk}（{self.name}）"


class PlanJob(models.Model):
    """The planner (``junheng plan``, min-cost) run on a snapshot in the background and turned into
    攻坚项目 and 整改事项 in one step (ledgers/projects/planning.py); one per snapshot and pack."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "排队中"), (RUNNING, "测算中"), (DONE, "已完成"), (FAILED, "失败")]

    snapshot = models.ForeignKey(Snapshot, verbose_name="快照", on_delete=models.CASCADE, related_name="+")
    pack = models.CharField("规则包", max_length=40)
    status = models.CharField("状态", max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    message = models.TextField("结果或错误信息", blank=True)
    plan_status = models.CharField("方案状态", max_length=20, blank=True)
    total_yuan = models.FloatField("总投入（元）", null=True, blank=True)
    projects = models.PositiveIntegerField("生成项目数", default=0)
    items = models.PositiveIntegerField("生成整改事项数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "规划生成任务"
        ordering = ["-created_at", "-pk"]


class Milestone(models.Model):
    """A dated milestone of a project (节点)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("节点", max_length=200)
    due = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目节点"
        ordering = ["due", "pk"]

    @property
    def late(self) -> bool:
        from junheng.web.ledgers.projects.rules import milestone_late

        return milestone_late(self.due, self.done_on, timezone.localdate())
