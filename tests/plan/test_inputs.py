"""Bad cost and limit files: Chinese errors naming file, line and key; exit 1; nothing written.
Infeasible targets name what blocks them."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.errors import InputError
from junheng.plan.costs import Limits, SchoolLimit, load_costs, load_limits
from junheng.plan.items import ITEMS
from tests.core.helpers import full, school, table


def test_every_default_cost_has_a_source_and_a_kind():
    c = load_costs()
    assert set(c.items) == set(ITEMS)
    for code, item in c.items.items():
        assert item.source.strip()
        assert item.assumption == item.source.startswith("ASSUMPTION"), code
    assert c.items["qualified_teachers"].kind == "recurring" and c.items["books"].kind == "capital"


def test_province_and_user_files_override_key_by_key(tmp_path):
    assert load_costs("52").items["teaching_area_m2"].yuan == 2800
    assert load_costs("52").items["books"].yuan == load_costs().items["books"].yuan
    f = tmp_path / "c.toml"
    f.write_text('[items.books]\nyuan = 25\nsource = "本县 2025 年图书招标价"\nassumption = false\n', encoding="utf-8")
    c = load_costs("52", f)
    assert c.items["books"].yuan == 25 and c.items["teaching_area_m2"].yuan == 2800
    assert c.items["books"].kind == "capital"


@pytest.mark.parametrize("text, line, key, words", [
    ('[items.bookz]\nyuan = 1\n', 1, "items.bookz", "未知的项目"),
    ('name = "x"\n[items.books]\nyuan = -3\n', 3, "items.books.yuan", "应不小于 0"),
    ('[items.books]\nkind = "monthly"\n', 2, "items.books.kind", "capital、recurring"),
    ('[items.books]\nyuan = "便宜"\n', 2, "items.books.yuan", "应为数字"),
    ('[items.books\nyuan = 1\n', 1, None, "TOML"),
])
def test_bad_cost_files(tmp_path, text, line, key, words):
    f = tmp_path / "c.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_costs(path=f)
    issue = e.value.issues[0]
    assert issue.file == str(f) and issue.row == line and words in issue.message
    if key:
        assert key in issue.column


def test_limits_for_unknown_schools_and_negative_caps(tmp_path):
    f = tmp_path / "l.toml"
    f.write_text('[schools."5200000001"]\nclosed = true\n\n[schools."5200000999"]\nbooks = 5\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_limits(f, ["5200000001"])
    assert e.value.issues[0].row == 4 and "5200000999" in e.value.issues[0].message
    f.write_text('[schools."5200000001"]\nbooks = -5\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_limits(f, ["5200000001"])
    assert e.value.issues[0].row == 2 and "应不小于 0" in e.value.issues[0].message


def _county_file(tmp_path):
    import polars as pl

    rows = [school("5200000001", **full(100, 1.0, teaching_area_m2=400, multimedia_rooms=2)),
            school("5200000002", **full(100, 1.0))]
    path = tmp_path / "county.csv"
    from junheng.sample import write_school_table

    write_school_table(table(rows).with_columns(pl.col("school_type").cast(pl.Int64)), path)
    return path


def test_cli_bad_costs_exit_1_and_nothing_written(tmp_path):
    data = _county_file(tmp_path)
    bad = tmp_path / "c.toml"
    bad.write_text("[items.books]\nyuan = -1\n", encoding="utf-8")
    out = tmp_path / "plan.json"
    r = CliRunner().invoke(app, ["plan", str(data), "--costs", str(bad), "-o", str(out)])
    assert r.exit_code == 1
    assert "第 2 行" in r.output and "items.books.yuan" in r.output
    assert not out.exists()
    lim = tmp_path / "l.toml"
    lim.write_text('[schools."9999999999"]\nclosed = true\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["plan", str(data), "--limits", str(lim), "-o", str(out)])
    assert r.exit_code == 1 and "9999999999" in r.output and not out.exists()


def test_cli_json_follows_the_contract_and_re_assesses(tmp_path):
    data = _county_file(tmp_path)
    out = tmp_path / "plan.json"
    r = CliRunner().invoke(app, ["plan", str(data), "--rules", "quality-2017", "-f", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["rules"] == "quality-2017" and doc["objective"] == "min-cost" and doc["years"] == 3
    assert doc["unit_costs"]["multimedia_rooms"] == {"yuan": 30000.0, "kind": "capital", "source": doc["unit_costs"][
        "multimedia_rooms"]["source"], "assumption": True}
    c = doc["counties"][0]
    assert c["status"] == "optimal" and c["gap"] == 0 and c["blocking"] == []
    assert c["cost"] == {"capital_yuan": 30000.0, "recurring_yuan_per_year": 0.0, "total_yuan": 30000.0}
    (a,) = c["actions"]
    assert a["school_id"] == "5200000001" and a["action"] == "buy" and a["item"] == "multimedia_rooms"
    assert a["deltas"] == {"multimedia_rooms": 1.0, "equipment_value_yuan": 30000.0}
    assert c["before"]["passed"] is False and c["before"]["units_failed"] == 1
    assert c["after"]["passed"] is True and c["after"]["units_failed"] == 0
    assert set(c["after"]["levels"]["primary"]) >= {"indicators", "units", "passed"}
    x = tmp_path / "plan.xlsx"
    r = CliRunner().invoke(app, ["plan", str(data), "-o", str(x)])
    assert r.exit_code == 0 and x.stat().st_size > 0
    import openpyxl

    wb = openpyxl.load_workbook(x)
    assert wb.sheetnames == ["汇总", "采购建设清单", "实施前后", "单价依据"]
    rows = list(wb["采购建设清单"].iter_rows(min_row=3, values_only=True))
    assert rows[0][2] == "5200000001" and rows[0][7] == 1 and rows[0][9] == 30000


def test_infeasible_names_the_closed_school(run, costs):
    rows = [school("5200000001", **full(100, 1.0, teaching_area_m2=400, multimedia_rooms=2)),
            school("5200000002", **full(100, 1.0))]
    p = run(table(rows), limits=Limits({"5200000001": SchoolLimit(closed=True)}))
    c = p.counties[0]
    assert c.status == "infeasible" and c.actions == []
    assert {(b["school_id"], b["item"]) for b in c.blocking} == {
        ("5200000001", "teaching_area_per_student"), ("5200000001", "multimedia_rooms_per_100")}
    assert all(b["closed"] for b in c.blocking)


def test_infeasible_names_the_cap(run, costs):
    caps = {k: 0 for k in costs.items}
    caps.update(multimedia_rooms=0, teaching_area_m2=10)
    rows = [school("5200000001", **full(100, 1.0, teaching_area_m2=400, multimedia_rooms=2)), school("5200000002", **full(100, 1.0))]
    c = run(table(rows), limits=Limits({"5200000001": SchoolLimit(**caps)})).counties[0]
    assert c.status == "infeasible"
    b = next(b for b in c.blocking if b["item"] == "teaching_area_per_student")
    assert b["school_id"] == "5200000001" and b["reach"] == pytest.approx(4.1) and not b["closed"]


def test_report_takes_the_plan_options(tmp_path):
    # junheng report … --plan shares --costs / --limits / --years with junheng plan (cli.py)
    data = _county_file(tmp_path)
    bad = tmp_path / "c.toml"
    bad.write_text("[items.books]\nyuan = -1\n", encoding="utf-8")
    out = tmp_path / "报告"
    r = CliRunner().invoke(app, ["report", str(data), "-r", "quality-2017", "--plan", "--costs", str(bad),
                                 "-o", str(out)])
    assert r.exit_code == 1 and "第 2 行" in r.output and "items.books.yuan" in r.output and not out.exists()
    lim = tmp_path / "l.toml"
    lim.write_text('[schools."9999999999"]\nclosed = true\n', encoding="utf-8")
    r = CliRunner().invoke(app, ["report", str(data), "-r", "quality-2017", "--plan", "--limits", str(lim),
                                 "-o", str(out)])
    assert r.exit_code == 1 and "9999999999" in r.output and not out.exists()
    r = CliRunner().invoke(app, ["report", str(data), "-r", "quality-2017", "--limits", str(lim), "-o", str(out)])
    assert r.exit_code == 2 and "--plan" in r.output and not out.exists()
    # a dearer room and one year of salaries: the plan section and the 测算 both use them
    good = tmp_path / "g.toml"
    good.write_text("[items.multimedia_rooms]\nyuan = 40000\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["report", str(data), "-r", "quality-2017", "--plan", "--costs", str(good),
                                 "--years", "1", "--formats", "html", "-o", str(out)])
    assert r.exit_code == 0, r.output
    (html,) = out.glob("*.html")
    text = html.read_text(encoding="utf-8")
    assert "经常性支出按1年计" in text and "按3年计" not in text
    assert "4.00" in text  # the room at 40 000 元 = 4.00 万元 in the plan table


@pytest.mark.parametrize("objective", ["max-pass", "min-worst"])
def test_a_budget_beyond_any_county_is_a_usage_error(tmp_path, objective):
    """--budget 1e308 (万元) used to crash in the 元 formatting (decimal.InvalidOperation, exit 3)."""
    data = _county_file(tmp_path)
    out = tmp_path / "plan.json"
    r = CliRunner().invoke(app, ["plan", str(data), "--objective", objective, "--budget", "1e308", "-o", str(out)])
    assert r.exit_code == 2 and "不能超过 100,000,000 万元" in r.output and "1e+308" in r.output, r.output
    assert not out.exists()
