"""The special provisions (docs/rules.md §2) in every output: which school, counted or not, by how much.

A two-school county under quality-2017: a 60-pupil village school with no PE/art teacher of its own
and one 走教 teacher (counted: 0 → 100/60 = 1.667 per 100 pupils, meets 0.9 only thanks to it), and
a 120-pupil school reporting two (outside the 50–99 band: not counted)."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
from rich.console import Console

from junheng.core import assess
from junheng.report.narrative.blocks import Para, Table
from junheng.report.console.assessment import print_assessment
from junheng.report.narrative.report import report_blocks
from junheng.report.payload import assessment_payload
from junheng.report.narrative.provisions import provision_rows
from junheng.report.xlsx import write_assessment_xlsx
from junheng.rules import load_rules
from tests.core.helpers import school, table


def _small(sid, n, **extra):
    return school(sid, 211, students_P=n, teachers_P=0.1 * n, qualified_teachers_P=0.0504 * n,
                  backbone_teachers_P=0.012 * n, teaching_area_m2=5.4 * n, sports_ground_m2=9 * n,
                  equipment_value_yuan=2400 * n, multimedia_rooms=0.0276 * n, urban_rural_code="220", **extra)


@pytest.fixture(scope="module")
def a():
    rows = [_small("2152990060", 60, name="青山村小学", visiting_pe_art_teachers_P=1),
            _small("2152990120", 120, name="石门村小学", visiting_pe_art_teachers_P=2)]
    return assess(table(rows), load_rules("quality-2017"))


def test_display_rows(a):
    rows = provision_rows(a, a.counties[0].county_key)
    assert [r["cells"] for r in rows] == [
        ["青山村小学", "小学", "60", "走教等体艺教师", "1人", "1人", "0.000", "1.667",
         "已计入：乡村学校，规模60人；计入后达到每百名学生0.9人的标准"],
        ["石门村小学", "小学", "120", "走教等体艺教师", "2人", "0人", "0.000", "0.000",
         "未计入：规模120人，不在50至99人之间"],
    ]


def test_json(a):
    doc = json.loads(json.dumps(assessment_payload(a)))
    c = doc["counties"][0]
    u60 = next(u for u in c["units"] if u["school_id"] == "2152990060")
    assert u60["provisions"]["visiting_pe_art_teachers"]["status"] == "counted"
    assert u60["provisions"]["visiting_pe_art_teachers"]["delta"] == pytest.approx(100 / 60)
    assert [(p["school_id"], p["status"], p["added"], p["decisive"]) for p in c["provisions_used"]] == [
        ("2152990060", "counted", 1.0, True), ("2152990120", "size_out_of_band", 0.0, False)]
    assert doc["provisions"]["visiting_pe_art_teachers"]["min_students"] == 50
    assert doc["provisions"]["extra_sports_area"]["enabled"] is True


def test_console(a):
    out = io.StringIO()
    print_assessment(a, Console(file=out, width=200, color_system=None))
    text = out.getvalue()
    assert "特殊规定的使用" in text and "计入后达到每百名学生0.9人的标准" in text and "未计入：规模120人" in text


def test_excel(a, tmp_path):
    ws = openpyxl.load_workbook(write_assessment_xlsx(a, tmp_path / "a.xlsx"))["特殊规定"]
    title, basis, sign, *rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert title[0] == "示例县特殊规定使用情况"  # the same sheet as the official workbook's
    assert basis[0].startswith("依据：") and sign[0].startswith("填报单位（盖章）：示例县教育局")
    assert rows[0][:4] == ["学校标识码", "学校名称", "学段", "在校生"]
    assert rows[1][:8] == ["2152990060", "青山村小学", "小学", 60, "走教等体艺教师", 1, 1, "人"]
    assert rows[1][9] == 0 and rows[1][10] == pytest.approx(100 / 60) and rows[1][11] == pytest.approx(100 / 60)
    assert rows[1][12] == "已计入：乡村学校，规模60人；计入后达到每百名学生0.9人的标准"
    assert rows[2][5:7] == [2, 0] and rows[2][12] == "未计入：规模120人，不在50至99人之间"
    assert len(rows) == 3


def test_word_and_html_blocks(a):
    blocks = report_blocks(a, a.counties[0], {})
    [t] = [b for b in blocks if isinstance(b, Table) and "特殊规定" in b.caption]
    assert t.header == ["学校名称", "在校生", "填报", "计入", "计入前", "计入后", "说明"]
    assert t.rows[0] == ["青山村小学", "60", "1人", "1人", "0.000", "1.667", "已计入：乡村学校，规模60人；计入后达到每百名学生0.9人的标准"]
    assert t.marks[0][5] == "good" and t.marks[1][5] is None
    [p] = [b for b in blocks if isinstance(b, Para) and "特殊规定" in b.text]
    assert "1个单位计入1人，其中1个单位计入后达到" in p.text and "另有1个单位填报了数据但不符合条件" in p.text


def test_nothing_shown_without_provision_data():
    rows = [_small("2152990060", 60)]
    a = assess(table(rows), load_rules("quality-2017"))
    assert provision_rows(a, a.counties[0].county_key) == []
    assert not [b for b in report_blocks(a, a.counties[0], {}) if isinstance(b, Table) and "特殊规定" in b.caption]
