"""The JSON API (docs/web.md "API"): token only, scoped exactly like the pages (every API URL for
every role against another county's ids and the same county's other schools gives 403/404, never
data), the public OpenAPI schema, and assessments that are the document of `junheng assess -f json`."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.urls import URLPattern, URLResolver, reverse
from rest_framework.test import APIClient

from junheng.sample import SAMPLE_XLSX
from junheng.web.accounts import AccountError, issue_token
from junheng.web.api import urls as api_urls
from junheng.web.areas.models import Area, School
from junheng.web.collection.models import SchoolYear
from junheng.web.snapshots.models import Snapshot
from junheng.web.snapshots.services import assessment_json

from .conftest import OTHER_COUNTY

pytestmark = pytest.mark.django_db

ROLES = ("school", "reviewer", "county", "township", "inspector")
#: API URL name → kind of object its ``pk`` names (None: a list).
KINDS = {
    "api-area-list": None, "api-area-detail": "area", "api-school-list": None, "api-school-detail": "school",
    "api-record-list": None, "api-record-detail": "record", "api-snapshot-list": None,
    "api-snapshot-detail": "snapshot", "api-assessment": "snapshot",
}
PUBLIC = {"api-schema"}


def _names(patterns):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name


def test_every_api_url_is_walked():
    assert set(_names(api_urls.urlpatterns)) - PUBLIC == set(KINDS), "a new API URL must be added to the walk"


def _api(username: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(username)}")
    return c


def _url(name: str, pk: int | None) -> str:
    if pk is None:
        return reverse(name)
    kw = {"pk": pk, "pack": "basic-2012"} if name == "api-assessment" else {"pk": pk}
    return reverse(name, kwargs=kw)


def _foreign():
    county = Area.objects.get(code=OTHER_COUNTY)
    school = School.objects.filter(county=county).first()
    return {"area": county.pk, "school": school.pk, "record": SchoolYear.objects.filter(school=school).first().pk,
            "snapshot": Snapshot.objects.filter(county=county).first().pk}, ("其他县", school.name, OTHER_COUNTY)


@pytest.mark.parametrize("username", ROLES)
def test_other_county_is_never_served(username):
    client = _api(username)
    ids, secrets = _foreign()
    for name, kind in KINDS.items():
        pks = [None] if kind is None else [ids[kind], ids[kind] + 10_000]
        for pk in pks:
            r = client.get(_url(name, pk))
            body = r.content.decode()
            if kind is None:
                assert r.status_code == 200, (username, name, r.status_code)
            else:
                assert r.status_code in (403, 404), (username, name, pk, r.status_code)
            assert all(s not in body for s in secrets), (username, name)
            for method in (client.post, client.put, client.delete):  # read-only API
                assert method(_url(name, pk), {}).status_code in (403, 404, 405), (username, name, method)


def test_reporter_gets_own_school_only():
    client = _api("school")
    me = School.objects.get(pk=client.get(reverse("api-school-list")).json()["results"][0]["id"])
    assert client.get(reverse("api-school-list")).json()["count"] == 1
    other = School.objects.filter(county=me.county).exclude(pk=me.pk).first()
    other_rec = SchoolYear.objects.filter(school=other).first()
    assert client.get(_url("api-school-detail", other.pk)).status_code == 404
    assert client.get(_url("api-record-detail", other_rec.pk)).status_code == 404
    records = client.get(reverse("api-record-list")).json()["results"]
    assert records and {r["school"] for r in records} == {me.pk}
    own = client.get(_url("api-record-detail", records[0]["id"])).json()
    assert own["data"]["school_id"] == me.school_id == own["school_code"]
    snap = Snapshot.objects.filter(county=me.county).first()
    assert client.get(reverse("api-snapshot-list")).json()["count"] == 0
    for name in ("api-snapshot-detail", "api-assessment"):
        assert client.get(_url(name, snap.pk)).status_code == 404
    areas = {a["level"] for a in client.get(reverse("api-area-list")).json()["results"]}
    assert areas <= {"province", "city", "county", "township"}


def test_township_viewer_gets_own_township_only():
    client = _api("township")
    schools = client.get(reverse("api-school-list") + "?limit=1000").json()["results"]
    town = School.objects.get(pk=schools[0]["id"]).township
    assert schools and all(School.objects.get(pk=s["id"]).township_id == town.pk for s in schools)
    outside = School.objects.filter(county=town.parent).exclude(township=town).first()
    assert client.get(_url("api-school-detail", outside.pk)).status_code == 404
    assert client.get(reverse("api-snapshot-list")).json()["count"] == 0


def test_inspector_and_county_read_snapshots():
    county = Area.objects.get(code="529901")
    snap = Snapshot.objects.filter(county=county).first()
    for username in ("inspector", "reviewer", "county", "admin"):
        client = _api(username)
        listed = client.get(reverse("api-snapshot-list")).json()
        assert snap.pk in {s["id"] for s in listed["results"]}, username
        detail = client.get(_url("api-snapshot-detail", snap.pk)).json()
        assert detail["county_code"] == "529901" and len(detail["rows"]) == detail["schools"] == len(snap.rows)
        assert detail["assessments"]["basic-2012"].endswith(_url("api-assessment", snap.pk))
        schools = client.get(reverse("api-school-list") + f"?county={county.pk}&limit=1").json()
        assert schools["count"] == county.schools.count(), username
        recs = client.get(reverse("api-record-list") + f"?year=2025&status=approved&county={county.pk}&limit=1").json()
        assert recs["count"] == SchoolYear.objects.filter(school__county=county, year=2025,
                                                          status="approved").count()


def test_without_token_is_401_and_a_bad_token_too():
    c = APIClient()
    assert c.get(reverse("api-school-list")).status_code == 401
    c.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert c.get(reverse("api-school-list")).status_code == 401
    # a signed-in browser session is not an API credential
    from django.test import Client
    from django.contrib.auth import get_user_model

    browser = Client()
    browser.force_login(get_user_model().objects.get(username="county"))
    assert browser.get(reverse("api-school-list")).status_code == 401


def test_renewed_token_replaces_the_old_one():
    old = issue_token("reviewer")
    assert issue_token("reviewer") == old
    new = issue_token("reviewer", renew=True)
    assert new != old
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert c.get(reverse("api-area-list")).status_code == 401
    with pytest.raises(AccountError):
        issue_token("nobody-here")


def test_schema_is_public_openapi():
    r = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert r.status_code == 200
    doc = json.loads(r.content)
    assert doc["openapi"].startswith("3.") and "/api/snapshots/{id}/assessments/{pack}/" in doc["paths"]
    assert "/api/records/" in doc["paths"] and "/api/areas/{id}/" in doc["paths"]


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_assessment_is_the_cli_document(pack):
    """Freeze the whole sample county, fetch its assessment from the API: the stored text as is, and
    the same document as `junheng assess <sample> -f json --rules <pack>` (except its ``source``)."""
    from django.contrib.auth import get_user_model

    from junheng.web.snapshots.services import freeze

    county = Area.objects.get(code="529901")
    SchoolYear.objects.filter(school__county=county, year=2025).update(status=SchoolYear.APPROVED)
    snap = freeze(county, 2025, get_user_model().objects.get(username="county"))
    body = _api("inspector").get(_url("api-assessment", snap.pk).replace("basic-2012", pack)).content
    assert body == assessment_json(snap, pack)
    cli = subprocess.run([sys.executable, "-m", "junheng.cli", "assess", str(SAMPLE_XLSX), "-f", "json",
                          "--rules", pack, "--year", "2025"], capture_output=True, text=True, env={**os.environ})
    assert cli.returncode == 0, cli.stderr
    want, got = json.loads(cli.stdout), json.loads(body)
    assert got.pop("source").endswith(f"#{snap.pk}") and want.pop("source")
    assert got == want


def test_unknown_pack_is_404():
    snap = Snapshot.objects.filter(county__code="529901").first()
    assert _api("county").get(_url("api-assessment", snap.pk).replace("basic-2012", "nope")).status_code == 404


def test_create_token_command(tmp_path):
    env = {**os.environ, "JUNHENG_PASSWORD": "a-long-Passw0rd!", "DJANGO_SETTINGS_MODULE": "junheng.web.settings"}
    env.pop("JUNHENG_DATABASE_URL", None)
    cli = [sys.executable, "-c", "from junheng.cli import main; main()", "admin"]
    assert subprocess.run([*cli, "create-user", "boss", "--data", str(tmp_path)], env=env).returncode == 0
    r = subprocess.run([*cli, "create-token", "boss", "--data", str(tmp_path)], env=env, capture_output=True, text=True)
    assert r.returncode == 0 and len(r.stdout.strip()) == 40, r.stderr
    again = subprocess.run([*cli, "create-token", "boss", "--data", str(tmp_path)], env=env, capture_output=True, text=True)
    assert again.stdout == r.stdout
    bad = subprocess.run([*cli, "create-token", "ghost", "--data", str(tmp_path)], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "没有可用的账号 ghost" in bad.stderr


def _latin(text: str) -> bool:
    return any("a" <= ch.lower() <= "z" for ch in text)


@pytest.mark.parametrize("query", ["year=abc", "year=-5", "year=99999", "county=abc", "county=-1", "school=x",
                                   "status=done", "limit=abc", "limit=-1", "limit=0", "limit=100000",
                                   "offset=abc", "offset=-3", "offset=99999999999999999999999"])
def test_bad_filters_and_pages_are_400_in_chinese(query):
    """A filter or page that is not a valid value is refused (400, Chinese detail naming it), never
    ignored (which answered with every record)."""
    client = _api("county")
    name = query.split("=")[0]
    for url in (reverse("api-record-list"),) + ((reverse("api-snapshot-list"),) if name in ("year", "limit") else ()):
        r = client.get(f"{url}?{query}")
        assert r.status_code == 400, (url, query, r.status_code)
        detail = r.json()["detail"]
        assert f"参数 {name}" in detail and "应为" in detail, detail


def test_good_filters_and_pages_still_work():
    client = _api("county")
    county = Area.objects.get(code="529901")
    all_ = client.get(reverse("api-record-list") + f"?year=2025&county={county.pk}&status=approved&limit=5&offset=2")
    assert all_.status_code == 200 and len(all_.json()["results"]) == 5
    assert all_.json()["count"] == SchoolYear.objects.filter(school__county=county, year=2025, status="approved").count()
    assert client.get(reverse("api-record-list") + "?year=&county=").status_code == 200


def test_api_404_is_chinese():
    client = _api("county")
    for name in ("api-record-detail", "api-school-detail", "api-snapshot-detail", "api-area-detail"):
        r = client.get(reverse(name, args=[10**8]))
        assert r.status_code == 404 and not _latin(r.json()["detail"]) and "找不到" in r.json()["detail"], r.json()
    r = APIClient().get(reverse("api-school-list"))
    assert r.status_code == 401 and not _latin(r.json()["detail"]), r.json()
