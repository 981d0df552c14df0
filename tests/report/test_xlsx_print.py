"""Print setup and row heights of every sheet of both Excel outputs: A4, landscape where wide, one
page wide, repeated header rows, and rows tall enough for their wrapped text."""
from __future__ import annotations

import openpyxl
import pytest

from junheng.core import assess
from junheng.report.xlsx import write_assessment_xlsx
from junheng.report.xlsx.book import LINE_HEIGHT, text_width, wrapped_height
from junheng.rules import load_rules
from junheng.sample import generate

XLSXWRITER_PAD = 0.7109375  # xlsxwriter stores a column width w as w + this padding


@pytest.fixture(scope="module")
def workbooks(report_files, assessment, tmp_path_factory):
    """The official workbook of the sample county and a 3-county assess workbook."""
    t = generate(90, 3, seed=5)
    many = assess(t, assessment.rules, year=2024)
    path = write_assessment_xlsx(many, tmp_path_factory.mktemp("many") / "a.xlsx", source="a.xlsx", table=t)
    return [openpyxl.load_workbook(report_files["xlsx"]), openpyxl.load_workbook(path)]


def test_wrapped_height_hand_computed():
    name = "每百名学生拥有体育、艺术（美术、音乐）专任教师数（人）"  # 27 wide characters = 54 units
    assert text_width(name) == 54 and text_width("0.45") == 4
    assert wrapped_height([(name, 44)]) == 2 * LINE_HEIGHT + 3  # 54 / 43.5 → 2 lines
    assert wrapped_height([(name, 60)]) == 15.0  # one line: the minimum
    assert wrapped_height([("甲\n乙\n丙", 20)]) == 3 * LINE_HEIGHT + 3


def test_every_sheet_prints_on_a4_one_page_wide(workbooks):
    for wb in workbooks:
        for ws in wb.worksheets:
            ps = ws.page_setup
            assert ps.paperSize == 9, ws.title
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ps.fitToWidth in (None, 1) and ps.fitToHeight == 0, ws.title  # 1: the OOXML default
            wide = sum((d.width or 0) * (d.max - d.min + 1) for d in ws.column_dimensions.values()) > 100
            if wide:
                assert ps.orientation == "landscape", ws.title
            if ws.title == "校际差异系数表" and "评估结论" in wb.sheetnames:  # one block per county, a page each
                assert len(ws.row_breaks.brk) == 2
            else:
                assert ws.print_title_rows, ws.title


def _width(ws, col: int) -> float:
    for d in ws.column_dimensions.values():
        if d.min and d.min <= col <= d.max:
            return d.width - XLSXWRITER_PAD
    return 8.43


def test_wrapped_rows_are_tall_enough(workbooks):
    checked, short = 0, []
    for wb in workbooks:
        for ws in wb.worksheets:
            merged = {(r, c) for m in ws.merged_cells.ranges for r in range(m.min_row, m.max_row + 1)
                      for c in range(m.min_col, m.max_col + 1)}
            for row in ws.iter_rows():
                for cell in row:
                    if not (isinstance(cell.value, str) and cell.alignment.wrap_text) or (cell.row, cell.column) in merged:
                        continue
                    need = wrapped_height([(cell.value, _width(ws, cell.column))])
                    have = ws.row_dimensions[cell.row].height or 15.0
                    if have < need - 0.75:  # xlsxwriter rounds heights to whole pixels (0.75 pt)
                        short.append(f"{ws.title}!{cell.coordinate} “{cell.value}” needs {need} pt, row is {have}")
                    checked += 1
    assert not short, "\n".join(short[:30])
    assert checked > 500
