"""Findings of the fresh-eyes user test of the county checks, one test (or more) each:
mistyped headers, school ids not in the school table, a header typo flooding the output, a
finance series too short, messages that mention CSV, the doubled 示例评分表 note, the workbook's
own instructions and the template entry point."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest

from junheng.core import assess
from junheng.core import county_checks as cc
from junheng.core.county_verdict import evaluate_county
from junheng.core.funding import funding_checks
from junheng.errors import InputError
from junheng.io.county_workbook import read_county_workbook
from junheng.sample.county_writer import instructions, template_sheets, write_county_workbook, write_template
from junheng.report.narrative.findings import say, say_all
from tests.county.test_county_verdict import B52, Q, SCHOOLS, good_data, run

DOCS = Path(__file__).resolve().parents[2] / "docs" / "county-workbook.md"
FIN = ["年度", "教育财政拨款(万元)", "财政经常性收入(万元)", "义务教育在校生数", "教师平均工资(元)", "公务员平均工资(元)"]


def load(tmp_path, sheets, name="county.xlsx"):
    return read_county_workbook(write_county_workbook(sheets, tmp_path / name))


def refused(tmp_path, sheets) -> InputError:
    with pytest.raises(InputError) as info:
        load(tmp_path, sheets)
    return info.value


def item(ch, item_id):
    return next(i for p in ch.parts.values() for i in p.items if i.id == item_id)


# 1. A mistyped header is reported, and the item needing the column says which column is missing.

def test_unrecognised_header_warns_with_column_letter(tmp_path):
    head = ["年度", "教育财政拨款万元)", "财政经常性收入(万元)"]
    res = load(tmp_path, {"经费": (head, [[2022, 100, 1000], [2023, 110, 1050]])})
    w = [i for i in res.warnings if i.code == "unknown_columns"]
    assert len(w) == 1 and w[0].sheet == "经费"
    assert "以下列无法识别，已忽略：教育财政拨款万元)(B列)，是否拼写有误？" in w[0].message
    assert "appropriation_wan" not in res.data.finance.columns


def test_template_extra_column_is_not_reported(tmp_path):
    res = load(tmp_path, template_sheets())
    assert not [i for i in res.warnings if i.code == "unknown_columns"]     # 定性's 适用规则包 is known


def test_missing_finance_column_is_named_in_the_items():
    fin = good_data(Q).finance.drop("appropriation_wan")
    f = funding_checks(fin, Q.funding, "west")
    assert any("缺少“教育财政拨款”列" in n for n in say_all(f.checks["appropriation_vs_revenue"].notes))
    assert not any("教育财政拨款" in n for n in say_all(f.checks["budget_not_falling"].notes))
    ch = run(Q, good_data(Q, finance=fin))
    f1, f2 = item(ch, "F1"), item(ch, "F2")
    assert f1.passed is None and "无法判定" in say(f1.detail) and "缺少“教育财政拨款”列" in say(f1.detail)
    assert "缺少“教育财政拨款”列" in say(f2.detail)
    out = cc.teacher_pay(fin.drop("civil_servant_pay_yuan"), {"min_ratio": 1.0})
    assert out.passed is None and "缺少“公务员平均工资”列" in say(out.detail)


def test_missing_school_sheet_column_is_named():
    extra = good_data(Q).schools.drop("art_rooms")
    ch = run(Q, good_data(Q, schools=extra))
    g3 = item(ch, "G3")
    assert g3.passed is None and "缺少“美术专用教室数”列" in say(g3.detail)
    g6 = cc.small_school_funding(extra.drop("operating_funds_yuan"),
                                 cc_schools(("1", "primary", 60, 0, 3, 0)), Q.funding, "west")
    assert g6.passed is None and "缺少“公用经费拨款”列" in say(g6.detail)


def cc_schools(*rows) -> pl.DataFrame:
    return pl.DataFrame([{"school_id": r[0], "name": f"学校{r[0]}", "category": r[1], "school_type": 0,
                          "students_P": float(r[2]), "students_J": float(r[3]),
                          "classes_P": float(r[4]), "classes_J": float(r[5])} for r in rows])


# 2. School ids of the 班级 / 学校 sheets are compared with the school table.

def test_unknown_class_ids_are_warned_and_not_used():
    data = good_data(Q)
    ghost = pl.DataFrame({"school_id": ["9999999999"], "level": ["primary"], "class_name": ["一年级(1)班"],
                          "size": [80], "source_row": [99]})
    ch = run(Q, good_data(Q, classes=pl.concat([data.classes, ghost])))
    g5 = item(ch, "G5")
    assert g5.passed is True and not any("9999999999" in f for f in say_all(g5.failures))
    assert any("9999999999" in n and "第 99 行" in n for n in say_all(g5.notes))
    assert any("“班级”工作表" in n and "9999999999" in n for n in say_all(ch.notes))
    assert ch.verdict is True


def test_unknown_ids_are_listed_at_most_ten():
    data = good_data(Q)
    ghosts = pl.DataFrame({"school_id": [f"99999999{k:02d}" for k in range(12)], "music_rooms": [1] * 12,
                           "art_rooms": [1] * 12, "operating_funds_yuan": [1.0] * 12})
    ch = run(Q, good_data(Q, schools=pl.concat([data.schools, ghosts])))
    note = next(n for n in say_all(ch.notes) if "“学校”工作表" in n)
    assert "12 个学校标识码" in note and "9999999909" in note and "9999999910" not in note and "等" in note
    assert item(ch, "G3").passed is True


def test_school_missing_from_sheet_is_named_and_undecided():
    data = good_data(Q)
    extra = data.schools.filter(pl.col("school_id") != "2152000002")
    ch = run(Q, good_data(Q, schools=extra))
    g3 = item(ch, "G3")
    assert g3.passed is None and "2152000002" in say(g3.detail)
    assert any("G3" in n and "2152000002" in n for n in say_all(ch.notes))
    # another school failing: the item fails and still names the missing school
    extra = extra.with_columns(pl.when(pl.col("school_id") == "2152000001").then(0).otherwise(pl.col("music_rooms"))
                               .alias("music_rooms"))
    g3 = item(run(Q, good_data(Q, schools=extra)), "G3")
    assert g3.passed is False and "2152000002" in say(g3.detail) and "2152000001" in say_all(g3.failures)[0]
    classes = data.classes.filter(pl.col("school_id") != "3152000004")
    g5 = item(run(Q, good_data(Q, classes=classes)), "G5")
    assert g5.passed is None and "3152000004" in say(g5.detail) and any("3152000004" in n for n in say_all(g5.notes))


def test_missing_school_setting_in_the_rule_pack():
    assert Q.county_workbook.missing_school == "undecided"
    strict = Q.model_copy(update={"county_workbook": Q.county_workbook.model_copy(update={"missing_school": "fail"})})
    data = good_data(Q)
    extra = data.schools.filter(pl.col("school_id") != "2152000002")
    ch = run(strict, good_data(Q, schools=extra))
    g3 = item(ch, "G3")
    assert g3.passed is False and "未列入" in say_all(g3.failures)[0] and "2152000002" in say_all(g3.failures)[0]
    assert any(f.id == "G3" for f in ch.failures)
    with pytest.raises(Exception):
        type(Q.county_workbook)(missing_school="maybe")


# 3. A header typo in the 班级 sheet gives one error, first, with the hint; no spurious duplicates.

def test_class_sheet_header_typo_does_not_flood(tmp_path):
    rows = [["2152000001", "小学", f"一年级({k % 5 + 1})班", 40] for k in range(200)]
    e = refused(tmp_path, {"班级": (["学校识别码", "学段", "班级", "人数"], rows)})
    errors = [i for i in e.issues if i.level == "error"]
    assert len(errors) == 1
    first = e.issues[0]
    assert first.level == "error" and first.code == "missing_column" and first.sheet == "班级"
    assert "缺少必填列“学校标识码”" in first.message and "学校识别码(A列)" in first.message and "拼写" in first.message
    assert not any("重复" in i.message for i in e.issues)


def test_school_sheet_without_id_column_has_no_duplicate_errors(tmp_path):
    e = refused(tmp_path, {"学校": (["学校编码", "音乐专用教室数", "美术专用教室数"], [["1", 1, 1], ["2", 1, 1]])})
    assert [i.code for i in e.issues if i.level == "error"] == ["missing_column"]


def test_satisfaction_without_count_or_rate_column_is_one_error(tmp_path):
    e = refused(tmp_path, {"满意度": (["调查对象", "有效问卷数", "满意人次"], [["家长", 100, 90], ["学生", 100, 95]])})
    errors = [i for i in e.issues if i.level == "error"]
    assert len(errors) == 1 and "“满意数”或“满意度”" in errors[0].message and "满意人次(C列)" in errors[0].message


# 4. A finance series too short is warned about; G8 uses the latest year and names it.

def test_one_year_of_finance_warns(tmp_path):
    res = load(tmp_path, {"经费": (FIN, [[2019, 100, 1000, 500, 80000, 79000]])})
    w = [i for i in res.warnings if "经费表只有 1 个年度" in i.message]
    assert len(w) == 1 and "至少 2 个年度" in w[0].message and "4 个年度" in w[0].message
    f = funding_checks(res.data.finance, Q.funding, "west")
    assert all("只有 1 个年度" in " ".join(say_all(f.checks[c].notes)) for c in ("appropriation_vs_revenue", "budget_not_falling"))
    ch = run(Q, replace(good_data(Q), finance=res.data.finance))
    assert "只有 1 个年度" in say(item(ch, "F1").detail)
    assert "2019年" in say(item(ch, "G8").detail)


def test_three_years_warn_about_the_basic_window(tmp_path):
    rows = [[y, 100 + y - 2021, 1000, 500, 80000, 79000] for y in (2021, 2022, 2023)]
    res = load(tmp_path, {"经费": (FIN, rows)})
    assert any("只有 3 个年度" in i.message and "4 个年度" in i.message for i in res.warnings)
    ch = run(B52, good_data(B52))                       # good_data has 2021–2023
    b8 = item(ch, "B8")
    assert b8.score == 7 and "只核对了 2 次" in say(b8.detail) and b8.notes


def test_teacher_pay_uses_the_latest_year_only():
    fin = pl.DataFrame({"year": [2022, 2023], "teacher_pay_yuan": [90_000.0, 85_000.0],
                        "civil_servant_pay_yuan": [80_000.0, None]})
    out = cc.teacher_pay(fin, {"min_ratio": 1.0})
    assert out.passed is None and "2023年" in say(out.detail) and "公务员平均工资" in say(out.detail)
    fin = pl.DataFrame({"year": [2023, 2022], "teacher_pay_yuan": [79_000.0, 90_000.0],
                        "civil_servant_pay_yuan": [80_000.0, 80_000.0]})
    out = cc.teacher_pay(fin, {"min_ratio": 1.0})
    assert out.passed is False and say(out.detail).startswith("2023年")


def test_old_finance_is_noted_against_the_school_table_year():
    ch = evaluate_county(assess(SCHOOLS, Q, year=2026), good_data(Q), Q, table=SCHOOLS)
    assert any("经费表最近年度为 2023 年" in n for n in say_all(ch.notes))


# 5. Messages of the county workbook mention Excel only; the example note appears once.

def test_non_spreadsheet_messages_do_not_mention_csv(tmp_path):
    for name, content in (("junk.xlsx", "this is not a workbook\n"), ("junk", "x"), ("pic.xlsx", "\x89PNG....")):
        p = tmp_path / name
        p.write_text(content, encoding="latin-1")
        with pytest.raises(InputError) as info:
            read_county_workbook(p)
        msg = info.value.issues[0].message
        assert ".csv" not in msg.lower() and "CSV" not in msg and ".xlsx" in msg and ".xls" in msg, msg
        assert "学校数据表" not in msg


def test_example_score_sheet_note_once():
    ch = run(B52, good_data(B52))
    notes = " ".join(say_all(ch.parts["score"].notes))
    assert notes.count("示例评分表") == 1


# 6. The workbook explains itself; the docs match the sheets; the template entry point.

def test_instructions_sheet_is_self_sufficient():
    text = "\n".join(instructions())
    for name in ("基本信息", "经费", "班级", "学校", "指标", "定性", "满意度"):
        assert f"【{name}】" in text
    assert "适用规则包" in text and "4 个年度" in text and "学校标识码（必填）" in text
    assert "README" in text


def test_docs_describe_the_sheets():
    doc = DOCS.read_text(encoding="utf-8")
    assert "三列（单位、说明可选）" not in doc and "适用规则包" in doc
    assert "missing_school" in doc and "4 个年度" in doc and "junheng template county" in doc


def test_write_template_entry_point(tmp_path):
    p = write_template(tmp_path / "县级数据模板")
    assert p.suffix == ".xlsx" and p.is_file()
    assert read_county_workbook(p).data.answers == {}
    with pytest.raises(FileExistsError):
        write_template(p)
    assert write_template(p, overwrite=True) == p
    with pytest.raises(ValueError):
        write_template(tmp_path / "t.csv")
