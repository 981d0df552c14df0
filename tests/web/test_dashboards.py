"""Dashboards: the numbers are those of the stored assessment document (not recomputed), the
weakest units those of core.trace.weakest_units, progress lists who has not submitted and who was
returned; plotly.js is served from the installed plotly package (no CDN)."""
from __future__ import annotations

import json
import re

import orjson
import pytest
from django.contrib.auth import get_user_model

from junheng.core.trace import weakest_units
from junheng.report.narrative.numbers import fmt_num
from junheng.web.areas.models import Area
from junheng.web.collection.models import SchoolYear
from junheng.web.dashboards.assets import plotly_js_file
from junheng.web.snapshots import services
from junheng.web.snapshots.models import Snapshot, SnapshotAssessment

pytestmark = pytest.mark.django_db


def _county():
    return Area.objects.get(code="529901")


def _charts(body: str) -> dict:
    return {m[0]: json.loads(m[1]) for m in re.findall(r'<script id="([\w-]+-data)" type="application/json">(.*?)</script>',
                                                        body, re.S)}


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_county_dashboard_shows_the_stored_document(login, pack):
    county = _county()
    snap = Snapshot.objects.filter(county=county).first()
    body = login("county").get(f"/counties/{county.pk}/dashboard/?pack={pack}").content.decode()
    doc = orjson.loads(services.assessment_json(snap, pack))["counties"][0]
    charts = _charts(body)
    for key, lv in doc["levels"].items():
        if not lv:
            continue
        bars = charts[f"cv-{key}-data"]["data"][0]
        cvs = [i["cv"] for i in lv["indicators"].values()]
        assert bars["x"][:len(cvs)] == cvs     # the document's CVs, as stored
        for i in lv["indicators"].values():
            assert fmt_num(i["cv"]) in body
    assert f"快照 #{snap.pk}" in body and "填报进度" in body and "薄弱学校" in body


def test_dashboard_reads_the_stored_document_not_a_recomputation(login):
    """Change the stored text: the dashboard shows the changed CV (so nothing is recomputed)."""
    county = _county()
    snap = Snapshot.objects.filter(county=county).first()
    services.assessment_json(snap, "quality-2017")
    stored = SnapshotAssessment.objects.get(snapshot=snap, pack="quality-2017")
    doc = orjson.loads(stored.document)
    first = next(iter(doc["counties"][0]["levels"]["primary"]["indicators"].values()))
    first["cv"] = 0.987654
    stored.document = orjson.dumps(doc).decode()
    stored.save()
    body = login("reviewer").get(f"/counties/{county.pk}/dashboard/?pack=quality-2017").content.decode()
    assert _charts(body)["cv-primary-data"]["data"][0]["x"][0] == 0.987654 and "0.988" in body


def test_weakest_units_are_core_trace(login):
    county = _county()
    snap = Snapshot.objects.filter(county=county).first()
    a, _, _ = services.assessed(snap, "quality-2017")
    want = weakest_units(a, a.counties[0].county_key, "primary")
    assert want.height > 0
    assert services.weakest(snap, "quality-2017")["529901"]["primary"] == want.to_dicts()
    body = login("county").get(f"/counties/{county.pk}/dashboard/?pack=quality-2017").content.decode()
    section = body[body.index("<h2>薄弱学校</h2>"):body.index("<h2>各校指标与达标情况</h2>")]
    names = want["name"].to_list()
    assert all(n in section for n in names)
    assert section.index(names[0]) < section.index(names[-1])   # in the ranking's order


def test_progress_lists_not_submitted_and_returned(login):
    county = _county()
    rec = SchoolYear.objects.filter(school__county=county, year=2025, status=SchoolYear.SUBMITTED).first()
    SchoolYear.objects.filter(pk=rec.pk).update(status=SchoolYear.RETURNED, return_reason="生均图书册数有误请核对")
    draft = SchoolYear.objects.filter(school__county=county, year=2025).exclude(pk=rec.pk).first()
    SchoolYear.objects.filter(pk=draft.pk).update(status=SchoolYear.DRAFT)
    body = login("county").get(f"/counties/{county.pk}/dashboard/").content.decode()
    progress = body[body.index("填报进度</h2>"):]
    returned = progress[progress.index("已退回修改（"):]
    n_returned = SchoolYear.objects.filter(school__county=county, year=2025, status=SchoolYear.RETURNED).count()
    assert f"已退回修改（{n_returned} 所）" in progress and rec.school.name in returned and "生均图书册数有误请核对" in returned
    waiting = progress[progress.index("尚未提交（"):progress.index("已退回修改（")]
    assert draft.school.name in waiting and rec.school.name not in waiting
    bars = {d["name"].split()[0]: d["x"][0] for d in _charts(body)["progress-data"]["data"]}
    assert bars["已退回修改"] == n_returned and sum(bars.values()) == county.schools.count()


def test_trend_over_snapshot_years(login):
    county = _county()
    user = get_user_model().objects.get(username="county")
    SchoolYear.objects.filter(school__county=county, year=2025).update(status=SchoolYear.APPROVED)
    old = services.freeze(county, 2025, user, "2025")
    for r in SchoolYear.objects.filter(school__county=county, year=2025)[:60]:   # the same data as year 2026
        SchoolYear.objects.create(school=r.school, year=2026, data=r.data, status=SchoolYear.APPROVED)
    new = services.freeze(county, 2026, user, "2026")
    body = login("inspector").get(f"/counties/{county.pk}/dashboard/?snapshot={new.pk}").content.decode()
    charts = _charts(body)
    lines = charts["trend-primary-data"]["data"]
    assert lines[0]["x"] == [2025, 2026]
    cv_old = orjson.loads(services.assessment_json(old, "basic-2012"))["counties"][0]["levels"]["primary"]
    cv_new = orjson.loads(services.assessment_json(new, "basic-2012"))["counties"][0]["levels"]["primary"]
    first = next(iter(cv_old["indicators"]))
    assert lines[0]["y"] == [cv_old["indicators"][first]["cv"], cv_new["indicators"][first]["cv"]]


def test_index_lists_counties_in_scope(login):
    body = login("inspector").get("/dashboards/?pack=basic-2012").content.decode()
    assert "均衡示例县" in body and "其他县" not in body
    assert login("county").get("/dashboards/")["Location"].endswith(f"/counties/{_county().pk}/dashboard/")
    assert login("school").get("/dashboards/").content.decode().count("仪表板</a>") == 0


def test_plotly_is_served_by_the_application(login, client):
    body = login("county").get(f"/counties/{_county().pk}/dashboard/").content.decode()
    src = re.search(r'<script src="([^"]*plotly[^"]*)"', body)[1]
    assert src.startswith("/static/")
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', body)   # nothing fetched from another server
    from django.contrib.staticfiles import finders

    found = finders.find("vendor/plotly.min.js")
    assert found == str(plotly_js_file())
    r = client.get(src)
    assert r.status_code == 200
    head = b"".join(r.streaming_content)[:2000] if r.streaming else r.content[:2000]
    assert b"plotly" in head.lower()


def test_unknown_pack_and_snapshot_are_404(login):
    c = login("county")
    county = _county()
    other = Snapshot.objects.exclude(county=county).first()
    assert c.get(f"/counties/{county.pk}/dashboard/?pack=nope").status_code == 404
    assert c.get(f"/counties/{county.pk}/dashboard/?snapshot={other.pk}").status_code == 404


def test_verdict_marks_read_in_black(login):
    """issue 8 leftover: verdicts were red/green text. Like the documents, a verdict cell says 达标 /
    未达标 (or ✓ / ✗) in black, a failing one bold on grey shading: no rule of site.css for the mark
    classes gives a colour, and the dashboard's verdict cells carry their words."""
    from pathlib import Path

    import junheng.web

    css = (Path(junheng.web.__file__).parent / "static" / "junheng" / "site.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if re.search(r"\.(ok|bad|mark-ok|mark-bad)\b", selectors) and "pill" not in selectors:
            colours = re.findall(r"(?<![-\w])color\s*:\s*([^;]+)", body)
            assert all(c.strip() in ("inherit", "#000", "#000000", "#222") for c in colours), (selectors, body)
            assert not re.search(r"background[^;]*#(?!d9d9d9|fff)[0-9a-f]{6}", body, re.I), (selectors, body)
    county = _county()
    body = login("county").get(f"/counties/{county.pk}/dashboard/?pack=quality-2017").content.decode()
    cells = re.findall(r'<td class="(ok|bad)">([^<]*)</td>', body)
    assert cells and all(text.strip() in ("达标", "未达标") for _, text in cells)
    marks = re.findall(r'<td class="num mark-(ok|bad)">[^<]*?([✓✗])</td>', body)
    assert marks and all((k == "ok") == (m == "✓") for k, m in marks)
