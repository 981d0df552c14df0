"""County workbook importer, row by row: notes under a table, the 基本信息 rows, unknown and
repeated items, rates given as fractions, and where each message points (sheet, row, column).

Workbooks are the bundled sample's sheets with one change, written by the sample writer (a title
row 1, the header row 2, data from row 3)."""
from __future__ import annotations

import pytest

from junheng.errors import InputError
from junheng.io.county_workbook import read_county_workbook
from junheng.sample.county_writer import sample_sheets, write_county_workbook


def _sheets(**changes) -> dict:
    """The sample's sheets, each named sheet's data rows replaced by ``fn(rows)``."""
    sheets = sample_sheets()
    for name, fn in changes.items():
        head, rows = sheets[name]
        sheets[name] = (list(head), fn([list(r) for r in rows]))
    return sheets


def _read(tmp_path, **changes):
    return read_county_workbook(write_county_workbook(_sheets(**changes), tmp_path / "县.xlsx"))


def _fails(tmp_path, **changes) -> InputError:
    with pytest.raises(InputError) as info:
        _read(tmp_path, **changes)
    return info.value


def _where(issues) -> list[tuple]:
    return [(i.level, i.sheet, i.row, i.column, i.message) for i in issues]


def test_note_and_total_rows_under_a_table_are_skipped(tmp_path):
    """A row with only a note (注/说明/填表/合计 …) in one cell is not data; the same words with a
    value beside them are data (and here an unknown indicator)."""
    res = _read(tmp_path, 指标=lambda rows: [*rows, ["注：数值为 2023 年数据", None, None, None],
                                             [None, None, None, "合计"], ["填表人：张三", None, None, None]])
    assert res.warnings == []
    assert len(res.data.inputs) == 18
    res = _read(tmp_path, 指标=lambda rows: [*rows, ["说明事项", 3, None, None]])
    assert _where(res.warnings) == [("warning", "指标", 21, "指标名称 (A列)",
                                     "无法识别的指标“说明事项”，已忽略（可识别的指标见填表说明）。")]


def test_unknown_item_of_the_basic_information_is_a_warning_naming_its_row(tmp_path):
    res = _read(tmp_path, 基本信息=lambda rows: [*rows, ["学区数", 4]])
    assert _where(res.warnings) == [("warning", "基本信息", 12, "项目 (A列)",
                                     "无法识别的项目“学区数”，已忽略（可识别的项目见填表说明）。")]
    assert res.data.county == "均衡示例县"


def test_an_identity_item_given_twice_names_both_rows(tmp_path):
    e = _fails(tmp_path, 基本信息=lambda rows: [*rows, ["县区名称", "另一县"]])
    assert _where(i for i in e.issues if i.level == "error") == [
        ("error", "基本信息", 12, "项目 (A列)", "项目“县区名称”重复（另见第 4 行）。")]


def test_a_region_that_is_not_east_central_or_west_is_an_error(tmp_path):
    e = _fails(tmp_path, 基本信息=lambda rows: [["地区", "北部"] if r[0] == "地区" else r for r in rows])
    assert _where(i for i in e.issues if i.level == "error") == [
        ("error", "基本信息", 5, "内容 (B列)", "地区“北部”不是有效值，应为东部、中部、西部之一。")]


def test_regions_of_the_two_sheets_must_agree(tmp_path):
    e = _fails(tmp_path, 基本信息=lambda rows: [["地区", "东部"] if r[0] == "地区" else r for r in rows])
    assert _where(i for i in e.issues if i.level == "error") == [
        ("error", "经费", None, "地区 (K列)", "经费表的“地区”与基本信息表不一致。")]


def test_identity_texts_are_read_as_given(tmp_path):
    d = _read(tmp_path, 基本信息=lambda rows: [["县(区)名称", " 均衡 示例县 "] if r[0] == "县(区)名称" else r
                                            for r in rows]).data
    assert (d.county_code, d.county, d.region) == ("529901", "均衡 示例县", "west")


def test_an_item_number_not_in_any_rule_pack_is_kept_with_a_warning(tmp_path):
    res = _read(tmp_path, 定性=lambda rows: [*rows, ["z9", "自拟项目", "未达标", "", None, ""]])
    assert _where(res.warnings) == [("warning", "定性", 33, "编号 (A列)",
                                     "编号 Z9 不是规则包中的项目编号，已保留但不会使用。")]
    a = res.data.answers["Z9"]
    assert (a.status, a.evidence, a.score, a.row) == ("not_met", "", None, 33)


def test_a_rate_given_as_a_fraction_is_read_as_percent_with_a_warning_on_its_cell(tmp_path):
    def fraction(rows):
        rows[0][3] = 0.94       # 满意度(%) of the first group, beside its counts
        return rows

    res = _read(tmp_path, 满意度=fraction)
    [w] = [i for i in res.warnings if i.code == "rate_as_fraction"]
    assert (w.sheet, w.row, w.column) == ("满意度", 3, "满意度(%) (D列)")
    assert w.message == "比例 0.94 按百分数读取（即 0.94%）；如果填的是小数形式（0.94 = 94%），请改为 94。"


def test_an_indicator_given_as_a_fraction_warns_on_its_value(tmp_path):
    def fraction(rows):
        for r in rows:
            if r[0] == "初中三年巩固率":
                r[1] = 0.962
        return rows

    res = _read(tmp_path, 指标=fraction)
    [w] = res.warnings
    assert (w.level, w.sheet, w.column) == ("warning", "指标", "数值 (B列)")
    assert w.message.startswith("“初中三年巩固率”：比例 0.962 按百分数读取（即 0.962%）")
    assert res.data.inputs["junior_retention_rate"] == 0.962
