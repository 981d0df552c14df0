"""Every validation rule: its code, row and column, and that nothing is returned on error."""
from __future__ import annotations

import pytest
from io_files import HEADER, ROWS, errors_of, table, write_csv

from junheng.io import read_school_table
from junheng.io.issues import MAX_REPORTED_ISSUES
from junheng.io.plausibility import MAX_PUPIL_TEACHER_RATIO, MAX_TEACHING_POINT_PUPILS


def _one(exc, code):
    found = errors_of(exc, code)
    assert len(found) == 1, [str(i) for i in exc.issues]
    assert found[0].level == "error" and found[0].file == "t.csv"
    return found[0]


def _drop(col):
    j = HEADER.index(col)
    return [[v for k, v in enumerate(r) if k != j] for r in table()]


def test_missing_required_column(load_fails):
    e = _one(load_fails(_drop("学校名称")), "missing_column")
    assert (e.row, e.column) == (1, "学校名称")


def test_missing_section_column(load_fails):
    e = _one(load_fails(_drop("小学专任教师数")), "missing_column")
    assert (e.row, e.column) == (1, "小学专任教师数")


def test_class_counts_are_not_required(tmp_path):
    # issue 7.6: neither pack's indicators use 班数, so a table without them is read
    rows = [[v for k, v in enumerate(r) if k not in (6, 9)] for r in table()]
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    assert res.table["classes_P"].null_count() == 3 and "classes_P" not in res.present
    assert res.table["students_P"].to_list() == [400, None, 300]


def test_section_column_not_needed_without_that_section(tmp_path):
    rows = [[v for k, v in enumerate(r) if k not in (8, 9, 10)] for r in table()[:2]]  # primary school only
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    assert res.table["students_J"].to_list() == [None]


def test_missing_values(load_fails):
    exc = load_fails(table(r0_学校名称=None, r2_小学在校生数=None))
    found = sorted((i.row, i.column) for i in errors_of(exc, "missing_value"))
    assert found == [(2, "学校名称 (B列)"), (4, "小学在校生数 (F列)")]


@pytest.mark.parametrize("change,code,row,column", [
    ({"r1_图书": -5}, "negative", 3, "图书 (M列)"),
    ({"r0_小学班数": 10.5}, "not_integer", 2, "小学班数 (G列)"),
    ({"r0_图书": "八千"}, "not_numeric", 2, "图书 (M列)"),
    ({"r0_办学类型": "幼儿园"}, "unknown_school_type", 2, "办学类型 (E列)"),
    ({"r2_学校标识码": "5223270001"}, "duplicate_school_id", 4, "学校标识码 (A列)"),
    ({"r0_小学在校生数": 0}, "no_pupils", 2, "小学在校生数 (F列)"),
    ({"r0_初中在校生数": 50}, "section_not_in_type", 2, "初中在校生数 (I列)"),
    ({"r1_小学在校生数": 50}, "section_not_in_type", 3, "小学在校生数 (F列)"),
])
def test_value_errors(load_fails, change, code, row, column):
    e = _one(load_fails(table(**change)), code)
    assert (e.row, e.column) == (row, column)
    assert e.message and all(ord(ch) < 128 for ch in e.code)


def test_duplicate_message_names_first_row(load_fails):
    e = _one(load_fails(table(r2_学校标识码="5223270001")), "duplicate_school_id")
    assert "第 2 行" in e.message


@pytest.mark.parametrize("extra,values,row,column", [
    ("小学县级及以上骨干教师数", (25, None, 1), 2, "小学县级及以上骨干教师数 (O列)"),
    ("初中高于规定学历专任教师数", (None, 41, 1), 3, "初中高于规定学历专任教师数 (O列)"),
    ("小学体育专任教师数", (1, None, 16), 4, "小学体育专任教师数 (O列)"),
    ("其中：体育馆面积", (10, 6001, 10), 3, "其中：体育馆面积 (O列)"),
])
def test_part_exceeds_whole(load_fails, extra, values, row, column):
    rows = [[*r, v] for r, v in zip(ROWS, values)]
    e = _one(load_fails([HEADER + [extra], *rows]), "part_exceeds_whole")
    assert (e.row, e.column) == (row, column)


def test_pe_art_sum_exceeds_teachers(load_fails):
    header = HEADER + ["小学体育专任教师数", "小学音乐专任教师数", "小学美术专任教师数"]
    rows = [[*r, *v] for r, v in zip(ROWS, ([8, 8, 8], [None] * 3, [1, 1, 1]))]
    e = _one(load_fails([header, *rows]), "part_exceeds_whole")
    assert e.row == 2 and "体育艺术" in e.message


def test_special_school_may_have_any_section(tmp_path):
    res = read_school_table(write_csv(tmp_path / "t.csv", table(r0_办学类型="特殊教育学校", r0_初中在校生数=5,
                                                                r0_初中班数=1, r0_初中专任教师数=2)))
    assert res.table["school_type"][0] == 519 and res.table["students_J"][0] == 5


def test_all_errors_collected_not_just_first(load_fails):
    exc = load_fails(table(r0_图书=-1, r1_办学类型="幼儿园", r2_小学班数=1.5))
    assert sorted(i.code for i in exc.issues if i.level == "error") == ["negative", "not_integer",
                                                                          "unknown_school_type"]
    assert [i.row for i in exc.issues if i.level == "error"] == [2, 3, 4]  # sorted by row


def test_errors_are_capped_with_a_count(load_fails):
    rows = [HEADER] + [[f"52232{i:05d}", f"小学{i}", "", "", "211", 100, 5, 6, None, None, None, 100, -1, 1]
                       for i in range(300)]
    exc = load_fails(rows)
    negatives = errors_of(exc, "negative")
    assert len(negatives) == MAX_REPORTED_ISSUES
    [more] = errors_of(exc, "more_errors")
    assert "300" in more.message and "100" in more.message


def test_a_missing_column_is_listed_even_past_the_cap(load_fails):
    """250 cells that are not numbers fill the list of errors; the missing 学校名称 column, which
    explains a file, is still listed (first: it is on the header row), and counted."""
    head = [h for h in HEADER if h != "学校名称"]
    exc = load_fails([head] + [[f"52232{i:05d}", "522327", "某县", "211", 100, 5, 6, None, None, None, 100, "很多", 1]
                               for i in range(250)])
    errors = [i for i in exc.issues if i.level == "error"]
    assert (errors[0].code, errors[0].row, errors[0].column) == ("missing_column", 1, "学校名称")
    assert len(errors_of(exc, "not_numeric")) == MAX_REPORTED_ISSUES
    assert errors_of(exc, "more_errors")[0].message == "共 251 处错误，另有 50 处未列出。"


@pytest.mark.parametrize("change,code,row,column", [
    ({"r0_学校标识码": "522327001"}, "school_id_format", 2, "学校标识码 (A列)"),
    ({"r0_图书": 50000}, "books_per_student_high", 2, "图书 (M列)"),
    ({"r0_教学及辅助用房面积": 20000}, "area_per_student_high", 2, "教学及辅助用房面积 (L列)"),
    ({"r0_小学专任教师数": 5}, "pupil_teacher_ratio_high", 2, "小学专任教师数 (H列)"),
    ({"r0_办学类型": "218", "r0_小学专任教师数": 12, "r0_小学在校生数": 250, "r0_教学及辅助用房面积": 3000},
     "teaching_point_large", 2, "小学在校生数 (F列)"),
])
def test_warnings_load_data(tmp_path, change, code, row, column):
    res = read_school_table(write_csv(tmp_path / "t.csv", table(**change)))
    found = [w for w in res.warnings if w.code == code]
    assert len(found) == 1 and found[0].level == "warning"
    assert (found[0].row, found[0].column) == (row, column)
    assert res.table.height == 3


def test_pupil_teacher_ratio_threshold_is_strict(tmp_path):
    res = read_school_table(write_csv(tmp_path / "t.csv", table(r0_小学专任教师数=int(400 / MAX_PUPIL_TEACHER_RATIO))))
    assert not [w for w in res.warnings if w.code == "pupil_teacher_ratio_high"]


def test_issue_text_names_everything(load_fails):
    e = _one(load_fails(table(r1_图书=-5)), "negative")
    assert str(e) == "[错误] 文件 t.csv，第 3 行，列 图书 (M列)：数值 -5 为负数，不能小于 0。"


@pytest.mark.parametrize("pupils,warned", [(MAX_TEACHING_POINT_PUPILS, False), (MAX_TEACHING_POINT_PUPILS + 1, True)])
def test_teaching_point_size_warning_is_strict(tmp_path, pupils, warned):
    """A 教学点 is questioned only above the limit, not at it."""
    res = read_school_table(write_csv(tmp_path / "t.csv", table(
        r0_办学类型="218", r0_小学专任教师数=12, r0_小学在校生数=pupils, r0_教学及辅助用房面积=3000)))
    assert any(w.code == "teaching_point_large" for w in res.warnings) is warned


def test_blank_school_type_is_a_missing_value(load_fails):
    exc = load_fails(table(r1_办学类型=""))
    [e] = [i for i in exc.issues if i.level == "error"]
    assert (e.code, e.row, e.column) == ("missing_value", 3, "办学类型 (E列)")
    assert e.message.endswith("不能为空。")
