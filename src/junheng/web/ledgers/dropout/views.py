"""控辍保学 pages: the three ledgers, roll import, roles, a child's page (audited), export."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from junheng.errors import InputError
from junheng.report.narrative.numbers import fmt_num, fmt_verdict
from junheng.web.areas import scope
from junheng.web.audit.log import log
from junheng.web.collection.uploads import saved_upload
from junheng.web.ledgers.dropout import services
from junheng.web.ledgers.dropout.exports import roll_xlsx
from junheng.web.ledgers.dropout.roll import read_roll
from junheng.web.ledgers.dropout.rules import SCHOOL_AGE, mask_id, mask_name, school_year
from junheng.web.ledgers.lists import form_problem
from junheng.web.ledgers import evidence as ev
from junheng.web.ledgers.models import Child, ChildDuty, ChildEvidence, DutyRole, ReturnVisit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _county(request, pk):
    return get_object_or_404(scope.ledger_counties(request.user), pk=pk)


@require_GET
@login_required
def dropout_list(request, pk: int):
    county = _county(request, pk)
    state = request.GET.get("state", Child.SUSPECTED)
    if state not in dict(Child.STATES):
        state = Child.SUSPECTED
    kids = scope.children(request.user).filter(county=county)
    counts = {s: kids.filter(state=s).count() for s, _ in Child.STATES}
    named = scope.can_see_identity(request.user, county)
    rows = [{"c": c, "name": c.name if named else mask_name(c.name), "id": mask_id(c.id_number)}
            for c in kids.filter(state=state)[:500]]
    cohorts = services.retention(county) if scope.is_county_staff(request.user, county) or \
        scope.who(request.user).role in scope.roles.SNAPSHOT_ROLES else []
    for r in cohorts:
        r["rate_text"] = fmt_num(r["rate"], 2) if r["rate"] is not None else "无法计算"
        r["verdict"] = fmt_verdict(r["check"].passed) if r["check"] else ""
    w = scope.who(request.user)
    due = services.due(kids, timezone.localdate())
    mask = (lambda c: c.name) if named else (lambda c: mask_name(c.name))
    todo = []
    if w.role == scope.roles.REPORTER or scope.is_county_staff(request.user, county):
        todo.append(("学校月报（连续缺勤天数）本月未报", [(c, mask(c)) for c in due["monthly"]]))
    if scope.is_county_staff(request.user, county):
        todo.append(("县级季度复查本季度未做", [(c, mask(c)) for c in due["quarterly"]]))
    return render(request, "ledgers/dropout_list.html", {"todo": todo,
        "county": county, "state": state, "tabs": [(s, n, counts[s]) for s, n in Child.STATES], "rows": rows,
        "staff": scope.is_county_staff(request.user, county), "admin": scope.can_export_children(request.user, county),
        "limit": services.limit(county), "cohorts": cohorts, "duty_roles": services.duty_roles(county)})


@login_required
def dropout_import(request, pk: int):
    county = _county(request, pk)
    scope.require(scope.can_manage(request.user, county))
    issues, year = [], str(school_year(timezone.localdate()))
    if request.method == "POST":
        year = request.POST.get("year", year).strip()   # the form's field (prefilled with the current school year)
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            issues = [f"台账学年应为 2000–2100 之间的年份（如 {school_year(timezone.localdate())}），现为“{year}”。"]
        elif not request.FILES.get("file"):
            issues = ["请选择要导入的名单文件。"]
    if request.method == "POST" and not issues:
        try:
            with saved_upload(request.FILES["file"]) as (path, name):
                rows = read_roll(path, county, int(year), name=name)
            added, updated = services.import_roll(county, request.user, rows, name)
        except InputError as e:
            issues = [str(i) for i in e.issues]
        except services.DropoutError as e:
            issues = [str(e)]
        else:
            messages.success(request, f"已导入：新增 {added} 人，更新 {updated} 人。")
            return redirect("dropout_list", pk=county.pk)
    return render(request, "ledgers/dropout_import.html", {"county": county, "issues": issues, "year": year,
                                                          "age": SCHOOL_AGE})


@require_POST
@login_required
def dropout_settings(request, pk: int):
    """Roles of the 七长责任制 (one per line), the absent-days limit, then derive again."""
    county = _county(request, pk)
    scope.require(scope.can_manage(request.user, county))
    from junheng.web.ledgers.models import DropoutSettings

    try:
        if "roles" in request.POST:
            services.set_duty_roles(county, request.user, request.POST["roles"].splitlines())
        days = request.POST.get("limit", "")
        if days and not (days.isdigit() and 1 <= int(days) <= 365):
            raise services.DropoutError("连续缺勤天数上限应为 1 至 365 的整数。")
        if days:
            DropoutSettings.objects.update_or_create(county=county, defaults={"absent_days_limit": int(days)})
            log(request.user, "duty_roles", county=county, target=f"{county.name}控辍保学设置", new=f"连续缺勤上限 {days} 天")
        n = services.derive(county, request.user)
    except services.DropoutError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"已保存；重新判定疑似辍学，变动 {n} 人。")
    return redirect("dropout_list", pk=county.pk)


@login_required
def child_detail(request, pk: int):
    child = get_object_or_404(scope.children(request.user), pk=pk)
    named = scope.can_see_identity(request.user, child.county)
    full_id = scope.can_work_child(request.user, child)
    log(request.user, "child_view", county=child.county, target=str(child),
        note="查看（含身份证号）" if full_id else "查看")
    can_work = scope.can_work_child(request.user, child)
    staff = scope.is_county_staff(request.user, child.county)
    if request.method == "POST":
        scope.require(can_work)
        act = request.POST.get("act", "")
        keys = {"visit": ("visitors", "outcome"), "duty": ("person", "phone")}.get(act, ())
        texts = {k: request.POST.get(k, "").strip() for k in keys}
        bad = form_problem(ReturnVisit if act == "visit" else ChildDuty, texts) or \
            form_problem(Child, {"outcome_note": request.POST.get("note", "").strip()})
        if bad:
            messages.error(request, bad)
            return redirect("child_detail", pk=child.pk)
        try:
            if act == "visit":
                on = dt.date.fromisoformat(request.POST.get("on", "") or dt.date.today().isoformat())
                services.add_visit(child, request.user, on, request.POST.get("visitors", ""),
                                   request.POST.get("outcome", ""), request.POST.get("returned") == "1")
            elif act == "absent":
                services.set_absent(child, request.user, int(request.POST.get("days", "-1") or -1))
            elif act == "recheck":
                scope.require(staff)
                services.recheck(child, request.user, request.POST.get("note", ""))
            elif act == "confirm":
                scope.require(staff)
                services.confirm(child, request.user, request.POST.get("note", ""))
            elif act == "close":
                scope.require(staff)
                sid = request.POST.get("school", "")
                school = scope.schools(request.user).filter(pk=int(sid), county=child.county).first() if sid.isdigit() else None
                files = request.FILES.getlist("file")
                for up in files:   # every file checked before anything changes
                    ev.check_upload(up)
                services.close(child, request.user, request.POST.get("outcome", ""), request.POST.get("note", ""), school)
                for up in files:
                    _store_evidence(request, child, up)
            elif act == "duty":
                scope.require(staff)
                role = get_object_or_404(DutyRole.objects.filter(county=child.county),
                                         pk=int(request.POST.get("role", "0") or 0))
                ChildDuty.objects.update_or_create(child=child, role=role, defaults={
                    "person": request.POST.get("person", "").strip(), "phone": request.POST.get("phone", "").strip()})
                log(request.user, "child_edit", county=child.county, target=str(child), new=f"{role.name}：{request.POST.get('person', '').strip()}")
        except (services.DropoutError, ev.EvidenceError, ValueError) as e:
            messages.error(request, "日期或天数格式不正确。" if type(e) is ValueError else str(e))
        return redirect("child_detail", pk=child.pk)
    roles = services.duty_roles(child.county)
    duties = {d.role_id: d for d in child.duties.all()}
    return render(request, "ledgers/child_detail.html", {
        "child": child, "name": child.name if named else mask_name(child.name), "named": named,
        "id": child.id_number if full_id else mask_id(child.id_number), "can_work": can_work, "staff": staff,
        "duty_rows": [(r, duties.get(r.pk)) for r in roles], "duty_roles": roles,
        "visits": child.visits.all(), "outcomes": Child.OUTCOMES, "files": child.evidence.select_related("user"),
        "schools": scope.schools(request.user).filter(county=child.county) if staff else []})


def _store_evidence(request, child: Child, upload) -> ChildEvidence:
    """Save one checked closure evidence file of ``child`` (ledgers/evidence.py) and audit it."""
    name, rel, size, digest = ev.store(upload, f"children/{child.pk}")
    f = ChildEvidence.objects.create(child=child, name=name, stored=rel, size=size, sha256=digest, user=request.user)
    log(request.user, "rect_file", county=child.county, target=str(child),
        note=f"销号佐证材料 {name}（{size} 字节，SHA-256 {digest[:12]}…）")
    return f


@require_POST
@login_required
def child_upload(request, pk: int):
    """Add an evidence file to a closed child (county staff or the child's school)."""
    child = get_object_or_404(scope.children(request.user), pk=pk)
    scope.require(scope.can_work_child(request.user, child))
    up = request.FILES.get("file")
    if child.state != Child.CLOSED:
        messages.error(request, "销号佐证材料在销号时或销号后上传。")
    elif up is None:
        messages.error(request, "请选择文件。")
    else:
        try:
            f = _store_evidence(request, child, up)
        except ev.EvidenceError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"已上传“{f.name}”。")
    return redirect("child_detail", pk=child.pk)


@require_GET
@login_required
def child_evidence(request, pk: int):
    """Download a closure evidence file: only roles that see the child's identity; audited."""
    f = get_object_or_404(ChildEvidence.objects.filter(child__in=scope.children(request.user))
                          .select_related("child", "child__county"), pk=pk)
    scope.require(scope.can_see_identity(request.user, f.child.county))
    response = ev.download(f)
    log(request.user, "child_view", county=f.child.county, target=str(f.child), note=f"下载销号佐证材料 {f.name}")
    return response


@require_GET
@login_required
def dropout_xlsx(request, pk: int):
    county = _county(request, pk)
    scope.require(scope.can_export_children(request.user, county))
    kids = scope.children(request.user).filter(county=county)
    log(request.user, "child_exp", county=county, target=f"{county.name}控辍保学台账", note=f"{kids.count()} 人（身份证号已脱敏）")
    r = HttpResponse(roll_xlsx(kids, county.name), content_type=XLSX)
    r["Content-Disposition"] = f"attachment; filename*=UTF-8''{county.code}_dropout.xlsx"
    return r
