"""The entry form (the file importer's validation beside each field), optimistic locking, the
workflow draft → submitted → returned → submitted → approved, and the audit log of it all."""
from __future__ import annotations

from django.utils import timezone

import pytest

from junheng.web.audit.models import AuditEntry
from junheng.web.collection.models import SchoolYear

pytestmark = pytest.mark.django_db


def _my_record(client):
    school = client.get("/").context["who"].school
    return SchoolYear.objects.get(school=school, year=2025)


def _form(record, **changes):
    from junheng.web.collection.validation import initial_values

    return {**initial_values(record.data), "version": record.version, **changes}


def test_form_errors_are_the_importers_beside_the_field(login):
    client = login("school")
    rec = _my_record(client)
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, books="很多", teachers_P="-3"))
    assert r.status_code == 200
    fields = {f["code"]: f["errors"] for f in r.context["fields"]}
    assert fields["books"] == ["“很多”不是数值。"]          # junheng.io.convert's wording
    assert fields["teachers_P"] == ["数值 -3 为负数，不能小于 0。"]
    assert all(not v for k, v in fields.items() if k not in ("books", "teachers_P"))
    assert "有错误，未保存。请按字段旁的提示修改。" in r.content.decode()
    rec.refresh_from_db()
    assert rec.version == 1 and rec.data["books"] == 61987  # nothing saved


def test_part_exceeding_whole_and_required_cells(login):
    client = login("school")
    rec = _my_record(client)
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, qualified_teachers_P="500", students_P=""))
    fields = {f["code"]: f["errors"] for f in r.context["fields"]}
    assert "大于小学专任教师数 128" in fields["qualified_teachers_P"][0]
    assert "不能为空" in fields["students_P"][0]


def test_valid_save_is_audited_field_by_field(login):
    client = login("school")
    rec = _my_record(client)
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, books="62000", equipment_value_yuan="1100"))
    assert r.status_code == 302
    rec.refresh_from_db()
    assert rec.data["books"] == 62000 and rec.data["equipment_value_yuan"] == 11_000_000.0  # 万元 → 元
    assert rec.version == 2
    log = {e.field: (e.old, e.new) for e in AuditEntry.objects.filter(record_id=rec.pk, action="edit")}
    assert log == {"books": ("61987", "62000"), "equipment_value_yuan": ("1.06477e+07", "1.1e+07")}


def test_stale_edit_is_refused(login):
    client = login("school")
    rec = _my_record(client)
    stale = _form(rec, books="1")
    assert client.post(f"/records/{rec.pk}/edit/", _form(rec, books="70000")).status_code == 302
    r = client.post(f"/records/{rec.pk}/edit/", stale)
    assert r.status_code == 200
    assert any("已被" in g and "旧版本" in g for g in r.context["general"])
    assert "有错误，未保存" not in r.content.decode() and "字段旁" not in r.content.decode()   # no field is wrong
    before = rec.updated_at
    rec.refresh_from_db()
    assert rec.data["books"] == 70000
    # the save moved 最后修改 (queryset.update skips auto_now), and the message gives it in local time
    assert rec.updated_at > before
    local = timezone.localtime(rec.updated_at).strftime("%Y-%m-%d %H:%M")
    assert any(local in g for g in r.context["general"])


def test_workflow_submit_return_fix_approve(login, client):
    reporter = login("school")
    rec = _my_record(reporter)
    assert reporter.post(f"/records/{rec.pk}/submit/", {"version": rec.version}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == SchoolYear.SUBMITTED
    assert reporter.post(f"/records/{rec.pk}/edit/", _form(rec)).status_code == 403   # locked while in review
    reviewer = login("reviewer")
    reviewer.post(f"/records/{rec.pk}/return/", {"version": rec.version, "reason": ""})
    rec.refresh_from_db()
    assert rec.status == SchoolYear.SUBMITTED                                          # a reason is required
    reviewer.post(f"/records/{rec.pk}/return/", {"version": rec.version, "reason": "图书册数有误"})
    rec.refresh_from_db()
    assert rec.status == SchoolYear.RETURNED and rec.return_reason == "图书册数有误"
    reporter = login("school")
    assert reporter.post(f"/records/{rec.pk}/edit/", _form(rec, books="60000")).status_code == 302
    rec.refresh_from_db()
    reporter.post(f"/records/{rec.pk}/submit/", {"version": rec.version})
    rec.refresh_from_db()
    reviewer = login("reviewer")
    reviewer.post(f"/records/{rec.pk}/approve/", {"version": rec.version - 1})          # stale: refused
    rec.refresh_from_db()
    assert rec.status == SchoolYear.SUBMITTED
    reviewer.post(f"/records/{rec.pk}/approve/", {"version": rec.version})
    rec.refresh_from_db()
    assert rec.status == SchoolYear.APPROVED
    actions = list(AuditEntry.objects.filter(record_id=rec.pk).order_by("pk").values_list("action", flat=True))
    assert actions == ["submit", "return", "edit", "submit", "approve"]
    page = reviewer.get(f"/records/{rec.pk}/").content.decode()
    assert "图书册数有误" in page and "61987" in page and "60000" in page


def test_submit_of_empty_record_is_refused(login):
    client = login("school")
    school = client.get("/").context["who"].school
    r = client.post(f"/schools/{school.pk}/open/", {"year": "2026"})
    rec = SchoolYear.objects.get(school=school, year=2026)
    assert r["Location"] == f"/records/{rec.pk}/edit/"
    client.post(f"/records/{rec.pk}/submit/", {"version": rec.version})
    rec.refresh_from_db()
    assert rec.status == SchoolYear.DRAFT


def test_new_year_form_starts_with_the_school_identity_only(login):
    client = login("school")
    school = client.get("/").context["who"].school
    r = client.post(f"/schools/{school.pk}/open/", {"year": "2027"}, follow=True)
    fields = {f["code"]: f["value"] for f in r.context["fields"]}
    assert fields["school_type"] == "211" and fields["township"] == "城关街道" and fields["ownership"] == "公办"
    assert fields["books"] == "" and fields["students_P"] == ""


def test_hostile_text_is_refused_beside_its_field(login):
    client = login("school")
    rec = _my_record(client)
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, township="城关\u202e街道", authority="县" * 300))
    fields = {f["code"]: f["errors"] for f in r.context["fields"]}
    assert "U+202E（从右到左覆盖）" in fields["township"][0]
    assert "过长" in fields["authority"][0]
    assert "\u202e" not in r.content.decode().split("<form", 1)[0]   # never echoed into the page's messages
    rec.refresh_from_db()
    assert rec.version == 1


def test_fixed_identity_cannot_be_changed_from_the_form(login):
    client = login("school")
    rec = _my_record(client)
    assert client.post(f"/records/{rec.pk}/edit/", _form(rec, school_id="9999999999", name="别的学校",
                                                          county_code="110101")).status_code == 302
    rec.refresh_from_db()
    assert (rec.data["school_id"], rec.data["name"], rec.data["county_code"]) == ("2152000001", "均衡示例县第一小学", "529901")


def test_reviewer_approves_ticked_records_each_audited(login):
    from junheng.web.areas.models import Area

    client = login("reviewer")
    county = Area.objects.get(code="529901")
    submitted = list(SchoolYear.objects.filter(school__county=county, year=2025, status=SchoolYear.SUBMITTED))
    page = client.get(f"/counties/{county.pk}/?year=2025").content.decode()   # the ticks are offered
    assert "勾选的已提交记录审核通过" in page and f'name="record" value="{submitted[0].pk}"' in page
    assert "勾选的已提交记录审核通过" not in login("inspector").get(f"/counties/{county.pk}/?year=2025").content.decode()
    client = login("reviewer")
    ticked, stale = submitted[:2], submitted[2]
    post = {"year": "2025", "record": [r.pk for r in ticked + [stale]],
            **{f"version_{r.pk}": r.version for r in ticked}, f"version_{stale.pk}": stale.version - 1}
    r = client.post(f"/counties/{county.pk}/approve/", post, follow=True)
    assert "已审核通过 2 所学校" in r.content.decode() and "旧版本" in r.content.decode()
    for rec in ticked:
        rec.refresh_from_db()
        assert rec.status == SchoolYear.APPROVED
        assert AuditEntry.objects.filter(record_id=rec.pk, action="approve").count() == 1
    stale.refresh_from_db()
    assert stale.status == SchoolYear.SUBMITTED
    assert login("township").post(f"/counties/{county.pk}/approve/", post).status_code == 404


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
@pytest.mark.parametrize("version", ["", "v3", None])
def test_a_write_without_a_version_is_refused_in_chinese(login, action, version):
    """An empty or missing version never does nothing silently: a Chinese error, nothing changed."""
    from junheng.web.versions import MISSING_VERSION

    rec = _my_record(login("school"))
    if action != "submit":
        rec.status = SchoolYear.SUBMITTED
        rec.save()
    client = login("school" if action == "submit" else "reviewer")
    before = (rec.status, rec.version, AuditEntry.objects.count())
    post = {"reason": "图书有误"} if version is None else {"version": version, "reason": "图书有误"}
    r = client.post(f"/records/{rec.pk}/{action}/", post, follow=True)
    rec.refresh_from_db()
    assert (rec.status, rec.version, AuditEntry.objects.count()) == before
    assert [str(m) for m in r.context["messages"]] == [MISSING_VERSION]


def test_a_form_save_without_a_version_is_refused_beside_the_form(login):
    from junheng.web.versions import MISSING_VERSION

    client = login("school")
    rec = _my_record(client)
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, books="62000", version=""))
    assert r.status_code == 200 and MISSING_VERSION in r.context["general"]
    rec.refresh_from_db()
    assert rec.data["books"] == 61987 and rec.version == 1


def test_county_approve_without_a_version_names_the_school(login):
    from junheng.web.versions import MISSING_VERSION

    rec = _my_record(login("school"))
    rec.status = SchoolYear.SUBMITTED
    rec.save()
    client = login("reviewer")
    r = client.post(f"/counties/{rec.school.county.pk}/approve/?year=2025", {"record": [rec.pk], "year": 2025},
                    follow=True)
    rec.refresh_from_db()
    assert rec.status == SchoolYear.SUBMITTED
    assert f"{rec.school.name}：{MISSING_VERSION}" in [str(m) for m in r.context["messages"]]


def test_saved_message_names_its_version_and_pages_are_not_stored(login):
    client = login("school")
    rec = _my_record(client)
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, books="62000"), follow=True)
    rec.refresh_from_db()
    local = timezone.localtime(rec.updated_at).strftime("%H:%M")
    assert [str(m) for m in r.context["messages"]] == [f"已保存（第 2 版，{local}）。"]
    for url in (f"/records/{rec.pk}/", f"/records/{rec.pk}/edit/", "/", f"/records/{rec.pk}/excel/"):
        cc = client.get(url)["Cache-Control"]
        assert "no-store" in cc and "private" in cc, url
    assert "no-store" not in (client.get("/static/junheng/site.css").get("Cache-Control") or "")


def test_pages_name_people_by_their_display_names(login):
    """冻结于 …（示例县管理员）, the audit list and the record's history: display names, not logins."""
    from junheng.web.snapshots.models import Snapshot

    client = login("school")
    rec = _my_record(client)
    client.post(f"/records/{rec.pk}/edit/", _form(rec, books="62000"))
    reviewer = login("reviewer")
    page = reviewer.get(f"/records/{rec.pk}/").content.decode()
    assert "示例学校填报员" in page and "<td>school</td>" not in page
    audit = reviewer.get(f"/audit/?record={rec.pk}").content.decode()
    assert "<td>示例学校填报员</td>" in audit and "<td>school</td>" not in audit
    snap = Snapshot.objects.filter(created_by__username="county").first()
    page = reviewer.get(f"/snapshots/{snap.pk}/").content.decode()
    assert "（示例县管理员）" in page and "（county）" not in page


def test_approving_a_record_a_colleague_just_returned_says_it_changed(login):
    """Two reviewers on one submitted record: one returns it; the other's approve (from the page they
    still have open) is not a 403 but the message that the record changed, and nothing changes."""
    rec = SchoolYear.objects.filter(school__county__code="529901", status=SchoolYear.SUBMITTED).first()
    seen = rec.version
    colleague = login("county")
    colleague.post(f"/records/{rec.pk}/return/", {"version": seen, "reason": "请核对班额"})
    rec.refresh_from_db()
    assert rec.status == SchoolYear.RETURNED
    reviewer = login("reviewer")
    for step in ("approve", "return"):
        r = reviewer.post(f"/records/{rec.pk}/{step}/", {"version": seen, "reason": "另一原因"}, follow=True)
        page = r.content.decode()
        assert r.status_code == 200 and "没有进行此操作的权限" not in page, step
        assert "改为“已退回修改”" in page and "未做任何操作" in page and "请刷新页面" in page, step
    rec2 = SchoolYear.objects.get(pk=rec.pk)
    assert (rec2.status, rec2.version, rec2.return_reason) == (SchoolYear.RETURNED, rec.version, "请核对班额")
    # with the current version: refused by its state, in Chinese, still not a 403
    r = reviewer.post(f"/records/{rec.pk}/approve/", {"version": rec.version}, follow=True)
    assert r.status_code == 200 and "只能审核已提交的记录" in r.content.decode()
    assert login("township").post(f"/records/{rec.pk}/approve/", {"version": rec.version}).status_code in (403, 404)


def test_form_warns_of_implausible_values_after_saving_and_refuses_an_unknown_code(login):
    """The importer's plausibility warnings reach the form (listed after the save, each naming its
    field), and a 城乡分类代码 outside the code list is an error beside its field (nothing saved)."""
    client = login("school")
    rec = _my_record(client)
    pupils = rec.data["students_P"]
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, urban_rural_code="999"))
    fields = {f["code"]: f["errors"] for f in r.context["fields"]}
    assert fields["urban_rural_code"] == [
        "城乡分类代码“999”不在统计用区划和城乡划分代码之中，应为 111（主城区）、112（城乡结合区）、121（镇中心区）、"
        "122（镇乡结合区）、123（特殊区域）、210（乡中心区）、220（村庄） 之一。"]
    assert all(not v for k, v in fields.items() if k != "urban_rural_code")
    r = client.post(f"/records/{rec.pk}/edit/", _form(rec, classes_P="0", teachers_P="5000"), follow=True)
    shown = [str(m) for m in r.context["messages"] if m.level_tag == "warning"]
    assert shown == [
        f"小学专任教师数(人)：小学生师比 {pupils}:5000 低于 1:1（小学专任教师 5000 人，在校生 {pupils} 人），"
        "请核对小学专任教师数和在校生数。",
        f"小学班数(个)：小学在校生 {pupils} 人，但“小学班数”为 0：有学生的学段至少有 1 个班，请核对。"]
    assert all(s in r.content.decode() for s in shown)                  # on the page the user sees
    rec.refresh_from_db()
    assert rec.data["classes_P"] == 0 and rec.data["teachers_P"] == 5000   # a warning does not refuse
