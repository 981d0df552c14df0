"""Report jobs (the queue runs them at once in tests) and the comparison of two snapshots."""
from __future__ import annotations

import io
import zipfile

import pytest

from junheng.web.areas.models import Area
from junheng.web.collection.models import SchoolYear
from junheng.web.snapshots.models import ReportJob, Snapshot

pytestmark = pytest.mark.django_db


def test_report_job_writes_the_official_files(login):
    client = login("reviewer")
    snap = Snapshot.objects.filter(county__code="529901").first()
    r = client.post(f"/snapshots/{snap.pk}/reports/", {"pack": "quality-2017"})
    job = ReportJob.objects.get(pk=int(r["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.status == ReportJob.DONE and job.progress == 100, job.message
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已完成" in page and 'http-equiv="refresh"' not in page
    assert "已完成（已完成）" not in page and "已完成</strong>（" not in page
    z = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)))
    names = z.namelist()
    assert {n.rsplit("_", 1)[-1] for n in names} >= {"差异系数表.xlsx", "自评报告.docx", "自评报告.html"}
    assert all(n.startswith("529901均衡示例县_quality-2017") for n in names)


def test_failed_job_says_why(login, monkeypatch):
    from junheng.web.snapshots import services

    def broken(*a, **k):
        raise ValueError("字体缺失")
    monkeypatch.setattr(services, "assessed", broken)
    client = login("county")
    snap = Snapshot.objects.filter(county__code="529901").first()
    r = client.post(f"/snapshots/{snap.pk}/reports/", {"pack": "basic-2012"}, follow=True)
    assert "失败" in r.content.decode() and "字体缺失" in r.content.decode()
    job = ReportJob.objects.filter(snapshot=snap).latest("pk")
    assert job.status == ReportJob.FAILED
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 404


def test_compare_two_snapshots(login):
    client = login("county")
    county = Area.objects.get(code="529901")
    first = Snapshot.objects.filter(county=county).first()
    rec = SchoolYear.objects.filter(school__county=county, status=SchoolYear.APPROVED).order_by("pk").first()
    rec.data = {**rec.data, "books": rec.data["books"] * 3}
    rec.save()
    SchoolYear.objects.filter(school__county=county, status=SchoolYear.SUBMITTED).update(status=SchoolYear.APPROVED)
    r = client.post(f"/counties/{county.pk}/snapshots/", {"year": "2025"})
    second = Snapshot.objects.get(pk=int(r["Location"].rstrip("/").rsplit("/", 1)[1]))
    r = client.get(f"/snapshots/{second.pk}/compare/{first.pk}/?pack=basic-2012")
    cmp = r.context["cmp"]
    newly = set(SchoolYear.objects.filter(school__county=county, year=2025, status=SchoolYear.APPROVED)
                .values_list("school__school_id", flat=True)) - {row["school_id"] for row in first.rows}
    assert {k for k, _ in cmp.added} == newly and not cmp.removed
    assert [(k, [d[0] for d in diffs]) for k, _, diffs in cmp.changed] == [(rec.school.school_id, ["图书"])]
    books = [i for i in cmp.indicators if i["name"].startswith("生均图书") and i["level"] == "小学"]
    assert books and books[0]["delta"] == pytest.approx(books[0]["cv_b"] - books[0]["cv_a"]) and books[0]["delta"] != 0
    others = [i for i in cmp.indicators if not i["name"].startswith("生均图书")]
    assert "生均图书" in r.content.decode() and len(others) > 0
    assert "<th></th>" not in r.content.decode() and "<th>结论是否改变</th>" in r.content.decode()


@pytest.mark.parametrize("username", ["inspector", "township", "school"])
def test_read_only_roles_cannot_generate_reports(login, username):
    """Official reports are the county's act: a city/province inspector, a township viewer and a
    school reporter get 403 (or 404 when the snapshot is outside their scope) and no job."""
    client = login(username)
    snap = Snapshot.objects.filter(county__code="529901").first()
    jobs = ReportJob.objects.count()
    r = client.post(f"/snapshots/{snap.pk}/reports/", {"pack": "quality-2017"})
    assert r.status_code in (403, 404) and ReportJob.objects.count() == jobs
    if r.status_code == 403:
        assert "生成差异系数表" not in client.get(f"/snapshots/{snap.pk}/").content.decode()


def test_a_partial_snapshot_says_so_on_every_output(login):
    """A snapshot leaving out schools not approved is marked on its page, its assessment page and
    the source of its JSON and reports, so it never passes for the whole county."""
    from junheng.web.snapshots.services import source_name

    client = login("county")
    snap = Snapshot.objects.filter(county__code="529901").first()
    assert snap.excluded, "the demo snapshot leaves out the schools not approved"
    n = len(snap.excluded)
    for url in (f"/snapshots/{snap.pk}/", f"/snapshots/{snap.pk}/assess/quality-2017/"):
        page = client.get(url).content.decode()
        assert "本快照不是全县数据" in page and f"{n} 所学校的数据未审核通过" in page
    assert source_name(snap).endswith(f"（未纳入{n}所未审核通过的学校）")
    doc = client.get(f"/snapshots/{snap.pk}/assess/quality-2017.json").json()
    assert doc["source"] == source_name(snap)


def test_reports_of_a_partial_snapshot_say_so_in_the_documents(login):
    """The Excel tables, the Word and HTML 自评报告 of a snapshot leaving out schools carry the mark in
    their title and the sentence (how many schools are left out; not the county's official material)."""
    import docx
    import openpyxl

    from junheng.report.bundle import PARTIAL_MARK
    from junheng.web.snapshots.services import partial_note

    client = login("county")
    snap = Snapshot.objects.filter(county__code="529901").first()
    n, kept = len(snap.excluded), len(snap.rows)
    sentence = partial_note(snap)
    assert f"未纳入{n}所未审核通过的学校" in sentence and f"快照中的{kept}所学校" in sentence
    assert "不能作为全县正式评估材料" in sentence
    assert partial_note(Snapshot.objects.get(county__code="439901")) is None  # every school approved
    r = client.post(f"/snapshots/{snap.pk}/reports/", {"pack": "basic-2012"})
    job = ReportJob.objects.get(pk=int(r["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.status == ReportJob.DONE, job.message
    z = zipfile.ZipFile(io.BytesIO(b"".join(client.get(f"/jobs/{job.pk}/download/").streaming_content)))
    files = {n.rsplit("_", 1)[-1]: z.read(n) for n in z.namelist()}
    word = docx.Document(io.BytesIO(files["自评报告.docx"]))
    texts = [p.text for p in word.paragraphs]
    assert any(t.endswith(PARTIAL_MARK) and "自评报告" in t for t in texts[:5]), texts[:5]
    at = texts.index("一、基本情况")
    assert texts[at + 1] == sentence, [t[:30] for t in texts if sentence in t or "基本情况" in t]
    html = files["自评报告.html"].decode()
    assert sentence in html and f"自评报告{PARTIAL_MARK}</title>" in html
    wb = openpyxl.load_workbook(io.BytesIO(files["差异系数表.xlsx"]))
    assert wb.sheetnames[0] == "注意" and wb["注意"]["A1"].value == sentence
    assert all(PARTIAL_MARK.strip("（）") in ws.oddHeader.center.text for ws in wb.worksheets)
    assert sentence in files["说明.txt"].decode()
