"""The core's findings and their one wording (report/narrative/findings.py, issue 13 item 5)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from junheng.core import county_checks as cc
from junheng.core.findings import Finding, finding
from junheng.report.narrative.findings import SAY, failure_line, say, say_lines

CORE = Path(cc.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Core modules whose results the county checks carry: no sentence may be built in them.
WORDLESS = ("assess.py", "county_checks.py", "county_verdict.py", "funding.py", "findings.py", "result.py")


def _codes_in_core() -> set[str]:
    codes = set()
    for path in CORE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "finding" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant):
                    codes.add(arg.value)
                elif isinstance(arg, ast.IfExp):          # finding("a" if … else "b")
                    codes |= {arg.body.value, arg.orelse.value}
    return codes


def test_every_core_code_has_one_wording_and_every_wording_a_code():
    codes = _codes_in_core()
    assert len(codes) > 60
    assert codes - set(SAY) == set()
    assert set(SAY) - codes == set()


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


@pytest.mark.parametrize("name", WORDLESS)
def test_no_sentence_is_built_in_the_core(name):
    """No f-string and no string in a function body holds Chinese: names of parts, checks and
    levels live in module-level tables (labels), sentences in report/narrative/findings.py."""
    tree = ast.parse((CORE / name).read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    bad = []
    for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        for node in ast.walk(fn):
            if isinstance(node, ast.JoinedStr) and CJK.search(ast.unparse(node)):
                bad.append((node.lineno, ast.unparse(node)))
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and CJK.search(node.value)
                  and id(node) not in docs):
                bad.append((node.lineno, node.value))
    assert [b for b in bad if not _is_group_key(b[1])] == []


def _is_group_key(text: str) -> bool:
    """``GROUPS["三个增长"]``: the official group names are the keys of funding.GROUPS."""
    return text in ("三个增长", "两个只增不减", "生均公用经费基准定额")


def test_hand_worded_lines():
    over = finding("class_size.over", school_id="2152000001", name="第一小学", level="primary", class_name="一年级(2)班",
                   size=48, limit=45)
    assert say(over) == "第一小学（2152000001） 小学 一年级(2)班 48 人 > 45"
    assert say(finding("rates.off", input="junior_retention_rate", value=94.456, threshold=95, at_most=False)) == \
        "初中三年巩固率 94.46% 未达到 ≥ 95%"
    assert say(finding("finance.too_few_years", years=[2019])) == "经费表只有 1 个年度（2019年），无法计算增长：至少需要连续 2 个年度"
    assert say(finding("finance.too_few_years", years=[])) == "经费表没有任何年度，无法计算增长：至少需要连续 2 个年度"
    assert say("已是文字") == "已是文字" and say(None) == ""


def test_missing_schools_note_is_attached_to_the_detail():
    note = finding("sheet.missing_schools", sheet="schools", what="rooms",
                   schools=[{"school_id": str(k), "name": None} for k in range(12)])
    detail = Finding("music_art.counted", {"schools": 3, "classes_per_room": 12, "short": 0, "note": note})
    text = say(detail)
    assert text.startswith("3 所学校，每 12 个班至少各 1 间音乐、美术专用教室；不足 0 所；县级数据表“学校”工作表中没有 12 个")
    assert text.endswith("0、1、2、3、4、5、6、7、8、9等")        # ten named, then 等


def test_failure_list_capped_for_display_only():
    rows = [finding("school_size.over", school_id=str(k), name=None, students=2001 + k, limit=2000) for k in range(53)]
    lines = say_lines(rows)
    assert len(lines) == 51 and lines[-1] == "……另有 3 项未列出" and lines[0] == "0 义务教育阶段在校生 2001 人 > 2000"
    assert len(say_lines(rows[:50])) == 50


def test_school_size_keeps_every_failure():
    import polars as pl
    df = pl.DataFrame([{"school_id": str(k), "name": None, "category": "primary", "students_P": 2001.0,
                        "students_J": 0.0} for k in range(60)])
    out = cc.school_size(df, {"single": 2000, "combined": 2500})
    assert len(out.failures) == 60 and out.detail.args["over"] == 60          # the core never truncates


def test_failure_line_tags_vetoes():
    from junheng.core.county_result import Failure
    f = Failure("veto", "一票否决", "V3", "设置重点学校", finding("failure.reason", lines=(finding("veto.present"),),
                                                                      more=False, detail=None, informational=False,
                                                                      score=None, points=None), veto=True)
    assert failure_line(f) == "【一票否决】一票否决 V3 设置重点学校：存在该情形"


def test_one_workbook_constructor():
    """issue 13 (house-keeping): every workbook of junheng is made by report/safe_xlsx.new_workbook."""
    src = CORE.parent
    makers = [p.relative_to(src).as_posix() for p in src.rglob("*.py")
              if "xlsxwriter.Workbook(" in p.read_text(encoding="utf-8")]
    assert makers == []                                  # SafeWorkbook subclasses it; nobody calls it
    users = sorted(p.relative_to(src).as_posix() for p in src.rglob("*.py")
                   if "def new_workbook" in p.read_text(encoding="utf-8"))
    assert users == ["report/safe_xlsx.py"]


def test_streaming_workbook_keeps_text_as_text(tmp_path):
    import openpyxl

    from junheng.report.safe_xlsx import new_workbook
    wb = new_workbook(tmp_path / "x.xlsx", constant_memory=True)
    assert wb.constant_memory and not wb.strings_to_formulas and not wb.strings_to_urls
    ws = wb.add_worksheet("s")
    ws.write(0, 0, "=1+1")
    wb.close()
    assert openpyxl.load_workbook(tmp_path / "x.xlsx")["s"]["A1"].value == "=1+1"


def test_documents_say_every_sample_item_without_signs_or_formulas(checks):
    """The document register (narrative/items.py OFFICIAL) words the findings themselves: no
    comparison sign, no formula, no digit spacing in any 情况 cell or problem of the sample county."""
    from junheng.report.narrative.items import problem, situation

    signs = re.compile(r"[≥≤÷=]| [<>] |\d [\u4e00-\u9fff]|[\u4e00-\u9fff] \d")
    for p in checks.parts.values():
        for i in p.items:
            for text in (situation(i), problem(i) if i.passed is False else ""):
                assert not signs.search(text), (i.id, text)


def test_none_failing_is_said_as_such():
    from junheng.report.narrative.items import official
    ss = finding("school_standard.summary", primary=3, junior=2.5, unit="㎡", below=0)
    assert say(ss) == "小学 ≥ 3、初中 ≥ 2.5㎡；所有单位均已达到"
    assert official(ss) == "省定标准为小学不低于3㎡、初中不低于2.5㎡，所有单位均已达到"
    assert official(Finding(ss.code, ss.args | {"below": 2})) == "省定标准为小学不低于3㎡、初中不低于2.5㎡，2个单位未达到"
    units = finding("units.summary", units=105, indicators=7, min_met=6, floor_ratio=0.85, failed=0)
    assert say(units) == "105 个单位均达到“7项中至少6项达标、其余不低于85%”"
    assert official(units) == "105个单位均达到“7项中至少6项达标、其余不低于标准的85%”的要求"
    off = finding("rates.off", input="dropout_junior_rate", value=1.805, threshold=1.8, at_most=True)
    assert official(off) == "初中辍学率1.81%，高于1.8%的标准"       # 2 decimals half-up (1.805 → 1.81)


def test_exclusion_reasons_are_codes_worded_once():
    """core.units gives codes (and the 隶属关系 / parent a code names); the JSON, Excel and documents
    read the same words from narrative/findings.reason_text."""
    import polars as pl

    from junheng.core.units import REASON_CODES
    from junheng.report.narrative.findings import REASONS, worded_excluded
    from junheng.rules import load_rules
    ex = pl.DataFrame({"reason": list(REASON_CODES),
                       "reason_detail": [None] * 5 + ["市属"] + [None] * 3 + ["2152000008", None]})
    words = worded_excluded(ex, load_rules("quality-2017"))["reason"].to_list()
    assert words == ["未知办学类型", "特殊教育学校", "职业学校", "高级中学（非义务教育学校）", "民办学校", "市属学校（非县属）",
                     "小学教学点，不纳入计算", "不足50人的小学教学点", "无义务教育阶段在校生",
                     "小学教学点，已并入上级学校 2152000008 计算", "小学教学点，上级学校 （未填） 不在参评范围内，无法并入"]
    assert set(REASONS) < set(REASON_CODES)
