"""Excel round trip of one school, county bulk import (summary; all or nothing), upload limits."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from junheng.io import read_school_table
from junheng.sample import SAMPLE_XLSX, write_school_table
from junheng.web.areas.models import Area
from junheng.web.audit.models import AuditEntry
from junheng.web.collection.models import SchoolYear

pytestmark = pytest.mark.django_db


def _upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def test_excel_round_trip(login, tmp_path):
    client = login("school")
    rec = SchoolYear.objects.get(school=client.get("/").context["who"].school, year=2025)
    r = client.get(f"/records/{rec.pk}/excel/")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    path = tmp_path / "本校.xlsx"
    path.write_bytes(b"".join(r.streaming_content))
    table = read_school_table(path).table
    table = table.with_columns(books=table["books"] + 100)
    write_school_table(table, path)
    r = client.post(f"/records/{rec.pk}/upload/", {"version": rec.version, "file": _upload(path)})
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.data["books"] == 61987 + 100 and rec.version == 2
    assert AuditEntry.objects.filter(record_id=rec.pk, action="upload", field="books").exists()


def test_upload_of_another_school_is_refused(login, tmp_path):
    client = login("school")
    rec = SchoolYear.objects.get(school=client.get("/").context["who"].school, year=2025)
    r = client.post(f"/records/{rec.pk}/upload/", {"version": rec.version, "file": _upload(SAMPLE_XLSX)}, follow=True)
    assert "应只有本校" in r.content.decode()
    rec.refresh_from_db()
    assert rec.version == 1


def test_bulk_import_summary(login, tmp_path):
    client = login("county")
    county = Area.objects.get(code="529901")
    r = client.post(f"/counties/{county.pk}/import/", {"year": "2026", "file": _upload(SAMPLE_XLSX)})
    s = r.context["summary"]
    assert (len(s.added), len(s.changed), len(s.unchanged), len(s.rejected)) == (106, 0, 0, 0)
    assert SchoolYear.objects.filter(school__county=county, year=2026, status=SchoolYear.SUBMITTED).count() == 106
    table = read_school_table(SAMPLE_XLSX).table
    table = table.with_columns(books=table["books"].set(table["school_id"] == "2152000002", 1))
    # one row of another county: rejected with its reason, the rest applied
    table = table.with_columns(county_code=table["county_code"].set(table["school_id"] == "2152000003", "439901"))
    path = tmp_path / "全县.xlsx"
    write_school_table(table, path)
    s = client.post(f"/counties/{county.pk}/import/", {"year": "2026", "file": _upload(path)}).context["summary"]
    assert (len(s.added), len(s.changed), len(s.unchanged), len(s.rejected)) == (0, 1, 104, 1)
    assert s.changed[0][1] == "2152000002" and "不是本县" in s.rejected[0][3]


def test_bulk_import_with_an_error_changes_nothing(login, tmp_path):
    client = login("county")
    county = Area.objects.get(code="529901")
    before = list(SchoolYear.objects.order_by("pk").values_list("pk", "version", "data"))
    audits = AuditEntry.objects.count()
    table = read_school_table(SAMPLE_XLSX).table
    table = table.with_columns(teachers_P=table["teachers_P"].set(table["school_id"] == "2152000005", -1))
    path = tmp_path / "有错.csv"
    write_school_table(table, path)
    s = client.post(f"/counties/{county.pk}/import/", {"year": "2025", "file": _upload(path)}).context["summary"]
    assert s.failed and any("为负数" in i and "有错.csv" in i for i in s.issues)
    assert list(SchoolYear.objects.order_by("pk").values_list("pk", "version", "data")) == before
    assert AuditEntry.objects.count() == audits


def test_approved_records_are_not_overwritten_by_import(login, tmp_path):
    client = login("county")
    county = Area.objects.get(code="529901")
    table = read_school_table(SAMPLE_XLSX).table
    path = tmp_path / "全县.xlsx"
    write_school_table(table.with_columns(books=table["books"] + 1), path)
    s = client.post(f"/counties/{county.pk}/import/", {"year": "2025", "file": _upload(path)}).context["summary"]
    approved = SchoolYear.objects.filter(school__county=county, year=2025, status=SchoolYear.APPROVED).count()
    assert len(s.rejected) == approved and all("已审核通过" in r[3] for r in s.rejected)


@pytest.mark.parametrize("name,content,words", [
    ("a.txt", b"x", "只接受"),
    ("big.xlsx", b"PK" + b"0" * (21 * 1024 * 1024), "超过上限"),
    ("broken.xlsx", b"PK\x03\x04 not a workbook", "broken.xlsx"),
])
def test_bad_uploads_are_refused(login, name, content, words):
    client = login("county")
    county = Area.objects.get(code="529901")
    s = client.post(f"/counties/{county.pk}/import/",
                    {"year": "2025", "file": SimpleUploadedFile(name, content)}).context["summary"]
    assert s.failed and any(words in i for i in s.issues), s.issues


@pytest.mark.parametrize("year", ["99999", "abc", "-5", "1989", "２０２５", ""])
def test_bulk_import_with_a_bad_year_imports_nothing(login, year):
    client = login("county")
    county = Area.objects.get(code="529901")
    before = (SchoolYear.objects.count(), AuditEntry.objects.count())
    r = client.post(f"/counties/{county.pk}/import/", {"year": year, "file": _upload(SAMPLE_XLSX)})
    page = r.content.decode()
    assert r.status_code == 200 and "学年应为 1990–2100 之间的年份。" in page and r.context["summary"] is None
    assert (SchoolYear.objects.count(), AuditEntry.objects.count()) == before
