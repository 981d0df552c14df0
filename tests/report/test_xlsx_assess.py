"""``assess -o x.xlsx``: the same sheet functions as the official workbook (one county: the same
cells), 评估结论 in front, and with several counties one block per county or leading 县区 columns."""
from __future__ import annotations

import openpyxl
import polars as pl
import pytest

from junheng.core import assess
from junheng.report.xlsx import write_assessment_xlsx
from junheng.sample import generate
from junheng.schema import LEVEL_NAMES


def cells(ws) -> list[tuple]:
    return [tuple(c.value for c in row) for row in ws.iter_rows()]


def test_one_county_has_the_official_sheets_cell_for_cell(report_files, assessment, sample_table, tmp_path):
    path = write_assessment_xlsx(assessment, tmp_path / "a.xlsx", source="sample_county.xlsx", table=sample_table)
    ours, official = openpyxl.load_workbook(path), openpyxl.load_workbook(report_files["xlsx"])
    assert ours.sheetnames == ["评估结论", *official.sheetnames]
    for name in official.sheetnames:
        assert cells(ours[name]) == cells(official[name]), name
    ws = ours["评估结论"]
    c = assessment.counties[0]
    head = [x.value for x in ws[8]]
    row = [x.value for x in ws[9]]
    assert row[:2] == [c.county_code, c.county]
    for k, (level, lv) in enumerate(c.levels.items()):
        assert head[2 + 2 * k].startswith(LEVEL_NAMES[level])
        assert row[2 + 2 * k] == pytest.approx(lv.composite_cv, rel=1e-15)  # xlsx keeps 16 digits
    assert ws.cell(10, 1).value is None


@pytest.fixture(scope="module", params=["basic-2012", "quality-2017"])
def three(request, tmp_path_factory):
    from junheng.rules import load_rules

    t = generate(150, 3, seed=21)
    a = assess(t, load_rules(request.param), year=2024)
    path = write_assessment_xlsx(a, tmp_path_factory.mktemp("three") / "a.xlsx", source="三县.xlsx", table=t)
    return a, openpyxl.load_workbook(path)


def test_three_counties_blocks_and_county_columns(three):
    a, wb = three
    assert len(a.counties) == 3
    titles = [r[0] for r in cells(wb["校际差异系数表"]) if r[0] and str(r[0]).endswith("校际差异系数表")]
    assert titles == [f"{c.county}义务教育学校校际差异系数表" for c in a.counties]
    signs = [r[0] for r in cells(wb["校际差异系数表"]) if r[0] and str(r[0]).startswith("填报单位")]
    assert [s.split("：")[1].split("　")[0] for s in signs] == [f"{c.county}教育局" for c in a.counties]
    ws = wb["一校一表（小学）"]
    assert [ws.cell(4, k).value for k in (1, 2, 3)] == ["县区代码", "县区", "序号"]
    # every primary unit once, under its county, followed by that county's three summary rows
    want = a.units.filter(pl.col("level") == "primary")
    got = [(r[0], r[3]) for r in cells(ws)[4:] if r[3] is not None]
    assert sorted(got) == sorted(zip(want["county_code"], want["school_id"]))
    labels = [r[0] for r in cells(ws)[4:] if r[3] is None and r[0] != "单校标准（≥）"]
    assert labels == [f"{c.county}{x}" for c in a.counties for x in ("全县平均值", "标准差", "差异系数")]
    ex = wb["未参评学校"]
    assert [ex.cell(r, 1).value for r in range(4, 4 + a.excluded.height)] == a.excluded["county_code"].to_list()
    summary = cells(wb["评估结论"])
    assert [r[1] for r in summary[8:11]] == [c.county for c in a.counties]
