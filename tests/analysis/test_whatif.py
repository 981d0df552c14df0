"""``junheng whatif``: conservation, teaching points, the unchanged engine, sizes, distances, bad files."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.analysis.whatif import apply_scenario, haversine_km, load_scenario, run_whatif
from junheng.analysis.whatif.apply import NOT_SUMMED, travel_summary
from junheng.core import assess
from junheng.errors import InputError
from junheng.rules import load_rules
from junheng.sample import SAMPLE_XLSX, generate

QUALITY = load_rules("quality-2017")
BASIC = load_rules("basic-2012")
TABLE = generate(coordinates=True)          # the sample county, with positions
EXAMPLE = SAMPLE_XLSX.parent / "whatif_example.toml"


def scenario(tmp_path, text: str, table=TABLE, name="s.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return load_scenario(p, table)


def totals(df: pl.DataFrame) -> dict[str, float]:
    cols = [c for c, t in df.schema.items() if t.is_numeric() and c not in NOT_SUMMED]
    return df.select(pl.col(cols).fill_null(0).sum()).row(0, named=True)


def row(df: pl.DataFrame, sid: str) -> dict:
    return df.filter(pl.col("school_id") == sid).row(0, named=True)


PRIMARIES = TABLE.filter(pl.col("school_type") == 211)["school_id"].to_list()


@settings(max_examples=25)
@given(st.lists(st.sampled_from(PRIMARIES), min_size=2, max_size=6, unique=True))
def test_a_merge_conserves_pupils_teachers_and_resources(tmp_path_factory, ids):
    into, *sources = ids
    sc = scenario(tmp_path_factory.mktemp("m"), f"[[merge]]\nschools = {json.dumps(sources)}\ninto = \"{into}\"\n")
    after = apply_scenario(TABLE, sc, QUALITY).table
    assert after.height == TABLE.height - len(sources)
    assert not set(sources) & set(after["school_id"])
    before_t, after_t = totals(TABLE), totals(after)
    assert after_t == pytest.approx(before_t, rel=0, abs=1e-6)
    # the receiving school holds exactly the sum of the merged rows
    merged = TABLE.filter(pl.col("school_id").is_in(ids))
    assert row(after, into)["students_P"] == merged["students_P"].sum()
    assert row(after, into)["books"] == merged["books"].sum()


NINE_YEAR = TABLE.filter(pl.col("school_type") == 312)["school_id"].to_list()
JUNIORS = TABLE.filter(pl.col("school_type") == 311)["school_id"].to_list()


@settings(max_examples=20)
@given(st.lists(st.sampled_from(NINE_YEAR), min_size=1, max_size=4, unique=True), st.sampled_from(JUNIORS),
       st.booleans())
def test_moving_sections_conserves_and_retypes(tmp_path_factory, sources, into, resources):
    text = (f"[[move_section]]\nsection = \"初中\"\nschools = {json.dumps(sources)}\ninto = \"{into}\"\n"
            f"move_resources = {str(resources).lower()}\n")
    applied = apply_scenario(TABLE, scenario(tmp_path_factory.mktemp("m"), text), QUALITY)
    after = applied.table
    assert totals(after) == pytest.approx(totals(TABLE), rel=0, abs=1e-6)   # nothing is lost or made
    for sid in sources:
        r = row(after, sid)
        assert (r["students_J"] or 0) == 0 and r["school_type"] == 211      # 九年一贯制 → 小学
        assert r["students_P"] == row(TABLE, sid)["students_P"]
        assert r["teaching_area_m2"] == row(TABLE, sid)["teaching_area_m2"]  # buildings stay
    moved = TABLE.filter(pl.col("school_id").is_in(sources))
    assert row(after, into)["students_J"] == row(TABLE, into)["students_J"] + moved["students_J"].sum()
    assert row(after, into)["teachers_J"] == row(TABLE, into)["teachers_J"] + moved["teachers_J"].sum()
    books_moved = row(after, into)["books"] - row(TABLE, into)["books"]
    assert (books_moved > 0) == resources
    assert {n["school_id"] for n in applied.notes if n["code"] == "type_changed"} == set(sources)


def test_move_resources_takes_the_weighted_enrolment_share(tmp_path):
    sid, into = NINE_YEAR[0], JUNIORS[0]
    src = row(TABLE, sid)
    sc = scenario(tmp_path, f"[[move_section]]\nsection = \"初中\"\nschools = [\"{sid}\"]\ninto = \"{into}\"\n"
                            "move_resources = true\n")
    after = apply_scenario(TABLE, sc, QUALITY).table
    share = 1.1 * src["students_J"] / (src["students_P"] + 1.1 * src["students_J"])   # rules.md §3, 1 : 1.1
    got = row(after, into)["equipment_value_yuan"] - row(TABLE, into)["equipment_value_yuan"]
    assert got == pytest.approx(src["equipment_value_yuan"] * share, rel=1e-12)


def test_a_teaching_point_closed_into_its_parent(tmp_path):
    point = TABLE.filter(pl.col("school_type") == 218).row(0, named=True)
    parent = point["parent_id"]
    sc = scenario(tmp_path, f"[[close_point]]\nschool = \"{point['school_id']}\"\ninto = \"{parent}\"\n")
    r = run_whatif(TABLE, QUALITY, sc)
    after = r.applied.table
    assert point["school_id"] not in after["school_id"].to_list()
    p0 = row(TABLE, parent)
    assert row(after, parent)["students_P"] == p0["students_P"] + point["students_P"]
    assert row(after, parent)["teachers_P"] == p0["teachers_P"] + point["teachers_P"]
    assert row(after, parent)["school_type"] == 211
    units = r.after.units.filter(pl.col("school_id") == parent)
    assert units["students"].to_list() == [p0["students_P"] + point["students_P"]]
    (m,) = r.applied.moves
    assert m["pupils"] == point["students_P"] and m["kind"] == "close_point"
    assert m["km"] == pytest.approx(haversine_km(point["longitude"], point["latitude"], p0["longitude"], p0["latitude"]))


def test_close_point_refuses_a_school_that_is_not_a_teaching_point(tmp_path):
    with pytest.raises(InputError) as e:
        scenario(tmp_path, f"[[close_point]]\nschool = \"{PRIMARIES[3]}\"\ninto = \"{PRIMARIES[0]}\"\n")
    (issue,) = e.value.issues
    assert "不是小学教学点" in issue.message and issue.row == 2 and "close_point[1].school" in issue.column


@pytest.mark.parametrize("rules", [QUALITY, BASIC], ids=lambda r: r.id)
def test_after_is_the_engine_on_the_hand_edited_table(tmp_path, rules):
    a, b, c = PRIMARIES[5], PRIMARIES[6], PRIMARIES[0]
    sc = scenario(tmp_path, f"[[merge]]\nschools = [\"{a}\", \"{b}\"]\ninto = \"{c}\"\n")
    r = run_whatif(TABLE, rules, sc)
    # by hand: add the two rows' numbers to the third, drop them
    numeric = [k for k, t in TABLE.schema.items() if t.is_numeric() and k not in NOT_SUMMED]
    gone = TABLE.filter(pl.col("school_id").is_in([a, b]))
    add = {k: gone[k].fill_null(0).sum() for k in numeric}
    edited = TABLE.filter(~pl.col("school_id").is_in([a, b])).with_columns(
        [pl.when(pl.col("school_id") == c).then(pl.col(k).fill_null(0) + add[k]).otherwise(pl.col(k)).cast(TABLE.schema[k])
         .alias(k) for k in numeric])
    hand = assess(edited, rules)
    before = assess(TABLE, rules)
    for x, y, z in zip(r.after.counties, hand.counties, before.counties):
        assert x.verdict == y.verdict and x.units_failed == y.units_failed
        for lv in y.levels:
            for code, s in y.levels[lv].indicators.items():
                assert x.levels[lv].indicators[code].cv == s.cv
                assert r.before.counties[0].levels[lv].indicators[code].cv == z.levels[lv].indicators[code].cv
    assert any(x.levels["primary"].indicators[k].cv != z.levels["primary"].indicators[k].cv
               for x, z in zip(r.after.counties, before.counties) for k in x.levels["primary"].indicators)


def test_haversine_by_hand():
    # one degree of latitude is R·π/180; a quarter of the equator is R·π/2
    assert haversine_km(116.0, 39.0, 116.0, 40.0) == pytest.approx(6371.0088 * math.pi / 180, rel=1e-12)
    assert haversine_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(6371.0088 * math.pi / 2, rel=1e-12)
    assert haversine_km(104.0, 24.0, 104.0, 24.0) == 0.0


def test_travel_summary_by_hand():
    moves = [{"pupils": 100, "km": 3.0}, {"pupils": 50, "km": 12.0}, {"pupils": 30, "km": None}]
    t = travel_summary(moves)
    assert t == {"pupils_moved": 180, "pupils_known": 150, "pupil_km": 900.0, "mean_km": 6.0, "max_km": 12.0}


def test_sizes_and_class_warnings(tmp_path):
    j1, j2 = JUNIORS[0], JUNIORS[1]
    n = row(TABLE, j1)["students_J"] + row(TABLE, j2)["students_J"]
    classes = math.floor(n / 57)            # an average of at least 57: 大班额, not 超大班额
    sc = scenario(tmp_path, f"[settings]\nschool_size_single = {n - 1}\n"
                            f"[[merge]]\nschools = [\"{j2}\"]\ninto = \"{j1}\"\nclasses_J = {classes}\n")
    r = run_whatif(TABLE, QUALITY, sc)
    s = next(x for x in r.sizes if x["school_id"] == j1)
    assert s["pupils"] == n and s["limit"] == n - 1 and s["over_limit"]
    assert s["avg_class_J"] == pytest.approx(n / classes)
    assert s["flags"] == ["school_size_over", "class_over_standard_J", "large_class_J"]
    assert r.settings["school_size_combined"] == 2500 and r.settings["class_size_junior"] == 50   # quality-2017 G4, G5


def test_open_a_school_and_move_a_section_into_it(tmp_path):
    sid = NINE_YEAR[1]
    sc = scenario(tmp_path, f"""
[[open]]
school_id = "3152999999"
name = "新建中学"
school_type = 311
like = "{sid}"
longitude = 104.0
latitude = 24.0
[open.values]
teaching_area_m2 = 9000
books = 50000
[[move_section]]
section = "初中"
schools = ["{sid}"]
into = "3152999999"
""")
    r = run_whatif(TABLE, QUALITY, sc)
    new = row(r.applied.table, "3152999999")
    assert new["students_J"] == row(TABLE, sid)["students_J"] and new["books"] == 50000
    assert new["county_code"] == row(TABLE, sid)["county_code"]
    assert totals(r.applied.table)["books"] == totals(TABLE)["books"] + 50000
    (u,) = [u for u in r.units if u["school_id"] == "3152999999"]
    assert u["students_before"] is None and u["students_after"] == new["students_J"]
    assert r.travel["pupils_moved"] == new["students_J"] == r.travel["pupils_known"]


def test_the_shipped_example_runs_on_the_sample(tmp_path):
    sc = load_scenario(EXAMPLE, TABLE)
    r = run_whatif(TABLE, QUALITY, sc)
    assert {m["kind"] for m in r.applied.moves} == {"merge", "close_point", "move_section"}
    assert r.travel["pupils_known"] == r.travel["pupils_moved"] > 0


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "junheng.cli", *args], capture_output=True, text=True, cwd=cwd)


BAD = {
    "unknown key": ("[[merge]]\nschools = [\"2152000020\"]\ninto = \"2152000013\"\nclases_P = 3\n",
                    ["s.toml", "第 4 行", "merge[1].clases_P", "未知的设置项", "classes_P"]),
    "unknown school": ("[[merge]]\nschools = [\"2152009999\"]\ninto = \"2152000013\"\n",
                       ["s.toml", "第 2 行", "merge[1].schools", "2152009999 不在学校数据表中"]),
    "unknown receiver": ("[[move_section]]\nsection = \"初中\"\nschools = [\"3152000100\"]\ninto = \"x\"\n",
                         ["第 4 行", "move_section[1].into", "x 不在学校数据表中"]),
    "bad section": ("[[move_section]]\nsection = \"高中\"\nschools = [\"3152000100\"]\ninto = \"3152000099\"\n",
                    ["第 2 行", "section", "取值应为"]),
    "syntax": ("[[merge]\nschools = 1\n", ["s.toml", "第 1 行", "TOML 语法"]),
    "moved after merged": ("[[merge]]\nschools = [\"3152000100\"]\ninto = \"3152000101\"\n"
                           "[[move_section]]\nsection = \"初中\"\nschools = [\"3152000100\"]\ninto = \"3152000099\"\n",
                           ["move_section[1].schools", "已在 merge[1] 中撤并"]),
    "merged twice": ("[[merge]]\nschools = [\"2152000020\"]\ninto = \"2152000013\"\n"
                     "[[merge]]\nschools = [\"2152000020\"]\ninto = \"2152000012\"\n", ["merge[2].schools", "已在 merge[1] 中撤并"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_scenario_files_are_exit_1_in_chinese_and_write_nothing(tmp_path, case):
    text, expected = BAD[case]
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    out = tmp_path / "out.json"
    r = run("whatif", str(SAMPLE_XLSX), str(tmp_path / "s.toml"), "-o", str(out))
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    for e in expected:
        assert e in r.stderr, (e, r.stderr)
    assert not out.exists() and list(tmp_path.iterdir()) == [tmp_path / "s.toml"]


def test_cli_json_and_xlsx(tmp_path):
    out = tmp_path / "w.json"
    r = run("whatif", str(SAMPLE_XLSX), str(EXAMPLE), "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    (c,) = doc["counties"]
    assert c["units_failed_before"] == 71 and c["units_failed_after"] < 71
    assert doc["travel"]["mean_km"] is None            # the bundled sample has no positions
    xlsx = tmp_path / "w.xlsx"
    r = run("whatif", str(SAMPLE_XLSX), str(EXAMPLE), "-o", str(xlsx))
    assert r.returncode == 0, r.stderr
    import openpyxl
    assert openpyxl.load_workbook(xlsx).sheetnames == ["差异系数", "学校规模", "单校达标", "学生转移"]


def test_sample_with_coordinates_gives_distances(tmp_path):
    src = tmp_path / "示例县.xlsx"
    assert run("sample", "-o", str(src), "--coordinates").returncode == 0
    out = tmp_path / "w.json"
    r = run("whatif", str(src), str(EXAMPLE), "-o", str(out))
    assert r.returncode == 0 and "无法识别" not in r.stderr, r.stderr     # 经度(°) and 纬度(°) are read
    doc = json.loads(out.read_text(encoding="utf-8"))
    t = doc["travel"]
    assert t["pupils_known"] == t["pupils_moved"] and 0 < t["mean_km"] <= t["max_km"] < 100
    km = {m["from_id"]: m["km"] for m in doc["moves"]}
    a, b = row(TABLE, "2152000020"), row(TABLE, "2152000013")
    assert km["2152000020"] == pytest.approx(haversine_km(a["longitude"], a["latitude"], b["longitude"], b["latitude"]),
                                             abs=1e-3)
