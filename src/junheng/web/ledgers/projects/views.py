"""攻坚作战一览表 pages: the board (add a project, county staff), a project (progress, milestones)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET, require_POST
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from junheng.web.areas import scope
from junheng.web.ledgers.forms import iso_date, post_county_form
from junheng.web.ledgers.lists import form_problem
from junheng.web.audit.log import log
from junheng.web.ledgers.models import PROJECT_KINDS, Milestone, PlanJob, Project
from junheng.web.ledgers.documents import attachment
from junheng.web.ledgers.projects.exports import board_docx, board_xlsx
from junheng.web.ledgers.projects.rules import project_late




@login_required
def project_list(request, pk: int):
    county, staff = post_county_form(request, scope, pk)
    if request.method == "POST":
        name, unit = request.POST.get("name", "").strip(), request.POST.get("owner_unit", "").strip()
        try:
            budget = Decimal(request.POST["budget_wan"]) if request.POST.get("budget_wan") else None
        except InvalidOperation:
            budget = Decimal(-1)
        kind = request.POST.get("kind", "other")
        bad = form_problem(Project, {k: request.POST.get(k, "").strip() for k in ("name", "owner_unit", "owner_person")})
        if bad:
            messages.error(request, bad)
        elif not name or not unit or kind not in dict(PROJECT_KINDS) or \
                (budget is not None and not (budget.is_finite() and 0 <= budget < Decimal("1e10"))):
            messages.error(request, "请填写项目名称、责任单位，投资（万元）为 0 至 99 亿之间的数。")
        else:
            p = Project.objects.create(county=county, name=name, kind=kind, owner_unit=unit, budget_wan=budget,
                                       owner_person=request.POST.get("owner_person", "").strip(),
                                       veto=request.POST.get("veto") == "1", created_by=request.user,
                                       school=scope.schools(request.user).filter(county=county, name=unit).first())
            log(request.user, "proj_new", county=county, target=str(p), note=f"{p.get_kind_display()}，一票否决：{'是' if p.veto else '否'}")
            return redirect("project_detail", pk=p.pk)
    today = timezone.localdate()
    rows = []
    for p in scope.projects(request.user).filter(county=county).prefetch_related("milestones"):
        ms = list(p.milestones.all())
        nxt = next((m for m in ms if m.done_on is None), None)
        rows.append({"p": p, "late": project_late([(m.due, m.done_on) for m in ms], today), "next": nxt,
                     "late_n": sum(1 for m in ms if m.done_on is None and m.late)})
    plans = PlanJob.objects.filter(snapshot__county=county, snapshot__in=scope.snapshots(request.user))[:10]
    return render(request, "ledgers/project_list.html", {"county": county, "rows": rows, "staff": staff,
                                                          "kinds": PROJECT_KINDS, "plans": plans})


@login_required
def project_detail(request, pk: int):
    p = get_object_or_404(scope.projects(request.user), pk=pk)
    staff = scope.is_county_staff(request.user, p.county)
    if request.method == "POST":
        scope.require(staff)
        act = request.POST.get("act", "")
        if act == "milestone":
            due = iso_date(request.POST.get("due", ""))
            name = request.POST.get("name", "").strip()
            bad = form_problem(Milestone, {"name": name})
            if bad:
                messages.error(request, bad)
            elif due is None or not name:
                messages.error(request, "请填写节点名称和计划完成日期。")
            else:
                Milestone.objects.create(project=p, name=name, due=due)
                log(request.user, "proj_edit", county=p.county, target=str(p), new=f"节点：{name}（{due}）")
        elif act == "done":
            m = get_object_or_404(Milestone.objects.filter(project=p), pk=int(request.POST.get("milestone", "0") or 0))
            m.done_on = iso_date(request.POST.get("done_on", "")) or timezone.localdate()
            m.save(update_fields=["done_on"])
            log(request.user, "proj_edit", county=p.county, target=str(p), new=f"节点完成：{m.name}（{m.done_on}）")
        elif act == "progress":
            v = request.POST.get("progress", "")
            if v.isdigit() and 0 <= int(v) <= 100:
                old, p.progress = p.progress, int(v)
                p.save(update_fields=["progress"])
                log(request.user, "proj_edit", county=p.county, target=str(p), old=f"进度：{old}%", new=f"{v}%")
            else:
                messages.error(request, "进度应为 0 至 100 的整数。")
        return redirect("project_detail", pk=p.pk)
    return render(request, "ledgers/project_detail.html", {"p": p, "staff": staff, "milestones": p.milestones.all()})


def _export(request, pk: int, kind: str, build, filename: str):
    """A download of the projects the user sees in county ``pk`` (the board's order), audited."""
    county = get_object_or_404(scope.ledger_counties(request.user), pk=pk)
    projects = scope.projects(request.user).filter(county=county).prefetch_related("milestones")
    log(request.user, "proj_exp", county=county, target=f"{county.name}攻坚作战一览表", note=f"{kind}，{projects.count()} 个项目")
    return attachment(build(projects, county), county, filename)


@require_GET
@login_required
def project_xlsx(request, pk: int):
    return _export(request, pk, "Excel", lambda ps, c: board_xlsx(ps, c.name), "projects.xlsx")


@require_GET
@login_required
def project_docx(request, pk: int):
    return _export(request, pk, "Word", lambda ps, c: board_docx(ps, c.name, f"{c.name}教育体育局"),
                   "projects_report.docx")


@require_POST
@login_required
def plan_create(request, pk: int):
    """County staff: run the planner on snapshot ``pk`` under ``pack`` in the background and turn
    the plan into projects and 整改 items (projects/planning.py); once per snapshot and pack."""
    from junheng.web.ledgers.tasks import plan_task
    from junheng.web.snapshots.services import PACKS

    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    scope.require(scope.is_county_staff(request.user, snap.county))
    pack = request.POST.get("pack", "")
    if pack not in PACKS:
        messages.error(request, "请选择规则包。")
        return redirect("snapshot_detail", pk=snap.pk)
    earlier = PlanJob.objects.filter(snapshot=snap, pack=pack).exclude(status=PlanJob.FAILED).first()
    if earlier is not None:
        messages.error(request, f"快照 #{snap.pk} 已按{PACKS[pack]}生成过规划（任务 #{earlier.pk}），未重复生成。")
        return redirect("plan_job", pk=earlier.pk)
    job = PlanJob.objects.create(snapshot=snap, pack=pack, created_by=request.user)
    plan_task(job.pk)
    return redirect("plan_job", pk=job.pk)


@require_GET
@login_required
def plan_job(request, pk: int):
    """A plan job's progress and outcome (jobs of the snapshots the user may see)."""
    from junheng.web.snapshots.services import PACKS

    job = get_object_or_404(PlanJob.objects.filter(snapshot__in=scope.snapshots(request.user))
                            .select_related("snapshot", "snapshot__county"), pk=pk)
    return render(request, "ledgers/plan_job.html", {
        "job": job, "pack_name": PACKS.get(job.pack, job.pack),
        "running": job.status in (PlanJob.QUEUED, PlanJob.RUNNING)})
