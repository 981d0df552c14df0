"""Every URL of the workspace, for every role, against rows outside the role's area (guessed ids of
another county, another school of the same county, another township): 403 or 404, never data.
And the same walk on the role's own rows gives pages (the walk is not vacuous)."""
from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver

from junheng.web.areas.models import Area, School
from junheng.web.collection.models import SchoolYear
from junheng.web.snapshots.models import ReportJob, Snapshot

from .conftest import OTHER_COUNTY

pytestmark = pytest.mark.django_db

ROLES = ("school", "reviewer", "county", "township", "inspector")
#: URL name → the kind of object its ``pk`` names.
KINDS = {
    "school_detail": "school", "record_open": "school",
    "record_detail": "record", "record_edit": "record", "record_submit": "record", "record_approve": "record",
    "record_return": "record", "record_excel": "record", "record_upload": "record",
    "county_progress": "county", "county_import": "county", "county_approve": "county", "snapshot_list": "county",
    "snapshot_detail": "snapshot", "snapshot_assessment": "snapshot", "snapshot_json": "snapshot",
    "snapshot_compare": "snapshot", "report_create": "snapshot", "job_detail": "job", "job_download": "job",
    "county_dashboard": "county", "county_monitor": "county", "county_monitor_download": "county",
    # ledgers (docs/ledgers.md)
    "rect_list": "county", "rect_import": "county", "rect_check": "county", "rect_xlsx": "county",
    "rect_docx": "county", "rect_from_snapshot": "snapshot", "rect_detail": "item", "rect_status": "item",
    "rect_edit": "item", "rect_upload": "item", "rect_evidence": "evidence",
    "digest_list": "county", "digest_detail": "digest", "digest_docx": "digest", "digest_txt": "digest",
    "dropout_list": "county", "dropout_import": "county", "dropout_settings": "county", "dropout_xlsx": "county",
    "child_detail": "child", "child_upload": "child", "child_evidence": "child_evidence",
    "project_list": "county", "project_detail": "project", "project_xlsx": "county", "project_docx": "county",
    "plan_create": "snapshot", "plan_job": "plan_job",
}
#: Scoped lists of a county a reporter or township viewer opens for their own county (only their items).
OWN_COUNTY_LISTS = {"rect_list", "rect_xlsx", "rect_docx", "dropout_list", "project_list", "project_xlsx",
                    "project_docx"}
#: Names without an id (scoped lists) and Django's own pages.
NO_ID = {"home", "login", "logout", "school_list", "audit_list", "dashboard_index", "ledger_index"}


def _patterns():
    for p in get_resolver().url_patterns:
        if isinstance(p, URLPattern):
            yield p


def test_every_url_is_walked():
    names = {p.name for p in _patterns()}
    assert names - NO_ID == set(KINDS), "a new URL must be added to the scope walk"


def _url(name: str, pk: int) -> str:
    from django.urls import reverse

    kw = {"pk": pk}
    if name in ("snapshot_assessment", "snapshot_json"):
        kw["pack"] = "basic-2012"
    if name == "snapshot_compare":
        kw["other"] = pk
    if name == "county_monitor_download":
        kw["fmt"] = "xlsx"
    return reverse(name, kwargs=kw)


def _ledger_objects(county, school) -> dict:
    """A 整改台账 item of ``school`` (named in its text) with one evidence file; a 日报 of its county;
    a child registered in ``school``."""
    import datetime as dt

    from junheng.web.ledgers.models import Child, Project
    from junheng.web.ledgers.digests.services import make
    from junheng.web.ledgers.models import ChildEvidence, Evidence, PlanJob, RectItem

    item = RectItem.objects.create(county=county, school=school, owner_unit=school.name, problem=f"{school.name}的问题")
    ev = Evidence.objects.create(item=item, name=f"{school.name}.pdf", stored="files/ledgers/evidence/none.pdf",
                                 size=1, sha256="0")
    child = Child.objects.create(county=county, township=school.township, school=school, name=f"{school.name}学生",
                                 id_number=f"{school.pk:06d}201201019999"[:18], birth_date=dt.date(2012, 1, 1))
    project = Project.objects.create(county=county, school=school, name=f"{school.name}改扩建", owner_unit=school.name)
    plan = PlanJob.objects.create(snapshot=Snapshot.objects.filter(county=county).first(), pack="basic-2012",
                                  status="done", message=f"{school.name}的规划")
    child_ev = ChildEvidence.objects.create(child=child, name=f"{school.name}返校证明.pdf",
                                            stored="files/ledgers/evidence/children/none.pdf", size=1, sha256="0")
    return {"item": item.pk, "evidence": ev.pk, "digest": make(county, None, "daily").pk, "child": child.pk,
            "project": project.pk, "child_evidence": child_ev.pk, "plan_job": plan.pk}


def _foreign():
    """Objects of the other county (no demo account but other_county may see them)."""
    county = Area.objects.get(code=OTHER_COUNTY)
    school = School.objects.filter(county=county).first()
    return {"county": county.pk, "school": school.pk,
            "record": SchoolYear.objects.filter(school=school).first().pk,
            "snapshot": Snapshot.objects.filter(county=county).first().pk,
            "job": ReportJob.objects.filter(snapshot__county=county).first().pk,
            **_ledger_objects(county, school)}, ("其他县", school.name)


@pytest.mark.parametrize("username", ROLES)
def test_other_county_is_never_shown(login, username):
    client = login(username)
    ids, secrets = _foreign()
    for name, kind in KINDS.items():
        for pk in (ids[kind], ids[kind] + 10_000):
            url = _url(name, pk)
            for method in (client.get, client.post):
                r = method(url)
                assert r.status_code in (403, 404, 405), (username, url, method.__name__, r.status_code)
                body = r.content.decode()
                assert all(s not in body for s in secrets), (username, url)


def test_reporter_sees_only_own_school(login):
    client = login("school")
    me = client.get("/").context["who"].school
    other = School.objects.filter(county=me.county).exclude(pk=me.pk).first()
    rec = SchoolYear.objects.filter(school=other).first()
    ledger = _ledger_objects(me.county, other)
    for name, kind in KINDS.items():
        pk = {"school": other.pk, "record": rec.pk, **ledger}.get(kind)
        if pk is None:  # county, snapshot and job pages: not for a reporter at all
            snap = Snapshot.objects.filter(county=me.county).first()
            pk = {"county": me.county.pk, "snapshot": snap.pk,
                  "job": ReportJob.objects.get_or_create(snapshot=snap, pack="basic-2012")[0].pk}[kind]
        for method in (client.get, client.post):
            r = method(_url(name, pk))
            if name in OWN_COUNTY_LISTS and method == client.get:  # their own items only
                assert r.status_code == 200, name
            else:
                assert r.status_code in (403, 404, 405), (name, r.status_code)
            if name not in ("rect_xlsx", "rect_docx", "project_xlsx", "project_docx"):  # zipped: see their tests
                assert other.name not in r.content.decode(), name
    listing = client.get("/schools/").content.decode()
    assert me.name in listing and other.name not in listing


def test_township_viewer_sees_only_own_township(login):
    client = login("township")
    town = client.get("/").context["who"].area
    outside = School.objects.filter(county=town.parent).exclude(township=town).first()
    inside = School.objects.filter(township=town).first()
    assert client.get(_url("school_detail", outside.pk)).status_code == 404
    assert client.get(_url("school_detail", inside.pk)).status_code == 200
    rec = SchoolYear.objects.filter(school=inside).first()
    assert client.get(_url("record_detail", rec.pk)).status_code == 200
    for name in ("record_edit", "record_submit", "record_approve", "record_return", "record_upload"):
        assert client.post(_url(name, rec.pk)).status_code == 403, name
    assert client.get("/audit/").status_code == 403


def test_inspector_reads_but_never_writes(login):
    client = login("inspector")
    county = Area.objects.get(code="529901")
    snap = Snapshot.objects.filter(county=county).first()
    assert client.get(_url("county_progress", county.pk)).status_code == 200
    assert client.get(_url("snapshot_detail", snap.pk)).status_code == 200
    assert client.get(_url("snapshot_json", snap.pk)).status_code == 200
    rec = SchoolYear.objects.filter(school__county=county, status=SchoolYear.SUBMITTED).first()
    for name in ("record_approve", "record_return", "record_edit", "record_submit"):
        assert client.post(_url(name, rec.pk), {"version": rec.version, "reason": "x"}).status_code == 403, name
    assert client.post(_url("county_import", county.pk)).status_code == 403
    assert client.post(_url("snapshot_list", county.pk), {"year": 2025}).status_code == 403
    rec.refresh_from_db()
    assert rec.status == SchoolYear.SUBMITTED


@pytest.mark.parametrize("username", ("reviewer", "county", "admin"))
def test_county_staff_open_county_pages(login, username):
    client = login(username)
    county = Area.objects.get(code="529901")
    snap = Snapshot.objects.filter(county=county).first()
    for name, pk in (("county_progress", county.pk), ("snapshot_list", county.pk), ("snapshot_detail", snap.pk),
                     ("snapshot_assessment", snap.pk)):
        assert client.get(_url(name, pk)).status_code == 200, name
    assert client.get("/audit/").status_code == 200


def test_reviewer_cannot_import_or_freeze(login):
    client = login("reviewer")
    county = Area.objects.get(code="529901")
    assert client.get(_url("county_import", county.pk)).status_code == 403
    assert client.post(_url("snapshot_list", county.pk), {"year": 2025}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    r = client.get("/schools/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("username", ROLES)
def test_ledger_index_lists_only_the_counties_a_role_may_read(login, username):
    client = login(username)
    body = client.get("/ledgers/").content.decode()
    assert "其他县" not in body
    county = Area.objects.get(code="529901")
    assert (county.name in body) and (f"/ledgers/counties/{county.pk}/rectification/" in body)


def test_inspector_menu_links_to_the_ledgers_they_may_read(login):
    client = login("inspector")
    home = client.get("/").content.decode()
    nav = home.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="/ledgers/">台账</a>' in nav
    county = Area.objects.get(code="529901")
    for name in ("rect_list", "dropout_list", "project_list", "digest_list"):
        assert client.get(_url(name, county.pk)).status_code == 200, name
    assert "/ledgers/counties/" not in client.get("/ledgers/").content.decode().split(county.name)[0]
    admin_nav = login("admin").get("/").content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="/ledgers/">台账</a>' in admin_nav
    school_nav = login("school").get("/").content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="/ledgers/">' not in school_nav and "整改台账" in school_nav
