"""Snapshots: only approved data; the assessment is the document of `junheng assess -f json`."""
from __future__ import annotations

import json

import orjson
import pytest

from junheng.core import assess
from junheng.io import read_school_table
from junheng.report.payload import JSON_OPTIONS, assessment_payload
from junheng.rules import load_rules
from junheng.sample import SAMPLE_XLSX
from junheng.web.areas.models import Area
from junheng.web.collection.models import SchoolYear
from junheng.web.snapshots.models import Snapshot

pytestmark = pytest.mark.django_db


def _freeze(client, county):
    r = client.post(f"/counties/{county.pk}/snapshots/", {"year": "2025", "label": "测试"})
    assert r.status_code == 302
    return Snapshot.objects.get(pk=int(r["Location"].rstrip("/").rsplit("/", 1)[1]))


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_assessment_is_the_cli_document(login, pack):
    client = login("county")
    county = Area.objects.get(code="529901")
    SchoolYear.objects.filter(school__county=county, year=2025).update(status=SchoolYear.APPROVED)
    snap = _freeze(client, county)
    assert len(snap.rows) == 106 and snap.excluded == []
    body = client.get(f"/snapshots/{snap.pk}/assess/{pack}.json").content
    got = json.loads(body)
    a = assess(read_school_table(SAMPLE_XLSX).table, load_rules(pack), year=2025)
    want = assessment_payload(a, warnings=[], source=got["source"])
    assert body == orjson.dumps(want, option=JSON_OPTIONS)   # the same text, key order included
    assert body == client.get(f"/snapshots/{snap.pk}/assess/{pack}.json").content  # stored, not recomputed
    page = client.get(f"/snapshots/{snap.pk}/assess/{pack}/").content.decode()
    assert "差异系数" in page and county.name in page


def test_snapshot_holds_approved_data_only_and_never_changes(login):
    client = login("county")
    county = Area.objects.get(code="529901")
    records = SchoolYear.objects.filter(school__county=county, year=2025)
    approved = records.filter(status=SchoolYear.APPROVED).count()
    snap = _freeze(client, county)
    assert len(snap.rows) == approved < records.count()
    assert {e["school_id"] for e in snap.excluded} == set(
        records.exclude(status=SchoolYear.APPROVED).values_list("school__school_id", flat=True))
    before = client.get(f"/snapshots/{snap.pk}/assess/basic-2012.json").content
    rec = records.filter(status=SchoolYear.APPROVED).first()
    rec.data = {**rec.data, "books": 1}
    rec.save()
    assert client.get(f"/snapshots/{snap.pk}/assess/basic-2012.json").content == before


def test_freeze_without_approved_data_is_refused(login):
    client = login("county")
    county = Area.objects.get(code="529901")
    r = client.post(f"/counties/{county.pk}/snapshots/", {"year": "2031"}, follow=True)
    assert "没有审核通过的学校数据" in r.content.decode()


def test_unknown_pack_is_404(login):
    client = login("county")
    snap = Snapshot.objects.filter(county__code="529901").first()
    assert client.get(f"/snapshots/{snap.pk}/assess/nope/").status_code == 404
