"""年度监测复查 of a county's snapshots (snapshots/monitoring.py, /counties/<id>/monitor/).

The demo county's 2025 snapshot plus two made here from its rows:
* 2024: the 2025 rows without 第六小学 (so it is 新增 in 2025), 第七小学 under an older name (更名),
  and one more school 均衡示例县停办小学 (撤销或停办 in 2025);
* 2026: the 2025 rows with 第四小学's books × 25: only the primary books CV changes (0.265 → 2.149),
  so the primary composite (the mean of basic-2012's 8 indicator CVs) rises by exactly
  (Δ books CV) / 8 = 0.2355, from 0.430 to 0.665 > 0.65: a red 预警, a composite regression and the county verdict 达标 → 未达标.
"""
from __future__ import annotations

import io
import zipfile

import openpyxl
import orjson
import pytest

from junheng.web.areas.models import Area
from junheng.web.snapshots import services
from junheng.web.snapshots.models import Snapshot

from .conftest import OTHER_COUNTY

pytestmark = pytest.mark.django_db

FOURTH, SIXTH, SEVENTH = "2152000004", "2152000006", "2152000007"  # approved in the demo snapshot


@pytest.fixture
def years():
    county = Area.objects.get(code="529901")
    base = Snapshot.objects.get(county=county, year=2025)
    rows = base.rows
    older = [dict(r, name="均衡示例县龙溪第七小学") if r["school_id"] == SEVENTH else r
             for r in rows if r["school_id"] != SIXTH]
    gone = dict(next(r for r in rows if r["school_id"] == "2152000005"), school_id="2152999999", name="均衡示例县停办小学")
    s24 = Snapshot.objects.create(county=county, year=2024, rows=[*older, gone], label="2024")
    s26 = Snapshot.objects.create(county=county, year=2026, label="2026",
                                  rows=[dict(r, books=r["books"] * 25) if r["school_id"] == FOURTH else r for r in rows])
    return county, s24, base, s26


def _cvs(snap, level="primary"):
    doc = orjson.loads(services.assessment_json(snap, "basic-2012"))["counties"][0]["levels"][level]
    return {k: i["cv"] for k, i in doc["indicators"].items()}, doc["composite_cv"]


def test_series_regression_and_red_warning_by_hand(login, years):
    county, s24, s25, s26 = years
    r = login("county").get(f"/counties/{county.pk}/monitor/?pack=basic-2012&s={s25.pk}&s={s26.pk}")
    assert r.status_code == 200
    res = r.context["result"]
    c = res.counties[0]
    prim = c["levels"]["primary"]
    books = [p["cv"] for p in prim["indicators"]["books_per_student"]["series"]]
    comp = [p["cv"] for p in prim["composite"]["series"]]
    # every other indicator is unchanged; the composite moves by the books CV's change / 8
    for code, s in prim["indicators"].items():
        if code != "books_per_student":
            assert s["series"][0]["cv"] == s["series"][1]["cv"], code
    assert books[1] > books[0]
    assert comp[1] - comp[0] == pytest.approx((books[1] - books[0]) / 8, abs=1e-12)
    assert round(comp[0], 3) == 0.430 and round(comp[1], 3) == 0.665
    # the same numbers as each snapshot's own stored assessment (the dashboards' documents)
    for snap, k in ((s25, 0), (s26, 1)):
        cvs, composite = _cvs(snap)
        assert cvs["books_per_student"] == pytest.approx(books[k], abs=1e-12)
        assert composite == pytest.approx(comp[k], abs=1e-12)
    assert c["verdicts"] == {"2025": True, "2026": False}
    assert [(x["kind"], x["level"]) for x in c["regressions"]] == [("county", None), ("composite", "primary")]
    assert [(w["severity"], w["kind"]) for w in c["warnings"]] == [("red", "composite")]
    body = r.content.decode()
    cell = body.split("综合差异系数</strong>", 1)[1].split("</tr>", 1)[0]
    assert "0.430" in cell and "0.665 ✗" in cell and "红色预警" in cell  # a text mark, not colour alone
    assert "2026年小学综合差异系数由0.430升至0.665（标准≤0.65），由达标变为未达标" in body
    assert "2026年全县评估结论由达标变为未达标" in body


def test_default_is_latest_snapshot_of_each_year_and_school_changes(login, years):
    county, s24, s25, s26 = years
    older25 = Snapshot.objects.create(county=county, year=2025, rows=s25.rows, label="较早")
    Snapshot.objects.filter(pk=older25.pk).update(created_at=s25.created_at.replace(year=2020))
    r = login("reviewer").get(f"/counties/{county.pk}/monitor/")
    assert r.status_code == 200
    assert [s.pk for s in r.context["chosen_list"]] == [s24.pk, s25.pk, s26.pk]
    assert r.context["result"].years == [2024, 2025, 2026]
    ch = r.context["result"].counties[0]["schools"]
    assert [x["school_id"] for x in ch["2025"]["new"]] == [SIXTH]
    assert [x["school_id"] for x in ch["2025"]["closed"]] == ["2152999999"]
    assert ch["2025"]["renamed"] == [{"school_id": SEVENTH, "name": "均衡示例县第七小学", "old_name": "均衡示例县龙溪第七小学"}]
    assert ch["2025"]["merged"] == []
    assert ch["2026"] == {"new": [], "closed": [], "renamed": [], "merged": []}
    body = r.content.decode()
    assert f"原名均衡示例县龙溪第七小学，现名均衡示例县第七小学（{SEVENTH}）" in body
    assert "撤销或停办" in body and "均衡示例县停办小学（2152999999" in body


def test_choice_errors(login, years):
    county, s24, s25, s26 = years
    client = login("county")
    dup = Snapshot.objects.create(county=county, year=2025, rows=s25.rows)
    r = client.get(f"/counties/{county.pk}/monitor/?s={s25.pk}&s={dup.pk}")
    assert r.status_code == 422 and "2025 年选了多个快照" in r.content.decode()
    r = client.get(f"/counties/{county.pk}/monitor/?s={s25.pk}")
    assert r.status_code == 422 and "至少需要两个学年的快照" in r.content.decode()
    assert f'value="{s25.pk}" checked' in r.content.decode()  # the choice stays on the form
    assert client.get(f"/counties/{county.pk}/monitor/xlsx/?s={s25.pk}").status_code == 422
    other = Snapshot.objects.filter(county__code=OTHER_COUNTY).first()  # not this county's: never used
    assert client.get(f"/counties/{county.pk}/monitor/?s={s25.pk}&s={other.pk}").status_code == 404
    assert client.get(f"/counties/{county.pk}/monitor/?pack=nope").status_code == 404
    assert client.get(f"/counties/{county.pk}/monitor/pdf/").status_code == 404


def test_a_snapshot_failing_the_importer_is_named(login, years):
    county, s24, s25, s26 = years
    Snapshot.objects.filter(pk=s24.pk).update(rows=[dict(r, books=-1) if r["school_id"] == FOURTH else r for r in s24.rows])
    r = login("county").get(f"/counties/{county.pk}/monitor/?s={s24.pk}&s={s25.pk}")
    body = r.content.decode()
    assert r.status_code == 422 and f"2024年数据快照#{s24.pk}" in body and "图书" in body
    assert "下载" not in body


def test_downloads_are_the_cli_writers_output(login, years, tmp_path):
    """The Excel of the page equals ``junheng monitor`` run on the same rows written to files."""
    from typer.testing import CliRunner

    from junheng.cli import app
    from junheng.web.collection.table import stored_rows

    county, s24, s25, s26 = years
    client = login("inspector")  # read-only accounts may download too
    q = f"?pack=basic-2012&s={s25.pk}&s={s26.pk}"
    r = client.get(f"/counties/{county.pk}/monitor/xlsx/{q}")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    web = openpyxl.load_workbook(io.BytesIO(r.content))
    files = []
    for snap in (s25, s26):
        path = tmp_path / f"{snap.year}年.csv"
        path.write_text("\n".join(",".join("" if v is None else v for v in row) for row in stored_rows(snap.rows)),
                        encoding="utf-8")
        files.append(str(path))
    out = tmp_path / "cli.xlsx"
    res = CliRunner().invoke(app, ["monitor", *files, "-r", "basic-2012", "-o", str(out)])
    assert res.exit_code == 0, res.output
    cli = openpyxl.load_workbook(out)
    assert web.sheetnames == cli.sheetnames
    for name in web.sheetnames:
        assert [[c.value for c in row] for row in web[name].iter_rows()] == \
               [[c.value for c in row] for row in cli[name].iter_rows()], name
    series = [[c.value for c in row] for row in web["差异系数逐年"].iter_rows()]
    comp = next(row for row in series if row[1] == "小学" and row[2] == "综合差异系数")
    assert round(comp[3], 3) == 0.430 and round(comp[4], 3) == 0.665 and comp[6] == "红色预警"

    docx = client.get(f"/counties/{county.pk}/monitor/docx/{q}")
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        text = z.read("word/document.xml").decode()
    assert "年度监测复查报告" in text and "红色预警" in text
    html = client.get(f"/counties/{county.pk}/monitor/html/{q}").content.decode()
    assert "<html" in html and "均衡示例县义务教育均衡发展年度监测复查报告" in html and "0.665" in html


@pytest.mark.parametrize("username,status", [("county", 200), ("reviewer", 200), ("inspector", 200), ("admin", 200),
                                             ("township", 404), ("school", 404)])
def test_who_may_open_it(login, years, username, status):
    county = years[0]
    client = login(username)
    assert client.get(f"/counties/{county.pk}/monitor/").status_code == status
    assert client.get(f"/counties/{county.pk}/monitor/html/").status_code == status


def test_a_school_left_out_of_a_snapshot_is_not_called_closed_without_a_note(login, years):
    """第二小学 is not approved in the demo's 2025 snapshot (excluded); in a 2024 snapshot it is there,
    so the monitoring sees it “closed” in 2025: the page says that it was left out of the snapshot."""
    from junheng.web.collection.models import SchoolYear

    county, s24, s25, s26 = years
    second = SchoolYear.objects.get(school__school_id="2152000002", year=2025)
    assert "2152000002" in {e["school_id"] for e in s25.excluded}
    Snapshot.objects.filter(pk=s24.pk).update(rows=[*s24.rows, second.data])
    r = login("county").get(f"/counties/{county.pk}/monitor/?s={s24.pk}&s={s25.pk}")
    rows = {(x["kind"], x["text"].split("（")[0]): x["note"] for x in r.context["counties"][0]["changes"]}
    assert rows[("closed", "均衡示例县第二小学")] == "该校在 2025 学年快照中未纳入（未审核通过），不一定是撤销或停办"
    assert rows[("closed", "均衡示例县停办小学")] == ""  # really gone: no note
    body = r.content.decode()
    assert f"2025 学年快照 #{s25.pk} 不是全县数据" in body and f"2024 学年快照 #{s24.pk} 不是全县数据" not in body


def test_quality_pack_page(login, years):
    """quality-2017: the composite is a reference value without a standard (threshold “—”, never red);
    units are marked per year."""
    county, s24, s25, s26 = years
    r = login("county").get(f"/counties/{county.pk}/monitor/?pack=quality-2017&s={s25.pk}&s={s26.pk}")
    assert r.status_code == 200
    c = r.context["result"].counties[0]
    assert c["levels"]["primary"]["composite"]["threshold"] is None
    comp = next(x for x in r.context["counties"][0]["levels"][0]["rows"] if x.get("composite"))
    assert comp["threshold"] == "—" and all(x["sev"] != "red" for x in comp["cells"])
    assert c["units"] and all(set(u["marks"]) == {"2025", "2026"} for u in c["units"])


def test_a_snapshot_without_a_column_the_pack_needs_is_named(login, years, monkeypatch):
    """The missing-column check of the snapshot's assessment (services.stored_table) names the snapshot."""
    from junheng.schema import FIELDS
    from junheng.web.snapshots import services as svc

    county, s24, s25, s26 = years
    books = next(f for f in FIELDS if f.code == "books")
    # only the 2024 snapshot (the one with 停办小学) lacks the column
    monkeypatch.setattr(svc, "missing_fields",
                        lambda present, table, rules: [books] if "2152999999" in table["school_id"].to_list() else [])
    r = login("county").get(f"/counties/{county.pk}/monitor/?s={s24.pk}&s={s25.pk}")
    body = r.content.decode()
    assert r.status_code == 422 and f"2024年数据快照#{s24.pk}" in body and "需要以下列，快照中没有：图书" in body
    assert f"2025年数据快照#{s25.pk}" not in body


def test_one_year_of_snapshots_explains_itself(login):
    """The demo county alone has one snapshot year: the page says what is missing (200, no download links)."""
    county = Area.objects.get(code="529901")
    r = login("county").get(f"/counties/{county.pk}/monitor/")
    body = r.content.decode()
    assert r.status_code == 200 and "至少需要两个学年的快照" in body and "/monitor/xlsx/" not in body
