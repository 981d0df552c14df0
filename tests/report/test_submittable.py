"""What a county officer would not submit (issue 8, the fresh reader's leftovers): one place decides
whether a failing check counts in the verdict and every text follows it; a verdict open only for
want of the 省定办学基本标准 says what is decided and asks for the rest; the statistics year is
one value in every document; no program-like phrasing."""
from __future__ import annotations

import re

import pytest

from junheng.core import assess
from junheng.core.county_result import TOTAL_ID, counts_in_verdict
from junheng.core.county_verdict import evaluate_county
from junheng.report.console.county import county_checks_payload
from junheng.report.narrative.blocks import Heading, Para, Table
from junheng.report.narrative.common import name_list, statistics_year
from junheng.report.narrative.county import RESOURCE_PARTS, county_verdict, failure_ref
from junheng.report.narrative.numbers import fmt_plain
from junheng.report.narrative.report import report_blocks, user_notes
from junheng.rules import load_rules


def _blocks(a, checks, table):
    return report_blocks(a, a.counties[0], {}, table=table, checks=checks)


def _text(blocks) -> str:
    return "\n".join(b.text for b in blocks if isinstance(b, (Para, Heading)))


def _section(blocks, title: str) -> str:
    """The text from the heading ending with ``title`` to the next heading of the same level."""
    start = next(k for k, b in enumerate(blocks) if isinstance(b, Heading) and b.text.endswith(title))
    level = blocks[start].level
    end = next((k for k in range(start + 1, len(blocks)) if isinstance(blocks[k], Heading)
                and blocks[k].level <= level), len(blocks))
    return _text(blocks[start:end])


def test_counted_is_decided_in_one_place_and_agrees_with_the_verdict(checks):
    for f in checks.failures:
        assert f.counted == counts_in_verdict(checks.parts[f.part], f.id)
    counted = [f for f in checks.failures if f.counted]
    # the verdict fails exactly when a counted item fails
    assert (checks.verdict is False) == bool(counted)
    if checks.score is not None:
        items = [f for f in checks.failures if f.part == "score" and f.id != TOTAL_ID]
        assert items and not any(f.counted for f in items)  # the sample loses a point on one item only
        assert checks.score.passed is True


def test_texts_follow_counted(assessment, checks, sample_table):
    blocks = _blocks(assessment, checks, sample_table)
    text = _text(blocks)
    county = [f for f in checks.failures if f.part not in RESOURCE_PARTS]
    problems = _section(blocks, "存在的主要问题")
    for f in county:
        if f.counted or f.part != "score":
            assert f"{failure_ref(checks, f)}未达到要求，" in problems
        else:  # lost points on a passing sheet: never “未达到要求”, never counted among the failures
            assert f"{failure_ref(checks, f)}未达到要求" not in text
            assert re.search(re.escape(failure_ref(checks, f)) + r"扣\d+分（该项\d+分，得\d+分）", problems)
    counted = [f for f in county if f.counted]
    m = re.search(r"县级指标核查中未达到要求的(\d+)项", text)
    assert (int(m.group(1)) if m else 0) == len(counted)
    informational = [f for f in county if not f.counted and f.part != "score"]
    for f in informational:
        assert f"{failure_ref(checks, f)}未达到要求，" in problems and "（该项不计入评估结论）" in problems


def test_no_row_says_met_of_a_failed_result_nor_failed_of_a_passing_sheet(assessment, checks, sample_table):
    blocks = _blocks(assessment, checks, sample_table)
    for t in (b for b in blocks if isinstance(b, Table) and "得分" in b.header and "结果" in b.header):
        result = t.header.index("结果")
        for row in t.rows:
            points, score = row[t.header.index("分值")], row[t.header.index("得分")]
            if score not in ("—", "") and points:
                lost = float(points) - float(score)
                assert row[result] == ("满分" if lost == 0 else f"扣{fmt_plain(lost)}分")
    if checks.score is not None:
        para = next(b.text for b in blocks if isinstance(b, Para) and "评分合计" in b.text)
        assert para.endswith(f"结论为：{'达标' if checks.score.passed else '未达标'}。")


def test_open_verdict_says_what_is_decided(assessment, checks, sample_table):
    """basic-2012 without a province: no 省定办学基本标准 configured. The conclusion names the parts
    met and asks for the standard and the verdict, never a bare 无法判定; the JSON keeps decided
    false (docs/json-contract.md)."""
    blocks = _blocks(assessment, checks, sample_table)
    verdict = _section(blocks, "评估结论")
    if checks.score is None:  # quality-2017: decided, the plain verdict
        assert checks.verdict is not None and "【请填写" not in verdict
        return
    assert checks.verdict is None and county_checks_payload(checks)["decided"] is False
    met = [p.name for p in checks.parts.values() if p.in_verdict and p.passed is True and p.code != "veto"]
    assert f"{name_list(met)}均达到要求" in verdict
    assert "省定办学基本标准达标情况须按本省标准逐校核实" in verdict
    assert "自评结论为：【请填写：自评结论（达标或未达标）】。" in verdict
    assert "无法判定" not in verdict
    assert county_verdict(checks) == "待核实（省定办学基本标准）"


def test_with_a_provincial_standard_the_verdict_is_decided(sample_table, county_data):
    a = assess(sample_table, load_rules("basic-2012", province="52"), year=2024)
    checks = evaluate_county(a, county_data, a.rules, table=sample_table)
    assert checks.verdict is not None
    verdict = _section(_blocks(a, checks, sample_table), "评估结论")
    assert "【请填写" not in verdict and county_verdict(checks) in ("达标", "未达标")


def test_statistics_year_is_one_value(sample_table, county_data, tmp_path):
    """No --year: the county workbook's latest 经费 year, in the Word text, the Excel table and
    the 说明 file; without county data a single fill-in field, listed in the 说明."""
    from docx import Document
    from openpyxl import load_workbook

    from junheng.report.bundle import write_report

    a = assess(sample_table, load_rules("quality-2017"))
    assert a.year is None
    checks = evaluate_county(a, county_data, a.rules, table=sample_table)
    year, origin = statistics_year(a, checks)
    assert (year, origin) == (max(county_data.finance["year"]), "finance")
    paths = {p.suffix: p for p in write_report(a, tmp_path / "with", source_name=None, table=sample_table,
                                               county_checks={checks.county_key: checks})}
    body = "\n".join(p.text for p in Document(str(paths[".docx"])).paragraphs)
    assert f"我县以{year}年教育事业统计数据为基础" in body and "【请填写：统计年度】" not in body
    ws = load_workbook(paths[".xlsx"])["校际差异系数表"]
    assert f"统计年度：{year}年" in ws["A2"].value
    assert f"按县级数据表经费表的最近年度写为{year}年" in paths[".txt"].read_text(encoding="utf-8")
    blocks = _blocks(a, None, sample_table)
    assert "我县以【请填写：统计年度】教育事业统计数据为基础" in _text(blocks)
    notes = "\n".join(user_notes(a, a.counties[0], blocks))
    assert "【请填写：统计年度】" in notes and "--year" in notes


@pytest.mark.parametrize("names, want", [
    (["生均图书册数", "师生比"], "生均图书册数、师生比"),
    (["师生比", "每百名学生拥有体育、艺术（美术、音乐）专任教师数"],
     "“师生比”、“每百名学生拥有体育、艺术（美术、音乐）专任教师数”"),
])
def test_name_lists_stay_unambiguous(names, want):
    assert name_list(names) == want


def test_no_program_like_phrases(assessment, checks, sample_table):
    text = _text(_blocks(assessment, checks, sample_table))
    assert not re.search(r"等\d+个单位（共\d+个）", text)
    assert "因此达到标准" not in text and "没有单位因此" not in text
    # an indicator name holding 、 is never a bare member of a 、-list
    for ind in assessment.rules.indicators:
        if "、" in ind.name:
            name = ind.name.replace("(", "（").replace(")", "）")
            for m in re.finditer(re.escape(name), text):
                before, after = text[m.start() - 1], text[m.end():m.end() + 1]
                assert before != "、" and after != "、", text[m.start() - 20:m.end() + 20]


def test_charts_print_in_grey(assessment):
    """Bars, histograms and the heat map in grey levels with hatching: nothing relies on colour."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    from junheng.report.charts import county_charts

    c = assessment.counties[0]
    hatched = 0
    for ch in county_charts(assessment, c):
        for patch in ch.figure.findobj(Rectangle):
            r, g, b, _ = to_rgba(patch.get_facecolor())
            assert abs(r - g) < 1e-6 and abs(g - b) < 1e-6, f"{ch.key}: coloured patch {patch.get_facecolor()}"
            hatched += bool(patch.get_hatch())
        for im in ch.figure.axes[0].get_images():
            assert im.get_cmap().name == "Greys"
        for line in ch.figure.findobj(lambda o: hasattr(o, "get_color") and hasattr(o, "get_linestyle")):
            r, g, b, _ = to_rgba(line.get_color())
            assert abs(r - g) < 1e-6 and abs(g - b) < 1e-6, f"{ch.key}: coloured line"
    assert hatched  # the sample has shortfalls: they are hatched, not only darker


def test_tall_tables_are_not_kept_whole_and_short_values_do_not_wrap():
    """A table taller than KEEP_TOGETHER_LINES keeps only its header with the first row and its
    last three rows together (no near-empty page before it); a short one stays whole. Short values (“2019年”) get a column
    wide enough for one line; an explicit header break sets the header's width."""
    from docx import Document
    from docx.shared import Pt

    from junheng.report.docx.writer import KEEP_TOGETHER_LINES, _table, header_widths, text_lines
    from junheng.report.docx.style import ensure_styles

    doc = Document()
    ensure_styles(doc)
    long = Table(["序号", "情况"], [[str(k), "较长的说明文字" * 30] for k in range(6)], "表1  高表", [1, 8])
    short = Table(["序号", "情况"], [[str(k), "短"] for k in range(6)], "表2  矮表", [1, 8])
    for t in (long, short):
        _table(doc, t)
    assert text_lines(long, [Pt(30), Pt(400)]) > KEEP_TOGETHER_LINES >= text_lines(short, [Pt(30), Pt(400)])
    tall, low = doc.tables

    def kept(table):
        return [bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in table.rows]

    assert kept(tall) == [True] + [False] * 6  # its tall last rows are not chained (no near-empty page)
    assert kept(low) == [True] * 6 + [False]
    many = Table(["序号", "情况"], [[str(k), "短"] for k in range(20)], "表4  多行", [1, 8])
    _table(doc, many)
    assert kept(doc.tables[-1]) == [True] + [False] * 17 + [True, True, False]  # the last 3 short rows together
    # a row taller than SPLIT_ROW_LINES may break across pages; the others may not
    from docx.oxml.ns import qn

    from junheng.report.docx.writer import SPLIT_ROW_LINES, row_lines
    huge = Table(["序号", "情况"], [["1", "短"], ["2", "很长的情况说明" * 200]], "表3  行高", [1, 8])
    _table(doc, huge)
    assert row_lines(huge, [Pt(30), Pt(400)])[2] > SPLIT_ROW_LINES
    split = [row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None for row in doc.tables[-1].rows]
    assert split == [False, False, True]
    w = header_widths(["年度", "说明"], [Pt(20), Pt(400)], [["2019年", "x"]])
    assert w[0] >= Pt(5.25 * 6 + 12)  # “2019年”: 6 half-width units on one line
    two = header_widths(["达标\n单位数", "x"], [Pt(10), Pt(400)])
    assert Pt(10.5 * 3 + 12) <= two[0] < Pt(10.5 * 5 + 12)  # the longer line of the break, not 5 characters


def test_no_keep_chain_pushes_a_tall_table_tail_to_a_page_of_its_own(assessment, checks, sample_table):
    """issue 8 leftover: the 整改 table's last three rows (each 10+ lines) were chained keep-with-next,
    so the row before them was left alone on a near-empty page. In the sample reports of both packs,
    every table is kept whole only when short, and a tall table's chained rows (header with the
    first row; the tail) are at most KEEP_TAIL_LINES lines — a chain never exceeds half a page."""
    from junheng.report.docx.writer import KEEP_TAIL_LINES, KEEP_TOGETHER_LINES, build_docx, row_lines

    blocks = _blocks(assessment, checks, sample_table)
    tables = [b for b in blocks if isinstance(b, Table)]
    doc = build_docx(blocks)
    assert len(doc.tables) == len(tables)
    tails = 0
    for t, table in zip(tables, doc.tables):
        lines = row_lines(t, [c.width for c in table.columns])
        kept = [bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in table.rows]
        if all(kept[:-1]):  # kept whole: only a short table
            assert sum(lines) <= KEEP_TOGETHER_LINES, t.caption
            continue
        runs, start = [], None  # (first, last) rows of each chain: kept rows and the row they keep with
        for k, keep in enumerate(kept):
            start = k if start is None else start
            if not keep:
                if k > start:
                    runs.append((start, k))
                start = None
        for first, last in runs:
            if first > 0:  # the header with the first row may be tall (that row can break); a tail may not
                tails += 1
                assert sum(lines[first:last + 1]) <= KEEP_TAIL_LINES, t.caption
    assert tails  # the sample has tall tables with a kept tail (the checked property is not vacuous)


def test_no_tool_text_in_the_official_tables(assessment, checks, sample_table, tmp_path):
    """The 县级指标 sheet speaks to inspectors: no option names, rule-pack talk or 示例 labels
    (the 说明 file carries them); the SS row of an unconfigured standard says what to do."""
    from openpyxl import load_workbook

    from junheng.report.bundle import write_report

    paths = write_report(assessment, tmp_path, source_name=None, table=sample_table,
                         county_checks={checks.county_key: checks}, formats=("xlsx",))
    wb = load_workbook(next(p for p in paths if p.suffix == ".xlsx"))
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not any(w in v.replace("均衡示例县", "") for w in ("--", "规则包", "示例")), f"{ws.title}: {v}"
    if checks.score is not None:
        cells = [c for row in wb["县级指标"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert "尚未对照本省办学基本标准核定，须按本省标准逐校核实" in cells


def test_the_signature_keeps_with_the_text_before_it(assessment, tmp_path):
    """GB/T 9704: the 落款 is never alone on a page: the last text before it (the 附件说明),
    the blank lines between and the 署名 keep with the next paragraph, down to the date."""
    from docx import Document

    from junheng.report.bundle import write_report

    paths = write_report(assessment, tmp_path, source_name=None, formats=("docx",))
    paras = Document(str(next(p for p in paths if p.suffix == ".docx"))).paragraphs
    k = next(i for i, p in enumerate(paras) if p.text == "均衡示例县人民政府")
    j = k - 1
    while not paras[j].text.strip():
        assert paras[j].paragraph_format.keep_with_next
        j -= 1
    assert paras[j].text.startswith(("附件", "\u3000")) and paras[j].paragraph_format.keep_with_next
    assert paras[k].paragraph_format.keep_with_next


def test_the_body_before_the_signature_ends_in_text_kept_with_it(assessment, checks, sample_table):
    """issue 8 leftover: the body ended with the 整改 table; LibreOffice does not keep a table's last
    row with the next paragraph, so the 附件说明 and the 落款 stood alone on the last page. 下一步工作
    now closes with a sentence that keeps with them; a body that still ends in a table (other
    documents on the same writer) keeps its header with the first row and its last row with the
    落款, the rows between free to break across the pages."""
    from docx.oxml.ns import qn

    from junheng.report.docx.writer import build_docx
    from junheng.report.narrative.report import CLOSING

    blocks = _blocks(assessment, checks, sample_table)
    doc = build_docx(blocks, values={"{{落款}}": "均衡示例县人民政府", "{{日期}}": "2024年12月1日"})
    body = list(doc.element.body)

    def text(el) -> str:
        return "".join(t.text or "" for t in el.iter(qn("w:t")))

    annex = next(k for k, el in enumerate(body) if el.tag == qn("w:p") and text(el).startswith("附件："))
    last = next(el for el in reversed(body[:annex]) if text(el).strip())
    assert last.tag == qn("w:p") and text(last) == CLOSING
    assert last.find(qn("w:pPr")).find(qn("w:keepNext")) is not None

    rows = [[str(k), "情况" * 20] for k in range(8)]
    doc = build_docx([Para("正文。"), Table(["序号", "情况"], rows, "表1  清单", [1, 8])],
                     values={"{{落款}}": "均衡示例县人民政府", "{{日期}}": "2024年12月1日"})
    kept = [bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in doc.tables[-1].rows]
    assert kept == [True] + [False] * 7 + [True]
