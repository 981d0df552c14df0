"""The entry form (the file importer's validation beside each field), optimistic locking, the
workflow draft → submitted → returned → submitted → approved, and the audit log of it all."""
from __future__ import annotations

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
    rec.refresh_from_db()
    assert rec.data["books"] == 70000


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
