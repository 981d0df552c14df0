"""File formats, encodings, sheets and whole-file failures."""
from __future__ import annotations

import pytest
from io_files import HEADER, ROWS, table, write_csv, write_xls, write_xlsx

from junheng.errors import InputError
from junheng.io import read_school_table


def _check_base(res):
    t = res.table
    assert t.height == 3
    assert t["school_id"].to_list() == ["5223270001", "5223270002", "5223270003"]
    assert t["name"].to_list() == ["一小", "二中", "三校"]
    assert t["school_type"].to_list() == [211, 311, 312]
    assert t["students_P"].to_list() == [400, None, 300]
    assert t["teachers_J"].to_list() == [None, 40, 12]
    assert t["books"].to_list() == [8000, 20000, 10000]
    assert t["equipment_value_yuan"].to_list() == [125_000.0, 300_000.0, 200_000.0]
    assert t["county_code"].to_list() == ["522327"] * 3


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    path = write_csv(tmp_path / "学校.csv", table(), encoding=encoding)
    res = read_school_table(path)
    _check_base(res)
    assert res.table["source_row"].to_list() == [2, 3, 4]
    assert res.file == "学校.csv" and res.sheet is None


def test_gb18030_only_characters(tmp_path):
    # 㘵 (U+3635) is outside GBK: only GB18030 encodes it
    rows = table(r0_学校名称="㘵村小学")
    res = read_school_table(write_csv(tmp_path / "t.csv", rows, encoding="gb18030"))
    assert res.table["name"][0] == "㘵村小学"


def test_xlsx_and_xls(tmp_path):
    _check_base(read_school_table(write_xlsx(tmp_path / "t.xlsx", table())))
    res = read_school_table(write_xls(tmp_path / "t.xls", table()))
    _check_base(res)
    assert res.sheet == "学校"
    assert res.table["source_row"].to_list() == [2, 3, 4]


def test_xls_merged_header(tmp_path):
    header2 = ["学校标识码", "学校名称", "办学类型", "小学", None, None]
    leaf = [None, None, None, "在校生数", "班数", "专任教师数"]
    rows = [["某县学校统计表"] + [None] * 5, header2, leaf, ["0123456789", "一小", "小学", 100, 5, 8]]
    merges = ((0, 0, 0, 5), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 5))
    res = read_school_table(write_xls(tmp_path / "t.xls", rows, merges=merges))
    assert res.table.select("school_id", "students_P", "classes_P", "teachers_P").row(0) == ("0123456789", 100, 5, 8)
    assert res.table["source_row"].to_list() == [4]


def test_sheet_choice(tmp_path):
    path = write_xlsx(tmp_path / "t.xlsx", table(), before=("填报说明",))
    assert read_school_table(path).sheet == "学校"          # the note sheet has no header
    assert read_school_table(path, sheet="学校").table.height == 3
    assert read_school_table(path, sheet=1).sheet == "学校"
    with pytest.raises(InputError) as info:
        read_school_table(path, sheet="不存在")
    assert info.value.issues[0].code == "sheet_not_found"
    with pytest.raises(InputError) as info:
        read_school_table(path, sheet=0)
    assert info.value.issues[0].code == "no_header"


@pytest.mark.parametrize("name,content,code", [
    ("missing.xlsx", None, "file_not_found"),
    ("t.txt", b"hello", "unsupported_file"),
    ("t.xlsx", b"PK\x03\x04 not really a zip", "unreadable_file"),
    ("t.xls", b"\xd0\xcf\x11\xe0 broken", "unreadable_file"),
    ("t.csv", "说明\n没有表头的文件\n".encode(), "no_header"),
])
def test_whole_file_failures(tmp_path, name, content, code):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_school_table(path)
    assert [i.code for i in info.value.issues] == [code]
    assert info.value.issues[0].level == "error"
    assert info.value.issues[0].file == name
    assert "错误" in str(info.value)


def test_empty_table(tmp_path):
    path = write_csv(tmp_path / "t.csv", [HEADER, [None] * len(HEADER)])
    with pytest.raises(InputError) as info:
        read_school_table(path)
    assert [i.code for i in info.value.issues] == ["empty_table"]
    assert info.value.issues[0].row == 1


def test_blank_rows_and_notes_skipped(tmp_path):
    rows = [HEADER, ROWS[0], [None] * len(HEADER), ROWS[1], ROWS[2], ["注：本表由教育局填报。"], ["填表人：张三"]]
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    assert res.table["source_row"].to_list() == [2, 4, 5]
    notes = [w for w in res.warnings if w.code == "note_row_skipped"]
    assert [w.row for w in notes] == [6, 7]


def test_xls_county_merged_down_the_data_rows(tmp_path):
    """In .xls (merged ranges from python-calamine) a county name and code merged down the column
    are read as the merge says, as in .xlsx."""
    rows = [list(r) for r in table()]
    for r in rows[2:]:
        r[2] = r[3] = None
    res = read_school_table(write_xls(tmp_path / "t.xls", rows, merges=((1, 2, 3, 2), (1, 3, 3, 3))))
    assert res.table["county"].to_list() == ["某县"] * 3
    assert res.table["county_code"].to_list() == ["522327"] * 3


@pytest.mark.parametrize("sheets,named", [(1, "只有一页"), (2, None)])
def test_no_header_names_the_sheet_only_when_there_is_one(tmp_path, sheets, named):
    """With one sheet the ``no_header`` error names it; with several, no single sheet is to blame."""
    rows = [["说明"], ["本表无数据"]]
    path = write_xlsx(tmp_path / "t.xlsx", rows, sheet="只有一页", before=("封面",) * (sheets - 1))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = info.value.issues
    assert e.code == "no_header" and e.sheet == named


def test_read_rows_validates_like_a_file():
    """The web form's path (rows of text cells) gives the table and the located errors a file gives."""
    from junheng.io.school_table import read_rows

    rows = [[None if v is None else str(v) for v in r] for r in table()]
    res = read_rows(rows, file="网页表单")
    assert res.table["school_id"].to_list() == ["5223270001", "5223270002", "5223270003"]
    assert res.table["students_P"].to_list() == [400, None, 300] and res.file == "网页表单"
    rows[2][12] = "-5"
    with pytest.raises(InputError) as info:
        read_rows(rows, file="网页表单")
    [e] = [i for i in info.value.issues if i.level == "error"]
    assert (e.code, e.file, e.row, e.column) == ("negative", "网页表单", 3, "图书 (M列)")


def test_read_rows_takes_rows_of_any_length():
    """Rows shorter than the header (the web form drops trailing blanks) read as blank cells; a
    row longer than the header is read up to its last cell."""
    from junheng.io.school_table import read_rows

    rows = [[None if v is None else str(v) for v in r] for r in table()]
    rows[1] = rows[1][:13]                           # no 教学仪器设备资产值 (the last column)
    rows[2] = [*rows[2], None, ""]
    res = read_rows(rows, file="网页表单")
    assert res.table["school_id"].to_list() == ["5223270001", "5223270002", "5223270003"]
    assert res.table["books"].to_list() == [8000, 20000, 10000]
    assert res.table["equipment_value_yuan"].to_list() == [0.0, 300000.0, 200000.0]   # 万元 → 元
    [w] = [w for w in res.warnings if w.code == "blank_cells"]     # the short row's missing cell: blank, said so
    assert w.message == "列“教学仪器设备资产值(万元) (N列)”有 1 个空白单元格（第 2 行），按 0 计算。"


@pytest.mark.parametrize("sep,name", [(";", "分号"), ("\t", "制表符"), ("|", "竖线"), (",", "逗号")])
def test_no_header_in_a_csv_says_how_it_was_read(tmp_path, sep, name):
    """The message says the encoding and the delimiter the file was read with, in Chinese."""
    path = tmp_path / "t.csv"
    path.write_text("\n".join(sep.join(r) for r in [["甲", "乙", "丙"], ["1", "2", "3"], ["4", "5", "6"]]) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = info.value.issues
    assert e.code == "no_header" and f"（按 UTF-8 编码、{name}分隔读取）" in e.message


@pytest.mark.parametrize("head,found,missing", [
    (["学校标识码", "学校名称"], "“学校标识码”“学校名称”", "“办学类型代码”"),
    (["学校名称", "乡镇"], "“学校名称”“乡镇”", "“学校标识码”“办学类型代码”"),
])
def test_partial_header_names_the_missing_required_columns(tmp_path, head, found, missing):
    """A header row naming some school-table columns but fewer than a full header: the error names
    the columns found and the required ones missing (not “没有一行能对应到…”), with the row."""
    for rows in ([head], [head, ["1", "a"]]):
        path = write_csv(tmp_path / "t.csv", rows)
        with pytest.raises(InputError) as info:
            read_school_table(path)
        [e] = info.value.issues
        assert e.code == "no_header" and e.row == 1
        assert "没有一行能对应到" not in e.message
        assert f"有列名{found}，但缺少必需的列{missing}" in e.message
    from junheng.io.school_table import read_rows

    with pytest.raises(InputError) as info:
        read_rows([head, ["1", "a"]], file="网页表单")
    assert f"缺少必需的列{missing}" in info.value.issues[0].message


def test_no_required_column_at_all_keeps_the_plain_message(tmp_path):
    path = write_csv(tmp_path / "t.csv", [["乡镇", "备注"], ["1", "2"]])
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = info.value.issues
    assert e.code == "no_header" and "没有一行能对应到" in e.message
