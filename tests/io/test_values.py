"""Cell values: school types, equipment units, ids, counties, PE/art and raw breakdowns."""
from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from io_files import HEADER, ROWS, errors_of, table, write_csv, write_xlsx

from junheng.io import read_school_table
from junheng.errors import InputError
from junheng.io.convert import school_type_code


@pytest.mark.parametrize("cell,code", [
    ("211", 211), ("211.0", 211), ("211 小学", 211), ("211-小学", 211), ("小学", 211), ("完全小学", 211),
    ("小学教学点", 218), ("初级中学", 311), ("九年一贯制学校", 312), ("完全中学", 341),
    ("十二年一贯制学校", 345), ("高级中学", 342), ("特殊教育学校", 519), ("特教学校", 519), ("515", 515),
    ("九年一贯制", 312), (" 初 中 ", 311), ("2110", None), ("幼儿园", None), ("999", None),
])
def test_school_type_code(cell, code):
    assert school_type_code(cell) == code


def test_school_type_by_name_in_file(tmp_path):
    res = read_school_table(write_csv(tmp_path / "t.csv", table(r0_办学类型="小学", r1_办学类型="初级中学",
                                                                r2_办学类型="九年一贯制学校")))
    assert res.table["school_type"].to_list() == [211, 311, 312]


@pytest.mark.parametrize("header,default,factor,warned", [
    ("教学仪器设备资产值(万元)", "万元", 10_000, False),
    ("教学仪器设备资产值（元）", "万元", 1, False),
    ("教学仪器设备资产值", "万元", 10_000, True),
    ("教学仪器设备资产值", "元", 1, True),
])
def test_equipment_unit(tmp_path, header, default, factor, warned):
    rows = table(header=HEADER[:-1] + [header])
    res = read_school_table(write_csv(tmp_path / "t.csv", rows), equipment_unit_default=default)
    assert res.table["equipment_value_yuan"].to_list() == [12.5 * factor, 30.0 * factor, 20.0 * factor]
    assert bool([w for w in res.warnings if w.code == "equipment_unit_assumed"]) == warned


def test_leading_zeros_and_numeric_ids(tmp_path):
    rows = table(r0_学校标识码="0152000001", r1_学校标识码="2152000002.0", r2_学校标识码="2.152000003E9")
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    assert res.table["school_id"].to_list() == ["0152000001", "2152000002", "2152000003"]
    rows = table(r1_学校标识码=2152000002, r2_学校标识码="0052000003")  # a number cell and a text cell
    res = read_school_table(write_xlsx(tmp_path / "t.xlsx", rows))
    assert res.table["school_id"].to_list() == ["5223270001", "2152000002", "0052000003"]
    assert res.table["county_code"].to_list() == ["522327"] * 3
    assert res.table.schema["school_id"] == pl.Utf8


def test_thousands_separator_and_dash(tmp_path):
    res = read_school_table(write_csv(tmp_path / "t.csv", table(r1_图书="20,000", r0_初中班数="-")))
    assert res.table["books"].to_list() == [8000, 20000, 10000]
    assert res.table["classes_J"][0] is None


def test_multi_county_file_keeps_county_columns(tmp_path):
    rows = table()
    rows[3][2], rows[3][3] = "522328", "另一县"  # 县(区)代码, 县(区) of the third school
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    t = res.table
    assert t["county_code"].to_list() == ["522327", "522327", "522328"]
    assert t["county"].to_list() == ["某县", "某县", "另一县"]
    assert t.group_by("county_code").len().sort("county_code")["len"].to_list() == [2, 1]


def test_defaults_and_canonical_columns(tmp_path):
    from junheng.schema import FIELDS

    res = read_school_table(write_csv(tmp_path / "t.csv", table()))
    t = res.table
    assert t.columns[: len(FIELDS)] == [f.code for f in FIELDS] and "source_row" in t.columns
    assert t["ownership"].to_list() == ["公办"] * 3 and t["authority"].to_list() == ["县属"] * 3
    assert t.schema["students_P"] == pl.Int64
    assert t.schema["teaching_area_m2"] == pl.Float64
    assert t["pe_art_teachers_P"].to_list() == [None, None, None]


def test_pe_art_given_or_summed(tmp_path):
    header = HEADER + ["小学体育专任教师数", "小学音乐专任教师数", "小学美术专任教师数", "初中体育艺术专任教师数"]
    rows = [[*r, *v] for r, v in zip(ROWS, ([2, 1, None, None], [None, None, None, 6], [1, 1, 1, 2]))]
    res = read_school_table(write_csv(tmp_path / "t.csv", [header, *rows]))
    assert res.table["pe_art_teachers_P"].to_list() == [3, None, 3]
    assert res.table["pe_art_teachers_J"].to_list() == [None, 6, 2]
    assert res.table["music_teachers_P"].to_list() == [1, None, 1]


QUAL = ["小学研究生", "小学本科", "小学专科", "小学高中及以下", "初中研究生", "初中本科", "初中专科"]
TITLE = ["小学正高级", "小学高级", "小学一级", "小学二级", "小学小学高级", "初中正高级", "初中高级", "初中一级",
         "初中中学高级", "初中中学一级"]


def _breakdown_rows():
    vals = ([1, 10, 8, 1, None, None, None], [None, None, None, None, 2, 30, 8],
            [0, 10, 4, 1, 1, 9, 2])
    titles = ([0, 3, 6, 10, 1, None, None, None, None, None], [None] * 5 + [1, 5, 10, 2, 3],
              [0, 2, 5, 8, 0, 0, 3, 4, 1, 0])
    return [HEADER + QUAL + TITLE] + [[*r, *q, *t] for r, q, t in zip(ROWS, vals, titles)]


def test_breakdown_derivation(tmp_path):
    res = read_school_table(write_csv(tmp_path / "t.csv", _breakdown_rows()))
    t = res.table
    assert t["qualified_teachers_P"].to_list() == [19, None, 14]   # 研究生 + 本科 + 专科
    assert t["qualified_teachers_J"].to_list() == [None, 32, 10]   # 研究生 + 本科
    assert t["senior_title_teachers_P"].to_list() == [10, None, 7]  # 正高级 + 高级 + 一级 + 小学高级
    assert t["senior_title_teachers_J"].to_list() == [None, 21, 8]  # … + 中学高级 + 中学一级
    assert t["edu_bachelor_P"].to_list() == [10, None, 10]


def test_breakdown_agreeing_with_given_count_loads(tmp_path):
    rows = _breakdown_rows()
    rows[0].append("小学高于规定学历专任教师数")
    for r, v in zip(rows[1:], (19, None, 14)):
        r.append(v)
    assert read_school_table(write_csv(tmp_path / "t.csv", rows)).table["qualified_teachers_P"].to_list() == [19, None, 14]


def test_breakdown_disagreement_is_an_error(load_fails):
    rows = _breakdown_rows()
    rows[0].append("初中中级及以上职称专任教师数")
    for r, v in zip(rows[1:], (None, 21, 9)):
        r.append(v)
    exc = load_fails(rows)
    [e] = errors_of(exc, "breakdown_mismatch")
    assert (e.row, e.column) == (4, "初中中级及以上职称专任教师数 (AF列)")  # 32nd column
    assert "9" in e.message and "8" in e.message


def test_derived_count_still_checked_against_teachers(load_fails):
    rows = _breakdown_rows()
    rows[1][len(HEADER) + QUAL.index("小学本科")] = 30
    exc = load_fails(rows)
    [e] = errors_of(exc, "part_exceeds_whole")
    assert e.row == 2 and e.column.startswith("小学高于规定学历专任教师数（由 小学研究生")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3000), st.integers(0, 200), st.integers(0, 10**6)), min_size=1, max_size=20))
def test_counts_round_trip(tmp_path_factory, rows):
    header = ["学校标识码", "学校名称", "办学类型", "小学在校生数", "小学班数", "小学专任教师数", "图书"]
    data = [[f"{i:010d}", f"学校{i}", "211", s, c, max(1, s // 20), b] for i, (s, c, b) in enumerate(rows)]
    path = write_csv(tmp_path_factory.mktemp("rt") / "t.csv", [header, *data], encoding="gbk")
    t = read_school_table(path).table
    assert t["students_P"].to_list() == [r[0] for r in rows]
    assert t["classes_P"].to_list() == [r[1] for r in rows]
    assert t["books"].to_list() == [r[2] for r in rows]
    assert t["school_id"].to_list() == [d[0] for d in data]


def test_convert_columns_without_any_text_column():
    """Only number columns (no text to screen): separators and blanks handled, nothing reported."""
    import polars as pl

    from junheng.io.convert import convert_columns
    from junheng.io.issues import IssueCollector
    from junheng.schema import Field

    rep = IssueCollector(file="t.csv")
    df = pl.DataFrame({"books": ["12", "1,200", " "], "source_row": [2, 3, 4]})
    out, bad = convert_columns(df, [Field("books", "图书", "int", "册")], rep)
    assert out["books"].to_list() == [12, 1200, None] and bad == {} and rep.issues == []


def test_breakdown_fields_accept_the_statistics_headers():
    """The breakdown columns (built once at import) and their accepted headers, per section."""
    from junheng.io.breakdowns import BREAKDOWN_FIELDS, _fields

    fresh = {f.code: f for f in _fields()}
    assert tuple(fresh.values()) == BREAKDOWN_FIELDS
    senior = fresh["title_senior_J"]
    assert senior.header == "初中高级职称专任教师数" and senior.section == "J" and senior.kind == "int"
    assert {"初中高级", "初中高级教师", "初中专任教师高级", "初中高级职称", "初中高级教师数"} <= set(senior.synonyms)
    assert "小学大专" in fresh["edu_associate_P"].synonyms


def test_repeated_reads_share_no_state():
    """The expressions the importer caches between calls (one web form per request) carry no
    values: the same columns read clean, then needing cleaning, then with an error, then clean
    again give each their own result."""
    from junheng.io.school_table import read_rows

    def books(cell):
        rows = table(r0_图书=cell)
        try:
            return read_rows([[str(v) if v is not None else None for v in r] for r in rows], file="f").table["books"][0]
        except InputError as e:
            return [(i.code, i.row) for i in e.issues if i.level == "error"]

    assert books("8000") == 8000
    assert books("9,000") == 9000
    assert books("abc") == [("not_numeric", 2)]
    assert books("-5") == [("negative", 2)]
    assert books("7000") == 7000
    assert books("9,000") == 9000


def test_row_rules_report_every_rule_once_in_order():
    """check_rows counts all its masks in one query (IssueCollector.add_rows_many) and lists
    only the rules that match, in rule order, with the rows they match."""
    from junheng.io.school_table import read_rows

    header = [*HEADER, "小学县级及以上骨干教师数", "体育馆面积"]
    rows = table(header, [[*r, None, None] for r in ROWS], r0_小学县级及以上骨干教师数=21, r1_体育馆面积=7000,
                 r2_小学在校生数=0, r2_初中在校生数=0)
    with pytest.raises(InputError) as e:
        read_rows([[str(v) if v is not None else None for v in r] for r in rows], file="f")
    found = [(i.code, i.row, i.column) for i in e.value.issues if i.level == "error"]
    assert [(c, r) for c, r, _ in found] == [("part_exceeds_whole", 2), ("part_exceeds_whole", 3), ("no_pupils", 4)]
    assert [col for _, _, col in found] == ["小学县级及以上骨干教师数 (O列)", "体育馆面积 (P列)", "小学在校生数 (F列)"]


def test_school_type_names_map_special_schools_to_519():
    """The name table is built once at import: 特殊教育学校 (codes 511–519) reads as 519, 其他特教学校."""
    from junheng.io.convert import SCHOOL_TYPE_NAMES, _type_names

    fresh = _type_names()
    assert fresh == SCHOOL_TYPE_NAMES
    assert fresh["特殊教育学校"] == fresh["特教学校"] == 519
    assert fresh["九年一贯制学校"] == 312 and fresh["小学"] == 211
