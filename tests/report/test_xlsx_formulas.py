"""计算过程: the CV formulas, recalculated from the cells by an independent Excel formula engine
(the ``formulas`` package, which evaluates the formulas and ignores the cached values), equal
junheng's CVs to 1e-9, for the official workbook and the multi-county assess workbook."""
from __future__ import annotations

import math

import formulas
import openpyxl
import pytest

from junheng.core import assess
from junheng.report.xlsx import write_assessment_xlsx
from junheng.rules import load_rules
from junheng.sample import generate
from junheng.schema import LEVEL_NAMES

CV_ROW = "差异系数 S÷X̄"


def recalculated(path) -> dict[str, object]:
    """{"计算过程!F12": value} of every formula cell of 计算过程, computed by ``formulas``."""
    sol = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, v in sol.items():
        sheet, cell = key.rsplit("!", 1)
        if sheet.endswith("计算过程'"):
            out[cell.upper()] = v.value[0, 0]
    return out


def blocks(path):
    """Per block of 计算过程: (block title, {row label: [cells of the indicator columns]})."""
    ws = openpyxl.load_workbook(path)["计算过程"]
    out, title = [], None
    for row in ws.iter_rows(min_row=5):
        label = row[0].value
        if isinstance(label, str) and "个单位，在校生" in label:
            title = label
            out.append((title, {}))
        elif isinstance(label, str) and title is not None:
            out[-1][1][label] = row
    return out


def check(a, path) -> int:
    """Compare every recalculated CV and composite with the Assessment; returns how many."""
    calc = recalculated(path)
    got = blocks(path)
    want = [(c, level, lv) for c in a.counties for level, lv in c.levels.items()]
    assert len(got) == len(want)
    n = 0
    for (title, rows), (c, level, lv) in zip(got, want):
        assert title.startswith(f"{c.county or c.county_code}　{LEVEL_NAMES[level]}（{lv.units}个单位")
        cv_cells = rows[CV_ROW][5:5 + len(a.rules.indicators)]
        assert all(isinstance(x.value, str) and x.value.startswith("=") for x in cv_cells)  # live formulas
        for cell, ind in zip(cv_cells, a.rules.indicators):
            st = lv.indicators[ind.code]
            mine = calc[cell.coordinate]
            if st.cv is None:
                assert mine == "无法计算"
            else:
                assert math.isclose(float(mine), st.cv, rel_tol=0, abs_tol=1e-9), (c.county, level, ind.code)
            n += 1
        composite = next(v for k, v in rows.items() if "差异系数的平均值" in k)[5]
        assert math.isclose(float(calc[composite.coordinate]), lv.composite_cv, abs_tol=1e-9)
    return n


def test_official_workbook_formulas_recalculate_to_our_cvs(report_files, assessment):
    assert check(assessment, report_files["xlsx"]) == len(assessment.rules.indicators) * len(assessment.counties[0].levels)


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_multi_county_workbook_formulas_recalculate(tmp_path, pack):
    table = generate(120, 3, seed=11)
    a = assess(table, load_rules(pack), year=2024)
    path = write_assessment_xlsx(a, tmp_path / "全省.xlsx", source="全省.xlsx")
    assert check(a, path) == 3 * 2 * len(a.rules.indicators)


def test_cached_values_are_ours(report_files, assessment):
    """A viewer that does not recalculate shows junheng's CVs (the formulas' cached results)."""
    import zipfile

    with zipfile.ZipFile(report_files["xlsx"]) as z:
        names = {n for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        sheet2 = z.read("xl/worksheets/sheet2.xml").decode()
    assert "xl/worksheets/sheet2.xml" in names
    lv = next(iter(assessment.counties[0].levels.values()))
    first = next(iter(lv.indicators.values()))
    assert f"<v>{first.cv!r}</v>" in sheet2 or f"<v>{first.cv:.16g}</v>" in sheet2
