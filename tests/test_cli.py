"""The command line per docs/json-contract.md: exit codes, JSON shape, xlsx output, Chinese errors."""
import json
import subprocess
import sys

import openpyxl
import pytest

HEAD = "学校标识码,学校名称,县(区)代码,县(区),办学类型,小学在校生数,小学班数,小学专任教师数,小学高于规定学历专任教师数,小学中级及以上职称专任教师数,小学县级及以上骨干教师数,小学体育艺术专任教师数,初中在校生数,初中班数,初中专任教师数,初中高于规定学历专任教师数,初中中级及以上职称专任教师数,初中县级及以上骨干教师数,初中体育艺术专任教师数,教学及辅助用房面积(㎡),运动场地面积(㎡),教学仪器设备资产值(万元),教学用计算机(台),图书(册),网络多媒体教室(间)"
ROWS = [
    "2152990001,城关一小,529901,示例县,211,45,2,3,3,2,1,1,,,,,,,,300,500,10,10,279,2",
    "2152990002,城关二小,529901,示例县,211,37,2,2,2,1,0,1,,,,,,,,200,400,9,8,137,1",
    "2152990003,河西小学,529901,示例县,211,89,3,5,5,3,1,1,,,,,,,,500,900,20,20,935,3",
    "2152990004,河东小学,529901,示例县,211,76,3,4,4,2,1,1,,,,,,,,400,800,15,15,160,2",
    "2152990005,北山小学,529901,示例县,211,55,2,3,3,2,0,0,,,,,,,,300,600,10,10,402,1",
    "3152990006,示例县第一中学,529901,示例县,311,,,,,,,,300,6,25,24,12,4,3,2400,4000,80,40,9000,8",
    "2152990007,南沟教学点,529901,示例县,218,12,1,1,1,0,0,0,,,,,,,,60,200,1,2,100,0",
]


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "junheng.cli", *args], capture_output=True, text=True, input=stdin)


@pytest.fixture
def county_csv(tmp_path):
    p = tmp_path / "county.csv"
    p.write_text("\n".join([HEAD, *ROWS]) + "\n", encoding="utf-8")
    return p


def test_json_contract(county_csv):
    r = run("assess", str(county_csv), "--format", "json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["rules"] == "basic-2012"
    (c,) = doc["counties"]
    assert c["county_code"] == "529901" and c["county"] == "示例县" and isinstance(c["passed"], bool)
    p = c["levels"]["primary"]
    assert p["units"] == 5 and p["students"] == 302
    books = p["indicators"]["books_per_student"]
    assert round(books["cv"], 6) == 0.515257  # worked example of docs/rules.md §5.1, full precision in JSON
    assert books["threshold"] is None and books["passed"] is None
    assert p["composite_threshold"] == 0.65 and isinstance(p["composite_cv"], float)
    assert set(p["indicators"]) == {
        "teaching_area_per_student", "sports_area_per_student", "equipment_per_student", "computers_per_100",
        "books_per_student", "teachers_per_student", "qualified_teachers_per_student", "senior_title_teachers_per_student"}
    units = {(u["school_id"], u["level"]): u for u in c["units"]}
    assert units[("2152990001", "primary")]["share"] == 1.0
    assert units[("2152990001", "primary")]["meets"] is None and units[("2152990001", "primary")]["passed"] is None
    assert units[("2152990001", "primary")]["indicators"]["equipment_per_student"] == pytest.approx(100000 / 45)
    assert [e["school_id"] for e in c["excluded"]] == ["2152990007"]
    assert "教学点" in c["excluded"][0]["reason"]


def test_json_quality_has_per_indicator_thresholds_and_unit_verdicts(county_csv, tmp_path):
    out = tmp_path / "r.json"
    r = run("assess", str(county_csv), "--rules", "quality-2017", "--format", "json", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    c = doc["counties"][0]
    j = c["levels"]["junior"]
    assert j["composite_threshold"] is None
    assert all(s["threshold"] == 0.45 for s in j["indicators"].values())
    u = next(u for u in c["units"] if u["school_id"] == "3152990006")
    assert u["meets"]["qualified_teachers_per_100"] is True  # 24/300×100 = 8 ≥ 5.3
    assert u["meets"]["multimedia_rooms_per_100"] is True  # 8/300×100 = 2.67 ≥ 2.4
    assert isinstance(u["passed"], bool)
    assert c["passed"] is False or all(x["passed"] for x in c["units"])


def test_table_output_in_chinese(county_csv):
    r = run("assess", str(county_csv))
    assert r.returncode == 0, r.stderr
    assert "综合差异系数" in r.stdout and "0.515" in r.stdout and "示例县" in r.stdout


def test_xlsx_output_has_real_numbers(county_csv, tmp_path):
    out = tmp_path / "结果.xlsx"
    r = run("assess", str(county_csv), "-f", "xlsx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    levels = [f"一校一表（{lv}）" for lv in ("小学", "初中")]
    assert wb.sheetnames == ["评估结论", "校际差异系数表", "计算过程", *levels, "未参评学校", "薄弱学校", "补足资源测算"]
    assert wb["评估结论"]["A6"].value == "数据文件" and wb["评估结论"]["B6"].value == "county.csv"
    rows = list(wb["校际差异系数表"].iter_rows(values_only=True))
    assert rows[3][2].startswith("小学")
    books = next(r for r in rows if r[1] == "生均图书册数（册）")
    assert isinstance(books[4], float) and round(books[4], 6) == 0.515257  # 小学: 全县平均值, 标准差, 差异系数
    assert wb["未参评学校"]["C4"].value == "南沟教学点"


def test_invalid_input_exit_1_with_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    rows = list(ROWS)
    rows[1] = rows[1].replace(",37,", ",-37,")
    bad.write_text("\n".join([HEAD, *rows]) + "\n", encoding="utf-8")
    r = run("assess", str(bad), "-f", "json")
    assert r.returncode == 1
    assert r.stdout == ""
    assert "第 3 行" in r.stderr and "小学在校生数" in r.stderr and "bad.csv" in r.stderr


def test_missing_file_is_exit_1_in_chinese(tmp_path):
    r = run("assess", str(tmp_path / "nope.xlsx"))
    assert r.returncode == 1
    assert "Traceback" not in r.stderr and "nope.xlsx" in r.stderr


def test_usage_errors_exit_2(county_csv):
    assert run("assess", str(county_csv), "--rules", "basic-1999").returncode == 2
    r = run("assess", str(county_csv), "--province", "99")
    assert r.returncode == 2 and "省份覆盖文件" in r.stderr
    assert run("assess").returncode == 2


def test_a_column_the_rule_pack_needs_is_refused(tmp_path):
    head = HEAD.replace(",图书(册)", "")
    rows = [",".join(r.split(",")[:-2] + r.split(",")[-1:]) for r in ROWS]
    p = tmp_path / "nobooks.csv"
    p.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    r = run("assess", str(p), "-f", "json")
    assert r.returncode == 1 and r.stdout == ""
    assert "图书" in r.stderr and "basic-2012" in r.stderr
    assert "将按 0 计算" not in r.stderr  # the rule-aware error replaces the importer's generic warning
    # quality-2017 does not use books
    assert run("assess", str(p), "--rules", "quality-2017", "-f", "json").returncode == 0


def test_format_follows_the_output_extension_and_table_goes_to_a_file(county_csv, tmp_path):
    j = tmp_path / "r.json"
    assert run("assess", str(county_csv), "-o", str(j)).returncode == 0
    assert json.loads(j.read_text(encoding="utf-8"))["rules"] == "basic-2012"
    t = tmp_path / "r.txt"
    r = run("assess", str(county_csv), "-o", str(t), "--year", "2025")
    assert r.returncode == 0 and r.stdout == ""
    text = t.read_text(encoding="utf-8")
    assert "综合差异系数" in text and "2025 年统计数据" in text
    assert run("assess", str(county_csv), "-f", "xlsx", "-o", str(tmp_path / "r.json")).returncode == 2
    assert run("assess", str(county_csv), "-f", "json", "-o", str(tmp_path / "r.xlsx")).returncode == 2


def test_unwritable_output_is_a_chinese_usage_error(county_csv, tmp_path):
    r = run("assess", str(county_csv), "-f", "json", "-o", str(tmp_path))  # a folder
    assert r.returncode == 2 and "文件夹" in r.stderr and "Traceback" not in r.stderr
    r = run("assess", str(county_csv), "-f", "json", "-o", str(county_csv / "x.json"))  # a file used as a folder
    assert r.returncode == 2 and "无法写入" in r.stderr


def test_sample_command_checks_its_arguments(tmp_path):
    r = run("sample", "-o", str(tmp_path / "x.csv"), "--schools", "2", "--counties", "3")
    assert r.returncode == 2 and "不能少于县区数" in r.stderr
    out = tmp_path / "s.csv"
    r = run("sample", "-o", str(out), "--schools", "40", "--counties", "2", "--seed", "3")
    assert r.returncode == 0 and out.stat().st_mode & 0o044  # readable by others, not 0600
    doc = json.loads(run("assess", str(out), "-f", "json").stdout)
    assert len(doc["counties"]) == 2


def test_county_data_adds_the_county_checks_and_the_full_verdict(tmp_path):
    from junheng.sample import SAMPLE_COUNTY_DATA, SAMPLE_XLSX

    r = run("assess", str(SAMPLE_XLSX), "--rules", "quality-2017", "--county-data", str(SAMPLE_COUNTY_DATA), "-f", "json")
    assert r.returncode == 0, r.stderr
    (c,) = json.loads(r.stdout)["counties"]
    checks = c["county_checks"]
    assert checks["rules"] == "quality-2017"
    assert {"resource", "guarantee", "quality", "recognition", "veto"} <= set(checks["parts"])
    assert c["passed"] is checks["passed"] is False and c["resource_passed"] is False
    failing = {(f["part"], f["id"]) for f in checks["failures"]}
    assert ("guarantee", "G5") in failing  # classes over 45 / 50 in the sample county
    t = run("demo", "--full", "--rules", "quality-2017")
    assert t.returncode == 0 and "政府保障程度" in t.stdout
    assert "评估结论（含县级指标" in t.stdout and "其中资源配置（学校层面）" in t.stdout


def test_invalid_county_workbook_is_exit_1(tmp_path, county_csv):
    bad = tmp_path / "county.xlsx"
    bad.write_bytes(b"")
    r = run("assess", str(county_csv), "--county-data", str(bad))
    assert r.returncode == 1 and "county.xlsx" in r.stderr and "Traceback" not in r.stderr


def test_report_command_writes_the_three_files_per_county(county_csv, tmp_path):
    out = tmp_path / "报告"
    r = run("report", str(county_csv), "-o", str(out), "--formats", "xlsx,html", "--signer", "示例县教育局")
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["529901示例县_basic-2012_差异系数表.xlsx", "529901示例县_basic-2012_自评报告.html",
                     "529901示例县_basic-2012_说明.txt"]
    html = (out / names[1]).read_text(encoding="utf-8")
    assert '<p class="sign first">示例县教育局</p>' in html  # the 落款 set on the command line
    fields = [ln for ln in (out / names[2]).read_text(encoding="utf-8").splitlines() if "【请填写：" in ln]
    assert fields and all(f.strip() in r.stderr for f in fields)  # the CLI lists the fields to fill in
    wb = openpyxl.load_workbook(out / names[0])
    assert any(isinstance(c, float) and round(c, 6) == 0.515257 for row in wb.worksheets[0].iter_rows(values_only=True) for c in row)
    bad = run("report", str(county_csv), "-o", str(out), "--template", str(county_csv))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_usage_errors_are_in_chinese():
    r = run("assess", "x.xlsx", "--foo")
    assert r.returncode == 2 and "没有这个选项：--foo" in r.stderr and "--help" in r.stderr
    r = run("assess")
    assert r.returncode == 2 and "缺少要处理的文件" in r.stderr
    r = run("assess", "x.xlsx", "--rules", "basic-1999")
    assert r.returncode == 2 and "--rules" in r.stderr and "quality-2017" in r.stderr
    assert "Traceback" not in r.stderr


def test_table_output_only_to_text_files(county_csv, tmp_path):
    r = run("assess", str(county_csv), "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and ".txt" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_report_with_county_data_has_the_county_sections(tmp_path):
    import docx

    from junheng.sample import SAMPLE_COUNTY_DATA, SAMPLE_XLSX

    out = tmp_path / "rep"
    r = run("report", str(SAMPLE_XLSX), "-r", "quality-2017", "--county-data", str(SAMPLE_COUNTY_DATA), "-o", str(out),
            "--formats", "docx,xlsx")
    assert r.returncode == 0, r.stderr
    doc = docx.Document(next(out.glob("*.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "政府保障程度" in text and "社会认可度" in text and "经费保障" in text
    wb = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    assert "县级指标" in wb.sheetnames and "经费增长" in wb.sheetnames


def test_blank_county_template_reads_back_as_an_empty_workbook(tmp_path):
    out = tmp_path / "县级数据模板.xlsx"
    r = run("template", "county", "-o", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    assert {"说明", "经费", "班级", "学校", "指标", "定性", "满意度"} <= set(wb.sheetnames)
    again = run("template", "county", "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr


def test_bureau_is_the_sign_line_of_both_workbooks(county_csv, tmp_path):
    """--bureau sets 填报单位 on every sheet of assess -o and report; by default the county's 教育局."""
    r = run("assess", str(county_csv), "-o", str(tmp_path / "a.xlsx"), "--bureau", "示例县教育体育局")
    assert r.returncode == 0, r.stderr
    r = run("report", str(county_csv), "-o", str(tmp_path / "rep"), "--formats", "xlsx", "--bureau", "示例县教育体育局")
    assert r.returncode == 0, r.stderr
    r = run("report", str(county_csv), "-o", str(tmp_path / "default"), "--formats", "xlsx")
    assert r.returncode == 0, r.stderr
    for path, unit in ((tmp_path / "a.xlsx", "示例县教育体育局"), (next((tmp_path / "rep").glob("*.xlsx")), "示例县教育体育局"),
                       (next((tmp_path / "default").glob("*.xlsx")), "示例县教育局")):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            lines = [c.value for row in ws.iter_rows(max_row=8) for c in row if str(c.value).startswith("填报单位")]
            assert lines and lines[0].startswith(f"填报单位（盖章）：{unit}　"), (path.name, ws.title, lines)


def test_json_warnings_have_no_level_tag(tmp_path):
    """docs/json-contract.md: ``warnings`` holds the text (where and what), without “[警告]”;
    the screen keeps the tag."""
    p = tmp_path / "typo.csv"
    p.write_text("\n".join([HEAD + ",备注栏", *(r + ",x" for r in ROWS)]) + "\n", encoding="utf-8")
    r = run("assess", str(p), "--format", "json")
    assert r.returncode == 0, r.stderr
    warnings = json.loads(r.stdout)["warnings"]
    assert warnings and all(not w.startswith("[") for w in warnings)
    assert any("备注栏" in w and w.startswith("文件 typo.csv") for w in warnings)
    assert "[警告]" in r.stderr and "备注栏" in r.stderr


def test_demo_xlsx_names_are_predictable(tmp_path):
    """docs/json-contract.md: ``-o x.xlsx`` with both packs writes x_<pack>.xlsx and says so."""
    from pathlib import Path

    from junheng.outputs import xlsx_targets
    r = subprocess.run([sys.executable, "-m", "junheng.cli", "demo", "-o", "x.xlsx"], capture_output=True, text=True,
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x_basic-2012.xlsx", "x_quality-2017.xlsx"]
    assert "x_basic-2012.xlsx、x_quality-2017.xlsx" in r.stderr.replace("\n", "")
    assert xlsx_targets(Path("d/x.xlsx"), Path("t.csv"), ["basic-2012"]) == [Path("d/x.xlsx")]
    assert xlsx_targets(None, Path("in/t.csv"), ["quality-2017"]) == [Path("t_评估结果_quality-2017.xlsx")]


RULES_DEFAULTS = {"assess": "basic-2012", "report": "basic-2012", "monitor": "basic-2012", "equity": "basic-2012",
                  "whatif": "quality-2017", "pair": "quality-2017", "plan": "quality-2017"}


@pytest.mark.parametrize("command", sorted(RULES_DEFAULTS))
def test_every_help_states_the_commands_own_rules_default(command):
    """The default --rules differs between commands (CLI contract, unchanged): each help states it
    in words, whole (never split over lines at 80 columns), and it is the one the command uses."""
    import re

    import typer.main
    from typer.testing import CliRunner

    from junheng.cli import app

    param = next(p for p in typer.main.get_command(app).commands[command].params if p.name == "rules")
    default = getattr(param.default, "value", param.default)
    assert default == RULES_DEFAULTS[command]
    r = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "80"}, terminal_width=80)
    assert r.exit_code == 0
    lines = r.output.splitlines()
    start = next(i for i, x in enumerate(lines) if "--rules" in x)
    block = [x.split("│")[-2].replace("basic-2012|quality-2017", "") for x in lines[start:start + 6] if x.count("│") >= 2]
    flat = re.sub(r"\s+", "", "".join(block))       # the help column, wrapping undone
    assert f"本命令默认{default}" in flat, flat
    other = ({"basic-2012", "quality-2017"} - {default}).pop()
    assert f"另可选{other}" in flat
    assert any(default in x for x in block) and any(other in x for x in block)   # never split over lines
