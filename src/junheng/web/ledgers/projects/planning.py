"""The planner's plan of a snapshot turned into 攻坚作战一览表 projects and 整改 items in one step.

:func:`run_plan` calls the planner's public entry point (:func:`junheng.plan.run.plan`, min-cost, as
``junheng plan`` does) on the snapshot's rows read back through the importer and checked for the
pack (snapshots.services.assessed, the same table the assessment uses), with the national unit
costs and the province's override where the planner has one (province = the first two digits of
the county code), no per-school limits, recurring costs over the planner's default years.

:func:`to_ledgers` writes what a plan says, school by school (actions in the planner's JSON form,
docs/json-contract.md "Plan"; wording of an action by plan/text.py):

- one project per school and kind of action: 新建 (build) → 改扩建, 购置 (buy) → 设备购置, teachers
  (招聘, 学历提升, 认定骨干, 晋升职称, 交流) → 教师补充; 投资 = the actions' cost, recurring costs over
  the plan's years (万元, 2 decimals, as the plan's total);
- one 整改 item per school (source 填平补齐规划): 问题 the school's planned investment, 整改措施 every
  action with its quantity, 责任单位 the school; closed by hand after 核验 (the assessment's own
  items, per indicator gap, are the ones the data closes).

Runs once per snapshot and pack (:class:`~junheng.web.ledgers.models.PlanJob`).
"""
from __future__ import annotations

import logging
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from junheng.errors import JunhengError
from junheng.report.narrative.numbers import fmt_wan
from junheng.web.audit.log import log
from junheng.web.ledgers.models import PlanJob, Project, RectItem

logger = logging.getLogger(__name__)

#: action code (plan actions) → project kind (models.PROJECT_KINDS) and the project's name stem.
KIND_OF = {"build": "extension", "buy": "equipment"}
TEACHERS = "teachers"
STEMS = {"extension": "改扩建", "equipment": "设备购置", TEACHERS: "教师补充"}
#: actions whose name is a verb put before the item (the others' item names say what is done).
VERBS = ("build", "buy", "hire", "move_out", "move_in")


def action_text(a: dict) -> str:
    """One action as a measure: ``新建教学及辅助用房 4001㎡``, ``招聘体育教师（小学）2人``,
    ``购置教学仪器设备 0.47万元`` (an amount in 元 is written in 万元), ``认定县级骨干教师（初中）3人``."""
    from junheng.plan.text import ACTIONS, item_label

    verb = ACTIONS[a["action"]] if a["action"] in VERBS else ""
    qty = fmt_wan(a["quantity"]) if a.get("unit") == "元" else f"{a['quantity']}{a.get('unit', '')}"
    return f"{verb}{item_label(a)} {qty}"


def cost_yuan(a: dict, years: int) -> float:
    """An action's cost in the plan's total: capital once, recurring (per year) over ``years``."""
    return a["amount_yuan"] * (years if a["recurring"] else 1)


def _wan(yuan: float) -> Decimal:
    return (Decimal(str(yuan)) / 10_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def run_plan(snap, pack: str):
    """The planner's result (:class:`junheng.plan.run.PlanResult`) for ``snap`` under ``pack``.

    Raises as snapshots.services.assessed (InputError) and as junheng.plan.run.plan (PlanNotFound,
    PlanNotConfirmed, InputError of the cost files)."""
    from junheng.plan.costs import load_costs, load_limits
    from junheng.plan.run import plan
    from junheng.rules import load_rules
    from junheng.web.snapshots.services import assessed

    _, res, _ = assessed(snap, pack)
    return plan(res.table, load_rules(pack), load_costs(snap.county.code[:2]),
                load_limits(None, res.table["school_id"].to_list()))


@transaction.atomic
def to_ledgers(snap, pack: str, result, user) -> tuple[int, int]:
    """Projects and 整改 items of ``result`` (module doc) in ``snap``'s county. Returns (projects,
    items). Every creation is audited (``proj_plan``, ``rect_new``)."""
    from junheng.web.areas.models import School
    from junheng.web.snapshots.services import PACKS

    schools = {s.school_id: s for s in School.objects.filter(county=snap.county)}
    by_school: dict[str, list[dict]] = defaultdict(list)
    names: dict[str, str] = {}
    for cp in result.counties:
        for a in cp.actions:
            by_school[str(a["school_id"])].append(a)
            names[str(a["school_id"])] = a.get("name") or str(a["school_id"])
    where = f"快照 #{snap.pk}，{PACKS[pack]}"
    n_projects = n_items = 0
    for sid, acts in by_school.items():
        school, name = schools.get(sid), names[sid]
        groups: dict[str, list[dict]] = defaultdict(list)
        for a in acts:
            groups[KIND_OF.get(a["action"], TEACHERS)].append(a)
        for kind in ("extension", "equipment", TEACHERS):
            if not groups.get(kind):
                continue
            texts = "、".join(action_text(a) for a in groups[kind])
            p = Project.objects.create(
                county=snap.county, name=f"{name}{STEMS[kind]}（{texts}）"[:200], kind=kind, owner_unit=name,
                school=school, budget_wan=_wan(sum(cost_yuan(a, result.years) for a in groups[kind])),
                created_by=user)
            log(user, "proj_plan", county=snap.county, target=str(p), note=f"由填平补齐规划生成（{where}）：{texts}")
            n_projects += 1
        total = sum(cost_yuan(a, result.years) for a in acts)
        item = RectItem.objects.create(
            county=snap.county, source="plan", snapshot=snap, pack=pack, owner_unit=name, school=school,
            problem=f"{name}按填平补齐规划（{where}）需投入 {fmt_wan(total)}（经常性支出按 {result.years} 年计）",
            measures="；".join(action_text(a) for a in acts), created_by=user)
        log(user, "rect_new", county=snap.county, target=str(item), note=f"由填平补齐规划生成（{where}）")
        n_items += 1
    return n_projects, n_items


def run_job(job_id: int) -> None:
    """Plan job ``job_id``: run the planner, write the ledgers, record the outcome on the job;
    never raises (a failure is the job's Chinese message)."""
    from junheng.plan.text import status_text

    job = PlanJob.objects.select_related("snapshot", "snapshot__county", "created_by").get(pk=job_id)
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.RUNNING)
    try:
        result = run_plan(job.snapshot, job.pack)
        cp = result.counties[0] if result.counties else None
        if cp is not None and cp.status == "infeasible":
            raise JunhengError("在本县的条件下无法达标（规划无解），未生成项目。请在命令行用 junheng plan 查看受限的学校和指标。")
        projects, items = to_ledgers(job.snapshot, job.pack, result, job.created_by)
        total = sum(c.total_yuan for c in result.counties)
        done = (f"方案：{status_text(cp.status, cp.gap) if cp else '无'}；总投入 {fmt_wan(total)}；"
                f"生成攻坚项目 {projects} 个、整改事项 {items} 项。" if projects else "各校均已达标，规划没有需要投入的项目。")
        PlanJob.objects.filter(pk=job.pk).update(
            status=PlanJob.DONE, message=done, plan_status=cp.status if cp else "", total_yuan=total,
            projects=projects, items=items, finished_at=timezone.now())
    except (JunhengError, ValueError) as e:
        PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.FAILED, message=str(e), finished_at=timezone.now())
    except Exception as e:  # noqa: BLE001 - recorded on the job, never lost in the worker's log only
        logger.exception("plan job %s failed", job_id)
        PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.FAILED, finished_at=timezone.now(),
                                                 message=f"程序内部错误：{type(e).__name__}: {e}")
