"""攻坚作战一览表 pages: the board (add a project, county staff), a project (progress, milestones)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from junheng.web.areas import scope
from junheng.web.ledgers.forms import iso_date, post_county_form
from junheng.web.ledgers.lists import form_problem
from junheng.web.audit.log import log
from junheng.web.ledgers.models import PROJECT_KINDS, Milestone, Project
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
    return render(request, "ledgers/project_list.html", {"county": county, "rows": rows, "staff": staff,
                                                          "kinds": PROJECT_KINDS})


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
