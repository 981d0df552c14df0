"""Wording that follows the rule pack's settings and the data given: the closing sentence of
资源配置 without county data (no overall 达标 verdict; the parts not assessed named), the reason
of a 教学点 kept out by ``scope.teaching_points = "exclude"``, and the 民办学校 sentence of
基本情况 from ``scope.private`` (docs2 review items 1–3)."""
from __future__ import annotations

import openpyxl
import polars as pl
import pytest

from junheng.core import assess
from junheng.report.narrative.blocks import Para
from junheng.report.narrative.report import report_blocks
from junheng.rules import load_rules


def _text(a, table=None) -> str:
    return "\n".join(b.text for b in report_blocks(a, a.counties[0], {}, table=table) if isinstance(b, Para))


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_no_overall_verdict_without_county_data(sample_table, pack):
    a = assess(sample_table, load_rules(pack), year=2024)
    text = _text(a, sample_table)
    closing = next(line for line in text.splitlines() if line.startswith("综上"))
    assert "结论为" not in closing and "达标。" not in closing and "未达标。" not in closing
    ok = a.counties[0].verdict
    assert ("资源配置（校际差异系数" in closing) and (("未达到要求" in closing) == (ok is False))
    missing = (["省定办学基本标准", "县级人民政府推进义务教育均衡发展工作评估", "公众满意度"] if pack == "basic-2012"
               else ["政府保障程度", "教育质量", "社会认可度", "一票否决情形"])
    assert closing.endswith("因未提供县级数据，" + "、".join(missing) + "尚未评估，本报告不作总体评估结论。")


def test_excluded_teaching_points_not_said_merged(sample_table, tmp_path):
    a = assess(sample_table, load_rules("basic-2012"), year=2024)
    assert a.rules.scope.teaching_points == "exclude"
    n = int((a.excluded_of(a.counties[0].county_key)["reason"] == "teaching_point").sum())
    text = _text(a, sample_table)
    assert n and f"小学教学点{n}所（不纳入计算）" in text
    assert "不单独" not in text and "并入" not in text
    from junheng.report.bundle import write_report

    paths = write_report(a, tmp_path, source_name="s.xlsx", table=sample_table)
    xlsx = next(p for p in paths if p.suffix == ".xlsx")
    ws = openpyxl.load_workbook(xlsx)["未参评学校"]
    reasons = [r[-1] for r in ws.iter_rows(min_row=4, values_only=True) if r[-1]]
    assert reasons.count("小学教学点，不纳入计算") == n
    assert not any("不单独" in r for r in reasons)


@pytest.mark.parametrize(("pack", "said"), [("basic-2012", "民办学校1所，按评估办法规定未纳入差异系数计算。"),
                                            ("quality-2017", "民办学校1所，纳入差异系数计算。")])
def test_private_schools_said_from_the_setting(sample_table, pack, said):
    assert sample_table.filter(pl.col("ownership") == "民办").height == 1
    a = assess(sample_table, load_rules(pack), year=2024)
    text = _text(a, sample_table)
    assert said in text and text.count("民办学校1所，") == 1
    ex = a.excluded_of(a.counties[0].county_key)
    assert ("private" in ex["reason"].to_list()) == (pack == "basic-2012")
