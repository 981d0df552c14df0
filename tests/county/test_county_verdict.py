"""The full county verdict: qualitative checklist, every failing item named, the basic-2012
score sheet, payload and screen."""
from __future__ import annotations

import json

import polars as pl
import pytest
from rich.console import Console

from junheng.core import assess
from junheng.core.county_data import Answer, CountyData
from junheng.core.county_verdict import evaluate_county
from junheng.report.console.county import county_checks_payload, county_checks_view
from junheng.rules import load_rules
from junheng.report.narrative.findings import failure_line, say
from tests.core.helpers import full, school, table

Q = load_rules("quality-2017")
B = load_rules("basic-2012")
B52 = load_rules("basic-2012", "52")

# Two identical primaries and two identical juniors, rich enough to meet every quality-2017
# threshold and the example provincial standard (20 books a pupil: junior minimum 20, equality
# passes): CVs are 0 and every unit passes.
SCHOOLS = table([
    school("2152000001", 211, **full(400, 2.0, "P", classes_P=10)),
    school("2152000002", 211, **full(400, 2.0, "P", classes_P=10)),
    school("3152000003", 311, **full(500, 2.0, "J", classes_J=10)),
    school("3152000004", 311, **full(500, 2.0, "J", classes_J=10)),
])


def good_data(rules, **changes) -> CountyData:
    """County data meeting every item of ``rules``."""
    classes = pl.DataFrame({"school_id": ["2152000001"] * 10 + ["2152000002"] * 10 + ["3152000003"] * 10 + ["3152000004"] * 10,
                            "level": ["primary"] * 20 + ["junior"] * 20,
                            "class_name": [f"{i}班" for i in range(40)],
                            "size": [40] * 20 + [50] * 20, "source_row": list(range(3, 43))})
    extra = pl.DataFrame({"school_id": ["2152000001", "2152000002", "3152000003", "3152000004"],
                          "music_rooms": [1] * 4, "art_rooms": [1] * 4, "operating_funds_yuan": [1e6] * 4})
    finance = pl.DataFrame({"year": [2021, 2022, 2023], "appropriation_wan": [100.0, 110.0, 121.0],
                            "regular_revenue_wan": [1000.0, 1050.0, 1100.0], "budget_edu_wan": [120.0, 125.0, 130.0],
                            "students": [1800, 1800, 1800], "teacher_pay_yuan": [80_000.0, 82_000.0, 84_000.0],
                            "civil_servant_pay_yuan": [80_000.0, 82_000.0, 84_000.0],
                            "operating_per_pupil_P_yuan": [700.0, 710.0, 720.0],
                            "operating_per_pupil_J_yuan": [900.0, 910.0, 920.0], "boarders": [0, 0, 0]})
    inputs = {"rotation_eligible_teachers": 100, "rotated_teachers": 10, "rotated_backbone_teachers": 2}
    for item in rules.county_items:
        if item.check in ("min_rates", "max_rates"):
            inputs.update(item.params)
    answers = {i.id: Answer("met", "文件") for i in rules.county_items if i.kind != "computed"}
    sat = pl.DataFrame({"group": ["家长"], "valid": [100], "satisfied": [85.0], "source_row": [3]})
    data = dict(finance=finance, classes=classes, schools=extra, inputs=inputs, answers=answers, satisfaction=sat,
                region="west", county_code="529901", county="示例县")
    data.update(changes)
    return CountyData(**data)


def run(rules, data, tbl=SCHOOLS):
    return evaluate_county(assess(tbl, rules), data, rules, table=tbl)


def test_pack_has_15_guarantee_9_quality_items():
    assert len(Q.items_of("guarantee")) == 15 and len(Q.items_of("quality")) == 9
    assert [i.id for i in Q.items_of("recognition")] == ["R1"]
    assert {"V1", "V2", "V3", "V4"} <= {i.id for i in Q.items_of("veto")}
    assert len(B.items_of("score")) == 17 and sum(i.points for i in B.items_of("score")) == 100


def test_everything_met_passes():
    ch = run(Q, good_data(Q))
    assert ch.verdict is True and ch.failures == ()
    assert [p for p in ch.parts] == ["resource", "guarantee", "quality", "recognition", "veto", "funding"]
    assert ch.parts["funding"].in_verdict is False


def test_qualitative_checklist_statuses():
    answers = {i.id: Answer("met", "文件") for i in Q.county_items if i.kind != "computed"}
    answers["Q3"] = Answer("na", "")
    answers.pop("Q5")
    ch = run(Q, good_data(Q, answers=answers))
    q = {i.id: i for i in ch.parts["quality"].items}
    assert q["Q3"].passed is True and q["Q3"].answer == "na" and q["Q3"].detail is None  # the answer is its own field
    assert q["Q5"].passed is None and q["Q5"].answer is None and [n.code for n in q["Q5"].notes] == ["qualitative.no_answer"]
    from junheng.report.narrative.items import situation
    assert "本县不适用" in situation(q["Q3"]) and "【请填写：" in situation(q["Q5"])  # worded in report/
    assert q["Q6"].evidence == "文件" and q["Q6"].kind == "qualitative"
    assert ch.parts["quality"].passed is None and ch.verdict is None


def test_mixed_item_needs_both_parts():
    answers = {i.id: Answer("met", "文件") for i in Q.county_items if i.kind != "computed"}
    answers["G8"] = Answer("not_met", "绩效工资未足额核定")
    ch = run(Q, good_data(Q, answers=answers))
    g8 = next(i for i in ch.parts["guarantee"].items if i.id == "G8")
    assert g8.kind == "mixed" and g8.value == 1.0 and g8.passed is False


def test_combined_verdict_names_every_failing_item():
    data = good_data(Q)
    inputs = dict(data.inputs, junior_retention_rate=94.9, migrant_public_rate=84.99)
    answers = dict(data.answers, V3=Answer("not_met", "设有实验学校"))
    classes = data.classes.with_columns(pl.when(pl.col("class_name") == "0班").then(46).otherwise(pl.col("size")).alias("size"))
    sat = pl.DataFrame({"group": ["家长"], "valid": [100], "satisfied": [84.0], "source_row": [3]})
    ch = run(Q, good_data(Q, inputs=inputs, answers=answers, classes=classes, satisfaction=sat))
    assert ch.verdict is False
    named = {(f.part, f.id) for f in ch.failures}
    assert named == {("guarantee", "G5"), ("guarantee", "G15"), ("quality", "Q1"), ("recognition", "R1"),
                     ("veto", "V3")}
    vetoes = {f.id for f in ch.failures if f.veto}
    assert vetoes == {"V3", "R1"}
    g5 = next(f for f in ch.failures if f.id == "G5")
    assert "0班 46 人 > 45" in say(g5.reason) and "班级学生数" in g5.name
    assert failure_line(next(f for f in ch.failures if f.id == "V3")).startswith("【一票否决】一票否决 V3 设置重点学校")


def test_resource_failure_is_named():
    poor = table([school("2152000001", 211, **full(400, 1.0, "P", classes_P=10)),
                  school("2152000002", 211, **full(400, 0.1, "P", classes_P=10))])
    ch = run(Q, good_data(Q), poor)
    ids = {f.id for f in ch.failures if f.part == "resource"}
    assert ids == {"Z1", "Z2"}          # the primary CVs and the units
    assert ch.verdict is False


def test_informational_funding_failure_does_not_decide():
    data = good_data(Q)
    fin = data.finance.with_columns(pl.Series("regular_revenue_wan", [1000.0, 1200.0, 1300.0]))
    ch = run(Q, good_data(Q, finance=fin))
    assert ch.verdict is True
    assert [f.part for f in ch.failures] == ["funding"] and ch.failures[0].reason["informational"] and "仅供参考" in say(ch.failures[0].reason)


def test_county_code_mismatch_is_undecided():
    ch = run(Q, good_data(Q, county_code="520000"))
    assert ch.verdict is None and [n.code for n in ch.notes] == ["county.code_mismatch"]


def test_basic_score_sheet_totals_and_deductions():
    data = good_data(B)
    ch = run(B52, data)
    assert ch.score.score == 100 and ch.score.passed is True and ch.score.example
    assert [p for p in ch.parts] == ["balance", "school_standard", "score", "satisfaction", "funding"]
    # B3 disability enrolment 77.5 % against ≥ 80 %: −1 per percentage point → 4 − 2.5 = 1.5
    # B13 teacher pay below civil servants: 0 of 8; B16 qualitative with an entered score of 10 of 13
    fin = data.finance.with_columns(pl.Series("teacher_pay_yuan", [80_000.0, 82_000.0, 83_999.0]))
    answers = dict(data.answers, B16=Answer("met", "文件", score=10))
    ch = run(B52, good_data(B, inputs=dict(data.inputs, disabled_enrolment_rate=77.5), finance=fin, answers=answers))
    items = {i.id: i for i in ch.parts["score"].items}
    assert items["B3"].score == pytest.approx(1.5)
    assert items["B13"].score == 0
    assert items["B16"].score == 10
    # B8: teacher pay still rises, so 三个增长 holds: full 7 points
    assert items["B8"].score == 7
    assert ch.score.score == pytest.approx(100 - 2.5 - 8 - 3)
    assert {a.id: a.score for a in ch.score.areas} == {"A1": 17.5, "A2": 25, "A3": 22, "A4": 22}
    assert ch.score.passed is True and ch.verdict is True


def test_basic_score_below_pass_and_undecided():
    data = good_data(B)
    answers = {k: Answer("not_met", "") for k in data.answers}
    ch = run(B52, good_data(B, answers=answers))
    assert ch.score.passed is False and ch.verdict is False
    assert any(f.id == "总分" for f in ch.failures)
    # without the qualitative answers the score cannot be decided: only the 37 computed points are known
    ch = run(B52, good_data(B, answers={}))
    assert ch.score.passed is None and ch.score.score == pytest.approx(37)
    assert ch.score.max_possible == 100


def test_basic_funding_growth_deduction_and_zero_rule():
    data = good_data(B)
    fin = data.finance.with_columns(pl.Series("appropriation_wan", [100.0, 104.0, 90.0]))
    ch = run(B52, good_data(B, finance=fin))
    b8 = next(i for i in ch.parts["score"].items if i.id == "B8")
    assert b8.score == 0                # mean appropriation growth over the window is negative
    fin = data.finance.with_columns(pl.Series("appropriation_wan", [100.0, 104.0, 110.0]))
    ch = run(B52, good_data(B, finance=fin))
    b8 = next(i for i in ch.parts["score"].items if i.id == "B8")
    assert b8.score == 6                # 2022 growth 4 % < 5 %: one failed year check, −1


def test_school_standard_needs_a_province():
    ch = run(B, good_data(B))
    assert ch.parts["school_standard"].passed is None and ch.verdict is None
    poor = table([school("2152000001", 211, **full(400, 2.0, "P", classes_P=10)),
                  school("2152000002", 211, **full(400, 0.1, "P", classes_P=10))])
    ch = run(B52, good_data(B), poor)
    failing = {f.id for f in ch.failures if f.part == "school_standard"}
    assert "SS5" in failing            # books: 1 per pupil < 15


def test_payload_and_view():
    ch = run(Q, good_data(Q, inputs=dict(good_data(Q).inputs, junior_retention_rate=90)))
    doc = county_checks_payload(ch)
    json.dumps(doc, ensure_ascii=False)
    assert doc["passed"] is False and doc["decided"] is True
    assert doc["failures"][0]["id"] == "Q1"
    assert set(doc["parts"]) == set(ch.parts)
    assert doc["funding"]["checks"]["appropriation_vs_revenue"]["years"][0]["year"] == 2022
    console = Console(width=140, record=True)
    console.print(county_checks_view(ch))
    text = console.export_text()
    assert "政府保障程度" in text and "教育质量" in text and "一票否决" in text and "Q1" in text


def test_school_standard_lines_name_the_school():
    """Each school below a 省定办学基本标准 minimum is named with its id, level, value and minimum."""
    poor = table([school("2152000001", 211, **full(400, 2.0, "P", classes_P=10)),
                  school("2152000002", 211, **full(400, 0.1, "P", classes_P=10))])
    ch = run(B52, good_data(B), poor)
    ss5 = next(i for i in ch.parts["school_standard"].items if i.id == "SS5")
    [line] = [f for f in ss5.failures if f.code == "school_standard.below"]
    assert line.args["school_id"] == "2152000002" and line.args["level"] == "primary"
    assert line.args["name"] == poor.filter(pl.col("school_id") == "2152000002")["name"][0]
    assert line.args["value"] == 1.0 and line.args["minimum"] == 15  # books: 1 per pupil < 15


@pytest.mark.parametrize("last,noted", [(2024, False), (2023, True)])
def test_finance_sheet_one_year_behind_the_table_is_current(last, noted):
    """The 经费 sheet may end the year before the school table's year (the latest closed
    accounts); older than that is noted."""
    from types import SimpleNamespace

    from junheng.core.county_verdict import _finance_year_notes

    data = SimpleNamespace(finance=pl.DataFrame({"year": [last - 2, last - 1, last]}))
    notes = _finance_year_notes(SimpleNamespace(year=2025), data)
    assert [(n.code, n.args) for n in notes] == ([("finance.old_year", {"last": last, "year": 2025})] if noted else [])


def test_funding_items_list_the_failed_years():
    """A failed 经费 check carries one finding per failed year, with its margin."""
    data = good_data(Q)
    fin = data.finance.with_columns(pl.Series("regular_revenue_wan", [1000.0, 1200.0, 1300.0]))
    ch = run(Q, good_data(Q, finance=fin))
    item = next(i for i in ch.parts["funding"].items if i.check == "appropriation_vs_revenue")
    assert item.passed is False
    assert [(f.code, f.args) for f in item.failures] == [
        ("funding.year_failed", {"year": 2022, "margin": -10.0, "unit": "pp"})]   # +10 % against +20 %
