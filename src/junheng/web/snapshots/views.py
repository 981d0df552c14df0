"""Snapshots: list and freeze, detail, assessment on screen and as JSON (thin over snapshots/services.py)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
import orjson
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from junheng.errors import InputError
from junheng.report.narrative.numbers import fmt_num, fmt_verdict
from junheng.web.areas import scope
from junheng.web.areas.views import current_year
from junheng.web.snapshots import services


@login_required
def snapshot_list(request, pk: int):
    county = get_object_or_404(scope.counties(request.user), pk=pk)
    if request.method == "POST":
        scope.require(scope.can_manage(request.user, county))
        y = request.POST.get("year", "")
        try:
            snap = services.freeze(county, int(y) if y.isdigit() else current_year(), request.user,
                                   request.POST.get("label", ""))
        except services.FreezeError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"已冻结快照 #{snap.pk}。")
            return redirect("snapshot_detail", pk=snap.pk)
    snaps = scope.snapshots(request.user).filter(county=county)
    return render(request, "snapshots/snapshot_list.html", {
        "county": county, "snapshots": snaps, "year": current_year(),
        "can_manage": scope.can_manage(request.user, county)})


@login_required
def snapshot_detail(request, pk: int):
    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    return render(request, "snapshots/snapshot_detail.html", {"snap": snap, "packs": services.PACKS})


def _payload(request, pk: int, pack: str):
    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    if pack not in services.PACKS:
        raise Http404("没有这个规则包。")
    return snap, services.assessment_json(snap, pack)


@login_required
def snapshot_assessment(request, pk: int, pack: str):
    try:
        snap, text = _payload(request, pk, pack)
    except InputError as e:
        return render(request, "snapshots/assessment_error.html", {"issues": [str(i) for i in e.issues]}, status=422)
    doc = orjson.loads(text)
    counties = []
    for c in doc["counties"]:
        levels = []
        for key, lv in (c.get("levels") or {}).items():
            if not lv:
                continue
            inds = [{"name": i["name"], "mean": fmt_num(i["mean"], 2), "cv": fmt_num(i["cv"]),
                     "threshold": fmt_num(i["threshold"], 2), "passed": fmt_verdict(i["passed"]), "ok": i["passed"]}
                    for i in lv["indicators"].values()]
            levels.append({"key": key, "name": {"primary": "小学", "junior": "初中"}.get(key, key), "lv": lv,
                           "indicators": inds, "composite": fmt_num(lv.get("composite_cv")),
                           "composite_threshold": fmt_num(lv.get("composite_threshold"), 2),
                           "passed": fmt_verdict(lv.get("passed"))})
        counties.append({"c": c, "levels": levels, "passed": fmt_verdict(c.get("passed"))})
    return render(request, "snapshots/assessment.html", {
        "snap": snap, "pack": pack, "pack_name": services.PACKS[pack], "doc": doc, "counties": counties})


@login_required
def snapshot_json(request, pk: int, pack: str):
    try:
        _, text = _payload(request, pk, pack)
    except InputError as e:
        return JsonResponse({"errors": [str(i) for i in e.issues]}, status=422, json_dumps_params={"ensure_ascii": False})
    return HttpResponse(text, content_type="application/json; charset=utf-8")
