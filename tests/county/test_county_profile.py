"""The county profile (基本信息: area, townships, population, economy): read from the county
workbook as numbers in their canonical units, refused with sheet/row/column when wrong, and written
into the 自评报告's 基本情况 — or left as 【请填写】 fields item by item when not given."""
from __future__ import annotations

import pytest

from junheng.core.county_result import CountyChecks
from junheng.errors import InputError
from junheng.io.county_fields import INFO
from junheng.io.county_workbook import read_county_workbook
from junheng.report.narrative.report import profile_sentence
from junheng.sample.county_writer import SAMPLE_PROFILE, sample_sheets, write_county_workbook


def _with_info(rows: list[list]) -> dict:
    sheets = sample_sheets()
    head, _ = sheets["基本信息"]
    sheets["基本信息"] = (head, [["县(区)代码", "529901"], ["县(区)名称", "均衡示例县"], ["地区", "西部"], *rows])
    return sheets


def _read(tmp_path, rows):
    return read_county_workbook(write_county_workbook(_with_info(rows), tmp_path / "c.xlsx"))


def test_sample_profile_is_read_in_canonical_units(tmp_path):
    d = read_county_workbook(write_county_workbook(sample_sheets(), tmp_path / "c.xlsx")).data
    assert d.profile == {k: float(v) for k, v in SAMPLE_PROFILE.items()}


def test_synonyms_full_width_brackets_and_blank_rows(tmp_path):
    d = _read(tmp_path, [["县域面积(平方公里)", "1,234.5"], ["乡镇数", 12], ["常住人口（万人）", None],
                         ["GDP（亿元）", "99.9"]]).data
    assert d.profile == {"area_km2": 1234.5, "townships": 12.0, "gdp": 99.9}


@pytest.mark.parametrize("row, column, needle", [
    (["全县总面积（平方米）", 2316], "项目", "单位应为平方公里"),
    (["全县总面积", "两千"], "内容", "两千"),
    (["辖乡镇（街道）个数", 18.5], "内容", "18.5"),
    (["户籍人口（万人）", -3], "内容", "-3"),
])
def test_bad_profile_rows_name_sheet_row_and_column(tmp_path, row, column, needle):
    with pytest.raises(InputError) as info:
        _read(tmp_path, [row])
    errs = [i for i in info.value.issues if i.level == "error"]
    assert len(errs) == 1
    e = errs[0]
    assert e.sheet == "基本信息" and e.row == 6 and column in (e.column or "") and needle in e.message


def test_a_row_given_twice_is_an_error(tmp_path):
    with pytest.raises(InputError) as info:
        _read(tmp_path, [["全县总面积（平方公里）", 1], ["县域面积", 2]])
    (e,) = [i for i in info.value.issues if i.level == "error"]
    assert e.row == 7 and "第 6 行" in e.message


def _checks(profile: dict[str, float]) -> CountyChecks:
    return CountyChecks("quality-2017", "529901", "529901", "均衡示例县", None, {}, profile=profile)


def test_report_sentence_from_the_profile():
    assert profile_sentence(_checks({k: float(v) for k, v in SAMPLE_PROFILE.items()})) == (
        "总面积2316平方公里，辖乡镇（街道）18个，户籍人口48.6万人，常住人口41.2万人。"
        "上年地区生产总值186.4亿元，一般公共预算收入12.7亿元。")


def test_each_missing_item_is_its_own_fill_field():
    s = profile_sentence(_checks({"area_km2": 10.0, "gdp": 5.25}))
    assert s == ("总面积10平方公里，【请填写：辖乡镇（街道）个数】，【请填写：户籍人口（万人）】，【请填写：常住人口（万人）】。"
                 "上年地区生产总值5.25亿元，【请填写：上年一般公共预算收入（亿元）】。")
    assert profile_sentence(None).count("【请填写：") == 6


def test_info_sheet_spec_unchanged():
    """The profile lives in the 基本信息 rows, not in new columns (two columns: 项目, 内容)."""
    assert [f.header for f in INFO.fields] == ["项目", "内容"]


def test_unknown_item_is_a_warning_not_silence(tmp_path):
    res = _read(tmp_path, [["全县总面积（公顷）", 5]])
    assert res.data.profile == {}
    (w,) = [i for i in res.warnings if "公顷" in i.message]
    assert w.sheet == "基本信息" and w.row == 6
