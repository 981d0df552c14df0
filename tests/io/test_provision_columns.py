"""The optional columns of the special provisions (docs/rules.md §2): headers, values, checks."""
from __future__ import annotations

import pytest
from io_files import HEADER, ROWS, errors_of, write_csv, write_xlsx

from junheng.io import read_school_table

EXTRA = ["小学走教/兼职/交流轮岗体育艺术教师数(人)", "初中走教/兼职/交流轮岗体育艺术教师数(人)",
         "校外租赁及改造专用运动场地面积(㎡)", "是否中心城区学校"]
# 一小 (211), 二中 (311), 三校 (312); the third school is flagged 中心城区 with a rented field
VALUES = [[2, None, None, "否"], [None, 1, None, ""], [1, 1, 1200.5, "是"]]


def _rows(header=EXTRA, values=VALUES, **edit):
    rows = [list(r) + list(v) for r, v in zip(ROWS, values)]
    for key, v in edit.items():
        i, col = key.split("_", 1)
        rows[int(i[1:])][(HEADER + header).index(col)] = v
    return [HEADER + header, *rows]


def _load(tmp_path, rows, name="t.csv"):
    return read_school_table(write_csv(tmp_path / name, rows))


def test_columns_are_read_with_canonical_codes(tmp_path):
    res = _load(tmp_path, _rows())
    t = res.table
    assert t["visiting_pe_art_teachers_P"].to_list() == [2, None, 1]
    assert t["visiting_pe_art_teachers_J"].to_list() == [None, 1, 1]
    assert t["extra_sports_m2"].to_list() == [None, None, 1200.5]
    assert t["central_urban"].to_list() == ["否", None, "是"]
    assert {"visiting_pe_art_teachers_P", "extra_sports_m2", "central_urban"} <= res.present
    assert not [w for w in res.warnings if w.code == "blank_cells"]  # blank = nothing to report


@pytest.mark.parametrize("header", [
    ["小学走教体育艺术教师数", "初中走教体艺教师数", "校外租赁及改造运动场地面积", "中心城区"],
    ["走教/兼职/交流轮岗体育艺术教师数（小学）", "初中走教、兼职、交流轮岗体育艺术教师数",
     "校外租赁运动场地面积（平方米）", "是否中心城区"],
])
def test_synonyms(tmp_path, header):
    t = _load(tmp_path, _rows(header)).table
    assert t["visiting_pe_art_teachers_P"].to_list() == [2, None, 1]
    assert t["visiting_pe_art_teachers_J"].to_list() == [None, 1, 1]
    assert t["extra_sports_m2"].to_list() == [None, None, 1200.5]
    assert t["central_urban"].to_list() == ["否", None, "是"]


def test_two_header_rows_in_xlsx(tmp_path):
    head1 = [None] * len(HEADER) + ["走教/兼职/交流轮岗体育艺术教师数", None, None, None]
    head2 = HEADER + ["小学", "初中", "校外租赁及改造专用运动场地面积", "中心城区"]
    rows = [head1, head2, *_rows()[1:]]
    n = len(HEADER)
    path = write_xlsx(tmp_path / "t.xlsx", rows, merges=((0, n, 0, n + 1),))
    t = read_school_table(path).table
    assert t["visiting_pe_art_teachers_P"].to_list() == [2, None, 1]
    assert t["visiting_pe_art_teachers_J"].to_list() == [None, 1, 1]


@pytest.mark.parametrize("value,code", [(1.5, "not_integer"), (-1, "negative"), ("两人", "not_numeric")])
def test_counts_are_whole_and_not_negative(load_fails, value, code):
    exc = load_fails(_rows(**{"r0_小学走教/兼职/交流轮岗体育艺术教师数(人)": value}))
    [e] = errors_of(exc, code)
    assert (e.row, e.column) == (2, "小学走教/兼职/交流轮岗体育艺术教师数(人) (O列)")


def test_negative_extra_area_is_an_error(load_fails):
    [e] = errors_of(load_fails(_rows(**{"r2_校外租赁及改造专用运动场地面积(㎡)": -10})), "negative")
    assert e.row == 4


@pytest.mark.parametrize("value,want", [("Y", "是"), ("1", "是"), ("×", "否"), (" 否 ", "否")])
def test_central_urban_spellings(tmp_path, value, want):
    t = _load(tmp_path, _rows(**{"r0_是否中心城区学校": value})).table
    assert t["central_urban"][0] == want


def test_central_urban_other_text_is_an_error(load_fails):
    [e] = errors_of(load_fails(_rows(**{"r0_是否中心城区学校": "城区"})), "invalid_value")
    assert (e.row, e.column) == (2, "是否中心城区学校 (R列)")
    assert e.message == "“是否中心城区学校”应填“是”或“否”，不能为“城区”。"


def test_extra_area_without_the_flag_warns(tmp_path):
    res = _load(tmp_path, _rows(**{"r2_是否中心城区学校": "否"}))
    [w] = [w for w in res.warnings if w.code == "extra_area_not_central_urban"]
    assert (w.row, w.column) == (4, "校外租赁及改造专用运动场地面积(㎡) (Q列)")
    assert "1200.5" in w.message and "不计入" in w.message
    assert res.table["extra_sports_m2"][2] == 1200.5  # loaded; the core leaves it out
    # 0 ㎡ is nothing to leave out: no warning, flag or not
    res = _load(tmp_path, _rows(**{"r2_是否中心城区学校": "否", "r2_校外租赁及改造专用运动场地面积(㎡)": 0}), "u.csv")
    assert not [w for w in res.warnings if w.code == "extra_area_not_central_urban"]


def test_flagged_school_with_extra_area_is_silent(tmp_path):
    res = _load(tmp_path, _rows())
    assert not [w for w in res.warnings if w.code.startswith(("extra_area", "visiting"))]


def test_more_visiting_than_own_teachers_warns(tmp_path):
    res = _load(tmp_path, _rows(**{"r0_小学走教/兼职/交流轮岗体育艺术教师数(人)": 21}))  # 一小 has 20 teachers
    [w] = [w for w in res.warnings if w.code == "visiting_teachers_high"]
    assert w.row == 2 and "21" in w.message and "20" in w.message
    res = _load(tmp_path, _rows(**{"r0_小学走教/兼职/交流轮岗体育艺术教师数(人)": 20}), "u.csv")
    assert not [w for w in res.warnings if w.code == "visiting_teachers_high"]


def test_visiting_teachers_in_a_missing_section_warn(tmp_path):
    res = _load(tmp_path, _rows(**{"r0_初中走教/兼职/交流轮岗体育艺术教师数(人)": 1}))  # 一小 is a primary school
    [w] = [w for w in res.warnings if w.code == "visiting_section_missing"]
    assert (w.row, w.column) == (2, "初中走教/兼职/交流轮岗体育艺术教师数(人) (P列)")
    assert w.message == "该校办学类型没有初中学段，“初中走教/兼职/交流轮岗体育艺术教师数” 1 人不计入。"
