"""Header detection and matching: shapes, merges, column numbers, offsets, normalisation."""
from __future__ import annotations

import pytest
from io_files import HEADER, ROWS, table, write_csv, write_xlsx

from junheng.errors import InputError
from junheng.io import read_school_table
from junheng.io.breakdowns import BREAKDOWN_FIELDS
from junheng.io.headers import FIELD_INDEX, is_column_number_row, match_header, normalise
from junheng.io.issues import column_letter
from junheng.schema import FIELDS


def test_normalise_strips_space_fullwidth_and_units():
    assert normalise("教学仪器设备\n资产值（万元）") == ("教学仪器设备资产值", "万元")
    assert normalise("  图书　(册) ") == ("图书", "册")
    assert normalise("教学及辅助用房面积(㎡)") == ("教学及辅助用房面积", "m2")
    assert normalise("运动场地面积（平方米）") == ("运动场地面积", "平方米")
    assert normalise("运动场地面积(M2)") == ("运动场地面积", "m2")
    assert normalise("县级以上骨干教师（小学）") == ("县级以上骨干教师(小学)", None)
    assert normalise("其中：体育馆面积") == ("其中:体育馆面积", None)


@pytest.mark.parametrize("text,code", [
    ("学校代码", "school_id"), ("学校（机构）标识码", "school_id"), ("校名", "name"),
    ("统计三级", "county"), ("办学类型", "school_type"), ("办别", "ownership"),
    ("小学在校学生数(人)", "students_P"), ("县级以上骨干教师（初中）", "backbone_teachers_J"),
    ("其中：室内体育用房面积（㎡）", "indoor_sports_m2"), ("其中:体育馆面积", "indoor_sports_m2"),
    ("计算机台数 其中教学用", "teaching_computers"), ("图书册数", "books"), ("图书(册)", "books"),
    ("小学在校生", "students_P"), ("初中研究生", "edu_postgraduate_J"), ("小学小学高级", "title_old_ps_senior_P"),
    ("小学高级", "title_senior_P"), ("备注", None), ("在校生数", None),
])
def test_match_header(text, code):
    assert match_header(text)[0] == code


def test_every_field_header_and_synonym_maps_to_itself():
    for f in FIELDS + BREAKDOWN_FIELDS:
        for text in (f.header, *f.synonyms):
            assert FIELD_INDEX[normalise(text)[0]] == f.code, text


def test_column_letter_and_number_row():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]
    assert is_column_number_row(["甲", "乙", "丙", "1", "2", ""])
    assert not is_column_number_row(["5223270001", "一小", "211", "400"])


def _grouped_rows():
    """Title row, a group row (小学/初中/办学条件 merged), a leaf row, then data."""
    title = ["某县义务教育学校基本情况统计表"] + [None] * 10
    group = ["学校标识码", "学校名称", "办学类型", "小学", None, None, "初中", None, None, "办学条件", None]
    leaf = [None, None, None, "在校生数", "班数", "专任教师数", "在校生数", "班数", "专任教师数",
            "图书（册）", "教学仪器设备资产值（万元）"]
    data = [["0152000001", "一小", "小学", 400, 10, 20, None, None, None, 8000, 12.5],
            [2152000002, "二中", 311, None, None, None, 600, 12, 40, 20000, 30]]
    return [title, group, leaf, *data]


def _group_merges(r0=0, c0=0):
    m = [(0, 0, 0, 10), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 5), (1, 6, 1, 8), (1, 9, 1, 10)]
    return tuple((a + r0, b + c0, c + r0, d + c0) for a, b, c, d in m)


def _check_grouped(res, first_row):
    t = res.table
    assert t["school_id"].to_list() == ["0152000001", "2152000002"]
    assert t["school_type"].to_list() == [211, 311]
    assert t["students_P"].to_list() == [400, None]
    assert t["teachers_J"].to_list() == [None, 40]
    assert t["books"].to_list() == [8000, 20000]
    assert t["equipment_value_yuan"].to_list() == [125_000.0, 300_000.0]
    assert t["source_row"].to_list() == [first_row, first_row + 1]


def test_single_header_row(tmp_path):
    res = read_school_table(write_xlsx(tmp_path / "t.xlsx", table()))
    assert res.table["source_row"].to_list() == [2, 3, 4]


def test_title_and_two_merged_header_rows(tmp_path):
    res = read_school_table(write_xlsx(tmp_path / "t.xlsx", _grouped_rows(), merges=_group_merges()))
    _check_grouped(res, 4)


def test_table_starting_at_b2_reports_real_rows_and_letters(tmp_path):
    rows = _grouped_rows()
    rows[4][4] = -3  # 小学班数 of 二中: negative, in Excel cell F6
    path = write_xlsx(tmp_path / "t.xlsx", rows, first_row=1, first_col=1, merges=_group_merges(1, 1))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [neg] = [i for i in info.value.issues if i.code == "negative"]
    assert (neg.row, neg.column, neg.sheet, neg.file) == (6, "小学班数 (F列)", "学校", "t.xlsx")
    rows[4][4] = None
    path = write_xlsx(tmp_path / "ok.xlsx", rows, first_row=1, first_col=1, merges=_group_merges(1, 1))
    _check_grouped(read_school_table(path), 5)


def test_table_code_row_and_column_number_row(tmp_path):
    rows = _grouped_rows()
    code_row = ["教基1102"] + [None] * 10
    numbers = ["甲", "乙", "丙"] + [str(i) for i in range(1, 9)]
    rows = [rows[0], code_row, rows[1], rows[2], numbers, rows[3], rows[4]]
    merges = ((0, 0, 0, 10), (1, 0, 1, 10), (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2),
              (2, 3, 2, 5), (2, 6, 2, 8), (2, 9, 2, 10))
    _check_grouped(read_school_table(write_xlsx(tmp_path / "t.xlsx", rows, merges=merges)), 6)


def test_group_label_after_leaf_in_brackets(tmp_path):
    header = HEADER + ["县级以上骨干教师(小学)", "县级以上骨干教师（初中）"]
    rows = [[*r, *extra] for r, extra in zip(ROWS, ([3, None], [None, 5], [2, 4]))]
    res = read_school_table(write_csv(tmp_path / "t.csv", [header, *rows]))
    assert res.table["backbone_teachers_P"].to_list() == [3, None, 2]
    assert res.table["backbone_teachers_J"].to_list() == [None, 5, 4]


def test_csv_group_row_without_merges_is_forward_filled(tmp_path):
    rows = _grouped_rows()[1:]
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    assert res.table["classes_P"].to_list() == [10, None]
    assert res.table["classes_J"].to_list() == [None, 12]
    assert res.table["source_row"].to_list() == [3, 4]


def test_unknown_columns_one_warning(tmp_path):
    header = HEADER + ["备注", "联系人"]
    rows = [[*r, "无", "张三"] for r in ROWS]
    res = read_school_table(write_csv(tmp_path / "t.csv", [header, *rows]))
    [w] = [w for w in res.warnings if w.code == "unknown_columns"]
    assert "备注(O列)" in w.message and "联系人(P列)" in w.message and w.row == 1


def test_duplicate_column_is_an_error(tmp_path):
    header = HEADER + ["图书册数"]
    rows = [[*r, 1] for r in ROWS]
    path = write_csv(tmp_path / "t.csv", [header, *rows])
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = [i for i in info.value.issues if i.code == "duplicate_column"]
    assert "O列" in e.message and "M列" in e.message and e.row == 1


def test_table_at_d6_after_empty_and_formatted_sheets(tmp_path):
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("空表")
    ws = wb.add_worksheet("学校")
    ws.write_blank(0, 0, None, wb.add_format({"bold": True}))  # a formatted empty cell above the table
    for i, row in enumerate(table()):
        ws.write_row(5 + i, 3, [v for v in row])
    ws.write(7, 3 + HEADER.index("图书"), "很多")  # second school's 图书: not a number, cell ?8
    wb.close()
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = [i for i in info.value.issues if i.code == "not_numeric"]
    assert (e.sheet, e.row, e.column) == ("学校", 8, "图书 (P列)")


def test_a_statistical_year_column_is_kept_apart_and_said_so(tmp_path):
    """统计年度 is not a field: not read by the assessment (a warning says so, not “无法识别”),
    kept for the annual monitoring as (header, texts) and (column letter, rows)."""
    from io_files import HEADER, ROWS, write_csv

    from junheng.io import read_school_table

    rows = [HEADER + ["统计年度", "备注"]] + [r + [2023, "x"] for r in ROWS]
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    found = [(w.code, w.row, w.message) for w in res.warnings if w.code in ("unknown_columns", "year_column")]
    assert found == [("unknown_columns", 1, "以下列无法识别，已忽略：备注(P列)。"),
                     ("year_column", 1, "“统计年度”(O列)是统计年度列，评估时不读取（一个文件即一个年度）。")]
    assert res.year_column == ("统计年度", ("2023", "2023", "2023"))
    assert res.year_place == ("O", (2, 3, 4))
