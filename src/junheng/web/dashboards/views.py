"""Dashboard pages (thin: rows from areas/scope.py, numbers from the stored assessments of
snapshots/services.py, display from figures.py)."""
from __future__ import annotations

import orjson
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from junheng.errors import InputError
from junheng.report.narrative.numbers import fmt_verdict
from junheng.web.areas import scope
from junheng.web.collection.progress import NOT_STARTED, county_progress
from junheng.web.collection.views import latest_year
from junheng.web.collection.models import SchoolYear
from junheng.web.dashboards import figures
from junheng.web.dashboards.assets import PLOTLY_JS
from junheng.web.snapshots import services
from junheng.web.snapshots.monitoring import latest_by_year

DEFAULT_PACK = "basic-2012"


def _pack(request) -> str:
    pack = request.GET.get("pack", DEFAULT_PACK)
    if pack not in services.PACKS:
        raise Http404("没有这个规则包。")
    return pack


def _county_doc(snap, pack: str) -> tuple[dict | None, str]:
    """(county document, error text) of the stored assessment of ``snap``."""
    try:
        return figures.county_doc(orjson.loads(services.assessment_json(snap, pack))), ""
    except InputError as e:
        return None, "；".join(str(i) for i in e.issues)


def _chart(ctx: dict, name: str, fig: dict) -> None:
    """Add a chart: drawn into ``<div id=name>`` from the JSON script ``name-data`` (static dashboard.js)."""
    ctx["charts"].append({"id": name, "script": f"{name}-data", "fig": fig})


@login_required
def dashboard_index(request):
    """The counties a user may open, each with the verdicts of its latest snapshot (one county: its dashboard)."""
    pack = _pack(request)
    counties = list(scope.counties(request.user).order_by("path"))
    if len(counties) == 1 and "pack" not in request.GET:
        return redirect("county_dashboard", pk=counties[0].pk)
    latest = {}
    for s in scope.snapshots(request.user):
        latest.setdefault(s.county_id, s)
    rows = []
    for c in counties:
        snap = latest.get(c.pk)
        doc, error = _county_doc(snap, pack) if snap else (None, "")
        rows.append({"county": c, "snap": snap, "error": error,
                     "verdict": fmt_verdict(doc.get("passed")) if doc else "", "passed": doc.get("passed") if doc else None,
                     "levels": figures.levels(doc) if doc else []})
    return render(request, "dashboards/index.html", {"rows": rows, "pack": pack, "packs": services.PACKS})


@login_required
def county_dashboard(request, pk: int):
    """County overview: CVs against thresholds, verdicts, trend over snapshot years, units and their
    marks, the weakest units, submission progress."""
    county = get_object_or_404(scope.counties(request.user), pk=pk)
    pack = _pack(request)
    snaps = list(scope.snapshots(request.user).filter(county=county))
    snap = snaps[0] if snaps else None
    wanted = request.GET.get("snapshot", "")
    if wanted.isdigit():
        snap = next((s for s in snaps if s.pk == int(wanted)), None)
        if snap is None:
            raise Http404("没有这个快照。")
    ctx = {"county": county, "pack": pack, "packs": services.PACKS, "snap": snap, "snaps": snaps,
           "plotly_js": PLOTLY_JS, "charts": []}
    doc, ctx["error"] = _county_doc(snap, pack) if snap else (None, "")
    if doc is not None:
        weak = services.weakest(snap, pack).get(doc["county_code"] or "", {})
        ctx["doc"], ctx["verdict"] = doc, fmt_verdict(doc.get("passed"))
        ctx["levels"] = []
        for lv in figures.levels(doc):
            ctx["levels"].append({**lv, "chart": f"cv-{lv['key']}", "units_table": figures.units(doc, lv),
                                  "weakest": figures.weakest(weak.get(lv["key"], []), lv)})
            _chart(ctx, f"cv-{lv['key']}", figures.cv_figure(lv))
        series = []
        for s in latest_by_year([x for x in snaps if x.pk == snap.pk or x.year != snap.year]):
            c, _ = _county_doc(s, pack)
            if c is not None:
                series.append((s.year, c))
        ctx["trend"] = figures.trend(series) if len(series) > 1 else {}
        for key, t in ctx["trend"].items():
            _chart(ctx, f"trend-{key}", figures.trend_figure(t))
    year = snap.year if snap else latest_year(county)
    progress = county_progress(county, year)
    ctx.update(year=year, counts=progress.counts,
               not_submitted=progress.with_status(None, SchoolYear.DRAFT),
               returned=progress.with_status(SchoolYear.RETURNED), not_started=NOT_STARTED)
    _chart(ctx, "progress", figures.progress_figure(progress.counts))
    return render(request, "dashboards/county.html", ctx)
