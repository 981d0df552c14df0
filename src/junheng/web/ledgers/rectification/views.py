"""整改台账 pages (thin: rows from areas/scope.py, writes through rectification/services.py)."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from junheng.errors import InputError
from junheng.web.areas import scope
from junheng.web.ledgers.forms import iso_date, post_county_form
from junheng.web.ledgers.lists import form_problem
from junheng.web.audit.log import log
from junheng.web.collection.uploads import saved_upload
from junheng.web.ledgers import evidence as ev
from junheng.web.ledgers.documents import attachment
from junheng.web.ledgers.models import Evidence, RectItem
from junheng.web.ledgers.rectification import services, status as st
from junheng.web.ledgers.rectification.closure import reconcile
from junheng.web.ledgers.rectification.exports import ledger_xlsx, report_docx
from junheng.web.ledgers.rectification.problem_list import read_problem_list
from junheng.web.snapshots.services import PACKS
from junheng.web.versions import MISSING_VERSION, posted_version

#: moves a school or named owner may make (county staff make every move of services.MOVES).
OWNER_MOVES = {(st.NOT_STARTED, st.IN_PROGRESS), (st.NOT_STARTED, st.AWAITING), (st.IN_PROGRESS, st.AWAITING),
               (st.AWAITING, st.IN_PROGRESS)}


def _items(request, county):
    return scope.rect_items(request.user).filter(county=county).prefetch_related("notes")


def _then_item(request, item, write, *, versioned: bool = True) -> object:
    """Run ``write(version)`` with the posted version (``write()`` when not ``versioned``); a
    missing version or a LedgerError becomes a message; back to the item's page."""
    args = ()
    if versioned:
        args = (posted_version(request),)
        if args[0] is None:
            messages.error(request, MISSING_VERSION)
            return redirect("rect_detail", pk=item.pk)
    try:
        write(*args)
    except services.LedgerError as e:
        messages.error(request, str(e))
    return redirect("rect_detail", pk=item.pk)


@login_required
def rect_list(request, pk: int):
    county, staff = post_county_form(request, scope, pk)
    if request.method == "POST":
        problem, unit = request.POST.get("problem", "").strip(), request.POST.get("owner_unit", "").strip()
        deadline = iso_date(request.POST.get("deadline", ""))
        texts = {k: request.POST.get(k, "").strip() for k in ("problem", "measures", "owner_unit", "owner_person")}
        bad = form_problem(RectItem, texts)
        if bad:
            messages.error(request, bad)
        elif not problem or not unit:
            messages.error(request, "请填写问题和责任单位。")
        elif request.POST.get("deadline") and deadline is None:
            messages.error(request, "完成时限应为日期（如 2026-06-30）。")
        else:
            school = scope.schools(request.user).filter(county=county, name=unit).first()
            item = services.create(county, request.user, source="manual", problem=problem, owner_unit=unit,
                                   measures=request.POST.get("measures", "").strip(), school=school,
                                   owner_person=request.POST.get("owner_person", "").strip(), deadline=deadline)
            messages.success(request, f"已添加整改事项 #{item.pk}。")
            return redirect("rect_detail", pk=item.pk)
    today = timezone.localdate()
    items = list(_items(request, county))
    if request.GET.get("mine"):
        w = scope.who(request.user)
        items = [i for i in items if i.owner_user_id == request.user.pk or (w.school and i.school_id == w.school.pk)]
    shown = request.GET.get("status", "")
    for i in items:
        i.shown_code = i.shown(today)
        i.days = st.days_left(i.deadline, today)
        i.late = -i.days if i.days is not None else None
    counts = {code: sum(1 for i in items if i.shown_code == code) for code in st.SHOWN_NAMES}
    if shown in st.SHOWN_NAMES:
        items = [i for i in items if i.shown_code == shown]
    items.sort(key=lambda i: (i.shown_code != st.OVERDUE, i.shown_code == st.CLOSED, i.deadline or dt.date.max, i.pk))
    snaps = scope.snapshots(request.user).filter(county=county)[:10] if staff else []
    return render(request, "ledgers/rect_list.html", {
        "county": county, "items": items, "staff": staff,
        "tabs": [(code, name, counts[code]) for code, name in st.SHOWN_NAMES.items()],
        "status": shown, "mine": bool(request.GET.get("mine")), "snaps": snaps, "packs": PACKS})


@require_POST
@login_required
def rect_from_snapshot(request, pk: int):
    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    scope.require(scope.is_county_staff(request.user, snap.county))
    pack = request.POST.get("pack", "")
    if pack not in PACKS:
        raise Http404("没有这个规则包。")
    try:
        made, had = services.from_snapshot(snap, pack, request.user)
    except InputError as e:
        messages.error(request, "；".join(str(i) for i in e.issues))
    else:
        messages.success(request, f"由快照 #{snap.pk}（{PACKS[pack]}）生成整改事项 {made} 项"
                                  f"{f'，{had} 项差距已在台账中' if had else ''}。")
    return redirect("rect_list", pk=snap.county_id)


@login_required
def rect_import(request, pk: int):
    county = get_object_or_404(scope.ledger_counties(request.user), pk=pk)
    scope.require(scope.is_county_staff(request.user, county))
    issues = []
    if request.method == "POST" and request.FILES.get("file"):
        try:
            with saved_upload(request.FILES["file"]) as (path, name):
                problems = read_problem_list(path, name=name)
        except InputError as e:
            issues = [str(i) for i in e.issues]
        else:
            n = services.import_problems(county, request.user, problems, name)
            messages.success(request, f"已导入“{name}”中的 {n} 项问题。")
            return redirect("rect_list", pk=county.pk)
    return render(request, "ledgers/rect_import.html", {"county": county, "issues": issues})


@require_POST
@login_required
def rect_check(request, pk: int):
    county = get_object_or_404(scope.ledger_counties(request.user), pk=pk)
    scope.require(scope.is_county_staff(request.user, county))
    done = reconcile(county, request.user)
    messages.success(request, f"按最新快照核验：销号 {done['closed']} 项，重新打开 {done['reopened']} 项。")
    return redirect("rect_list", pk=county.pk)


def _export(request, pk: int, what: str, kind: str, build, filename: str):
    """A download of the items the user sees in county ``pk``, audited."""
    county = get_object_or_404(scope.ledger_counties(request.user), pk=pk)
    items = _items(request, county).order_by("deadline", "pk")
    log(request.user, "rect_exp", county=county, target=f"{county.name}{what}", note=f"{kind}，{items.count()} 项")
    return attachment(build(items, county), county, filename)


@require_GET
@login_required
def rect_xlsx(request, pk: int):
    return _export(request, pk, "整改台账", "Excel", lambda items, c: ledger_xlsx(items, c.name), "rectification.xlsx")


@require_GET
@login_required
def rect_docx(request, pk: int):
    return _export(request, pk, "整改情况报告", "Word",
                   lambda items, c: report_docx(items, c.name, f"{c.name}教育体育局"), "rectification_report.docx")


@login_required
def rect_detail(request, pk: int):
    item = get_object_or_404(scope.rect_items(request.user), pk=pk)
    can_work = scope.can_work_item(request.user, item)
    staff = scope.is_county_staff(request.user, item.county)
    if request.method == "POST":
        scope.require(can_work)
        return _then_item(request, item, lambda: services.add_note(item, request.user, request.POST.get("text", "")),
                          versioned=False)
    moves = [(to, st.STATUS_NAMES[to]) for (fr, to) in sorted(services.MOVES)
             if fr == item.status and (staff or (fr, to) in OWNER_MOVES)
             and not (to == st.CLOSED and item.by_data)]
    return render(request, "ledgers/rect_detail.html", {
        "item": item, "can_work": can_work, "staff": staff, "moves": moves,
        "notes": item.notes.select_related("user", "snapshot"), "files": item.evidence.select_related("user")})


@require_POST
@login_required
def rect_status(request, pk: int):
    item = get_object_or_404(scope.rect_items(request.user), pk=pk)
    scope.require(scope.can_work_item(request.user, item))
    new = request.POST.get("status", "")
    if not scope.is_county_staff(request.user, item.county):
        scope.require((item.status, new) in OWNER_MOVES)
    return _then_item(request, item, lambda version: services.set_status(
        item, request.user, new, version, request.POST.get("note", "").strip()))


@require_POST
@login_required
def rect_edit(request, pk: int):
    item = get_object_or_404(scope.rect_items(request.user), pk=pk)
    scope.require(scope.is_county_staff(request.user, item.county))
    deadline = iso_date(request.POST.get("deadline", ""))
    if request.POST.get("deadline") and deadline is None:
        messages.error(request, "完成时限应为日期（如 2026-06-30）。")
        return redirect("rect_detail", pk=item.pk)
    fields = {k: request.POST.get(k, getattr(item, k)).strip() for k in ("measures", "owner_person")}
    bad = form_problem(RectItem, fields)
    if bad:
        messages.error(request, bad)
        return redirect("rect_detail", pk=item.pk)
    if "owner_username" in request.POST:
        name = request.POST["owner_username"].strip()
        owner = get_user_model().objects.filter(username=name).first() if name else None
        if name and (owner is None or not scope.can_own_items(owner, item.county)):
            messages.error(request, f"没有本县的账号“{name}”。")
            return redirect("rect_detail", pk=item.pk)
        fields["owner_user"] = owner
    return _then_item(request, item, lambda version: services.edit(item, request.user, version,
                                                           deadline=deadline, **fields))


@require_POST
@login_required
def rect_upload(request, pk: int):
    item = get_object_or_404(scope.rect_items(request.user), pk=pk)
    scope.require(scope.can_work_item(request.user, item))
    up = request.FILES.get("file")
    if up is None:
        messages.error(request, "请选择文件。")
        return redirect("rect_detail", pk=item.pk)
    try:
        name, rel, size, digest = ev.store(up, item.pk)
    except ev.EvidenceError as e:
        messages.error(request, str(e))
    else:
        Evidence.objects.create(item=item, name=name, stored=rel, size=size, sha256=digest, user=request.user)
        log(request.user, "rect_file", county=item.county, target=str(item), note=f"{name}（{size} 字节，SHA-256 {digest[:12]}…）")
        messages.success(request, f"已上传“{name}”。")
    return redirect("rect_detail", pk=item.pk)


@require_GET
@login_required
def rect_evidence(request, pk: int):
    f = get_object_or_404(Evidence.objects.filter(item__in=scope.rect_items(request.user)), pk=pk)
    return ev.download(f)
