"""``junheng whatif`` wording: resources left behind in Chinese with units, and the 综合差异系数
row of the xlsx under a pack whose composite has no standard."""
from __future__ import annotations

import openpyxl
import polars as pl

from junheng.analysis.whatif import load_scenario, run_whatif
from junheng.report.console.whatif import note_text, write_whatif_xlsx
from junheng.rules import load_rules
from junheng.sample import generate

QUALITY = load_rules("quality-2017")
TABLE = generate()


def test_resources_left_are_named_in_chinese_with_units():
    text = note_text({"code": "school_emptied", "school_id": "1", "name": "甲校",
                      "resources": {"teaching_area_m2": 7384.09, "equipment_value_yuan": 10647700.0, "books": 12000}})
    assert text == ("甲校（1）已无在校生，视为撤销；留在原址、不再计入的办学条件：教学及辅助用房面积 7384.09㎡、"
                    "教学仪器设备资产值 1064.77万元、图书 12000册")
    assert "e+" not in text and "_" not in text


def test_composite_row_without_standard_shows_a_dash(tmp_path):
    p = tmp_path / "s.toml"
    ids = TABLE.filter(pl.col("school_type") == 211)["school_id"].to_list()
    p.write_text(f'[[merge]]\nschools = ["{ids[1]}"]\ninto = "{ids[0]}"\n', encoding="utf-8")
    r = run_whatif(TABLE, QUALITY, load_scenario(p, TABLE))
    out = write_whatif_xlsx(r, tmp_path / "w.xlsx")
    ws = openpyxl.load_workbook(out)["差异系数"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    comp = [row for row in rows if row[2] == "综合差异系数"]
    assert comp and all(row[5] is None and row[6] == "—" and row[7] == "—" for row in comp), comp
