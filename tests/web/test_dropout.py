"""控辍保学 (docs/ledgers.md): identity numbers and masking, 疑似辍学, the 巩固率 of a hand-made
cohort, the roll import, a child from 疑似辍学 to 返校, privacy (scope, masking, audited views,
export by a county administrator only)."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from junheng.web.areas.models import Area, School
from junheng.web.audit.models import AuditEntry
from junheng.web.ledgers.dropout import rules
from junheng.web.ledgers.dropout.services import duty_roles
from junheng.web.ledgers.models import Child

D = dt.date


def _id(region: str, birth: str, seq: str) -> str:
    """An identity number with its check character, computed the ISO 7064 MOD 11-2 way
    (weights 2^(17-i) mod 11), independently of dropout/rules.py."""
    body = region + birth + seq
    s = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(body))
    return body + "10X98765432"[s % 11]


def test_identity_numbers():
    assert rules.id_problem("11010519491231002X") is None  # the standard's published example
    assert rules.id_problem("11010519491231002x") is None
    assert _id("110105", "19491231", "002") == "11010519491231002X"
    assert "校验位" in rules.id_problem("110105194912310021")
    assert "出生日期" in rules.id_problem(_id("110105", "20150230", "001"))
    assert "18 位" in rules.id_problem("1101051949123100")
    assert rules.birth_of("11010519491231002X") == D(1949, 12, 31)


def test_masking():
    assert rules.mask_id("11010519491231002X") == "110105********002X"
    assert rules.mask_name("张三") == "张*" and rules.mask_name("欧阳小明") == "欧阳**" and rules.mask_name("李") == "*"


def test_suspicion_and_school_age():
    assert rules.suspicion(False, 0, 10) == "未在任何学校就读（不在学籍中）"
    assert rules.suspicion(True, 10, 10) is None
    assert "连续缺勤 11 天" in rules.suspicion(True, 11, 10)
    assert rules.school_age(D(2019, 8, 31), 2025) and not rules.school_age(D(2019, 9, 1), 2025)
    assert rules.school_age(D(2010, 9, 1), 2025) and not rules.school_age(D(2009, 8, 31), 2025)


def test_retention_of_a_hand_made_cohort():
    # 初一 2022: 10 children; 1 transferred out of the county, 1 deceased, 1 confirmed 辍学,
    # 1 疑似辍学 without a school (not in school), 1 疑似辍学 still registered (absent: in school),
    # 1 returned after 劝返 (in school), 4 on the roll: in school 6 of 10 − 1 − 1 = 8 → 75 %
    cohort = [("closed", "transferred", False, False), ("roll", "", True, True), ("dropout", "", True, False),
              ("suspected", "", False, False), ("suspected", "", True, False), ("closed", "returned", True, False),
              *[("roll", "", True, False)] * 4]
    assert rules.cohort_counts(cohort) == (10, 6, 1, 1)
    assert rules.retention_rate(*rules.cohort_counts(cohort)) == pytest.approx(75.0)
    assert rules.retention_rate(200, 180, 8, 2) == pytest.approx(180 / 190 * 100)
    assert rules.retention_rate(3, 0, 2, 1) is None
    with pytest.raises(ValueError):
        rules.retention_rate(10, 11)


# ---- the roll, a child's way, privacy -----------------------------------------------------------

HEAD = ["姓名", "身份证号", "性别", "乡镇(街道)", "村（居）", "监护人", "联系电话", "就读学校", "年级", "初一入学年份", "连续缺勤天数"]


def _roll(tmp_path, rows, name="适龄儿童名单.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    p = tmp_path / name
    wb.save(p)
    return p


def _setup(login, tmp_path):
    county = Area.objects.get(code="529901")
    me = login("school").get("/").context["who"].school
    other = School.objects.filter(county=county).exclude(pk=me.pk).first()
    town = me.township.name
    rows = [["张小明", _id("530101", "20120301", "011"), "男", town, "东村", "张大", "13800000001", "", "七年级", 2024, 0],
            ["李小红", _id("530101", "20120405", "022"), "女", town, "东村", "李大", "13800000002", me.name, "七年级", 2024, 12],
            ["王小刚", _id("530101", "20120506", "031"), "男", town, "西村", "王大", "13800000003", me.name, "七年级", 2024, 2],
            ["赵小芳", _id("530101", "20120607", "042"), "女", other.township.name, "", "", "", other.name, "七年级", 2024, 0]]
    c = login("county")
    with _roll(tmp_path, rows).open("rb") as fh:
        r = c.post(f"/ledgers/counties/{county.pk}/dropout/import/", {"file": fh})
    assert r.status_code == 302, r.content.decode()
    return county, me, other, {k.name: k for k in Child.objects.filter(county=county)}


@pytest.mark.django_db
def test_roll_import_derives_suspected(login, tmp_path):
    county, me, other, kids = _setup(login, tmp_path)
    assert kids["张小明"].state == Child.SUSPECTED and "不在学籍" in kids["张小明"].reason
    assert kids["李小红"].state == Child.SUSPECTED and "连续缺勤 12 天" in kids["李小红"].reason
    assert kids["王小刚"].state == Child.ROLL and kids["赵小芳"].school == other
    assert kids["王小刚"].birth_date == D(2012, 5, 6)
    # the school's monthly report: absent days back to 0 → back on the roll
    s = login("school")
    s.post(f"/ledgers/children/{kids['李小红'].pk}/", {"act": "absent", "days": "0"})
    kids["李小红"].refresh_from_db()
    assert kids["李小红"].state == Child.ROLL


@pytest.mark.django_db
def test_roll_import_bad_rows_import_nothing(login, tmp_path):
    county = Area.objects.get(code="529901")
    town = School.objects.filter(county=county).first().township.name
    good = _id("530101", "20120301", "011")
    rows = [["甲", good, "男", town, "", "", "", "", "", "", ""],
            ["乙", good, "男", town, "", "", "", "", "", "", ""],
            ["丙", "530101201203010110", "男", town, "", "", "", "", "", "", ""],
            ["丁", _id("530101", "20120302", "011"), "男", "火星乡", "", "", "", "不存在学校", "", "二〇二四", "三"]]
    c = login("county")
    with _roll(tmp_path, rows).open("rb") as fh:
        body = c.post(f"/ledgers/counties/{county.pk}/dropout/import/", {"file": fh}).content.decode()
    for text in ("适龄儿童名单.xlsx", "第 3 行", "与第 2 行重复", "第 4 行", "校验位不正确", "身份证号 (B列)",
                 "第 5 行", "“火星乡”不是本县的乡镇", "“不存在学校”不是本县", "“二〇二四”不是年份", "“三”应为 0 或正整数"):
        assert text in body, text
    assert not Child.objects.exists()
    # the reviewer may not import (a county administrator's task)
    assert login("reviewer").post(f"/ledgers/counties/{county.pk}/dropout/import/").status_code == 403


@pytest.mark.django_db
def test_child_from_suspected_to_returned(login, tmp_path):
    county, me, other, kids = _setup(login, tmp_path)
    child = kids["张小明"]
    c = login("county")
    page = c.get(f"/ledgers/children/{child.pk}/").content.decode()
    assert "张小明" in page and child.id_number in page  # county staff see the full number on the page
    town_head = next(r for r in duty_roles(county) if r.name == "乡镇长")
    c.post(f"/ledgers/children/{child.pk}/", {"act": "duty", "role": town_head.pk, "person": "乡长甲", "phone": "1390000"})
    c.post(f"/ledgers/children/{child.pk}/", {"act": "visit", "on": "2026-11-20", "visitors": "乡长甲、校长乙",
                                               "outcome": "家访，家长同意返校", "returned": "1"})
    c.post(f"/ledgers/children/{child.pk}/", {"act": "close", "outcome": "returned", "note": "已返校就读，见入学登记",
                                               "school": str(me.pk)})
    child.refresh_from_db()
    assert child.state == Child.CLOSED and child.outcome == "returned" and child.school == me
    assert child.visits.count() == 1 and child.duties.get().person == "乡长甲"
    acts = set(AuditEntry.objects.filter(target=str(child)).values_list("action", flat=True))
    assert {"child_view", "child_back", "child_move", "child_edit"} <= acts
    assert not AuditEntry.objects.filter(target__contains="张小明").exists()  # the log names no child
    assert not AuditEntry.objects.filter(note__contains="张小明").exists()


@pytest.mark.django_db
def test_privacy(login, tmp_path):
    county, me, other, kids = _setup(login, tmp_path)
    mine, theirs = kids["李小红"], kids["赵小芳"]
    s = login("school")
    assert s.get(f"/ledgers/children/{theirs.pk}/").status_code == 404
    listing = s.get(f"/ledgers/counties/{county.pk}/dropout/?state=roll").content.decode() + \
        s.get(f"/ledgers/counties/{county.pk}/dropout/?state=suspected").content.decode()
    assert "李小红" in listing and "赵小芳" not in listing
    assert mine.id_number not in listing and rules.mask_id(mine.id_number) in listing
    n = AuditEntry.objects.filter(action="child_view", target=str(mine)).count()
    s.get(f"/ledgers/children/{mine.pk}/")
    assert AuditEntry.objects.filter(action="child_view", target=str(mine)).count() == n + 1
    # the inspector sees masked names and masked numbers, never the page's full number
    i = login("inspector")
    page = i.get(f"/ledgers/children/{mine.pk}/").content.decode()
    assert "李小红" not in page and "李**" in page and mine.id_number not in page
    assert "13800000002" not in page
    # export: county administrator only; numbers masked in every cell
    for who in ("reviewer", "inspector", "school", "township"):
        assert login(who).get(f"/ledgers/counties/{county.pk}/dropout.xlsx").status_code in (403, 404), who
    wb = openpyxl.load_workbook(io.BytesIO(login("county").get(f"/ledgers/counties/{county.pk}/dropout.xlsx").content))
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(k.id_number not in cells for k in kids.values())
    assert rules.mask_id(mine.id_number) in cells
    assert AuditEntry.objects.filter(action="child_exp").count() == 1


@pytest.mark.django_db
def test_retention_on_the_page(login, tmp_path):
    county, me, other, kids = _setup(login, tmp_path)
    # cohort 2024 of 4: 张小明 and 李小红 疑似 (one without school), 王小刚 and 赵小芳 in school →
    # in school: 李小红 (registered), 王小刚, 赵小芳 = 3 of 4 → 75.00 %, Q1 (≥ 95 %) not met
    body = login("county").get(f"/ledgers/counties/{county.pk}/dropout/").content.decode()
    assert '<td class="num">4</td><td class="num">0</td><td class="num">0</td><td class="num">3</td><td class="num">75.00</td><td>未达标</td>' in body


@pytest.mark.django_db
def test_digest_counts_children_returned(login, tmp_path):
    from django.utils import timezone

    from junheng.web.ledgers.digests.collect import collect
    from junheng.web.ledgers.digests.render import as_text

    t0 = timezone.now()
    county, me, other, kids = _setup(login, tmp_path)
    c = login("county")
    c.post(f"/ledgers/children/{kids['张小明'].pk}/", {"act": "close", "outcome": "returned", "note": "已返校",
                                                       "school": str(me.pk)})
    c.post(f"/ledgers/children/{kids['李小红'].pk}/", {"act": "confirm", "note": "核实"})
    d = collect(county, None, "daily", t0, timezone.now() + dt.timedelta(seconds=1))
    text = as_text(d.title, d.period, d.sections)
    assert "新增疑似辍学 2 人，确认辍学 1 人，劝返返校 1 人" in text and "目前疑似辍学 0 人、辍学 1 人" in text
    town = collect(county, other.township, "daily", t0, timezone.now() + dt.timedelta(seconds=1)) \
        if other.township != me.township else None
    if town is not None:
        assert "劝返返校 0 人" in as_text(town.title, town.period, town.sections)


@pytest.mark.parametrize("last,today,months,due", [
    (None, D(2026, 12, 2), 1, True), (D(2026, 12, 1), D(2026, 12, 31), 1, False), (D(2026, 11, 30), D(2026, 12, 1), 1, True),
    (D(2026, 10, 1), D(2026, 12, 31), 3, False), (D(2026, 9, 30), D(2026, 10, 1), 3, True), (D(2026, 1, 5), D(2026, 3, 31), 3, False),
])
def test_report_due(last, today, months, due):
    assert rules.report_due(last, today, months) is due
    assert rules.period_start(D(2026, 11, 15), 3) == D(2026, 10, 1) and rules.period_start(D(2026, 11, 15), 1) == D(2026, 11, 1)


@pytest.mark.django_db
def test_what_is_due_is_shown_to_whom(login, tmp_path):
    county, me, other, kids = _setup(login, tmp_path)
    url = f"/ledgers/counties/{county.pk}/dropout/"
    s = login("school")
    page = s.get(url).content.decode()
    assert "学校月报（连续缺勤天数）本月未报 2 人" in page and "季度复查" not in page  # 李小红, 王小刚
    s.post(f"/ledgers/children/{kids['王小刚'].pk}/", {"act": "absent", "days": "1"})
    assert "本月未报 1 人" in s.get(url).content.decode()
    c = login("county")
    page = c.get(url).content.decode()
    assert "县级季度复查本季度未做 2 人" in page  # the two 疑似辍学
    c.post(f"/ledgers/children/{kids['张小明'].pk}/", {"act": "recheck", "note": "乡镇复查，仍在外务工"})
    assert "县级季度复查本季度未做 1 人" in c.get(url).content.decode()
    assert "本季度未做" not in login("inspector").get(url).content.decode()


@pytest.mark.parametrize("birth, year, problem", [
    (D(2019, 8, 31), 2025, None),            # 6 on the very day
    (D(2019, 9, 1), 2025, "未满 6 周岁"),      # one day short
    (D(2010, 9, 1), 2025, None),             # 14 years 364 days → 14
    (D(2010, 8, 31), 2025, None),            # 15: 初三 after entering at 7
    (D(2009, 8, 31), 2025, "已满 16 周岁"),
    (D(2012, 2, 29), 2017, "未满 6 周岁"),     # 5 on 31 August 2017
    (D(2012, 2, 29), 2018, None),
])
def test_school_age_on_31_august(birth, year, problem):
    got = rules.school_age_problem(birth, year)
    assert (got is None) if problem is None else (problem in got and "6–15 周岁" in got and f"{birth:%Y-%m-%d}" in got)


def test_age_and_school_year_by_hand():
    assert rules.age_on(D(2012, 2, 29), D(2013, 2, 28)) == 0 and rules.age_on(D(2012, 2, 29), D(2013, 3, 1)) == 1
    assert rules.school_year(D(2026, 3, 1)) == 2025 and rules.school_year(D(2026, 9, 1)) == 2026
    assert rules.school_year(D(2026, 8, 31)) == 2025


@pytest.mark.django_db
def test_roll_import_refuses_children_outside_school_age(login, tmp_path):
    """Row and column named; nothing imported; the ledger year comes from the form."""
    county = Area.objects.get(code="529901")
    town = School.objects.filter(county=county).first().township.name
    rows = [["甲", _id("530101", "20120301", "011"), "男", town, "", "", "", "", "", "", ""],
            ["乙", _id("530101", "20200101", "022"), "男", town, "", "", "", "", "", "", ""],
            ["丙", _id("530101", "20050505", "031"), "女", town, "", "", "", "", "", "", ""]]
    c = login("county")
    url = f"/ledgers/counties/{county.pk}/dropout/import/"
    with _roll(tmp_path, rows).open("rb") as fh:
        body = c.post(url, {"file": fh, "year": "2025"}).content.decode()
    assert "第 3 行" in body and "身份证号 (B列)" in body
    assert "出生日期 2020-01-01，2025 年 8 月 31 日时未满 6 周岁，不在义务教育适龄范围（6–15 周岁）内" in body
    assert "出生日期 2005-05-05，2025 年 8 月 31 日时已满 20 周岁" in body and "第 4 行" in body
    assert not Child.objects.exists()
    # the same file for 2027: 甲 (2012) is 15, 乙 (2020) 7, 丙 still too old
    with _roll(tmp_path, rows).open("rb") as fh:
        body = c.post(url, {"file": fh, "year": "2027"}).content.decode()
    assert "第 4 行" in body and "第 3 行" not in body and "第 2 行" not in body
    with _roll(tmp_path, rows[:2]).open("rb") as fh:
        assert c.post(url, {"file": fh, "year": "2027"}).status_code == 302
    assert Child.objects.count() == 2
    with _roll(tmp_path, rows[:1]).open("rb") as fh:
        body = c.post(url, {"file": fh, "year": "二〇二五"}).content.decode()
    assert "台账学年应为 2000–2100 之间的年份" in body


@pytest.mark.django_db
def test_closure_evidence_files(login, tmp_path, settings):
    """Evidence on a child's closure: checked like 整改 evidence (type, size, magic bytes) before the
    child is closed; a refused file closes nothing; downloads only for roles that see identities."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from junheng.web.ledgers.models import ChildEvidence

    county, me, other, kids = _setup(login, tmp_path)
    child = kids["李小红"]   # registered in the reporter's school, 疑似辍学
    c = login("county")
    close = {"act": "close", "outcome": "returned", "note": "已返校", "school": str(me.pk)}
    r = c.post(f"/ledgers/children/{child.pk}/", {**close, "file": SimpleUploadedFile("返校证明.pdf", b"MZ\x90")},
               follow=True)
    child.refresh_from_db()
    assert child.state == Child.SUSPECTED and "不是扩展名 .pdf 所示的格式" in r.content.decode()
    assert not ChildEvidence.objects.exists()
    good = [SimpleUploadedFile("返校证明.pdf", b"%PDF-1.4\nA"), SimpleUploadedFile("入学登记.png", b"\x89PNG\r\n\x1a\nB")]
    c.post(f"/ledgers/children/{child.pk}/", {**close, "file": good})
    child.refresh_from_db()
    assert child.state == Child.CLOSED
    files = list(ChildEvidence.objects.filter(child=child).order_by("pk"))
    assert [f.name for f in files] == ["返校证明.pdf", "入学登记.png"]
    assert files[0].stored.startswith(f"files/ledgers/evidence/children/{child.pk}/") and "返校" not in files[0].stored
    # after closure: more files (the school too), the same checks
    s = login("school")
    assert s.post(f"/ledgers/children/{child.pk}/evidence/",
                  {"file": SimpleUploadedFile("转学联系函.docx", b"PK\x03\x04x")}).status_code == 302
    r = s.post(f"/ledgers/children/{child.pk}/evidence/", {"file": SimpleUploadedFile("a.exe", b"MZ")}, follow=True)
    assert "只接受" in r.content.decode()
    settings.JUNHENG_MAX_UPLOAD_MB = 0
    r = s.post(f"/ledgers/children/{child.pk}/evidence/", {"file": SimpleUploadedFile("b.pdf", b"%PDF-xx")}, follow=True)
    assert "超过上限" in r.content.decode()
    assert ChildEvidence.objects.filter(child=child).count() == 3
    # download: county staff and the school (audited); the inspector (masked names) may not
    n = AuditEntry.objects.filter(action="child_view", target=str(child)).count()
    c = login("county")   # one test client: each login() switches it
    r = c.get(f"/ledgers/child-evidence/{files[0].pk}/")
    assert r["Content-Type"] == "application/octet-stream" and "attachment" in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == b"%PDF-1.4\nA"
    assert AuditEntry.objects.filter(action="child_view", target=str(child)).count() == n + 1
    assert login("school").get(f"/ledgers/child-evidence/{files[0].pk}/").status_code == 200
    i = login("inspector")
    assert i.get(f"/ledgers/child-evidence/{files[0].pk}/").status_code == 403
    assert 'href="/ledgers/child-evidence/' not in i.get(f"/ledgers/children/{child.pk}/").content.decode()
    assert i.post(f"/ledgers/children/{child.pk}/evidence/",
                  {"file": SimpleUploadedFile("c.pdf", b"%PDF-1")}).status_code == 403
    # a child not closed takes no separate upload
    other_child = kids["张小明"]
    c = login("county")   # one test client: each login() switches it
    r = c.post(f"/ledgers/children/{other_child.pk}/evidence/", {"file": SimpleUploadedFile("d.pdf", b"%PDF-1")},
               follow=True)
    assert "销号时或销号后" in r.content.decode() and not ChildEvidence.objects.filter(child=other_child).exists()
