"""Findings of the fresh-eyes user test: error and blank cells, present columns, county codes,
header typos, knock-on messages, unreadable files, folders and full-width digits."""
from __future__ import annotations

import re
import zipfile

import pytest
from io_files import HEADER, ROWS, errors_of, table, write_csv, write_xls, write_xlsx

from junheng.errors import InputError
from junheng.io import read_school_table
MAX_LISTED_ROWS = 10  # rows listed in a column warning (junheng.io.validate.MAX_LISTED_ROWS)
from junheng.schema import FIELDS

#: An internal field code such as students_P or teaching_area_m2 (must never reach the user).
CODE_RE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)*_(?:[PJS]|m2|yuan|id|code)\b")


def _fails(path) -> InputError:
    with pytest.raises(InputError) as info:
        read_school_table(path)
    return info.value


def _xlsx_with_errors(path):
    """The base table with formula cells whose cached value is an Excel error."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("学校")
    for i, row in enumerate(table()):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    books, pupils = HEADER.index("图书"), HEADER.index("小学在校生数")
    ws.write_formula(1, books, "=1/0", None, "#DIV/0!")         # row 2, M列
    ws.write_formula(3, pupils, "=NA()", None, "#N/A")          # row 4, F列
    ws.write_formula(2, books, "=A1+", None, "#REF!")           # row 3, M列
    wb.close()
    return path


# 1a: Excel error cells ---------------------------------------------------------------------------

def test_excel_error_cells_are_errors(tmp_path):
    exc = _fails(_xlsx_with_errors(tmp_path / "t.xlsx"))
    found = [(i.row, i.column, i.message) for i in errors_of(exc, "excel_error")]
    assert [(r, c) for r, c, _ in found] == [(2, "图书 (M列)"), (3, "图书 (M列)"), (4, "小学在校生数 (F列)")]
    assert found[0][2].startswith("单元格为 Excel 错误值 #DIV/0!")
    assert "#REF!" in found[1][2] and "#N/A" in found[2][2]
    # one error per bad cell: no "没有在校生", no missing value, no other error
    assert {i.code for i in exc.issues if i.level == "error"} == {"excel_error"}


def test_excel_error_cell_in_the_first_column(tmp_path):
    """An error value in column A (the 学校标识码 of the third school, a formula =NA()) is located too."""
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("学校")
    for i, row in enumerate(table()):
        for j, v in enumerate(row):
            if v is not None:
                ws.write_string(i, j, v) if j == 0 else ws.write(i, j, v)
    ws.write_formula(3, 0, "=NA()", None, "#N/A")
    wb.close()
    exc = _fails(path)
    [e] = [i for i in exc.issues if i.level == "error"]
    assert (e.code, e.row, e.column) == ("excel_error", 4, "学校标识码 (A列)")
    assert e.message.startswith("单元格为 Excel 错误值 #N/A")


def test_excel_error_text_in_csv_and_id_column(load_fails):
    exc = load_fails(table(r0_初中在校生数="#VALUE!", r1_学校标识码="#N/A"))
    found = sorted((i.row, i.column) for i in errors_of(exc, "excel_error"))
    assert found == [(2, "初中在校生数 (I列)"), (3, "学校标识码 (A列)")]
    assert {i.code for i in exc.issues if i.level == "error"} == {"excel_error"}


def test_formula_without_cached_value_is_an_error_not_a_blank(tmp_path):
    import openpyxl  # writes formulas without a cached value, as scripts do

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    for row in table():
        ws.append(row)
    ws.cell(row=2, column=HEADER.index("图书") + 1, value="=1+1")
    ws.cell(row=3, column=HEADER.index("初中班数") + 1, value="=SUM(Z1:Z2)")
    wb.save(tmp_path / "t.xlsx")
    exc = _fails(tmp_path / "t.xlsx")
    found = sorted((e.code, e.row, e.column) for e in exc.issues if e.level == "error")
    assert found == [("formula_no_value", 2, "图书 (M列)"), ("formula_no_value", 3, "初中班数 (J列)")]
    assert "=SUM(Z1:Z2)" in str(exc.issues[1]) and not errors_of(exc, "blank_cells")


@pytest.mark.parametrize("mark", [None, "-", "—", "/", "　", "－", "–"])
def test_blank_required_count_is_missing_value(load_fails, mark):
    exc = load_fails(table(r0_小学专任教师数=mark, r2_初中专任教师数=mark))
    found = [(i.row, i.column) for i in exc.issues if i.level == "error"]
    assert found == [(2, "小学专任教师数 (H列)"), (4, "初中专任教师数 (K列)")]
    assert {i.code for i in exc.issues if i.level == "error"} == {"missing_value"}


# 1c: blank cells in other numeric columns: one warning per column, read as 0 -------------------------

def test_blank_resource_cells_one_warning_per_column(tmp_path):
    rows = table(r0_图书=None, r2_图书="-", r1_教学及辅助用房面积=None)
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    blanks = [w for w in res.warnings if w.code == "blank_cells"]
    assert [(w.column, w.row) for w in blanks] == [("教学及辅助用房面积 (L列)", None), ("图书 (M列)", None)]
    assert blanks[1].message == "列“图书 (M列)”有 2 个空白单元格（第 2、4 行），按 0 计算。"
    assert res.table["books"].to_list() == [0, 20000, 0]
    assert res.table["teaching_area_m2"].to_list() == [3000.0, 0.0, 4000.0]
    assert res.table["students_J"][0] is None  # a primary school's junior columns stay blank, unwarned


def test_blank_warning_lists_at_most_ten_rows(tmp_path):
    header = ["学校标识码", "学校名称", "办学类型", "小学在校生数", "小学班数", "小学专任教师数", "图书"]
    data = [[f"{i:010d}", f"学校{i}", "211", 100, 5, 6, None] for i in range(15)]
    res = read_school_table(write_csv(tmp_path / "t.csv", [header, *data]))
    [w] = [w for w in res.warnings if w.code == "blank_cells"]
    listed = "、".join(str(r) for r in range(2, 2 + MAX_LISTED_ROWS))
    assert w.message == f"列“图书 (G列)”有 15 个空白单元格（第 {listed} 行等），按 0 计算。"


def test_blank_subcount_of_a_section_the_school_has(tmp_path):
    rows = [[*r, v] for r, v in zip(table(), ("小学县级及以上骨干教师数", None, None, 3))]
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    [w] = [w for w in res.warnings if w.code == "blank_cells"]
    assert "第 2 行" in w.message and "1 个" in w.message  # row 3 is a junior school: no primary section
    assert res.table["backbone_teachers_P"].to_list() == [0, None, 3]


# 2: LoadResult.present ---------------------------------------------------------------------------

def test_present_lists_found_and_derived_columns(tmp_path):
    res = read_school_table(write_csv(tmp_path / "t.csv", table()))
    assert res.present == frozenset({"school_id", "name", "county_code", "county", "school_type", "students_P",
                                     "classes_P", "teachers_P", "students_J", "classes_J", "teachers_J",
                                     "teaching_area_m2", "books", "equipment_value_yuan"})
    header = HEADER + ["小学研究生", "小学本科", "小学专科", "小学体育专任教师数", "小学美术专任教师数"]
    rows = [[*r, *v] for r, v in zip(ROWS, ([1, 2, 3, 1, 1], [None] * 5, [1, 2, 3, 1, 1]))]
    res = read_school_table(write_csv(tmp_path / "t.csv", [header, *rows]))
    assert {"qualified_teachers_P", "pe_art_teachers_P", "pe_teachers_P", "art_teachers_P"} <= res.present
    assert "music_teachers_P" not in res.present and "edu_bachelor_P" not in res.present
    assert res.present <= {f.code for f in FIELDS}


# 3: blank county code / name ---------------------------------------------------------------------

def test_blank_county_code_filled_from_name(tmp_path):
    rows = table()
    rows[2][2] = None                     # 县(区)代码 of row 3, 县(区) is 某县
    rows[3][3] = None                     # 县(区) name of row 4, code 522327
    res = read_school_table(write_csv(tmp_path / "t.csv", rows))
    assert res.table["county_code"].to_list() == ["522327"] * 3
    assert res.table["county"].to_list() == ["某县"] * 3
    [w] = [w for w in res.warnings if w.code == "county_code_filled"]
    assert w.message == "第 3 行的“县(区)代码”为空，已按县(区)名称填入（某县 → 522327）。"


def test_blank_county_code_that_cannot_be_filled(load_fails):
    rows = table()
    rows.append(["5223280004", "四小", "522328", "某县", "211", 100, 5, 6, None, None, None, 800, 900, 2])
    rows[1][2] = None                     # 某县 has two codes: ambiguous
    rows[2][2], rows[2][3] = None, "无名县"  # no other school of that name
    exc = load_fails(rows)
    found = [(i.row, i.column) for i in errors_of(exc, "missing_value")]
    assert found == [(2, "县(区)代码 (C列)"), (3, "县(区)代码 (C列)")]
    assert "522327、522328" in errors_of(exc, "missing_value")[0].message


# 4: a typo in a header ---------------------------------------------------------------------------

def test_header_typo_gives_one_error_first_with_hint(load_fails):
    header = [("小学再校生数(人)" if h == "小学在校生数" else h) for h in HEADER]
    exc = load_fails([header, *ROWS])
    errors = [i for i in exc.issues if i.level == "error"]
    assert [(e.code, e.row, e.column) for e in errors] == [("missing_column", 1, "小学在校生数")]
    assert errors[0].message == ("表中有含小学的学校，但缺少必需的列“小学在校生数”。"
                                 "文件中无法识别的列：小学再校生数(人)(F列)，是否拼写有误？")
    assert exc.issues[0] is errors[0]


def test_missing_teacher_column_does_not_cascade(load_fails):
    header = HEADER + ["小学县级及以上骨干教师数"]
    rows = [[*r, v] for r, v in zip(ROWS, (2, None, 1))]
    j = HEADER.index("小学专任教师数")
    exc = load_fails([[v for k, v in enumerate(r) if k != j] for r in [header, *rows]])
    assert [(i.code, i.column) for i in exc.issues if i.level == "error"] == [("missing_column", "小学专任教师数")]
    assert not errors_of(exc, "pupil_teacher_ratio_high")


def test_missing_column_error_survives_the_cap(load_fails):
    header = [("小学再校生数" if h == "小学在校生数" else h) for h in HEADER]
    rows = [[f"52232{i:05d}", f"小学{i}", "", "", "211", 100, 5, 6, None, None, None, 100, -1, 1] for i in range(300)]
    exc = load_fails([header, *rows])
    assert exc.issues[0].code == "missing_column"


def test_issues_ordered_errors_first_file_level_first(tmp_path):
    rows = table(r2_图书=-1, r0_学校标识码="52232701")           # a row error and a row warning
    rows[1][HEADER.index("教学及辅助用房面积")] = None           # a column-level warning (no row)
    rows[0].append("备注")
    exc = _fails(write_csv(tmp_path / "t.csv", rows))
    levels = [i.level for i in exc.issues]
    assert levels == sorted(levels, key=lambda lv: lv != "error")
    warnings = [i for i in exc.issues if i.level == "warning"]
    rows_of = [w.row for w in warnings]
    assert rows_of.index(None) < rows_of.index(1) < rows_of.index(2)


@pytest.mark.parametrize("rows", [
    [[h for h in HEADER if h != "小学班数"], *[[v for k, v in enumerate(r) if k != 6] for r in ROWS]],
    table(r0_小学在校生数=0),
    table(r0_小学专任教师数=0, r1_初中在校生数=50),
    [[v for k, v in enumerate(r) if k not in (5, 6, 7)] for r in table(r1_初中在校生数=0)[:3:2]],
    [HEADER + ["小学体育专任教师数", "小学音乐专任教师数", "小学美术专任教师数", "其中：体育馆面积"],
     *[[*r, 30, None, None, 99999] for r in ROWS]],
])
def test_messages_never_show_internal_codes(tmp_path, rows):
    try:
        issues = read_school_table(write_csv(tmp_path / "t.csv", rows)).warnings
    except InputError as exc:
        issues = exc.issues
    assert issues
    for i in issues:
        assert not CODE_RE.search(str(i)), str(i)


# 5: no knock-on messages -------------------------------------------------------------------------

def test_negative_whole_gives_one_error(load_fails):
    rows = [[*r, v] for r, v in zip(table(r0_教学及辅助用房面积=-100), ("其中：体育馆面积", 0, 10, 10))]
    exc = load_fails(rows)
    assert [(i.code, i.row) for i in exc.issues if i.level == "error"] == [("negative", 2)]


@pytest.mark.parametrize("value", ["四百", "#DIV/0!", "-400"])
def test_bad_pupil_cell_gives_one_error(load_fails, value):
    exc = load_fails(table(r0_小学在校生数=value))
    assert [(i.row, i.column) for i in exc.issues if i.level == "error"] == [(2, "小学在校生数 (F列)")]
    assert not [w for w in exc.issues if w.row == 2 and w.level == "warning"]


def test_bad_breakdown_cell_gives_one_error(load_fails):
    header = HEADER + ["小学研究生", "小学本科", "小学专科", "小学高于规定学历专任教师数"]
    rows = [[*r, *v] for r, v in zip(ROWS, ([0, "十", 5, 15], [None] * 4, [0, 4, 4, 8]))]
    exc = load_fails([header, *rows])
    assert [(i.code, i.row) for i in exc.issues if i.level == "error"] == [("not_numeric", 2)]


# 6, 7: unreadable files and folders ---------------------------------------------------------------

def _docx(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")


@pytest.mark.parametrize("name,content,code,text", [
    ("t.xlsx", b"", "empty_file", "文件为空"),
    ("t.csv", b"", "empty_file", "文件为空"),
    ("t.csv", b"\xef\xbb\xbf\r\n\r\n", "empty_file", "文件为空"),
    ("t.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not_a_spreadsheet", "不是 Excel 文件（内容看起来是PNG 图片）"),
    ("t.xls", b"%PDF-1.7\n%...", "not_a_spreadsheet", "PDF 文件"),
    ("t.xlsx", _docx, "not_a_spreadsheet", "Word 文档"),
    ("t.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "not_a_spreadsheet", "HTML"),
])
def test_not_a_spreadsheet(tmp_path, name, content, code, text):
    path = tmp_path / name
    content(path) if callable(content) else path.write_bytes(content)
    exc = _fails(path)
    [e] = exc.issues
    assert (e.code, e.level) == (code, "error") and text in e.message
    assert not re.search(r"[A-Za-z]{4,} error|Error:", e.message)


def _zip(*parts: str):
    def write(path):
        with zipfile.ZipFile(path, "w") as z:
            for part in parts:
                z.writestr(part, "<x/>")
    return write


HTML = "网页（HTML）或 XML 文件，请用 Excel 打开后另存为 .xlsx"


@pytest.mark.parametrize("content,kind,what", [
    (b"GIF89a" + b"\x00" * 8, "other", "GIF 图片"), (b"\xff\xd8\xff\xe0" + b"\x00" * 8, "other", "JPEG 图片"),
    (b"Rar!\x1a\x07\x00", "other", "RAR 压缩包"), (b"7z\xbc\xaf\x27\x1c", "other", "7z 压缩包"),
    (_zip("xl/workbook.xml"), "xlsx", ""), (_zip("xl/workbook.bin"), "xlsx", ""),
    (_zip("ppt/presentation.xml"), "other", "PowerPoint 演示文稿"), (_zip("a.txt"), "other", "ZIP 压缩包"),
    (b"PK\x03\x04" + b"\x00" * 40, "xlsx", ""),                    # a damaged package: the reader says so
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "xls", ""),
    (b"<TABLE><TR><TD>1</TD></TR></TABLE>", "other", HTML), (b"\xef\xbb\xbf \r\n<!DOCTYPE html><html>", "other", HTML),
    (b"<?xml version='1.0'?><Workbook/>", "other", HTML), (b'<META http-equiv="Content-Type">', "other", HTML),
    (b"\t<Html><body>", "other", HTML),
    ("学校名称,学校标识码\n".encode("gb18030"), "text", ""), (b"a,b\x00c", "unknown", ""),
])
def test_sniff_tells_what_a_file_holds_by_its_first_bytes(tmp_path, content, kind, what):
    """io.grid.sniff: (kind, Chinese description) of a file by its content, whatever its name."""
    from junheng.io.grid import sniff

    path = tmp_path / "t.xlsx"
    content(path) if callable(content) else path.write_bytes(content)
    assert sniff(path) == (kind, what)
    assert sniff(tmp_path / "不存在.xlsx") == ("unknown", "")


def test_damaged_workbook_keeps_library_text_short(tmp_path, monkeypatch):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    [e] = _fails(path).issues
    assert e.message.startswith("无法读取 Excel 文件") and not re.search("[A-Za-z]{3}", e.message.replace("Excel", ""))
    monkeypatch.setenv("JUNHENG_DEBUG", "1")   # the library's English text only for developers
    [e] = _fails(path).issues
    tech = e.message[e.message.index("（技术信息："):]
    assert "\n" not in tech and len(tech) < 200 and tech.endswith("）")


@pytest.mark.parametrize("writer,wrong", [(write_xlsx, "t.xls"), (write_xls, "t.xlsx"), (write_xlsx, "t.csv")])
def test_wrong_extension_is_read_by_content(tmp_path, writer, wrong):
    real = writer(tmp_path / ("real.xls" if writer is write_xls else "real.xlsx"), table())
    path = tmp_path / wrong
    path.write_bytes(real.read_bytes())
    res = read_school_table(path)
    assert res.table["school_id"].to_list() == ["5223270001", "5223270002", "5223270003"]
    [w] = [w for w in res.warnings if w.code == "extension_mismatch"]
    actual = ".xls" if writer is write_xls else ".xlsx"
    assert w.message == f"文件扩展名为 {path.suffix}，但内容是 {actual} 格式，已按 {actual} 读取（建议改正扩展名）。"


def test_folder_given(tmp_path):
    folder = tmp_path / "数据"
    folder.mkdir()
    [e] = _fails(folder).issues
    assert e.code == "is_directory"
    assert e.message == f"“{folder}”是文件夹，请指定学校数据表文件（.xlsx、.xls 或 .csv）。"


# 8: full-width digits ----------------------------------------------------------------------------

def test_full_width_numbers(tmp_path):
    rows = table(r0_图书="１５６４０", r2_小学在校生数="３００", r0_学校标识码="５２２３２７０００１",
                 r0_初中班数="－")
    rows[2][HEADER.index("教学仪器设备资产值(万元)")] = "３．５"
    for write in (write_csv, write_xlsx):
        res = read_school_table(write(tmp_path / f"t.{'csv' if write is write_csv else 'xlsx'}", rows))
        t = res.table
        assert t["books"][0] == 15640 and t["students_P"][2] == 300
        assert t["equipment_value_yuan"][1] == 35_000.0 and t["school_id"][0] == "5223270001"
        assert t["classes_J"].to_list() == [None, 12, 4]


def test_full_width_negative_is_negative(load_fails):
    e = errors_of(load_fails(table(r0_图书="－５")), "negative")
    assert [(i.row, i.column) for i in e] == [(2, "图书 (M列)")]
