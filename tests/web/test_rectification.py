"""整改台账 (docs/ledgers.md): overdue rule, items from a snapshot, closure and reopening by later
snapshots, the problem-list import, evidence files, exports, owners' lists."""
from __future__ import annotations

import copy
import datetime as dt
import io

import openpyxl
import pytest
from docx import Document

from junheng.web.areas.models import Area, School
from junheng.web.ledgers.models import Evidence, RectItem
from junheng.web.ledgers.rectification import status as st
from junheng.web.ledgers.rectification.closure import reconcile
from junheng.web.ledgers.rectification.problem_list import parse_deadline
from junheng.web.ledgers.rectification.services import from_snapshot
from junheng.web.snapshots.models import Snapshot

D = dt.date


# ---- overdue: a pure function on dates ----------------------------------------------------------

@pytest.mark.parametrize("deadline,status,today,done_on,expected", [
    (D(2026, 6, 30), st.IN_PROGRESS, D(2026, 6, 30), None, False),   # the deadline day itself
    (D(2026, 6, 30), st.IN_PROGRESS, D(2026, 7, 1), None, True),     # the day after
    (D(2026, 6, 30), st.NOT_STARTED, D(2026, 7, 1), None, True),
    (D(2026, 6, 30), st.CLOSED, D(2027, 1, 1), None, False),         # closed is never overdue
    (D(2026, 6, 30), st.AWAITING, D(2026, 8, 1), D(2026, 6, 29), False),  # reported done in time
    (D(2026, 6, 30), st.AWAITING, D(2026, 8, 1), D(2026, 7, 2), True),    # reported done late
    (None, st.IN_PROGRESS, D(2030, 1, 1), None, False),             # no deadline
])
def test_overdue(deadline, status, today, done_on, expected):
    assert st.is_overdue(deadline, status, today, done_on) is expected
    assert (st.shown_status(deadline, status, today, done_on) == st.OVERDUE) is expected


def test_days_left():
    assert st.days_left(D(2026, 6, 30), D(2026, 6, 25)) == 5
    assert st.days_left(D(2026, 6, 30), D(2026, 7, 3)) == -3
    assert st.days_left(None, D(2026, 7, 3)) is None


@pytest.mark.parametrize("text,expected", [
    ("2026-06-30", D(2026, 6, 30)), ("2026/6/3", D(2026, 6, 3)), ("2026.6.30", D(2026, 6, 30)),
    ("2026年6月30日", D(2026, 6, 30)), ("2026年6月", D(2026, 6, 30)), ("2026年12月底", D(2026, 12, 31)),
    ("2026年2月", D(2026, 2, 28)), ("2026-06-30 00:00:00", D(2026, 6, 30)), ("46203", D(2026, 6, 30)),
    ("长期坚持", None), ("2026-13-01", None), ("2026年2月30日", None),
])
def test_parse_deadline(text, expected):
    assert parse_deadline(text) == expected


# ---- items from a snapshot, closed and reopened by later snapshots ------------------------------

PACK = "basic-2012"


def _county():
    return Area.objects.get(code="529901")


def _snap(county, rows, year=2025, label=""):
    return Snapshot.objects.create(county=county, year=year, rows=rows, label=label)


#: identity and size fields left alone when a school is "rectified" in a test snapshot
_KEEP = {"school_type", "students_P", "students_J", "students_S", "classes_P", "classes_J"}


def _rectified(rows, school_id, factor=50):
    """Rows where ``school_id`` has ``factor`` times every resource (its pupils unchanged)."""
    out = copy.deepcopy(rows)
    for r in out:
        if r["school_id"] == school_id:
            for k, v in r.items():
                if k not in _KEEP and isinstance(v, (int, float)) and not isinstance(v, bool):
                    r[k] = v * factor
    return out


@pytest.mark.django_db
def test_items_from_snapshot_once_per_gap(login):
    county = _county()
    snap = Snapshot.objects.filter(county=county).order_by("pk").first()
    made, had = from_snapshot(snap, PACK, None)
    assert made > 0 and had == 0
    item = RectItem.objects.filter(county=county, source="assessment").first()
    assert item.school_code and item.indicator and item.measures.startswith("补足")
    assert "低于目标" in item.problem and item.status == st.NOT_STARTED
    # the shortfall is the report's (shortfalls.py) wording: 补足<resource><amount><unit>
    assert item.measures == f"补足{item.shortfall}"
    assert from_snapshot(snap, PACK, None) == (0, made)  # no duplicates


@pytest.mark.django_db
def test_closed_by_data_and_reopened(login):
    county = _county()
    base = Snapshot.objects.filter(county=county).order_by("pk").first()
    from_snapshot(base, PACK, None)
    item = RectItem.objects.filter(county=county, source="assessment").order_by("pk").first()
    # a later snapshot where the school has fifty times every resource: the gap is filled
    better = _rectified(base.rows, item.school_code)
    s2 = _snap(county, better, label="整改后")
    done = reconcile(county)
    item.refresh_from_db()
    closed = done["closed"]
    assert item.status == st.CLOSED and item.closed_by_id == s2.pk and closed >= 1
    assert closed == RectItem.objects.filter(county=county, school_code=item.school_code).count()
    assert item.notes.filter(snapshot=s2).exists()
    # other gaps of other schools stay open
    assert RectItem.objects.filter(county=county, source="assessment").exclude(status=st.CLOSED).exists()
    # running the check again changes nothing
    assert reconcile(county) == {"closed": 0, "reopened": 0}
    # a later snapshot slides back: reopened
    s3 = _snap(county, copy.deepcopy(base.rows), label="回落")
    done = reconcile(county)
    item.refresh_from_db()
    # every gap the rectified school closed is back (the base rows again), nothing else moves
    assert item.status == st.IN_PROGRESS and item.closed_by_id is None and done == {"closed": 0, "reopened": closed}
    assert "重新出现" in item.notes.filter(snapshot=s3).last().text
    from junheng.web.audit.models import AuditEntry
    assert AuditEntry.objects.filter(action="rect_close", target=str(item)).exists()
    assert AuditEntry.objects.filter(action="rect_open", target=str(item)).exists()


@pytest.mark.django_db
def test_school_missing_from_later_snapshot_proves_nothing():
    county = _county()
    base = Snapshot.objects.filter(county=county).order_by("pk").first()
    from_snapshot(base, PACK, None)
    item = RectItem.objects.filter(county=county, source="assessment").order_by("pk").first()
    _snap(county, [r for r in base.rows if r["school_id"] != item.school_code])
    reconcile(county)
    item.refresh_from_db()
    assert item.status == st.NOT_STARTED


@pytest.mark.django_db(transaction=False)
def test_freezing_runs_the_closure_check(django_capture_on_commit_callbacks):
    county = _county()
    base = Snapshot.objects.filter(county=county).order_by("pk").first()
    from_snapshot(base, PACK, None)
    item = RectItem.objects.filter(county=county, source="assessment").order_by("pk").first()
    better = _rectified(base.rows, item.school_code)
    with django_capture_on_commit_callbacks(execute=True):
        s2 = _snap(county, better)
    item.refresh_from_db()
    assert item.closed_by_id == s2.pk


@pytest.mark.django_db
def test_data_item_is_not_closed_by_hand(login):
    county = _county()
    from_snapshot(Snapshot.objects.filter(county=county).first(), PACK, None)
    item = RectItem.objects.filter(county=county, source="assessment").first()
    c = login("county")
    c.post(f"/ledgers/items/{item.pk}/status/", {"status": st.AWAITING, "version": item.version})
    item.refresh_from_db()
    assert item.status == st.AWAITING
    r = c.post(f"/ledgers/items/{item.pk}/status/", {"status": st.CLOSED, "version": item.version}, follow=True)
    item.refresh_from_db()
    assert item.status == st.AWAITING and "由数据销号" in r.content.decode()


# ---- the problem list ---------------------------------------------------------------------------

def _xlsx(tmp_path, rows, name="问题清单.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "问题清单"
    ws.append(["省级督导反馈问题整改清单"])
    for r in rows:
        ws.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


HEAD = ["序号", "问题", "整改措施", "责任单位", "责任人", "完成时限"]


@pytest.mark.django_db
def test_problem_list_import(login, tmp_path):
    county = _county()
    school = School.objects.filter(county=county).first()
    p = _xlsx(tmp_path, [HEAD, [1, "部分学校图书更新不及时", "每年新增图书不少于生均1册", school.name, "张三", "2026-06-30"],
                         [None] * 6,
                         [2, "大班额问题", "新建学校分流", "县教育体育局", "李四", "2026年12月"]])
    c = login("county")
    with p.open("rb") as fh:
        r = c.post(f"/ledgers/counties/{county.pk}/rectification/import/", {"file": fh})
    assert r.status_code == 302
    items = RectItem.objects.filter(county=county, source="inspection").order_by("seq")
    assert [i.seq for i in items] == [1, 2]
    assert items[0].school == school and items[0].deadline == D(2026, 6, 30)
    assert items[1].school is None and items[1].deadline == D(2026, 12, 31)
    # the school sees the item tied to it, not the other one
    listing = login("school").get(f"/ledgers/counties/{county.pk}/rectification/").content.decode()
    me = School.objects.get(school_id=login("school").get("/").context["who"].school.school_id)
    if me == school:
        assert "部分学校图书更新不及时" in listing
    assert "大班额问题" not in listing


@pytest.mark.django_db
def test_problem_list_bad_rows_import_nothing(login, tmp_path):
    county = _county()
    p = _xlsx(tmp_path, [HEAD, [1, "问题甲", "措施甲", "县教育体育局", "张三", "2026-06-30"],
                         [2, "", "措施乙", "县教育体育局", "", "长期坚持"],
                         ["第三", "问题丙", "措施丙", "", "", "2026-02-30"]])
    c = login("county")
    with p.open("rb") as fh:
        r = c.post(f"/ledgers/counties/{county.pk}/rectification/import/", {"file": fh})
    body = r.content.decode()
    assert r.status_code == 200 and not RectItem.objects.filter(source="inspection").exists()
    for text in ("问题清单.xlsx", "第 4 行", "“问题”不能为空", "问题 (B列)", "长期坚持", "完成时限 (F列)",
                 "第 5 行", "序号“第三”应为正整数", "责任单位 (D列)", "“2026-02-30”不是日期"):
        assert text in body, text


@pytest.mark.django_db
def test_problem_list_without_header_or_columns(login, tmp_path):
    county = _county()
    c = login("county")
    for rows, expected in (([["甲", "乙"], [1, 2]], "没有找到问题清单的表头"),
                           ([["序号", "问题", "责任单位"], [1, "x", "y"]], "缺少列：整改措施、完成时限")):
        p = _xlsx(tmp_path, rows)
        with p.open("rb") as fh:
            body = c.post(f"/ledgers/counties/{county.pk}/rectification/import/", {"file": fh}).content.decode()
        assert expected in body
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_bytes(b"MZ\x90\x00 this is a program")
    with not_excel.open("rb") as fh:
        body = c.post(f"/ledgers/counties/{county.pk}/rectification/import/", {"file": fh}).content.decode()
    assert "不是" in body and not RectItem.objects.filter(source="inspection").exists()


# ---- evidence, notes, exports -------------------------------------------------------------------

def _manual_item(c, county, **extra):
    data = {"problem": "=HYPERLINK(\"http://x\",\"点此\")", "measures": "整改措施甲", "owner_unit": "县教育体育局",
            "owner_person": "王五", "deadline": "2026-01-31", **extra}
    c.post(f"/ledgers/counties/{county.pk}/rectification/", data)
    return RectItem.objects.filter(county=county, source="manual").latest("pk")


@pytest.mark.django_db
def test_evidence_upload_limits(login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    county = _county()
    c = login("county")
    item = _manual_item(c, county)
    url = f"/ledgers/items/{item.pk}/evidence/"
    ok = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4\n...", content_type="application/pdf")
    c.post(url, {"file": ok})
    f = Evidence.objects.get(item=item)
    assert f.name == "验收报告.pdf" and f.stored.startswith("files/ledgers/evidence/") and f.stored.endswith(".pdf")
    assert "验收报告" not in f.stored
    r = c.get(f"/ledgers/evidence/{f.pk}/")
    assert r["Content-Type"] == "application/octet-stream" and "attachment" in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == b"%PDF-1.4\n..."
    for name, content, msg in (("run.exe", b"MZ", "只接受"), ("page.html", b"<script>", "只接受"),
                               ("fake.pdf", b"MZ\x90", "不是扩展名 .pdf 所示的格式"), ("empty.png", b"", "为空")):
        r = c.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)
        assert msg in r.content.decode(), name
    settings.JUNHENG_MAX_UPLOAD_MB = 0
    r = c.post(url, {"file": SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 100)}, follow=True)
    assert "超过上限" in r.content.decode()
    assert Evidence.objects.filter(item=item).count() == 1


@pytest.mark.django_db
def test_progress_overdue_and_exports(login):
    county = _county()
    c = login("county")
    item = _manual_item(c, county)
    c.post(f"/ledgers/items/{item.pk}/", {"text": "已制定方案"})
    item.refresh_from_db()
    assert item.status == st.IN_PROGRESS and item.overdue  # deadline 2026-01-31 has passed
    page = c.get(f"/ledgers/counties/{county.pk}/rectification/").content.decode()
    assert 'class="overdue"' in page and "逾期" in page
    wb = openpyxl.load_workbook(io.BytesIO(c.get(f"/ledgers/counties/{county.pk}/rectification.xlsx").content))
    ws = wb["整改台账"]
    cells = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    mine = next(r for r in cells if r[3] == "县教育体育局")
    assert mine[1] == item.problem and mine[6] == "逾期" and mine[7] == "已制定方案"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # the =HYPERLINK stays text
    doc = Document(io.BytesIO(c.get(f"/ledgers/counties/{county.pk}/rectification.docx").content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "整改情况报告" in text and "逾期 1 项" in text and "三、逾期事项" in text
    assert any(item.problem in cell.text for t in doc.tables for row in t.rows for cell in row.cells)
    from junheng.web.audit.models import AuditEntry
    assert AuditEntry.objects.filter(action="rect_note", target=str(item)).exists()
    assert AuditEntry.objects.filter(action="rect_exp").count() == 2


@pytest.mark.django_db
def test_stale_status_change_is_refused(login):
    county = _county()
    c = login("county")
    item = _manual_item(c, county)
    c.post(f"/ledgers/items/{item.pk}/status/", {"status": st.IN_PROGRESS, "version": item.version})
    r = c.post(f"/ledgers/items/{item.pk}/status/", {"status": st.AWAITING, "version": item.version}, follow=True)
    item.refresh_from_db()
    assert item.status == st.IN_PROGRESS and "旧版本" in r.content.decode()


@pytest.mark.django_db
def test_owner_sees_and_works_own_items_only(login):
    county = _county()
    c = login("county")
    me = login("school").get("/").context["who"].school
    other = School.objects.filter(county=county).exclude(pk=me.pk).first()
    c = login("county")
    mine = _manual_item(c, county, problem="本校问题", owner_unit=me.name)
    theirs = _manual_item(c, county, problem="他校问题", owner_unit=other.name)
    assert mine.school == me and theirs.school == other
    s = login("school")
    listing = s.get(f"/ledgers/counties/{county.pk}/rectification/").content.decode()
    assert "本校问题" in listing and "他校问题" not in listing
    ws = openpyxl.load_workbook(io.BytesIO(s.get(f"/ledgers/counties/{county.pk}/rectification.xlsx").content)).active
    problems = [r[1] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert problems == ["本校问题"]
    doc = Document(io.BytesIO(s.get(f"/ledgers/counties/{county.pk}/rectification.docx").content))
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "本校问题" in cells and "他校问题" not in cells
    assert s.get(f"/ledgers/items/{theirs.pk}/").status_code == 404
    s.post(f"/ledgers/items/{mine.pk}/status/", {"status": st.AWAITING, "version": mine.version})
    mine.refresh_from_db()
    assert mine.status == st.AWAITING
    # the school cannot close its own item (county staff 核验)
    assert s.post(f"/ledgers/items/{mine.pk}/status/", {"status": st.CLOSED, "version": mine.version}).status_code == 403
    assert s.post(f"/ledgers/counties/{county.pk}/rectification/import/").status_code == 403


@pytest.mark.django_db
def test_named_owner_account_sees_and_works_the_item(login):
    county = _county()
    c = login("county")
    item = _manual_item(c, county, problem="乡镇学校安全隐患排查", owner_unit="城关街道办事处")
    t = login("township")
    assert t.get(f"/ledgers/items/{item.pk}/").status_code == 404  # not a school of the township
    c = login("county")
    c.post(f"/ledgers/items/{item.pk}/edit/", {"version": item.version, "owner_username": "township"})
    item.refresh_from_db()
    assert item.owner_user.username == "township"
    r = c.post(f"/ledgers/items/{item.pk}/edit/", {"version": item.version, "owner_username": "other_county"}, follow=True)
    assert "没有本县的账号" in r.content.decode()
    item.refresh_from_db()
    assert item.owner_user.username == "township"
    t = login("township")
    mine = t.get(f"/ledgers/counties/{county.pk}/rectification/?mine=1").content.decode()
    assert "乡镇学校安全隐患排查" in mine
    t.post(f"/ledgers/items/{item.pk}/", {"text": "已排查 12 所学校"})
    item.refresh_from_db()
    assert item.status == st.IN_PROGRESS


@pytest.mark.django_db
def test_hostile_text_is_refused_not_a_server_error(login, tmp_path):
    county = _county()
    c = login("county")
    r = c.post(f"/ledgers/counties/{county.pk}/rectification/",
               {"problem": "问题", "owner_unit": "单" * 300, "deadline": "2026-01-01"}, follow=True)
    assert r.status_code == 200 and "“责任单位”最多 200 个字" in r.content.decode()
    r = c.post(f"/ledgers/counties/{county.pk}/rectification/", {"problem": "问\x07题", "owner_unit": "单位"}, follow=True)
    assert "控制字符" in r.content.decode()
    assert not RectItem.objects.filter(source="manual").exists()
    long_problem = "长" * 600  # longer than a school-table cell, fine for a problem
    p = _xlsx(tmp_path, [HEAD, [1, long_problem, "措施", "县教育体育局", "张三", "2026-06-30"],
                         [2, "问题乙", "措施乙", "局" * 201, "李四", "2026-06-30"]])
    with p.open("rb") as fh:
        body = c.post(f"/ledgers/counties/{county.pk}/rectification/import/", {"file": fh}).content.decode()
    assert "第 3 行" not in body and "第 4 行" in body and "“责任单位”最多 200 个字" in body
    p = _xlsx(tmp_path, [HEAD, [1, long_problem, "措施", "县教育体育局", "张三", "2026-06-30"]])
    with p.open("rb") as fh:
        c.post(f"/ledgers/counties/{county.pk}/rectification/import/", {"file": fh})
    assert RectItem.objects.get(source="inspection").problem == long_problem


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["", "abc", None])
def test_status_change_without_a_version_is_refused_in_chinese(login, version):
    from junheng.web.versions import MISSING_VERSION

    county = _county()
    c = login("county")
    item = _manual_item(c, county)
    post = {"status": st.IN_PROGRESS} if version is None else {"status": st.IN_PROGRESS, "version": version}
    r = c.post(f"/ledgers/items/{item.pk}/status/", post, follow=True)
    item.refresh_from_db()
    assert item.status == st.NOT_STARTED and MISSING_VERSION in r.content.decode()
