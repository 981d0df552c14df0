"""Values the importer used to accept silently (fresh-eyes findings, issue 7 "nothing silently"):
pupils without classes, implausible pupils per class or per teacher (warnings, settable bounds),
a 城乡分类代码 outside the code list (error) and a 学校标识码 written in scientific notation
(error when digits may be lost). Exact messages with file, sheet, row and column."""
from __future__ import annotations

import pytest
from io_files import HEADER, ROWS, errors_of, table, write_csv, write_xlsx

from junheng.io import plausibility, read_school_table
from junheng.io.plausibility import bound
from junheng.io.school_table import read_rows


def _warnings(res, code):
    return [str(w) for w in res.warnings if w.code == code]


def _the_error(exc):
    """The one error of an InputError: (its text with the place, its code)."""
    [e] = [i for i in exc.issues if i.level == "error"]
    return str(e), e.code


def _load(tmp_path, rows, name="t.csv"):
    writer = write_xlsx if name.endswith(".xlsx") else write_csv
    return read_school_table(writer(tmp_path / name, rows))


# pupils per class --------------------------------------------------------------------------------

def test_pupils_without_classes_is_a_warning_naming_row_and_column(tmp_path):
    res = _load(tmp_path, table(r0_小学在校生数=2660, r0_小学专任教师数=120, r0_小学班数=0), "t.xlsx")
    assert _warnings(res, "pupils_without_classes") == [
        "[警告] 文件 t.xlsx，工作表 学校，第 2 行，列 小学班数 (G列)：小学在校生 2660 人，但“小学班数”为 0："
        "有学生的学段至少有 1 个班，请核对。"]
    assert res.table["classes_P"][0] == 0 and res.table["students_P"][0] == 2660   # loaded as given


def test_a_blank_class_count_is_not_called_zero_classes(tmp_path):
    """A blank 班数 has its own warning (read as 0), not a second one about pupils without classes."""
    res = _load(tmp_path, table(r0_小学班数=None))
    assert not _warnings(res, "pupils_without_classes")
    assert [w.code for w in res.warnings if w.code != "optional_column_missing"] == ["blank_cells"]


def test_average_class_above_the_bound(tmp_path):
    res = _load(tmp_path, table(r0_小学在校生数=2660, r0_小学专任教师数=120, r0_小学班数=5))
    assert _warnings(res, "class_size_high") == [
        "[警告] 文件 t.csv，第 2 行，列 小学班数 (G列)：小学平均班额 532.0 人（在校生 2660 人 ÷ 班数 5），"
        "超过 100 人，请核对小学在校生数和班数。"]


@pytest.mark.parametrize("pupils,warned", [(1000, False), (1001, True)])
def test_class_size_bound_is_strict(tmp_path, pupils, warned):
    """10 classes: an average of exactly MAX_PUPILS_PER_CLASS (100) passes, one pupil more does not."""
    res = _load(tmp_path, table(r0_小学在校生数=pupils, r0_小学专任教师数=50))
    assert bool(_warnings(res, "class_size_high")) is warned


def test_more_classes_than_pupils(tmp_path):
    res = _load(tmp_path, table(r0_小学在校生数=8, r0_小学专任教师数=2, r0_小学班数=10, r0_图书=400,
                                r0_教学及辅助用房面积=200))
    assert _warnings(res, "class_size_low") == [
        "[警告] 文件 t.csv，第 2 行，列 小学班数 (G列)：小学平均班额 0.8 人（在校生 8 人 ÷ 班数 10），"
        "低于 1 人，请核对小学在校生数和班数。"]


def test_classes_and_teachers_in_a_section_without_pupils(tmp_path):
    """三校 (312, row 4) reports junior classes and teachers but 0 junior pupils."""
    res = _load(tmp_path, table(r2_初中在校生数=0))
    assert _warnings(res, "classes_without_pupils") == [
        "[警告] 文件 t.csv，第 4 行，列 初中班数 (J列)：“初中班数”为 4，但初中在校生数为 0，请核对。"]
    assert _warnings(res, "teachers_without_pupils") == [
        "[警告] 文件 t.csv，第 4 行，列 初中专任教师数 (K列)：有初中专任教师 12 人，但初中在校生数为 0，请核对。"]


# pupils per teacher ------------------------------------------------------------------------------

def test_more_teachers_than_pupils_is_a_warning(tmp_path):
    res = _load(tmp_path, table(r0_小学专任教师数=5000))
    assert _warnings(res, "pupil_teacher_ratio_low") == [
        "[警告] 文件 t.csv，第 2 行，列 小学专任教师数 (H列)：小学生师比 400:5000 低于 1:1"
        "（小学专任教师 5000 人，在校生 400 人），请核对小学专任教师数和在校生数。"]


@pytest.mark.parametrize("teachers,warned", [(400, False), (401, True)])
def test_low_ratio_bound_is_strict(tmp_path, teachers, warned):
    res = _load(tmp_path, table(r0_小学专任教师数=teachers))
    assert bool(_warnings(res, "pupil_teacher_ratio_low")) is warned


# the bounds are settings -------------------------------------------------------------------------

def test_a_bound_is_set_by_its_environment_variable(tmp_path, monkeypatch):
    """Averages of 40 (一小) and 50 (二中, 三校) pupils per class pass the default bound, not a bound of 30."""
    assert not _warnings(_load(tmp_path, table()), "class_size_high")
    monkeypatch.setenv("JUNHENG_MAX_PUPILS_PER_CLASS", "30")
    res = _load(tmp_path, table())
    assert [(w.row, w.column) for w in res.warnings if w.code == "class_size_high"] == [
        (2, "小学班数 (G列)"), (3, "初中班数 (J列)"), (4, "小学班数 (G列)"), (4, "初中班数 (J列)")]
    assert _warnings(res, "class_size_high")[0].endswith(
        "小学平均班额 40.0 人（在校生 400 人 ÷ 班数 10），超过 30 人，请核对小学在校生数和班数。")


@pytest.mark.parametrize("raw,value", [("30", 30.0), ("12.5", 12.5), ("", 100.0), ("abc", 100.0), ("0", 100.0),
                                       ("-5", 100.0), ("nan", 100.0), ("inf", 100.0)])
def test_only_a_positive_number_overrides_a_bound(monkeypatch, raw, value):
    monkeypatch.setenv("JUNHENG_MAX_PUPILS_PER_CLASS", raw)
    assert bound("MAX_PUPILS_PER_CLASS") == value


def test_a_whole_number_bound_takes_whole_numbers_only(monkeypatch):
    monkeypatch.setenv("JUNHENG_MAX_TEACHING_POINT_PUPILS", "150")
    assert bound("MAX_TEACHING_POINT_PUPILS") == 150
    monkeypatch.setenv("JUNHENG_MAX_TEACHING_POINT_PUPILS", "150.5")
    assert bound("MAX_TEACHING_POINT_PUPILS") == plausibility.MAX_TEACHING_POINT_PUPILS


def test_every_bound_is_documented_and_known():
    assert all(isinstance(getattr(plausibility, n), int | float) for n in plausibility.MEANINGS)
    with pytest.raises(KeyError):
        bound("MAX_ANYTHING")


# 城乡分类代码 -------------------------------------------------------------------------------------

def _with_urban_rural(codes: list[str | None]) -> list[list]:
    return [[*HEADER, "城乡分类代码"], *[[*r, c] for r, c in zip(ROWS, codes)]]


def test_urban_rural_code_outside_the_list_is_an_error(load_fails):
    assert _the_error(load_fails(_with_urban_rural(["111", "999", "220"]))) == (
        "[错误] 文件 t.csv，第 3 行，列 城乡分类代码 (O列)：城乡分类代码“999”不在统计用区划和城乡划分代码之中，"
        "应为 111（主城区）、112（城乡结合区）、121（镇中心区）、122（镇乡结合区）、123（特殊区域）、"
        "210（乡中心区）、220（村庄） 之一。", "unknown_urban_rural_code")


def test_every_listed_urban_rural_code_is_read(tmp_path):
    for codes in (["111", "112", "121"], ["122", "123", "210"], ["220", None, "220.0"]):
        res = _load(tmp_path, _with_urban_rural(codes))
        assert res.table["urban_rural_code"].to_list() == [c and c.removesuffix(".0") for c in codes]


# 学校标识码 in scientific notation ---------------------------------------------------------------

def test_an_id_in_scientific_notation_that_lost_digits_is_an_error(load_fails):
    assert _the_error(load_fails(table(r0_学校标识码="5.22327E+9"))) == (
        "[错误] 文件 t.csv，第 2 行，列 学校标识码 (A列)：代码写成了科学计数法“5.22327E+9”，只有 6 位有效数字，"
        "读作 5223270000，后 4 位数字可能已丢失（Excel 把该列设为“常规”格式另存 CSV 时会这样）。"
        "请在 Excel 中把该列设为“文本”格式、填回完整的代码后重新导出。", "scientific_code_digits_lost")


def test_two_ids_lost_to_the_same_notation_are_not_also_called_duplicates(load_fails):
    exc = load_fails(table(r0_学校标识码="5.22327E+9", r1_学校标识码="5.22327E+9"))
    assert [(i.code, i.row) for i in exc.issues if i.level == "error"] == [
        ("scientific_code_digits_lost", 2), ("scientific_code_digits_lost", 3)]
    assert not [i for i in exc.issues if i.code in ("duplicate_school_id", "school_id_format")]


def test_an_id_in_scientific_notation_with_every_digit_is_read_with_a_warning(tmp_path):
    res = _load(tmp_path, table(r0_学校标识码="5.223270001E+9"))
    assert res.table["school_id"][0] == "5223270001"
    assert _warnings(res, "scientific_code") == [
        "[警告] 文件 t.csv，第 2 行，列 学校标识码 (A列)：代码写成了科学计数法“5.223270001E+9”，已按 5223270001 读取"
        "（写出的数字完整）。请把该列设为“文本”格式，以免以后丢失数字。"]


def test_a_county_code_in_scientific_notation_is_checked_too(load_fails):
    exc = load_fails(table(**{"r1_县(区)代码": "5.2232E+5"}))
    [e] = errors_of(exc, "scientific_code_digits_lost")
    assert (e.row, e.column) == (3, "县(区)代码 (C列)") and "后 1 位数字可能已丢失" in e.message


# one validator: the web form's rows get the same messages -----------------------------------------

def test_read_rows_gives_the_same_warnings():
    rows = [[str(v) if v is not None else None for v in r] for r in table(r0_小学专任教师数=5000, r0_小学班数=0)]
    res = read_rows(rows, file="网页填报表")
    assert {w.code: (w.file, w.row, w.column) for w in res.warnings if w.code != "optional_column_missing"} == {
        "pupils_without_classes": ("网页填报表", 2, "小学班数 (G列)"),
        "pupil_teacher_ratio_low": ("网页填报表", 2, "小学专任教师数 (H列)")}
