"""``junheng plan --objective rotation`` end to end: the JSON (contract "Plan": move_out /
move_in pairs), the 交流轮岗名单 sheet, and ``--jobs 2`` giving the JSON of ``--jobs 1``."""
from __future__ import annotations

import json

import polars as pl
import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.sample import write_school_table
from tests.core.helpers import full, school, table


def _province(tmp_path, counties=3):
    """``counties`` copies of the two-school county of test_rotation (A: 4 backbone, B: none),
    county codes 529901…; the third county has a failing unit for min-cost too."""
    rows = []
    for k in range(counties):
        code = f"52990{k + 1}"
        rows.append(school(f"52{k}0000001", **full(100, 1.0, classes_P=5, backbone_teachers_P=4), county_code=code,
                           county=f"县{k}", township="甲镇"))
        rows.append(school(f"52{k}0000002", **full(100, 1.0, students_P=100 + 10 * k, classes_P=5, backbone_teachers_P=0,
                                                   **({"multimedia_rooms": 2} if k == 2 else {})),
                           county_code=code, county=f"县{k}", township="乙镇"))
    path = tmp_path / "province.csv"
    write_school_table(table(rows).with_columns(pl.col("school_type").cast(pl.Int64)), path)
    return path


def _json(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    for c in doc["counties"]:
        c.pop("seconds")  # wall time
    return doc


@pytest.mark.parametrize("objective", ["rotation", "min-cost"])
def test_jobs_2_gives_the_json_of_jobs_1(tmp_path, objective):
    data = _province(tmp_path)
    docs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"plan{jobs}.json"
        r = CliRunner().invoke(app, ["plan", str(data), "--objective", objective, "-f", "json", "-o", str(out),
                                     "--jobs", jobs])
        assert r.exit_code == 0, r.output
        docs.append(_json(out))
    assert docs[0] == docs[1]
    assert len(docs[0]["counties"]) == 3


def test_rotation_json_and_workbook(tmp_path):
    data = _province(tmp_path, 1)
    out = tmp_path / "plan.json"
    r = CliRunner().invoke(app, ["plan", str(data), "--objective", "rotation", "-f", "json", "-o", str(out)])
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["objective"] == "rotation"
    c = doc["counties"][0]
    assert c["cost"] == {"capital_yuan": 0.0, "recurring_yuan_per_year": 0.0, "total_yuan": 0.0}
    out_, in_ = c["actions"][0], c["actions"][1]
    assert out_["action"] == "move_out" and in_["action"] == "move_in"
    assert out_["to_school_id"] == in_["school_id"] and in_["from_school_id"] == out_["school_id"]
    assert out_["amount_yuan"] == 0 and out_["item"].endswith("_P")
    assert {k: -v for k, v in out_["deltas"].items()} == in_["deltas"]
    assert c["rotation"]["required_rotated"] == 2 and c["rotation"]["rotated"] >= 2
    assert c["before"]["levels"]["primary"]["indicators"]["backbone_teachers_per_100"]["cv"] == pytest.approx(1.0)
    x = tmp_path / "plan.xlsx"
    r = CliRunner().invoke(app, ["plan", str(data), "--objective", "rotation", "-o", str(x)])
    assert r.exit_code == 0, r.output
    import openpyxl

    wb = openpyxl.load_workbook(x)
    assert wb.sheetnames == ["交流轮岗汇总", "交流轮岗名单", "实施前后"]
    rows = [r for r in wb["交流轮岗名单"].iter_rows(min_row=3, values_only=True)]
    moved = sum(r[9] for r in rows)
    assert moved == c["rotation"]["rotated"]
    assert {(r[2], r[5]) for r in rows if r[8] == "县级以上骨干教师"} == {("5200000001", "5200000002")}
    summary = list(wb["交流轮岗汇总"].iter_rows(min_row=3, values_only=True))[0]
    assert summary[2] == 20 and summary[3] == 2 and summary[4] == moved


def test_bad_rotation_settings_name_line_and_key(tmp_path):
    from junheng.errors import InputError
    from junheng.plan.costs import load_costs

    f = tmp_path / "c.toml"
    f.write_text("[rotation]\neligible_share = 2\nmin_teachers_per_class = { primary = -1, junior = 2 }\nfoo = 1\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_costs(path=f)
    got = {(i.row, i.column) for i in e.value.issues}
    assert got == {(2, "键 rotation.eligible_share"), (3, "键 rotation.min_teachers_per_class.primary"),
                   (4, "键 rotation.foo")}
    f.write_text('[rotation]\nmax_rotated_percent = 100\neligible_teachers = { "529901" = 400 }\n', encoding="utf-8")
    r = load_costs(path=f).rotation
    assert r.max_rotated_percent == 100 and r.eligible_teachers == {"529901": 400}
    assert r.min_teachers_per_class.primary == 1.5 and r.assumption  # the defaults kept


@pytest.mark.parametrize("extra, words", [
    (["-r", "basic-2012"], "没有单校教师标准"),
    (["--budget", "100"], "不使用 --budget"),
])
def test_rotation_usage_errors(tmp_path, extra, words):
    """rotation under a pack without unit standards, or with a --budget it would ignore: exit 2."""
    data = _province(tmp_path, 1)
    out = tmp_path / "plan.json"
    r = CliRunner().invoke(app, ["plan", str(data), "--objective", "rotation", "-f", "json", "-o", str(out), *extra])
    assert r.exit_code == 2, r.output
    assert words in r.output and not out.exists()
