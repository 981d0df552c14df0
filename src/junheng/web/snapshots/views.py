"""Snapshots: list and freeze, detail, assessment on screen and as JSON (thin over snapshots/services.py)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from pathlib import Path

import orjson
from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from django.shortcuts import get_object_or_404, redirect, render

from junheng.errors import InputError
from junheng.report.narrative.numbers import cn_brackets, fmt_num, fmt_verdict
from junheng.web.areas import scope
from junheng.web.collection.views import latest_year
from junheng.web.snapshots import services
from junheng.web.snapshots.models import ReportJob
from junheng.web.snapshots.tasks import report_task


@login_required
def snapshot_list(request, pk: int):
    county = get_object_or_404(scope.counties(request.user), pk=pk)
    if request.method == "POST":
        scope.require(scope.can_manage(request.user, county))
        y = request.POST.get("year", "")
        try:
            snap = services.freeze(county, int(y) if y.isdigit() else latest_year(county), request.user,
                                   request.POST.get("label", ""))
        except services.FreezeError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"已冻结快照 #{snap.pk}。")
            return redirect("snapshot_detail", pk=snap.pk)
    snaps = scope.snapshots(request.user).filter(county=county)
    return render(request, "snapshots/snapshot_list.html", {
        "county": county, "snapshots": snaps, "year": latest_year(county),
        "can_manage": scope.can_manage(request.user, county)})


@login_required
def snapshot_detail(request, pk: int):
    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    return render(request, "snapshots/snapshot_detail.html", {
        "snap": snap, "packs": services.PACKS,
        "jobs": scope.report_jobs(request.user).filter(snapshot=snap)[:20],
        "can_publish": scope.can_publish(request.user, snap.county),
        "others": scope.snapshots(request.user).filter(county=snap.county).exclude(pk=snap.pk)})


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
            # basic-2012 judges the composite only: an indicator without its own threshold shows none
            inds = [{"name": cn_brackets(i["name"]), "mean": fmt_num(i["mean"], 2), "cv": fmt_num(i["cv"]),
                     "threshold": "" if i["threshold"] is None else fmt_num(i["threshold"], 2),
                     "passed": "" if i["threshold"] is None else fmt_verdict(i["passed"]), "ok": i["passed"]}
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


@login_required
def snapshot_compare(request, pk: int, other: int):
    """What changed from snapshot ``other`` (earlier) to ``pk``: schools, figures, CVs, verdicts."""
    from junheng.web.snapshots.compare import compare

    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    base = get_object_or_404(scope.snapshots(request.user), pk=other)
    pack = request.GET.get("pack", "basic-2012")
    if pack not in services.PACKS:
        raise Http404("没有这个规则包。")
    try:
        docs = [orjson.loads(services.assessment_json(s, pack)) for s in (base, snap)]
    except InputError as e:
        return render(request, "snapshots/assessment_error.html", {"issues": [str(i) for i in e.issues]}, status=422)
    cmp = compare(base.rows, snap.rows, *docs)
    for i in cmp.indicators:
        i.update(cv_a_text=fmt_num(i["cv_a"]), cv_b_text=fmt_num(i["cv_b"]),
                 delta_text="" if i["delta"] is None else f"{i['delta']:+.3f}",
                 moved=i["passed_a"] != i["passed_b"])
    return render(request, "snapshots/compare.html", {
        "snap": snap, "base": base, "pack": pack, "packs": services.PACKS, "cmp": cmp,
        "others": scope.snapshots(request.user).filter(county=snap.county).exclude(pk=snap.pk)})


@require_POST
@login_required
def report_create(request, pk: int):
    """Queue the official reports of a snapshot (Excel, Word, HTML) for one rule pack."""
    snap = get_object_or_404(scope.snapshots(request.user), pk=pk)
    scope.require(scope.can_publish(request.user, snap.county))
    pack = request.POST.get("pack", "")
    if pack not in services.PACKS:
        raise Http404("没有这个规则包。")
    job = ReportJob.objects.create(snapshot=snap, pack=pack, created_by=request.user, step="排队等待")
    report_task(job.pk)
    return redirect("job_detail", pk=job.pk)


@login_required
def job_detail(request, pk: int):
    job = get_object_or_404(scope.report_jobs(request.user), pk=pk)
    return render(request, "snapshots/job_detail.html", {
        "job": job, "pack_name": services.PACKS.get(job.pack, job.pack),
        "running": job.status in (ReportJob.QUEUED, ReportJob.RUNNING)})


@login_required
def job_download(request, pk: int):
    job = get_object_or_404(scope.report_jobs(request.user), pk=pk, status=ReportJob.DONE)
    path = (Path(settings.DATA_DIR) / job.file).resolve()
    if not job.file or not path.is_file() or Path(settings.DATA_DIR).resolve() not in path.parents:
        raise Http404("文件不存在。")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


def _monitored(request, pk: int):
    """(county, snapshots of the county, chosen snapshots, pack, MonitorResult or None, error text):
    the county through scope.counties (as the dashboards), the snapshots through scope.snapshots."""
    from junheng.web.snapshots import monitoring

    county = get_object_or_404(scope.counties(request.user), pk=pk)
    pack = request.GET.get("pack", "basic-2012")
    if pack not in services.PACKS:
        raise Http404("没有这个规则包。")
    snaps = list(scope.snapshots(request.user).filter(county=county))
    try:
        chosen = monitoring.choose(snaps, request.GET.getlist("s"))
    except LookupError:
        raise Http404("没有这个快照。") from None
    except monitoring.ChoiceError as e:
        return county, snaps, [], pack, None, str(e)
    try:
        return county, snaps, chosen, pack, monitoring.run(chosen, pack), ""
    except InputError as e:
        return county, snaps, chosen, pack, None, "；".join(str(i) for i in e.issues)


@login_required
def county_monitor(request, pk: int):
    """年度监测复查 of a county over its snapshots (``?s=<id>&s=…&pack=``; default: each year's latest)."""
    from urllib.parse import urlencode

    from junheng.web.snapshots import monitoring

    county, snaps, chosen, pack, result, error = _monitored(request, pk)
    query = urlencode([("pack", pack), *[("s", s.pk) for s in chosen]])
    return render(request, "snapshots/monitor.html", {
        "county": county, "snaps": sorted(snaps, key=lambda s: -s.year), "chosen": {s.pk for s in chosen} or {int(x) for x in request.GET.getlist("s") if x.isdigit()}, "chosen_list": chosen, "pack": pack,
        "packs": services.PACKS, "error": error, "query": query, "result": result,
        "counties": monitoring.display(result, {s.year: {e["school_id"] for e in s.excluded} for s in chosen}) if result else [], "formats": monitoring.DOWNLOADS},
        status=422 if error and (chosen or request.GET.getlist("s")) else 200)  # no 2 years by default: 200


@login_required
def county_monitor_download(request, pk: int, fmt: str):
    """The 监测复查 Excel, Word or HTML report of the same choice (the writers of ``junheng monitor``)."""
    from junheng.web.snapshots import monitoring

    if fmt not in monitoring.DOWNLOADS:
        raise Http404("没有这种文件格式。")
    county, _, chosen, pack, result, error = _monitored(request, pk)
    if result is None:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    data, name = monitoring.download(result, fmt, f"{county.name}年度监测复查_{chosen[0].year}-{chosen[-1].year}_{pack}")
    r = HttpResponse(data, content_type=monitoring.DOWNLOADS[fmt])
    r["Content-Disposition"] = content_disposition_header(True, name)
    return r

