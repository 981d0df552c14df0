"""Annual monitoring (年度监测复查): a hand-made county over three years (a school closing, one
renamed, one new), series against hand computation, regressions, 预警 levels, class sizes, the
year of a file, and the command (JSON valid; a bad file in the set → Chinese error, nothing written)."""
import json
import math
import subprocess
import sys

import polars as pl
import pytest

from junheng.analysis.monitor import (MonitorSettings, YearError, YearInput, class_sizes, monitor, resolve_year,
                                      school_changes, severity, _roster)
from junheng.rules import load_rules
from junheng.schema import FIELDS
from junheng.sample import write_school_table

QUALITY = load_rules("quality-2017")
TA = "teaching_area_per_student"


def school(sid, name, pupils, area, classes, township="城关镇"):
    """A 211 primary school whose per-pupil values are the same everywhere except the teaching area
    (``area`` ㎡ per pupil): 6 qualified, 2 backbone, 2 PE/art teachers and 3 multimedia rooms per
    100 pupils, 10 ㎡ of sports ground and 3 000 元 of equipment per pupil (all above the 2017
    per-school standards)."""
    k = pupils // 100
    row = {f.code: None for f in FIELDS}
    row |= {"school_id": sid, "name": name, "county_code": "529901", "county": "监测示例县", "township": township,
            "school_type": 211, "students_P": pupils, "classes_P": classes, "teachers_P": 8 * k,
            "qualified_teachers_P": 6 * k, "senior_title_teachers_P": 4 * k, "backbone_teachers_P": 2 * k,
            "pe_art_teachers_P": 2 * k, "teaching_area_m2": float(area * pupils), "indoor_sports_m2": 0.0,
            "sports_ground_m2": 10.0 * pupils, "equipment_value_yuan": 3000.0 * pupils, "teaching_computers": 10 * k,
            "books": 30 * pupils, "multimedia_rooms": 3 * k}
    return row


def table(rows):
    from junheng.io.convert import dtype_of

    return pl.DataFrame(rows, schema={f.code: dtype_of(f) for f in FIELDS})


# 2022: A, B, C.  2023: A closed, B renamed, D new.  2024: B's teaching area drops to 1 ㎡, C's rises to 25.
Y1 = [school("5299010001", "甲小学", 100, 20, 2), school("5299010002", "乙小学", 100, 10, 2),
      school("5299010003", "丙小学", 200, 15, 3)]
Y2 = [school("5299010002", "乙小学（新校区）", 100, 10, 2), school("5299010003", "丙小学", 200, 15, 3),
      school("5299010004", "丁小学", 300, 15, 5)]
Y3 = [school("5299010002", "乙小学（新校区）", 100, 1, 2), school("5299010003", "丙小学", 200, 25, 3),
      school("5299010004", "丁小学", 300, 15, 5)]
YEARS = {2022: Y1, 2023: Y2, 2024: Y3}


def weighted_cv(pupils, values):
    """Brute force: enrolment-weighted mean, population SD, CV (docs/rules.md §1)."""
    p = sum(pupils)
    mean = sum(w * x for w, x in zip(pupils, values)) / p
    sd = math.sqrt(sum(w * (x - mean) ** 2 for w, x in zip(pupils, values)) / p)
    return mean, sd / mean


@pytest.fixture(scope="module")
def result():
    return monitor([YearInput(y, table(rows), f"{y}.xlsx") for y, rows in YEARS.items()], QUALITY)


def test_series_against_hand_computation(result):
    (c,) = result.counties
    series = c["levels"]["primary"]["indicators"][TA]["series"]
    assert [p["year"] for p in series] == [2022, 2023, 2024]
    expected = [weighted_cv([s["students_P"] for s in rows], [s["teaching_area_m2"] / s["students_P"] for s in rows])
                for rows in YEARS.values()]
    # by hand: 2022 mean 15, variance 12.5; 2023 mean 85/6, variance 750/216; 2024 mean 16, variance 65
    assert [e[0] for e in expected] == pytest.approx([15, 85 / 6, 16])
    assert [e[1] for e in expected] == pytest.approx([math.sqrt(12.5) / 15, math.sqrt(750 / 216) / (85 / 6),
                                                      math.sqrt(65) / 16])
    assert [p["mean"] for p in series] == pytest.approx([e[0] for e in expected], rel=1e-12)
    assert [p["cv"] for p in series] == pytest.approx([e[1] for e in expected], rel=1e-12)
    assert [p["passed"] for p in series] == [True, True, False]          # 0.504 > 0.50
    # every other indicator is the same per pupil everywhere: CV 0, so the composite is CV/7
    comp = c["levels"]["primary"]["composite"]["series"]
    assert [p["cv"] for p in comp] == pytest.approx([e[1] / 7 for e in expected], rel=1e-9, abs=1e-12)
    assert c["levels"]["primary"]["students"] == {"2022": 400, "2023": 600, "2024": 600}
    assert c["verdicts"] == {"2022": True, "2023": True, "2024": False}


def test_school_changes(result):
    (c,) = result.counties
    ch = c["schools"]["2023"]
    assert [r["school_id"] for r in ch["closed"]] == ["5299010001"] and ch["closed"][0]["pupils"] == 100
    assert [r["school_id"] for r in ch["new"]] == ["5299010004"]
    assert ch["renamed"] == [{"school_id": "5299010002", "name": "乙小学（新校区）", "old_name": "乙小学"}]
    assert ch["merged"] == []                           # 丙小学 did not grow: nothing suggests a merge
    assert c["schools"]["2024"] == {"new": [], "closed": [], "renamed": [], "merged": []}


def test_merge_inferred_from_pupils_in_the_same_township():
    before = _roster(table(Y1))
    grown = [dict(Y2[1], students_P=260)]                                  # 丙 +60 ≥ 0.5 × 甲's 100
    after = _roster(table([Y2[0], *grown, Y2[2]]))
    merged = school_changes(before, after, MonitorSettings()).filter(pl.col("change") == "merged")
    assert merged.select("school_id", "into_id", "pupils", "increase").rows() == [("5299010001", "5299010003", 100.0, 60.0)]
    # a stricter share, or the grown school in another township: no merge
    assert school_changes(before, after, MonitorSettings(merge_share=0.7)).filter(pl.col("change") == "merged").height == 0
    other = _roster(table([Y2[0], dict(grown[0], township="河口乡"), Y2[2]]))
    before_other = _roster(table([Y1[0], Y1[1], dict(Y1[2], township="河口乡")]))
    assert school_changes(before_other, other, MonitorSettings()).filter(pl.col("change") == "merged").height == 0


def test_regressions(result):
    (c,) = result.counties
    regs = [(r["year"], r["kind"], r.get("indicator"), r.get("school_id")) for r in c["regressions"]]
    assert regs == [(2024, "county", None, None), (2024, "indicator_cv", TA, None), (2024, "unit", None, "5299010002")]
    cv = c["regressions"][1]
    assert cv["before"] == pytest.approx(math.sqrt(750 / 216) / (85 / 6)) and cv["after"] == pytest.approx(math.sqrt(65) / 16)
    assert cv["threshold"] == 0.5
    b = next(u for u in c["units"] if u["school_id"] == "5299010002")
    assert b["marks"] == {"2022": True, "2023": True, "2024": False}     # 1 ㎡ < 85 % of 4.5 ㎡
    assert b["met_count"] == {"2022": 7, "2023": 7, "2024": 6}
    a = next(u for u in c["units"] if u["school_id"] == "5299010001")
    assert a["marks"] == {"2022": True, "2023": None, "2024": None} and a["regressions"] == []


def test_warnings_of_the_last_year(result):
    (c,) = result.counties
    got = [(w["severity"], w["kind"], w.get("indicator"), w.get("school_id")) for w in c["warnings"]]
    assert got == [("red", "indicator_cv", TA, None), ("red", "unit", None, "5299010002")]
    # per-year marks on the series: 2024 red only (0.236 and 0.132 are far from 0.50)
    series = c["levels"]["primary"]["indicators"][TA]["series"]
    assert [p["warning"] for p in series] == [None, None, "red"]


def test_orange_in_the_engine_run():
    # 2024: 丙 22 ㎡ instead of 25: mean 15, variance 49, CV 7/15 = 0.467, passing but ≥ 0.45 → orange
    y3 = [Y3[0], dict(Y3[1], teaching_area_m2=22.0 * 200), Y3[2]]
    cv = weighted_cv([100, 200, 300], [1, 22, 15])[1]
    assert cv == pytest.approx(7 / 15)
    m = monitor([YearInput(2022, table(Y1)), YearInput(2023, table(Y2)), YearInput(2024, table(y3))], QUALITY)
    s = m.counties[0]["levels"]["primary"]["indicators"][TA]["series"]
    assert s[-1]["cv"] == pytest.approx(cv) and s[-1]["warning"] == "orange"
    # margin 0: orange only at the threshold itself
    narrow = monitor([YearInput(2022, table(Y1)), YearInput(2023, table(Y2)), YearInput(2024, table(y3))], QUALITY,
                     MonitorSettings(margin=0.0))
    assert narrow.counties[0]["levels"]["primary"]["indicators"][TA]["series"][-1]["warning"] is None


def test_severity_levels():
    s = MonitorSettings()
    # red: failing; orange: passing at ≥ 0.9 × 0.5 = 0.45; yellow: up two years running; else none
    assert severity([0.30, 0.46, 0.52], [True, True, False], 0.5, s) == [None, "orange", "red"]
    assert severity([0.10, 0.20, 0.30], [True, True, True], 0.5, s) == [None, None, "yellow"]
    assert severity([0.10, 0.20, 0.15], [True, True, True], 0.5, s) == [None, None, None]
    assert severity([0.10, 0.20, 0.30], [True, True, True], 0.5, MonitorSettings(worse_years=3)) == [None, None, None]
    assert severity([0.10, 0.20], [True, True], 0.5, MonitorSettings(worse_years=1)) == [None, "yellow"]
    assert severity([0.449, 0.45], [True, True], 0.5, s) == [None, "orange"]          # the bound is inclusive
    assert severity([0.30, 0.46], [True, True], 0.5, MonitorSettings(margin=0.05)) == [None, None]
    # no threshold (basic-2012 indicator CVs): only yellow; a gap breaks the run
    assert severity([0.1, 0.2, 0.3], [None] * 3, None, s) == [None, None, "yellow"]
    assert severity([0.1, None, 0.3], [None] * 3, None, s) == [None, None, None]
    # met counts: worse means lower
    assert severity([7.0, 6.0, 5.0], [True, True, False], None, s, higher_is_worse=False) == [None, None, "red"]
    assert severity([7.0, 6.0, 5.0], [True, True, True], None, s, higher_is_worse=False) == [None, None, "yellow"]


def test_class_and_school_sizes(result):
    (c,) = result.counties
    cs = c["class_size"]["2023"]
    # averages: 乙 50, 丙 200/3 = 66.7 (超大班额), 丁 300/5 = 60 (大班额)
    assert cs["source"] == "average" and cs["sections"] == 3 and (cs["big"], cs["huge"]) == (1, 1)
    assert {r["school_id"]: r["band"] for r in cs["rows"]} == {"5299010003": "huge", "5299010004": "big"}
    assert next(r for r in cs["rows"] if r["band"] == "huge")["average"] == pytest.approx(200 / 3)
    assert c["school_size"]["2023"] == {"schools": 3, "largest": 300, "over": 0, "rows": []}
    # a class list (county workbook) counts classes exactly: 55 no, 56 big, 65 big, 66 huge
    classes = pl.DataFrame({"school_id": ["5299010003"] * 4, "level": ["primary"] * 4, "class_name": list("abcd"),
                            "size": [55, 56, 65, 66]})
    out = class_sizes(table(Y2), {"529901": classes}, MonitorSettings(), {"single": 250, "combined": 2500})
    got = out["529901"]
    assert got["class_size"]["source"] == "class_list" and got["class_size"]["classes"] == 4
    assert (got["class_size"]["big"], got["class_size"]["huge"]) == (2, 1)
    assert got["school_size"]["over"] == 1 and got["school_size"]["rows"][0]["school_id"] == "5299010004"
    assert class_sizes(table(Y2).with_columns(pl.lit(None, pl.Int64).alias("classes_P")), {}, MonitorSettings(),
                       {"single": 2000, "combined": 2500})["529901"]["class_size"] == {"source": None}


def test_oversized_schools_stay_in_their_year():
    from junheng.sample import generate

    t = generate()                                     # the sample county: 3 schools over 2000 / 2500 pupils
    first = monitor([YearInput(2022, t), YearInput(2023, t)], QUALITY).counties[0]["school_size"]["2022"]
    biggest = max(first["rows"], key=lambda r: r["students"])["school_id"]
    smaller = t.with_columns(pl.when(pl.col("school_id") == biggest).then(pl.col("students_P") // 4)
                             .otherwise(pl.col("students_P")).alias("students_P"),
                             pl.when(pl.col("school_id") == biggest).then(pl.col("students_J") // 4)
                             .otherwise(pl.col("students_J")).alias("students_J"))
    c = monitor([YearInput(2022, t), YearInput(2023, smaller)], QUALITY).counties[0]
    assert biggest in {r["school_id"] for r in c["school_size"]["2022"]["rows"]}
    assert biggest not in {r["school_id"] for r in c["school_size"]["2023"]["rows"]}
    assert c["school_size"]["2023"]["over"] == first["over"] - 1


def test_batch_equals_one_assessment_per_year():
    from junheng.core import assess

    m = monitor([YearInput(y, table(rows)) for y, rows in YEARS.items()], QUALITY)
    for y, rows in YEARS.items():
        a, b = assess(table(rows), QUALITY, year=y), m.assessment(y)
        assert [(c.county_key, c.county_code, c.county, c.verdict) for c in a.counties] == \
            [(c.county_key, c.county_code, c.county, c.verdict) for c in b.counties]
        for ca, cb in zip(a.counties, b.counties):
            assert {k: (s.mean, s.cv) for k, s in ca.levels["primary"].indicators.items()} == \
                {k: (s.mean, s.cv) for k, s in cb.levels["primary"].indicators.items()}
        assert a.units.select("county_key", "school_id", "passed").rows() == b.units.select("county_key", "school_id", "passed").rows()


def test_year_of_a_file():
    assert resolve_year("2023年学校数据.xlsx") == (2023, "name")
    assert resolve_year("学校数据_2023.xlsx", column=["2022", "2022年"]) == (2022, "column")
    assert resolve_year("学校数据_2023.xlsx", given=2021, column=["2022"]) == (2021, "option")
    assert resolve_year("x.csv", column=["2023-2024学年"]) == (2023, "column")
    assert resolve_year("529901_2024.csv") == (2024, "name")                  # a 6-digit code is not a year
    with pytest.raises(YearError, match="无法确定统计年度"):
        resolve_year("学校数据.xlsx")
    with pytest.raises(YearError, match="文件名中有多个年份"):
        resolve_year("2022与2023对比.xlsx")
    with pytest.raises(YearError, match="多个年度"):
        resolve_year("x.xlsx", column=["2022", "2023"])
    with pytest.raises(ValueError, match="至少需要两个年度"):
        monitor([YearInput(2022, table(Y1))], QUALITY)
    with pytest.raises(ValueError, match="同一年度有多个文件"):
        monitor([YearInput(2022, table(Y1)), YearInput(2022, table(Y2))], QUALITY)


def test_the_documented_json_matches_a_real_payload(result):
    from pathlib import Path

    from junheng.report.console.monitor import monitor_payload
    from tests.test_docs import _shape_within

    text = (Path(__file__).parents[2] / "docs" / "json-contract.md").read_text(encoding="utf-8")
    doc = json.loads(text[text.index("## Monitor"):].split("```json\n", 1)[1].split("```", 1)[0])
    real = json.loads(json.dumps(monitor_payload(result)))
    _shape_within(doc, real)
    assert doc["settings"] == real["settings"]


# ------------------------------------------------------------------------------------------------
# The command
# ------------------------------------------------------------------------------------------------

def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "junheng.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "tables"
    d.mkdir()
    for y, rows in YEARS.items():
        write_school_table(table(rows), d / f"监测示例县{y}年.csv")
    return d


def test_cli_json(folder, tmp_path):
    out = tmp_path / "m.json"
    r = run("monitor", str(folder), "-r", "quality-2017", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(c))
    assert doc["years"] == [2022, 2023, 2024] and doc["rules"] == "quality-2017"
    assert doc["settings"] == {"margin": 0.1, "worse_years": 2, "big_class": 56, "huge_class": 66, "merge_share": 0.5}
    assert doc["sources"]["2023"] == "监测示例县2023年.csv"
    (c,) = doc["counties"]
    assert c["levels"]["primary"]["indicators"][TA]["series"][2]["cv"] == pytest.approx(math.sqrt(65) / 16, rel=1e-12)
    assert [r["kind"] for r in c["regressions"]] == ["county", "indicator_cv", "unit"]


def test_cli_year_option_and_column(folder, tmp_path):
    # a year column in the file beats its name; --year beats both
    src = folder / "监测示例县2024年.csv"
    text = src.read_text(encoding="utf-8-sig").splitlines()
    named = tmp_path / "第三年.csv"
    named.write_text("\n".join([text[0] + ",统计年度", *[line + ",2025" for line in text[1:]]]) + "\n", encoding="utf-8")
    src.unlink()
    r = run("monitor", str(folder / "监测示例县2022年.csv"), str(folder / "监测示例县2023年.csv"), str(named), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["years"] == [2022, 2023, 2025]
    r = run("monitor", str(folder), "--year", f"2030={named}", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["years"] == [2022, 2023, 2030]


def test_word_report_is_signed(result, tmp_path):
    """The 年度监测复查报告 ends with a 署名 above the date: the county's 教育局 by default, or
    ``--signer`` (a fresh reader found only the date)."""
    from docx import Document

    from junheng.outputs import MONITOR, MonitorOutput, infer_format

    for signer, want in ((None, "监测示例县教育局"), ("监测示例县人民政府", "监测示例县人民政府")):
        out = tmp_path / "m.docx"
        infer_format(None, out, MONITOR).write(MONITOR, MonitorOutput(result, out, [], [], None, signer))
        texts = [p.text.strip() for p in Document(str(out)).paragraphs if p.text.strip()]
        assert texts[-2] == want and texts[-1].endswith("日")


def test_cli_signer_option(folder, tmp_path):
    out = tmp_path / "m.html"
    r = run("monitor", str(folder), "-r", "quality-2017", "-o", str(out), "--signer", "监测示例县人民政府督导室")
    assert r.returncode == 0, r.stderr
    assert "监测示例县人民政府督导室" in out.read_text(encoding="utf-8")
    assert "--signer" in run("monitor", "--help").stdout


def test_cli_bad_file_in_the_set_writes_nothing(folder, tmp_path):
    bad = folder / "监测示例县2024年.csv"
    lines = bad.read_text(encoding="utf-8-sig").splitlines()
    head = lines[0].split(",")
    cells = lines[2].split(",")
    cells[head.index("小学在校生数(人)")] = "-5"
    bad.write_text("\n".join([lines[0], lines[1], ",".join(cells), *lines[3:]]) + "\n", encoding="utf-8")
    for fmt in ("json", "xlsx", "docx"):
        out = tmp_path / f"m.{fmt}"
        r = run("monitor", str(folder), "-r", "quality-2017", "-o", str(out))
        assert r.returncode == 1
        assert "监测示例县2024年.csv" in r.stderr and "第 3 行" in r.stderr and "小学在校生数" in r.stderr
        assert "未导入任何数据" in r.stderr and "Traceback" not in r.stderr
        assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".junheng-tmp")]


def test_cli_ambiguous_year_and_too_few_files(folder, tmp_path):
    (folder / "监测示例县2024年.csv").rename(folder / "学校数据.csv")
    r = run("monitor", str(folder), "-f", "json")
    assert r.returncode == 1 and "学校数据.csv" in r.stderr and "无法确定统计年度" in r.stderr and not r.stdout
    r = run("monitor", str(folder / "监测示例县2022年.csv"), "-f", "json")
    assert r.returncode == 2 and "至少需要两个年度" in r.stderr
    r = run("monitor", str(folder), "--year", "二〇二四=学校数据.csv")
    assert r.returncode == 2 and "年度=文件" in r.stderr


def test_cli_documents_and_excel(folder, tmp_path):
    for suffix in ("xlsx", "docx", "html"):
        out = tmp_path / f"监测复查.{suffix}"
        r = run("monitor", str(folder), "-r", "quality-2017", "-o", str(out))
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 1000
    html = (tmp_path / "监测复查.html").read_text(encoding="utf-8")
    assert "监测示例县义务教育均衡发展年度监测复查报告" in html and "疑似并入" in html and "data:image/png;base64," in html
    assert "乙小学（新校区）" in html and "红色预警" in html
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "监测复查.xlsx", read_only=True)
    assert wb.sheetnames == ["差异系数逐年", "学校变动", "单校达标", "退步", "预警", "班额校额", "大班额明细"]
    rows = list(wb["学校变动"].iter_rows(min_row=3, values_only=True))
    assert {(r[2], r[3]) for r in rows} == {("撤销或停办", "5299010001"), ("新增", "5299010004"), ("更名", "5299010002")}


def test_cli_class_list_from_the_county_workbook(tmp_path):
    # the sample county in two years; its county workbook's class list counts 2024's classes exactly
    from junheng.io.county_workbook import read_county_workbook
    from junheng.sample import SAMPLE_COUNTY_DATA, SAMPLE_XLSX, generate

    write_school_table(generate(), tmp_path / "示例县2023.xlsx")
    r = run("monitor", str(tmp_path / "示例县2023.xlsx"), str(SAMPLE_XLSX), "--year", f"2024={SAMPLE_XLSX}",
            "--county-data", str(SAMPLE_COUNTY_DATA), "-f", "json", "--big-class", "55")
    assert r.returncode == 0, r.stderr
    (c,) = json.loads(r.stdout)["counties"]
    sizes = read_county_workbook(SAMPLE_COUNTY_DATA).data.classes["size"].to_list()
    last = c["class_size"]["2024"]
    assert last["source"] == "class_list" and last["classes"] == len(sizes)
    assert (last["big"], last["huge"]) == (sum(55 <= x < 66 for x in sizes), sum(x >= 66 for x in sizes)) != (0, 0)
    assert c["class_size"]["2023"]["source"] == "average"
    # the screen table: capped 预警 list, the legend
    r = run("monitor", str(tmp_path / "示例县2023.xlsx"), str(SAMPLE_XLSX), "--year", f"2024={SAMPLE_XLSX}",
            "-r", "quality-2017")
    assert r.returncode == 0 and "另有" in r.stdout and "红色预警＝未达到标准" in r.stdout.replace("\n", "")


def test_every_warning_marked_in_a_series_is_listed():
    # three schools of 100 pupils, teaching area 15 ∓ d: CV d·√(2/3)/15 rises 0.109 → 0.218 → 0.327 (all
    # passing, below 0.45): the indicator and the composite (no threshold in quality-2017) are yellow
    def year(d):
        return table([school("529901000%d" % k, f"{k}小学", 100, 15 + (k - 2) * d, 2) for k in (1, 2, 3)])

    m = monitor([YearInput(2022, year(2)), YearInput(2023, year(4)), YearInput(2024, year(6))], QUALITY)
    (c,) = m.counties
    lv = c["levels"]["primary"]
    assert lv["composite"]["series"][-1]["warning"] == "yellow"
    assert lv["indicators"][TA]["series"][-1]["warning"] == "yellow"
    marked = {("composite", None)} | {("indicator_cv", k) for k, v in lv["indicators"].items()
                                      if v["series"][-1]["warning"]}
    got = {(w["kind"], w["indicator"]) for w in c["warnings"]}
    assert got == marked == {("composite", None), ("indicator_cv", TA)}
    assert all(w["severity"] == "yellow" for w in c["warnings"])


def test_xlsx_series_sheet_formats_and_layout(result, tmp_path):
    from openpyxl import load_workbook

    from junheng.report.xlsx.book import wrapped_height
    from junheng.report.xlsx.monitor import write_monitor_xlsx

    ws = load_workbook(write_monitor_xlsx(result, tmp_path / "m.xlsx"))["差异系数逐年"]
    rows = list(ws.iter_rows(min_row=3))
    ta = next(r for r in rows if r[2].value == QUALITY.indicator(TA).name)
    red = ta[5]                                          # 2024: 0.504 > 0.50, failing
    assert red.value == pytest.approx(math.sqrt(65) / 16) and red.number_format == "0.000" and red.font.b
    assert ta[3].number_format == "0.000"
    assert ws.row_dimensions[1].height == 30             # the title has a row of its own height
    assert ws.row_dimensions[2].height > 15              # wrapped heads (“2022年差异系数” in 11 units)
    assert ws.print_title_rows == "$2:$2"
    # a name longer than its 30-unit column wraps onto a higher row
    longest = max(rows, key=lambda r: len(r[2].value))
    assert ws.row_dimensions[longest[0].row].height == wrapped_height([(longest[2].value, 30)]) > 15
    assert longest[2].alignment.wrap_text


def test_a_county_missing_from_a_year_is_one_warning_not_closures(tmp_path):
    # a second county (529902) in 2022 and 2024 only: its 2 schools are not closed in 2023 nor new in 2024
    def other(sid):
        return dict(school(sid, "乙县小学", 100, 15, 2), county_code="529902", county="另一县")

    two = [other("5299020001"), other("5299020002")]
    m = monitor([YearInput(2022, table(Y1 + two), "a2022.xlsx"), YearInput(2023, table(Y2), "a2023.xlsx"),
                 YearInput(2024, table(Y3 + two), "a2024.xlsx")], QUALITY)
    first, second = m.counties
    assert second["county_code"] == "529902" and second["missing_years"] == [2023]
    assert all(not rows for ch in second["schools"].values() for rows in ch.values())
    assert first["missing_years"] == [] and [r["school_id"] for r in first["schools"]["2023"]["closed"]] == ["5299010001"]
    from junheng.report.narrative.monitor import missing_text

    assert missing_text(first, m) == ""
    assert missing_text(second, m) == ("另一县：2023年的学校数据表（a2023.xlsx）中没有该县（区）的学校，该年度无法评估，"
                                       "学校变动不与该年度比较（不按撤销或新增计）；请补齐数据。")
    d = tmp_path / "t"
    d.mkdir()
    for y, rows in {2022: Y1 + two, 2023: Y2, 2024: Y3 + two}.items():
        write_school_table(table(rows), d / f"{y}年.csv")
    r = run("monitor", str(d), "-r", "quality-2017", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("中没有该县（区）的学校") == 1
    doc = json.loads(r.stdout)
    assert any("另一县：2023年" in w for w in doc["warnings"])


def test_year_column_errors_name_the_place_and_reject_fractions():
    where = dict(place="工作表“学校”，AS列", rows=[3, 4, 5])
    with pytest.raises(YearError) as e:
        resolve_year("a.xlsx", column=["2023", "二〇二三年", "2023"], **where)
    assert str(e.value).startswith("a.xlsx（工作表“学校”，AS列）：年度列第4行的“二〇二三年”不是年份")
    with pytest.raises(YearError) as e:
        resolve_year("a.xlsx", column=["2024", "2025", "2024"], **where)
    assert "a.xlsx（工作表“学校”，AS列）：年度列中有多个年度：2024（第3行起）、2025（第4行起）" in str(e.value)
    with pytest.raises(YearError) as e:
        resolve_year("a.xlsx", column=["2024.5"], place="AS列", rows=[7])
    assert "第7行的“2024.5”不是年份" in str(e.value)
    assert resolve_year("a.xlsx", column=["2024.0", "2024"]) == (2024, "column")


def test_cli_year_column_is_not_called_ignored(folder, tmp_path):
    src = folder / "监测示例县2024年.csv"
    text = src.read_text(encoding="utf-8-sig").splitlines()
    src.write_text("\n".join([text[0] + ",统计年度", *[line + ",2024" for line in text[1:]]]) + "\n", encoding="utf-8")
    r = run("monitor", str(folder), "-r", "quality-2017", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert "年度取自表中的年度列" in r.stderr and "统计年度" not in r.stderr.replace("年度取自", "")
    # a bad year names file, row and column
    src.write_text("\n".join([text[0] + ",统计年度", "\n".join(line + ",2024" for line in text[1:2]),
                              *[line + ",2024.5" for line in text[2:]]]) + "\n", encoding="utf-8")
    r = run("monitor", str(folder), "-r", "quality-2017", "-f", "json")
    assert r.returncode == 1
    letter = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(text[0].split(",")) % 26]
    assert f"监测示例县2024年.csv（{'A' * (len(text[0].split(',')) // 26)}{letter}列）：年度列第3行的“2024.5”不是年份" in r.stderr


def test_year_from_the_folder_when_the_file_name_has_none():
    assert resolve_year("hist/2023/学校数据.xlsx") == (2023, "folder")
    assert resolve_year("2022/学校数据2024.xlsx") == (2024, "name")
    with pytest.raises(YearError, match="文件夹名“2022-2023”中有多个年份"):
        resolve_year("2022-2023/学校数据.xlsx")


def test_cli_folder_skips_its_own_output_and_reads_sub_folders(folder, tmp_path):
    # 2023 moved to hist/2023/学校数据.csv (year from the folder); a report written into the folder
    (folder / "hist" / "2023").mkdir(parents=True)
    (folder / "监测示例县2023年.csv").rename(folder / "hist" / "2023" / "学校数据.csv")
    out = folder / "2024年监测复查.xlsx"
    r = run("monitor", str(folder), "-r", "quality-2017", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "2023 年：hist/2023/学校数据.csv（年度取自所在文件夹名）" in r.stderr
    out.rename(folder / "结果2024.xlsx")          # not named 监测复查: recognised by its sheets
    r = run("monitor", str(folder), "-r", "quality-2017", "-f", "json")
    assert r.returncode == 0, r.stderr
    assert "已跳过 结果2024.xlsx：这是 junheng 生成的监测复查结果" in r.stderr
    assert json.loads(r.stdout)["years"] == [2022, 2023, 2024]
    # a bad file in a sub-folder is named by its path relative to the folder
    (folder / "hist" / "2023" / "学校数据.csv").write_text("学校名称\n甲\n", encoding="utf-8")
    r = run("monitor", str(folder), "-r", "quality-2017", "-f", "json")
    assert r.returncode == 1 and "hist/2023/学校数据.csv" in r.stderr


def test_wording_of_the_report(result):
    from junheng.report.narrative.blocks import Para
    from junheng.report.narrative.monitor import change_text, monitor_blocks

    texts = [b.text for b in monitor_blocks(result, {}) if isinstance(b, Para)]
    assert texts[0].startswith("依据教督〔2017〕6号《县域义务教育优质均衡发展督导评估办法》，对监测示例县")
    assert change_text("renamed", {"school_id": "2152000002", "name": "乙", "old_name": "甲"}) == "原名甲，现名乙（2152000002）"
    assert any("更名1所：原名乙小学，现名乙小学（新校区）（5299010002）" in t for t in texts)
    assert any("比上一年退步3项。" in t for t in texts)            # 2024: county, TA CV, 乙 unit
    # nothing regressed: no “退步 0 项”
    calm = monitor([YearInput(2022, table(Y1)), YearInput(2023, table(Y2))], QUALITY)
    first = next(t for t in (b.text for b in monitor_blocks(calm, {}) if isinstance(b, Para)) if "红色预警" in t)
    assert first.endswith("黄色预警0项。") and "退步" not in first


def test_class_bands_and_output_suffix_messages(folder, tmp_path):
    with pytest.raises(ValueError, match=r"大班额人数（70）应为正数，且小于超大班额人数（60）"):
        MonitorSettings(big_class=70, huge_class=60)
    with pytest.raises(ValueError, match="小于"):
        MonitorSettings(big_class=60, huge_class=60)
    r = run("monitor", str(folder), "-o", str(tmp_path / "m.pdf"))
    assert r.returncode == 2
    assert "可写入的文件格式：.json .xlsx .docx .html .txt（屏幕表格）" in r.stderr
    r = run("monitor", "--help")
    assert "monitor [选项] 文件或文件夹…" in r.stdout and " files " not in r.stdout


def test_word_report_has_the_years_and_keeps_the_date_with_the_text(result, tmp_path):
    from docx import Document

    from junheng.outputs import MONITOR, MonitorOutput, infer_format

    out = tmp_path / "m.docx"
    infer_format(None, out, MONITOR).write(MONITOR, MonitorOutput(result, out, [], [], None))
    paras = Document(str(out)).paragraphs
    assert any(p.text == "（2022—2024年）" and p.style.name == "Subtitle" for p in paras)
    texts = [p.text.strip() for p in paras]
    last = max(k for k, t in enumerate(texts) if t)          # the date
    before = max(k for k, t in enumerate(texts[:last]) if t)  # the text above it
    assert all(paras[k].paragraph_format.keep_with_next for k in range(before, last))
