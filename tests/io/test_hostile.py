"""Issue 7: damaged, odd and hostile input files — each kind is refused with a Chinese message
naming where (exit 1, nothing written, no traceback) or read as it says (exit 0).

The files are made by :mod:`hostile` at test time. The command line runs in-process
(``junheng.cli.main`` with its own error handling), so exit codes are the real ones.
"""
from __future__ import annotations

import json
import re
import sys

import hostile
import pytest

from junheng.errors import InputError
from junheng.io import read_school_table

ENGLISH = re.compile(r"[A-Za-z]{4,}")
#: Words allowed in messages (names of formats and programs, the setting names).
ALLOWED = ("Excel", "Unicode", "JUNHENG_MAX_CELLS", "JUNHENG_MAX_MB", "--help", "--sheet", "Word", "CSV",
           "UTF-8", "UTF-16", "Big5", "WPS", "NaN", "inf", "Infinity")


def cli(capsys, monkeypatch, *args) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``junheng *args`` run through ``junheng.cli.main``."""
    from junheng import cli as cli_module

    monkeypatch.setattr(sys, "argv", ["junheng", *map(str, args)])
    with pytest.raises(SystemExit) as info:
        cli_module.main()
    captured = capsys.readouterr()
    return info.value.code, captured.out, captured.err


def no_english(text: str) -> bool:
    text = re.sub(r"运行 “[^”]*” 查看用法", "", text)
    text = re.sub(r"(?<![\w-])--?[a-z][\w-]*", "", text)        # option names as typed
    for word in ALLOWED:
        text = text.replace(word, "")
    text = re.sub(r"\S+\.(xlsx|xls|csv|json|txt|toml)", "", text)   # file names
    text = re.sub(r"U\+[0-9A-F]{4}", "", text)                     # a character's code (U+FEFF)
    return ENGLISH.search(text) is None


def refused(capsys, monkeypatch, tmp_path, path, *words) -> str:
    """Assert ``assess`` refuses ``path`` (exit 1, in Chinese, nothing written); returns stderr."""
    out = tmp_path / "out.json"
    code, stdout, stderr = cli(capsys, monkeypatch, "assess", path, "-o", out)
    assert code == 1, stderr
    assert "Traceback" not in stderr and stdout == "" and not out.exists()
    assert path.name in stderr and "错误" in stderr
    for w in words:
        assert w in stderr, (w, stderr)
    assert no_english(stderr), stderr
    return stderr


def assessed(capsys, monkeypatch, tmp_path, path) -> tuple[dict, str]:
    out = tmp_path / "out.json"
    code, _, stderr = cli(capsys, monkeypatch, "assess", path, "-o", out)
    assert code == 0, stderr
    return json.loads(out.read_text(encoding="utf-8")), stderr


# 7.1 sizes ------------------------------------------------------------------------------------

def test_far_cell_declared_in_a_few_kb_is_refused_before_reading(capsys, monkeypatch, tmp_path):
    path = hostile.far_cell(tmp_path / "远.xlsx")
    assert path.stat().st_size < 20_000
    err = refused(capsys, monkeypatch, tmp_path, path, "工作表 学校", "超过上限", "JUNHENG_MAX_CELLS")
    assert "171.8 亿个单元格" in err


def test_far_cell_with_a_small_dimension_is_found_in_the_xml(tmp_path):
    path = hostile.far_cell(tmp_path / "远.xlsx")
    hostile.edit_sheet_xml(path, lambda xml: xml.replace(b'<dimension ref="A1:XFD1048576"/>',
                                                         b'<dimension ref="A1:Y8"/>'))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = info.value.issues
    assert e.code == "sheet_too_large" and "第 1048576 行、XFD 列" in e.message


@pytest.mark.parametrize("xml,found", [
    # declared B2:D5 = 4 × 3; the last row element (empty, right after another) is row 10; columns to D
    (b'<worksheet><dimension ref="B2:D5"/><sheetData><row r="2"><c r="B2"><v>1</v></c><c r="D2"><v>2</v></c>'
     b'</row><row r="9"/><row r="10"/></sheetData></worksheet>', (12, 10, 4, 2)),
    # a namespace prefix on every element (its cells counted too); the last row right after another short one
    (b'<x:worksheet><x:dimension ref="A1:C3"/><x:sheetData><x:row r="1"><x:c r="C1"><x:v>1</x:v></x:c></x:row>'
     b'<x:row r="7" ht="15"/></x:sheetData></x:worksheet>', (9, 7, 3, 1)),
    (b'<x:worksheet><x:sheetData><x:row r="1"><x:c r="C1"><x:v>1</x:v></x:c><x:c r="D1"/></x:row>'
     b'<x:row r="6"/><x:row r="7"/></x:sheetData></x:worksheet>', (0, 7, 4, 2)),
    # a far cell (column BB, a 7-digit row) and a one-cell dimension (no rectangle declared)
    (b'<worksheet><dimension ref="A1"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
     b'<row r="1234567"><c r="BB1234567"/></row></sheetData></worksheet>', (0, 1234567, 54, 2)),
    (b'<worksheet><sheetData><row r="1"><c><v>1</v></c></row></sheetData></worksheet>', (0, 1, 0, 1)),
    # a reversed dimension counts as one cell; a far row in the middle (rows out of order) is found
    (b'<worksheet><dimension ref="D5:B2"/><sheetData><row r="1000000"><c r="A1000000"/></row>'
     b'<row r="2"><c r="A2"/></row></sheetData></worksheet>', (1, 1000000, 1, 2)),
])
def test_sheet_scan_finds_declared_size_last_row_width_and_cells(tmp_path, xml, found):
    """io.limits.scan_sheet: (declared cells, last row, width, cells) of a sheet part as written."""
    import zipfile

    from junheng.io.limits import scan_sheet

    path = tmp_path / "s.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", xml)
    with zipfile.ZipFile(path) as z:
        assert scan_sheet(z, "xl/worksheets/sheet1.xml") == found


def test_sheet_parts_are_found_through_the_relationships_whatever_their_paths(tmp_path):
    """io.merges: the XML part of a sheet, by name, through workbook.xml and its relationships —
    relative or absolute targets; a relationship without a target, or an unknown sheet, is no part."""
    import re as regex
    import zipfile

    from junheng.io.merges import sheet_part, sheet_parts, xlsx_merged_ranges

    path = hostile.write_xlsx(tmp_path / "t.xlsx", merges=((2, 1, 3, 2),), sheets=(("封面", [["说明"]]),))
    assert sheet_part(path, "学校") == "xl/worksheets/sheet2.xml" and sheet_part(path, "无此表") is None
    assert xlsx_merged_ranges(path, "学校") == [(2, 1, 3, 2)] and xlsx_merged_ranges(path, "无此表") is None

    def rels(edit):
        out = tmp_path / "r.xlsx"
        out.write_bytes(path.read_bytes())
        hostile.edit_sheet_xml(out, edit, part="xl/_rels/workbook.xml.rels")
        return out

    absolute = rels(lambda x: x.replace(b'Target="worksheets/sheet2.xml"', b'Target="/xl/worksheets/sheet2.xml"'))
    assert sheet_part(absolute, "学校") == "xl/worksheets/sheet2.xml"
    assert xlsx_merged_ranges(absolute, "学校") == [(2, 1, 3, 2)]
    no_target = rels(lambda x: regex.sub(rb'Target="worksheets/sheet2.xml"', b"", x))
    assert xlsx_merged_ranges(no_target, "学校") is None        # unknown: the reader's own ranges are used
    with zipfile.ZipFile(path) as z:
        assert sheet_parts(z) == {"xl/worksheets/sheet1.xml": "封面", "xl/worksheets/sheet2.xml": "学校"}


def test_zip_bomb_is_refused_by_its_compression_ratio(capsys, monkeypatch, tmp_path):
    path = hostile.zip_bomb(tmp_path / "炸弹.xlsx")
    assert path.stat().st_size < 2_000_000
    refused(capsys, monkeypatch, tmp_path, path, "压缩比", "疑似异常文件")


def test_cell_limit_is_a_setting(tmp_path, monkeypatch):
    path = hostile.write_xlsx(tmp_path / "t.xlsx")
    assert read_school_table(path).table.height == 7
    monkeypatch.setenv("JUNHENG_MAX_CELLS", "100")     # 8 rows × 25 columns = 200 cells
    with pytest.raises(InputError) as info:
        read_school_table(path)
    assert info.value.issues[0].code == "sheet_too_large" and "上限 100 个" in info.value.issues[0].message
    monkeypatch.setenv("JUNHENG_MAX_MB", "1")
    monkeypatch.delenv("JUNHENG_MAX_CELLS")
    big = hostile.write_csv_text(tmp_path / "big.csv", hostile.rows() + [["x" * 1000] * 25] * 1200)
    with pytest.raises(InputError) as info:
        read_school_table(big)
    assert info.value.issues[0].code == "file_too_large"


def test_csv_with_a_million_columns_is_refused(tmp_path, monkeypatch):
    wide = hostile.write_csv_text(tmp_path / "宽.csv", hostile.rows() + [[""] * 1_000_000])
    with pytest.raises(InputError) as info:
        read_school_table(wide)
    assert info.value.issues[0].code == "sheet_too_large" and "1,000,000 列" in info.value.issues[0].message
    monkeypatch.setenv("JUNHENG_MAX_CELLS", "100")
    with pytest.raises(InputError) as info:
        read_school_table(hostile.write_csv_text(tmp_path / "t.csv", hostile.rows()))
    assert "8 行 × 25 列" in info.value.issues[0].message


@pytest.mark.parametrize("value,code", [("1e308", "too_large"), ("12345678901234567890", "too_large"),
                                        ("-1e308", "too_large"), ("1e999", "not_finite")])
def test_numbers_at_the_edge_of_float_range(capsys, monkeypatch, tmp_path, value, code):
    path = hostile.write_xlsx(tmp_path / "大数.xlsx", hostile.rows(**{"r2_图书(册)": value}))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = [i for i in info.value.issues if i.level == "error"]
    assert (e.code, e.sheet, e.row, e.column) == (code, "学校", 4, "图书(册) (X列)")
    refused(capsys, monkeypatch, tmp_path, path, "第 4 行", "图书(册) (X列)")


@pytest.mark.parametrize("value,shown", [(1e308, "1e+308"), (-1e308, "-1e+308"), ("1e308", "1e308"),
                                         (123456789012345678901234567890, "1.23457e+29")])
def test_a_huge_number_is_shown_short_in_the_message(tmp_path, value, shown):
    """The reader renders the number 1e308 as its 309 digits: the message shows it short, as Excel
    would (1e+308); text is shown as typed."""
    path = hostile.write_xlsx(tmp_path / "大数.xlsx", hostile.rows(**{"r2_图书(册)": value}))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = [i for i in info.value.issues if i.level == "error"]
    assert f"数值 {shown} 超出合理范围" in e.message and len(e.message) < 120, e.message


def test_a_number_typed_as_a_number_at_the_float_edge(tmp_path):
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("学校")
    for i, r in enumerate(hostile.rows()):
        ws.write_row(i, 0, r)
    ws.write_number(3, hostile.col("小学在校生数"), 1.7976931348623157e308)
    wb.close()
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [(code, row)] = [(i.code, i.row) for i in info.value.issues if i.level == "error"]
    assert row == 4 and code in ("too_large", "not_finite")   # as the reader renders the largest float


@pytest.mark.parametrize("name,char", [("城关\u202e小学", "U+202E"), ("城关\x00小学", "U+0000"),
                                       ("城关\x07小学", "U+0007"), ("\u2066城关\u2069", "U+2066"),
                                       ("城关\t小学", "U+0009（制表符）"),
                                       ("城关\u200b小学", "U+200B（零宽空格）"), ("城关\ufeff小学", "U+FEFF")])
def test_control_and_bidi_characters_in_names(capsys, monkeypatch, tmp_path, name, char):
    path = hostile.write_csv_text(tmp_path / "名称.csv", hostile.rows(r1_学校名称=name))
    err = refused(capsys, monkeypatch, tmp_path, path, "第 3 行", "学校名称 (B列)", char)
    assert name not in err          # the hostile text is never echoed


@pytest.mark.parametrize("char,shown", [
    ("\x00", "U+0000（空字符 NUL）"), ("\x01", "U+0001（控制字符）"), ("\x7f", "U+007F（控制字符）"),
    ("\t", "U+0009（制表符）"), ("\n", "U+000A（换行符）"), ("\r", "U+000D（回车符）"),
    ("\u200b", "U+200B（零宽空格）"), ("\u200c", "U+200C（零宽非连接符）"), ("\u200d", "U+200D（零宽连接符）"),
    ("\u200e", "U+200E（从左到右标记）"), ("\u200f", "U+200F（从右到左标记）"),
    ("\u202a", "U+202A（从左到右嵌入）"), ("\u202b", "U+202B（从右到左嵌入）"), ("\u202c", "U+202C（方向格式结束）"),
    ("\u202d", "U+202D（从左到右覆盖）"), ("\u202e", "U+202E（从右到左覆盖）"),
    ("\u2060", "U+2060（零宽不换行空格）"), ("\u2066", "U+2066（从左到右隔离）"), ("\u2067", "U+2067（从右到左隔离）"),
    ("\u2068", "U+2068（方向隔离）"), ("\u2069", "U+2069（隔离结束）"), ("\ufeff", "U+FEFF（零宽不换行空格）")])
def test_each_unsafe_character_is_named_in_chinese(char, shown):
    """The message names the character the user cannot see by its code and its Chinese name
    (io.issues.char_name); every one of UNSAFE_CHARS and LINE_CHARS has its own, and a look-alike
    code point never takes another's name (U+200E is not U+200F)."""
    from junheng.io.convert import text_problem
    from junheng.io.issues import char_name

    assert char_name(char) == shown
    code, message = text_problem(f"城关{char}小学") or ("", "")
    if char not in "\t\n\r":                 # line breaks are allowed in multi-line notes
        assert code == "unsafe_text" and shown in message


def test_only_the_unsafe_or_long_text_cells_are_bad_and_nulled():
    """io.convert: the cell with the hidden character and the over-long one are errors and nulled;
    the blank and the ordinary cells of the same column are neither."""
    import polars as pl

    from junheng.io.convert import MAX_TEXT_CHARS, convert_columns
    from junheng.io.issues import IssueCollector
    from junheng.schema import FIELD_BY_CODE

    rep = IssueCollector(file="t.csv")
    longest = "长" * MAX_TEXT_CHARS
    df = pl.DataFrame({"name": ["城关\u202e小学", None, "河西小学", longest + "长", longest],
                       "source_row": [2, 3, 4, 5, 6]})
    out, bad = convert_columns(df, [FIELD_BY_CODE["name"]], rep)
    assert out["name"].to_list() == [None, None, "河西小学", None, longest]
    assert bad == {"name": {2, 5}}
    assert [(i.code, i.row) for i in rep.issues] == [("unsafe_text", 2), ("text_too_long", 5)]


def test_a_line_break_inside_a_name_is_refused(tmp_path):
    """A name typed with Alt+Enter (a quoted CSV cell over two lines) is an error, located."""
    from io_files import write_csv

    rows = [list(r) for r in hostile.rows()]
    rows[2][hostile.col("学校名称")] = "城关\n小学"
    with pytest.raises(InputError) as info:
        read_school_table(write_csv(tmp_path / "换行.csv", rows))
    [e] = [i for i in info.value.issues if i.level == "error"]
    assert (e.code, e.row) == ("unsafe_text", 3) and "U+000A（换行符）" in e.message


def test_line_breaks_are_kept_in_multi_line_notes_elsewhere():
    """Only the school table's one-line cells refuse tab and line breaks; a 整改 measure or a
    佐证材料 note (io.convert.text_problem) may have several lines, but no zero-width character."""
    from junheng.io.convert import text_problem

    assert text_problem("1. 补足图书\n2. 配齐教师\t（本学期）") is None
    assert text_problem("补足\u200b图书")[0] == "unsafe_text"


def test_names_of_any_length(tmp_path):
    from junheng.io.convert import MAX_TEXT_CHARS

    path = hostile.write_csv_text(tmp_path / "长.csv", hostile.rows(r0_学校名称="长" * 100_000))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = [i for i in info.value.issues if i.level == "error"]
    assert (e.code, e.row) == ("text_too_long", 2)
    assert e.message == f"单元格文字过长（100,000 个字符，最多 {MAX_TEXT_CHARS} 个），请检查是否粘贴错了内容。"
    ok = hostile.write_csv_text(tmp_path / "ok.csv", hostile.rows(r0_学校名称="长" * 200))
    assert read_school_table(ok).table["name"][0] == "长" * 200


def test_hostile_sheet_name_is_shown_escaped(tmp_path):
    path = hostile.write_xlsx(tmp_path / "t.xlsx", hostile.rows(r0_小学在校生数=-1), name="学\u202e校")
    with pytest.raises(InputError) as info:
        read_school_table(path)
    assert all(i.sheet == "学<U+202E>校" for i in info.value.issues)


# 7.2 no silent zero ---------------------------------------------------------------------------

def test_an_id_in_scientific_notation_too_large_for_a_number_is_refused(tmp_path):
    """学校标识码 “1E+30” and “5.22327E+9” (ids Excel showed in scientific notation) are not silently
    read as 1 000…0 and 5223270000: the digits not shown may be lost, an error naming row and column
    (tests/io/test_plausibility.py has the whole message)."""
    path = hostile.write_csv_text(tmp_path / "t.csv", hostile.rows(r0_学校标识码="1E+30", r1_学校标识码="5.22327E+9"))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    errors = [i for i in info.value.issues if i.level == "error"]
    assert [(i.code, i.row, i.column) for i in errors] == [("scientific_code_digits_lost", 2, "学校标识码 (A列)"),
                                                           ("scientific_code_digits_lost", 3, "学校标识码 (A列)")]
    assert "“1E+30”，只有 1 位有效数字，读作 1" + "0" * 30 + "，后 30 位数字可能已丢失" in errors[0].message


@pytest.mark.parametrize("value", ["inf", "NaN", "Infinity", "-inf", "nan"])
def test_non_finite_text_is_an_error(tmp_path, value):
    path = hostile.write_csv_text(tmp_path / "t.csv", hostile.rows(**{"r0_图书(册)": value}))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    assert [(i.code, i.row) for i in info.value.issues if i.level == "error"] == [("not_finite", 2)]


def test_formula_without_cached_value_is_an_error(capsys, monkeypatch, tmp_path):
    path = hostile.formulas(tmp_path / "公式.xlsx", cached=None)
    refused(capsys, monkeypatch, tmp_path, path, "第 2 行", "小学在校生数 (F列)", "=SUM(F3:F4)", "没有保存")


def test_formula_with_a_cached_zero_is_a_warning(tmp_path):
    path = hostile.formulas(tmp_path / "公式.xlsx", cached="0", cell="X2", formula="SUM(X3:X4)")
    res = read_school_table(path)
    [w] = [i for i in res.warnings if i.code == "formula_zero"]
    assert (w.row, w.column) == (2, "图书(册) (X列)") and "=SUM(X3:X4)" in w.message
    # a constant formula with its result is trusted, a cached non-zero too
    for kw in ({"cached": "0", "formula": "1-1"}, {"cached": "279", "formula": "SUM(X3:X4)"}):
        res = read_school_table(hostile.formulas(tmp_path / "c.xlsx", cell="X2", **kw))
        assert not [i for i in res.warnings if i.code == "formula_zero"]


def test_formula_text_is_shown_as_written_not_as_xml(capsys, monkeypatch, tmp_path):
    """The sheet XML escapes < & " and may write 点 as &#28857;: the message shows the formula as
    the user typed it, and a constant written with an escape (1&lt;0) is still a constant."""
    path = hostile.formulas(tmp_path / "公式.xlsx", cached=None, cell="X2",
                            formula="IF(X3&lt;0,&quot;&#28857;&amp;&quot;,X3)")
    refused(capsys, monkeypatch, tmp_path, path, '=IF(X3<0,"点&",X3)')
    res = read_school_table(hostile.formulas(tmp_path / "c.xlsx", cached="0", cell="X2", formula="1&lt;0"))
    assert not [i for i in res.warnings if i.code == "formula_zero"]


def test_merged_numbers_in_data_rows_are_an_error(capsys, monkeypatch, tmp_path):
    c = hostile.col("小学在校生数")
    path = hostile.write_xlsx(tmp_path / "合并.xlsx", merges=((2, c, 4, c),))
    err = refused(capsys, monkeypatch, tmp_path, path, "F3:F5", "合并单元格", "第 4 行")
    assert "不能为空" not in err   # one error per merged range, not one per covered cell


def test_a_merge_over_the_whole_sheet_is_one_error_per_column(tmp_path):
    path = hostile.write_xlsx(tmp_path / "t.xlsx")
    hostile.edit_sheet_xml(path, lambda xml: xml.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A2:XFD1048576"/></mergeCells>'))
    with pytest.raises(InputError) as info:
        read_school_table(path)
    merged = [i for i in info.value.issues if i.code == "merged_cells"]
    assert len(merged) == len(hostile.HEAD) and all("A2:XFD1048576" in i.message for i in merged)


# 7.3 the right sheet and the right hint ---------------------------------------------------------

COVER = [["填表说明"], ["学校标识码：10 位", "学校名称：全称", "办学类型：代码"], ["审核人", "", ""]]


def test_cover_sheet_first_the_school_table_is_found_and_named(capsys, monkeypatch, tmp_path):
    path = hostile.write_xlsx(tmp_path / "封面.xlsx", sheets=(("封面", COVER), ("说明", [["学校名称", "办学类型", "学校标识码"]])))
    doc, err = assessed(capsys, monkeypatch, tmp_path, path)
    assert "已使用工作表“学校”" in err and "“封面”" in err and "“说明”" in err
    assert doc["counties"][0]["levels"]["primary"]["units"] >= 5


def test_county_merged_down_a_column_is_read_as_the_merge_says(tmp_path):
    county, code = hostile.col("县(区)"), hostile.col("县(区)代码")
    table = hostile.rows()
    for r in table[2:]:
        r[county] = r[code] = None
    path = hostile.write_xlsx(tmp_path / "合并县.xlsx", table, merges=((1, county, 7, county), (1, code, 7, code)))
    res = read_school_table(path)
    assert res.table["county"].to_list() == ["示例县"] * 7
    assert res.table["county_code"].to_list() == ["529901"] * 7


def test_a_merge_down_the_first_column_fills_every_row(tmp_path):
    """乡镇 as column A, one merged cell over the seven schools: each school is in 城关镇."""
    table = [["乡镇", *r] for r in hostile.rows()]
    table[1][0] = "城关镇"
    for r in table[2:]:
        r[0] = None
    res = read_school_table(hostile.write_xlsx(tmp_path / "合并乡镇.xlsx", table, merges=((1, 0, 7, 0),)))
    assert res.table["township"].to_list() == ["城关镇"] * 7


def test_no_header_in_several_sheets_names_no_sheet(tmp_path):
    """Without a header anywhere, the error names the sheet only when the file has one."""
    one = hostile.write_xlsx(tmp_path / "一.xlsx", [["甲", "乙"], [1, 2]], name="数据")
    two = hostile.write_xlsx(tmp_path / "二.xlsx", [["甲", "乙"], [1, 2]], name="数据", sheets=(("封面", [["说明"]]),))
    for path, sheet in ((one, "数据"), (two, None)):
        with pytest.raises(InputError) as info:
            read_school_table(path)
        [e] = info.value.issues
        assert (e.code, e.sheet) == ("no_header", sheet)


@pytest.mark.parametrize("how", ["utf16-tab-bom", "utf16-tab", "semicolon", "tab-gbk", "pipe"])
def test_csv_variants_are_read(capsys, monkeypatch, tmp_path, how):
    kw = {"utf16-tab-bom": {"sep": "\t", "encoding": "utf-16-le", "bom": True},
          "utf16-tab": {"sep": "\t", "encoding": "utf-16-le"},
          "semicolon": {"sep": ";", "encoding": "utf-8"},
          "tab-gbk": {"sep": "\t", "encoding": "gbk"},
          "pipe": {"sep": "|", "encoding": "gb18030"}}[how]
    path = hostile.write_csv_text(tmp_path / "t.csv", hostile.rows(), **kw)
    res = read_school_table(path)
    assert res.table["name"].to_list()[:2] == ["城关一小", "城关二小"] and res.table.height == 7
    assert assessed(capsys, monkeypatch, tmp_path, path)[0]["counties"]


def test_big5_csv_says_what_was_detected(capsys, monkeypatch, tmp_path):
    trad = [["學校標識碼", "學校名稱", "辦學類型", "小學在校生數"], ["2152990001", "城關一小", "211", "45"]]
    path = hostile.write_csv_text(tmp_path / "繁体.csv", trad, encoding="big5")
    refused(capsys, monkeypatch, tmp_path, path, "Big5（繁体中文）", "繁体字")


def test_table_in_a_hidden_sheet_is_called_hidden(capsys, monkeypatch, tmp_path):
    path = hostile.write_xlsx(tmp_path / "隐藏.xlsx", hidden=True, sheets=(("封面", [["填表说明"]]),))
    refused(capsys, monkeypatch, tmp_path, path, "隐藏的工作表“学校”", "--sheet")
    res = read_school_table(path, sheet="学校")
    assert res.table.height == 7 and [w.code for w in res.warnings] == ["hidden_sheet"]
    with pytest.raises(InputError) as info:
        read_school_table(path, sheet="学")
    assert "学校（隐藏）" in info.value.issues[0].message


def test_hidden_county_sheet_is_hidden_not_missing(tmp_path):
    from junheng.io.county_workbook import read_county_workbook

    path = hostile.write_xlsx(tmp_path / "县.xlsx", [["年度", "教育财政拨款(万元)"], [2023, 100], [2024, 110]],
                              name="经费", hidden=True, sheets=(("指标", [["指标名称", "数值"], ["初中三年巩固率", 96]]),))
    res = read_county_workbook(path)
    [w] = [i for i in res.warnings if i.code == "hidden_sheet"]
    assert "“经费”是隐藏的" in w.message
    assert not [i for i in res.warnings if i.code == "missing_sheet" and "“经费”" in i.message]


def test_county_workbook_formulas_and_hostile_text(tmp_path):
    from junheng.io.county_workbook import read_county_workbook

    finance = [["年度", "教育财政拨款(万元)", "教师平均工资(元)"], [2023, 100, 90000], [2024, 110, 91000]]
    path = hostile.write_xlsx(tmp_path / "县.xlsx", finance, name="经费",
                              sheets=(("指标", [["指标名称", "数值", "说明"], ["初中三年巩固率", 96, "据\u202e统计"]]),))
    hostile.set_formula(path, "B3", "SUM(B1:B2)", None)
    with pytest.raises(InputError) as info:
        read_county_workbook(path)
    found = sorted((i.code, i.sheet, i.row, i.column) for i in info.value.issues if i.level == "error")
    assert found == [("formula_no_value", "经费", 3, "教育财政拨款(万元) (B列)"),
                     ("unsafe_text", "指标", 2, "说明 (C列)")]


def test_county_workbook_numbers_at_the_float_edge_are_too_large_not_long_text(tmp_path):
    """1e308 typed as a number reaches the county importer as its 309 digits: it is a number out of
    range (in the 经费 sheet, the 年度 column and the 指标 sheet's 数值 alike), not a "long text";
    a long text in a text column still is."""
    from junheng.io.county_workbook import read_county_workbook

    finance = [["年度", "教育财政拨款(万元)", "教师平均工资(元)"], [2023, 1e308, 90000], [1e308, 110, 91000]]
    path = hostile.write_xlsx(tmp_path / "县.xlsx", finance, name="经费",
                              sheets=(("指标", [["指标名称", "数值", "说明"], ["初中三年巩固率", 1e308, "长" * 300]]),))
    with pytest.raises(InputError) as info:
        read_county_workbook(path)
    found = sorted((i.code, i.sheet, i.row, i.column) for i in info.value.issues if i.level == "error")
    assert found == [("bad_value", "经费", 2, "教育财政拨款(万元) (B列)"), ("bad_value", "经费", 3, "年度 (A列)"),
                     ("invalid", "指标", 2, "数值 (B列)"), ("text_too_long", "指标", 2, "说明 (C列)")], found
    assert all("数值 1e+308 超出合理范围" in i.message for i in info.value.issues
               if i.level == "error" and i.code in ("bad_value", "invalid"))


# messages and help in Chinese -------------------------------------------------------------------

@pytest.mark.parametrize("args", [["--help"], ["assess", "--help"], ["report", "--help"], ["sample", "--help"],
                                  ["demo", "--help"], ["equity", "--help"], ["template", "--help"], ["template", "county", "--help"]])
def test_every_help_screen_is_chinese(capsys, monkeypatch, args):
    code, out, _ = cli(capsys, monkeypatch, *args)
    assert code == 0 and "用法：junheng" in out and "选项" in out and "显示此帮助并退出" in out
    for english in ("Usage", "Options", "Arguments", "Commands", "Show this message", "default:", "required", "<"):
        assert english not in out, (english, out)


@pytest.mark.parametrize("args,words", [
    (["assess", "x.csv", "--year", "3000"], ("--year/-y", "1990–2100")),
    (["assess", "x.csv", "--year", "abc"], ("--year/-y",)),
    (["assess", "x.csv", "--rules", "x"], ("basic-2012", "quality-2017")),
    (["sample", "-o", "x.csv", "-n", "0"], ("--schools/-n", "不小于 1")),
    (["assess"], ("缺少要处理的文件",)),
    (["assess", "a.csv", "b.csv"], ("多余的参数",)),
    (["nosuch"], ("没有这个命令",)),
    (["assess", "x.csv", "--bogus"], ("没有这个选项",)),
])
def test_usage_errors_are_chinese(capsys, monkeypatch, args, words):
    code, _, err = cli(capsys, monkeypatch, *args)
    assert code == 2 and "错误：" in err
    for w in words:
        assert w in err
    assert no_english(err.replace("--year/-y", "").replace("--schools/-n", "").replace("--bogus", "")
                      .replace("basic-2012", "").replace("quality-2017", "").replace("nosuch", "")), err


def test_unreadable_path_is_chinese(tmp_path, monkeypatch):
    import errno
    import pathlib

    path = hostile.write_csv_text(tmp_path / "t.csv", hostile.rows())

    def denied(self):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(pathlib.Path, "read_bytes", denied)
    with pytest.raises(InputError) as info:
        read_school_table(path)
    [e] = info.value.issues
    assert "没有读取权限" in e.message and no_english(e.message)


# 7.6 only what the method needs -----------------------------------------------------------------

def test_table_without_class_counts_is_assessed(capsys, monkeypatch, tmp_path):
    drop = {hostile.col("小学班数"), hostile.col("初中班数")}
    table = [[v for j, v in enumerate(r) if j not in drop] for r in hostile.rows()]
    path = hostile.write_csv_text(tmp_path / "无班数.csv", table)
    doc, err = assessed(capsys, monkeypatch, tmp_path, path)
    assert doc["counties"][0]["levels"]["primary"]["units"] >= 5
    assert "班数" not in err      # not needed, so not asked for


def test_report_on_a_hostile_file_writes_nothing(capsys, monkeypatch, tmp_path):
    path = hostile.formulas(tmp_path / "公式.xlsx", cached=None)
    out = tmp_path / "报告"
    code, stdout, stderr = cli(capsys, monkeypatch, "report", path, "-o", out)
    assert code == 1 and not out.exists() and "Traceback" not in stderr
    assert "=SUM(F3:F4)" in stderr and no_english(stderr)


def test_formula_text_with_bytes_that_are_not_utf8_is_shown_replaced():
    """A damaged sheet XML (bytes that are not UTF-8 inside a formula) still gives a message."""
    from junheng.io.formulas import _scan

    out = []
    _scan(b'<c r="B3"><f>SUM(\xff1)</f></c>', out)
    assert [(c.row, c.col, c.kind, c.formula) for c in out] == [(2, 1, "no_value", "=SUM(\ufffd1)")]


def test_formula_scan_kinds_of_cell():
    """What the scan reports, cell by cell: no cached value (none, empty, blank), a cached 0 of a
    formula that refers to cells (a number, also written 0.0, also a shared formula's follower,
    which has no text of its own), in a sheet with a namespace prefix too; not a constant formula's
    0, not a text or error result, not a non-zero result, not a cell without a reference."""
    from junheng.io.formulas import _scan

    xml = (b'<row r="1"><c r="A1"><f>SUM(B1)</f><v></v></c><c r="B2"><f>SUM(B1)</f><v/></c>'
           b'<c r="C3" t="n"><f>B1*2</f><v>0.0</v></c><c r="D4" t="str"><f>B1&amp;""</f><v>0</v></c>'
           b'<c r="E5"><f t="shared" si="0"/><v>0</v></c><c r="F6"><f>2*0</f><v>0</v></c><c><f>SUM(B1)</f></c>'
           b'<x:c r="AA10" s="1"><x:f>SUM(B1)</x:f><x:v> </x:v></x:c><c r="G7"><f>SUM(B1)</f><v>0</v></c>'
           b'<c r="H8"><f>SUM(B1)</f><v>5</v></c><c r="I9" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    out = []
    _scan(xml, out)
    assert [(c.row, c.col, c.kind, c.formula) for c in out] == [
        (0, 0, "no_value", "=SUM(B1)"), (1, 1, "no_value", "=SUM(B1)"), (2, 2, "zero", "=B1*2"),
        (4, 4, "zero", "=\u2026"), (9, 26, "no_value", "=SUM(B1)"), (6, 6, "zero", "=SUM(B1)")]


@pytest.mark.parametrize("chunk", [37, 64, 1 << 20])
def test_formula_scan_finds_every_cell_whatever_the_chunk_size(tmp_path, monkeypatch, chunk):
    """The sheet XML is streamed in chunks cut after a whole row: no formula cell is lost or
    split at a chunk boundary."""
    import xlsxwriter

    from junheng.io import formulas

    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for r in range(20):
        ws.write_number(r, 0, r)
        ws.write_formula(r, 1, f"=A{r + 1}*0", None, 0)   # cached result 0 while not constant
    wb.close()
    monkeypatch.setattr(formulas, "_CHUNK", chunk)
    found = formulas.suspicious_formulas(path, "xl/worksheets/sheet1.xml")
    assert [(c.row, c.col, c.kind, c.formula) for c in found] == [(r, 1, "zero", f"=A{r + 1}*0") for r in range(20)]
