"""County workbook importer: the sample and template read cleanly; errors name sheet, row and
column in Chinese and load nothing."""
from __future__ import annotations

import pytest

from junheng.errors import InputError
from junheng.io.county_workbook import read_county_workbook
from junheng.sample.county_writer import (
    SAMPLE_COUNTY_XLSX,
    sample_sheets,
    template_sheets,
    write_county_workbook,
    write_template,
)

FIN_HEAD = ["年度", "教育财政拨款(万元)", "财政经常性收入(万元)", "义务教育在校生数", "地区"]


def write(tmp_path, sheets, name="county.xlsx"):
    return write_county_workbook(sheets, tmp_path / name)


def fails(tmp_path, sheets) -> InputError:
    with pytest.raises(InputError) as info:
        read_county_workbook(write(tmp_path, sheets))
    return info.value


def errors(e: InputError) -> list:
    return [i for i in e.issues if i.level == "error"]


def test_bundled_sample_reads_without_warnings():
    res = read_county_workbook(SAMPLE_COUNTY_XLSX)
    assert res.warnings == []
    d = res.data
    assert d.county_code == "529901" and d.county == "均衡示例县" and d.region == "west"
    assert d.finance["year"].to_list() == [2019, 2020, 2021, 2022, 2023]
    assert d.classes.height > 1000 and set(d.classes["level"].unique()) == {"primary", "junior"}
    assert d.inputs["junior_retention_rate"] == 96.2
    assert d.answers["G1"].status == "met" and d.answers["G1"].evidence
    assert d.satisfaction["valid"].sum() == 3400


def test_bundled_sample_is_current(tmp_path):
    """The committed workbook equals what the generator writes now."""
    fresh = read_county_workbook(write(tmp_path, sample_sheets())).data
    bundled = read_county_workbook(SAMPLE_COUNTY_XLSX).data
    assert fresh.finance.equals(bundled.finance)
    assert fresh.classes.equals(bundled.classes)
    assert fresh.inputs == bundled.inputs and fresh.answers == bundled.answers
    assert fresh.profile == bundled.profile


def test_template_reads_as_empty(tmp_path):
    res = read_county_workbook(write_template(tmp_path / "t.xlsx"))
    d = res.data
    assert d.inputs == {} and d.answers == {} and d.finance.height == 0
    assert any("经费表没有任何年度数据" in str(i) for i in res.warnings)


def test_finance_errors_name_sheet_row_column(tmp_path):
    e = fails(tmp_path, {"经费": (FIN_HEAD, [[2020, 100, 1000, 5000, "西部"],
                                           [2021, "一百", 1100, -3, "西部"],
                                           [2021, 120, 1200, 5100.5, "西部"],
                                           [2023, 130, 1300, 5200, "北部"]])})
    errs = errors(e)
    text = "\n".join(str(i) for i in errs)
    assert "工作表 经费" in text
    bad = {(i.row, i.column.split(" ")[0]) for i in errs}
    assert (4, "教育财政拨款(万元)") in bad        # row 4 = second data row (title, header, data)
    assert (4, "义务教育在校生数") in bad           # negative
    assert (5, "义务教育在校生数") in bad           # not an integer
    assert (6, "地区") in bad                       # unknown region
    assert any("年度 2021 重复" in i.message for i in errs)
    assert any("缺少 2022 年" in i.message for i in errs)
    first = next(i for i in errs if i.row == 4 and i.column.startswith("教育财政拨款"))
    assert "“一百”不是数值" in first.message and "(B列)" in first.column
    assert str(e) == f"输入文件有 {len(errs)} 处错误，未导入任何数据。"


def test_money_unit_in_header_converts(tmp_path):
    head = ["年度", "教育财政拨款(元)", "财政经常性收入(万元)"]
    d = read_county_workbook(write(tmp_path, {"经费": (head, [[2020, 1_000_000, 10], [2021, 2_000_000, 11]])})).data
    assert d.finance["appropriation_wan"].to_list() == [100.0, 200.0]


def test_classes_and_schools_errors(tmp_path):
    e = fails(tmp_path, {
        "班级": (["学校标识码", "学段", "班级", "人数"], [["2152000001", "小学", "一(1)班", 45],
                                                   ["2152000001", "高中", "一(2)班", 40],
                                                   ["2152000001", "小学", "一(1)班", 44],
                                                   ["2152000002", "初中", "七(1)班", None]]),
        "学校": (["学校标识码", "音乐专用教室数", "美术专用教室数"], [["2152000001", 1, 1], ["2152000001", 1.5, 1]]),
    })
    msgs = {(i.sheet, i.row, i.message) for i in errors(e)}
    assert ("班级", 4, "“高中”不是有效值，应为小学、初中之一。") in msgs
    assert any(s == "班级" and r == 5 and "重复" in m for s, r, m in msgs)
    assert ("班级", 6, "“人数”不能为空。") in msgs
    assert any(s == "学校" and r == 4 and "重复" in m for s, r, m in msgs)
    assert ("学校", 4, "数值 1.5 不是整数（此列为人数/个数）。") in msgs


def test_inputs_answers_satisfaction_errors(tmp_path):
    e = fails(tmp_path, {
        "指标": (["指标名称", "数值", "单位"], [["初中三年巩固率", "101%", "%"], ["交流轮岗教师数", 300, "人"],
                                          ["符合交流条件教师数", 200, "人"], ["残疾儿童少年入学率", "九十五", "%"],
                                          ["某某指标", 1, ""]]),
        "定性": (["编号", "状态", "佐证材料"], [["G1", "达标", "文件"], ["G1", "达标", "文件"], ["Q3", "良好", ""]]),
        "满意度": (["调查对象", "有效问卷数", "满意数", "满意度(%)"], [["家长", 100, 120, None], ["学生", 100, None, None]]),
    })
    errs = errors(e)
    by_sheet = {}
    for i in errs:
        by_sheet.setdefault(i.sheet, []).append(i)
    assert any("比例 101% 超过 100%" in i.message and i.row == 3 for i in by_sheet["指标"])
    assert any("交流轮岗教师数 300 大于符合交流条件教师数 200" in i.message for i in by_sheet["指标"])
    assert any("不是数值" in i.message and i.row == 6 for i in by_sheet["指标"])
    assert any("编号 G1 重复" in i.message and i.row == 4 for i in by_sheet["定性"])
    assert any("“良好”不是有效值" in i.message and i.column.startswith("状态") for i in by_sheet["定性"])
    assert any("满意数 120 大于有效问卷数 100" in i.message for i in by_sheet["满意度"])
    assert any("请填写“满意数”或“满意度”" in i.message and i.row == 4 for i in by_sheet["满意度"])
    warns = [i for i in e.issues if i.level == "warning"]
    assert any("无法识别的指标“某某指标”" in i.message for i in warns)


def test_rate_given_as_fraction_warns(tmp_path):
    res = read_county_workbook(write(tmp_path, {"指标": (["指标名称", "数值"], [["初中三年巩固率", 0.96]])}))
    assert res.data.inputs["junior_retention_rate"] == 0.96
    assert any("按百分数读取" in str(w) and "96" in str(w) for w in res.warnings)


def test_missing_required_column_and_unknown_workbook(tmp_path):
    e = fails(tmp_path, {"班级": (["学校标识码", "班级", "人数"], [["2152000001", "一(1)班", 40]])})
    assert any("缺少必填列“学段”" in i.message and i.sheet == "班级" for i in errors(e))
    e = fails(tmp_path, {"Sheet1": (["a", "b"], [[1, 2]])})
    assert any(i.code == "no_county_sheets" for i in errors(e))


def test_csv_is_refused(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("年度\n2020\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_county_workbook(p)
    assert "Excel 工作簿" in info.value.issues[0].message


def test_template_lists_every_item(tmp_path):
    sheets = template_sheets()
    ids = [r[0] for r in sheets["定性"][1]]
    assert {"G1", "G3", "Q9", "V1", "B1", "B17"} <= set(ids) and "R1" not in ids and "G5" not in ids
    assert len(sheets["指标"][1]) == 18


def _sample_with(**changes):
    sheets = sample_sheets()
    for name, fn in changes.items():
        head, rows = sheets[name]
        sheets[name] = fn(list(head), [list(r) for r in rows])
    return sheets


def test_met_without_evidence_is_only_a_warning(tmp_path):
    def no_evidence(head, rows):
        rows[0][head.index("佐证材料")] = ""
        return head, rows

    res = read_county_workbook(write(tmp_path, _sample_with(定性=no_evidence)))
    first = sample_sheets()["定性"][1][0][0]
    [w] = [i for i in res.warnings if "没有填写佐证材料" in i.message]
    assert w.level == "warning" and w.row == 3 and w.sheet == "定性"  # the first data row
    assert w.message.startswith(f"{first} 标为达标")
    assert res.data.answers[first].status == "met"


@pytest.mark.parametrize("years,span", [([2023], "（2023年）"), ([2022, 2023], "（2022–2023年）"),
                                        ([2021, 2022, 2023], "（2021–2023年）")])
def test_short_finance_series_names_its_years(years, span):
    from junheng.io.county_workbook import _years_warning

    text = _years_warning(years)
    assert f"只有 {len(years)} 个年度{span}" in text


def test_score_of_a_qualitative_item_is_read(tmp_path):
    def scored(head, rows):
        rows[0][head.index("得分")] = 7
        return head, rows

    res = read_county_workbook(write(tmp_path, _sample_with(定性=scored)))
    first = sample_sheets()["定性"][1][0][0]
    assert res.data.answers[first].score == 7 and res.data.answers[first].row == 3


@pytest.mark.parametrize("year,ok", [(1990, True), (1989, False), (2100, True), (2101, False)])
def test_finance_years_from_1990_to_2100(tmp_path, year, ok):
    def one_year(head, rows):
        rows = rows[:1]
        rows[0][0] = year
        return head, rows

    path = write(tmp_path, _sample_with(经费=one_year))
    if ok:
        assert read_county_workbook(path).data.finance["year"].to_list() == [year]
    else:
        e = fails(tmp_path, _sample_with(经费=one_year))
        assert any(f"年度 {year} 不在 1990–2100 之间" in i.message for i in errors(e))


def test_satisfaction_rate_disagreeing_with_the_counts_is_a_warning(tmp_path):
    def both(head, rows):
        rows[0][head.index("满意度(%)")] = 50
        return head, rows

    res = read_county_workbook(write(tmp_path, _sample_with(满意度=both)))
    [w] = [i for i in res.warnings if "不一致，按满意数计算" in i.message]
    assert w.level == "warning" and w.sheet == "满意度"
    assert "满意数 ÷ 有效问卷数 = 94.17%" in w.message      # 1130 / 1200
    assert res.data.satisfaction["satisfied"][0] == 1130


def test_two_sheets_of_one_kind_are_named(tmp_path):
    sheets = sample_sheets()
    sheets["教育经费"] = sheets["经费"]     # a synonym of the 经费 sheet
    e = fails(tmp_path, sheets)
    [d] = [i for i in errors(e) if i.code == "duplicate_sheet"]
    assert d.message == "工作表“教育经费”与“经费”都是“经费”表，请删除其一。"


def test_region_from_the_finance_sheet_when_basic_info_has_none(tmp_path):
    def no_region(head, rows):
        return head, [r for r in rows if r[0] != "地区"]

    d = read_county_workbook(write(tmp_path, _sample_with(基本信息=no_region))).data
    assert d.region == "west"      # 经费 sheet: 地区 西部


def test_short_finance_series_warning_points_at_the_year_column(tmp_path):
    def two_years(head, rows):
        return head, rows[-2:]

    res = read_county_workbook(write(tmp_path, _sample_with(经费=two_years)))
    [w] = [i for i in res.warnings if "个年度" in i.message and i.sheet == "经费"]
    assert w.column.startswith("年度")


def test_blank_count_in_the_class_sheet_is_a_missing_value(tmp_path):
    e = fails(tmp_path, {"班级": (["学校标识码", "学段", "班级", "人数"], [["2152000001", "小学", "一(1)班", None]])})
    [m] = [i for i in errors(e) if i.message == "“人数”不能为空。"]
    assert m.code == "missing_value" and m.row == 3   # the first data row (row 2 is the header)


def test_zero_pupils_in_a_finance_year_is_an_error(tmp_path):
    def zero(head, rows):
        rows[1][head.index("义务教育在校生数")] = 0
        return head, rows

    e = fails(tmp_path, _sample_with(经费=zero))
    [z] = [i for i in errors(e) if i.sheet == "经费" and i.column.startswith("义务教育在校生数")]
    assert z.message == "义务教育在校生数不能为 0。" and z.row == 4


def test_row_checks_of_finance_and_classes_name_their_rows(tmp_path):
    def boarders(head, rows):
        rows[2][head.index("寄宿生数")] = rows[2][head.index("义务教育在校生数")] + 1
        return head, rows

    def empty_class(head, rows):
        rows[3][head.index("人数")] = 0
        return head, rows

    e = fails(tmp_path, _sample_with(经费=boarders, 班级=empty_class))
    found = {(i.sheet, i.row, i.column.split(" ")[0]) for i in errors(e)
             if "大于义务教育在校生数" in i.message or i.message == "班级人数不能为 0。"}
    assert found == {("经费", 5, "寄宿生数"), ("班级", 6, "人数")}
