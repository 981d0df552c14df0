"""The Word template (--template): the marker is required, placeholders are filled everywhere
(headers, footers, tables, text boxes, split runs), unknown ones are refused, {{年度}} has a
fallback, and the default template carries the title block so the body does not repeat it."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.shared import Pt

import functools

from junheng.report.bundle import write_report
from junheng.report.docx.writer import build_docx
from junheng.report.docx.template import MARKER, cn_date
from junheng.report.docx.make_template import TEMPLATE
from junheng.report.narrative.common import title_break
from junheng.report.narrative.report import report_title


def _template(tmp_path, edit) -> str:
    """The default template edited by ``edit(doc)``, saved; returns its path."""
    doc = Document(str(TEMPLATE))
    edit(doc)
    path = tmp_path / "mine.docx"
    doc.save(str(path))
    return str(path)


@functools.cache
def _sample_table():
    from junheng.io import read_school_table
    from junheng.sample import SAMPLE_XLSX

    return read_school_table(SAMPLE_XLSX).table


def _docx(assessment, tmp_path, template) -> Document:
    # with the school table: the annex (补足资源测算, plan/fill.py) is measured and printed
    out = write_report(assessment, tmp_path / "out", source_name="x.xlsx", template=template, formats=("docx",),
                       table=_sample_table())
    return Document(str(out[0]))


def _drop_marker(doc) -> None:
    p = next(p for p in doc.paragraphs if p.text == MARKER)
    p._p.getparent().remove(p._p)


def test_template_without_marker_is_refused(assessment, tmp_path):
    path = _template(tmp_path, _drop_marker)
    with pytest.raises(ValueError, match=r"模板中没有 \{\{报告正文\}\} 标记，不知道把报告正文放在哪里"):
        write_report(assessment, tmp_path / "out", source_name="x.xlsx", template=path, formats=("docx",))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    with pytest.raises(ValueError, match="标记"):
        build_docx([], template=path)


def test_marker_inside_other_text_is_refused(tmp_path):
    def edit(doc):
        next(p for p in doc.paragraphs if p.text == MARKER).add_run("（正文）")
    with pytest.raises(ValueError, match="单独成段"):
        build_docx([], template=_template(tmp_path, edit))


def test_cli_exit_2_for_template_without_marker(tmp_path):
    from typer.testing import CliRunner

    from junheng.cli import app
    from junheng.sample import SAMPLE_XLSX

    path = _template(tmp_path, _drop_marker)
    r = CliRunner().invoke(app, ["report", str(SAMPLE_XLSX), "--template", path, "--formats", "docx",
                                 "-o", str(tmp_path / "out")])
    assert r.exit_code == 2
    assert "报告正文" in r.output


def test_unknown_placeholder_is_refused(tmp_path):
    def edit(doc):
        doc.sections[0].header.paragraphs[0].text = "{{单位}}"
    with pytest.raises(ValueError) as e:
        build_docx([], template=_template(tmp_path, edit))
    msg = str(e.value)
    assert "{{单位}}" in msg
    assert all(k in msg for k in ("{{县区}}", "{{年度}}", "{{规则}}", "{{日期}}", "{{标题}}"))


def test_placeholders_filled_in_headers_footers_tables_text_boxes(assessment, tmp_path):
    def edit(doc):
        s = doc.sections[0]
        s.header.is_linked_to_previous = False
        s.header.paragraphs[0].text = "{{县区}}{{年度}}年自评"
        s.first_page_footer.paragraphs[0].text = "{{规则}}"
        marker = next(p for p in doc.paragraphs if p.text == MARKER)
        table = doc.add_table(rows=1, cols=1)
        table.cell(0, 0).paragraphs[0].text = "报送：{{县区}}教育局"
        marker._p.addprevious(table._tbl)
        # a placeholder split over three runs, as Word often saves it
        p = marker.insert_paragraph_before("")
        for part in ("县区：{{", "县区", "}}。"):
            p.add_run(part).bold = True
        box = (
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<w:drawing><wp:inline><wp:extent cx="914400" cy="457200"/><wp:docPr id="99" name="box"/>'
            '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{{日期}}</w:t></w:r></w:p></w:txbxContent>'
            '</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
        marker.insert_paragraph_before("")._p.append(parse_xml(box))
    d = _docx(assessment, tmp_path, _template(tmp_path, edit))
    s = d.sections[0]
    assert s.header.paragraphs[0].text == "均衡示例县2024年自评"
    assert s.first_page_footer.paragraphs[0].text == assessment.rules.name
    assert d.tables[0].cell(0, 0).text == "报送：均衡示例县教育局"
    split = next(p for p in d.paragraphs if p.text.startswith("县区："))
    assert split.text == "县区：均衡示例县。" and all(r.bold for r in split.runs if r.text)
    xml = d.element.body.xml
    assert cn_date(dt.date.today()) in xml and "{{" not in xml


def test_year_without_year_is_the_same_fill_in_field_as_the_text(assessment, tmp_path):
    """No --year and no county workbook: {{年度}} is the 【请填写：统计年度】 field the report text
    carries too (docs/report.md), never this calendar year (which may not be the data's year)."""
    def edit(doc):
        next(p for p in doc.paragraphs if p.text == MARKER).insert_paragraph_before("{{县区}}{{年度}}年义务教育")
    a = dataclasses.replace(assessment, year=None)
    d = _docx(a, tmp_path, _template(tmp_path, edit))
    texts = [p.text for p in d.paragraphs]
    assert "均衡示例县【请填写：统计年度】年义务教育" in texts
    assert any("我县以【请填写：统计年度】教育事业统计数据为基础" in t for t in texts)
    assert f"均衡示例县{dt.date.today().year}年义务教育" not in texts


def test_default_template_has_the_title_block_once(assessment, tmp_path):
    t = Document(str(TEMPLATE))
    texts = [(p.style.name, p.text) for p in t.paragraphs]
    assert texts[:2] == [("Title", "{{标题}}"), ("Normal", MARKER)]
    assert ("Normal", "{{落款}}") in texts and ("Normal", "{{日期}}") in texts
    d = _docx(assessment, tmp_path, None)
    texts = [p.text for p in d.paragraphs]
    titles = [p.text for p in d.paragraphs if p.style.name == "Title"]
    assert titles[0] == title_break(report_title(assessment, assessment.counties[0]))
    assert titles[1:] == [t for t in titles[1:] if t.endswith("补足资源测算表")]  # the annex titles
    assert "初稿" not in "".join(texts)
    k = texts.index("均衡示例县人民政府")  # the 落款, then the date, then the annexes
    assert texts[k + 1] == cn_date(dt.date.today()) and texts[k + 2] == "附件1"
    cp = d.core_properties
    assert (cp.author, cp.title, cp.comments) == ("均衡示例县人民政府", report_title(assessment, assessment.counties[0]), "")


def test_own_title_in_template_replaces_the_generated_one(assessment, tmp_path):
    def edit(doc):
        doc.paragraphs[0].text = "{{县区}}关于义务教育均衡发展的自评报告"
        doc.styles["Normal"].font.size = Pt(15)
    d = _docx(assessment, tmp_path, _template(tmp_path, edit))
    titles = [p.text for p in d.paragraphs if p.style.name == "Title"]
    assert titles[0] == "均衡示例县关于义务教育均衡发展的自评报告" and len(titles) == 2  # and the annex
    assert d.styles["Normal"].font.size == Pt(15)


def test_template_without_title_keeps_the_generated_title(assessment, tmp_path):
    def edit(doc):
        for p in list(doc.paragraphs)[:1]:
            p._p.getparent().remove(p._p)
    d = _docx(assessment, tmp_path, _template(tmp_path, edit))
    titles = [p.text for p in d.paragraphs if p.style.name == "Title"]
    assert titles[0] == title_break(report_title(assessment, assessment.counties[0])) and len(titles) == 2


def test_cn_date_has_no_leading_zeros():
    assert cn_date(dt.date(2025, 3, 8)) == "2025年3月8日"


def test_titles_break_at_a_word_boundary_in_every_document():
    """issue 8 leftover: the monitoring report's title wrapped leaving “报告” alone on the second
    line. title_break (one implementation, used by the 自评报告, its 附件 and the 监测复查报告)
    cuts before the document's name or after a word; the Word title carries the break."""
    from junheng.report.docx.writer import build_docx
    from junheng.report.narrative.blocks import Heading, Para
    from junheng.report.narrative.common import TITLE_LINE

    cases = {
        "均衡示例县义务教育均衡发展年度监测复查报告": "均衡示例县义务教育均衡发展\n年度监测复查报告",
        "均衡示例县县域义务教育优质均衡发展自评报告": "均衡示例县县域义务教育优质均衡发展\n自评报告",
        "均衡示例县未达到单校标准的单位补足资源测算表": "均衡示例县未达到单校标准的单位\n补足资源测算表",
        "某某自治县县域义务教育优质均衡发展督导评估整改情况报告": "某某自治县县域义务教育\n优质均衡发展督导评估整改情况报告",
        "义务教育均衡发展年度监测复查报告": "义务教育均衡发展年度监测复查报告",  # fits one line
    }
    for title, want in cases.items():
        assert title_break(title) == want
        assert all(3 <= len(line) <= TITLE_LINE for line in want.split("\n"))
    title = "均衡示例县义务教育均衡发展年度监测复查报告"
    doc = build_docx([Heading(title_break(title), 0), Para("正文。")], values={"{{标题}}": title})
    shown = [p.text for p in doc.paragraphs if p.style.name == "Title"]
    assert shown == ["均衡示例县义务教育均衡发展\n年度监测复查报告"]


def test_the_monitoring_report_title_is_broken(sample_table):
    """The 监测复查报告 (two years of the sample county): the title block the Word and HTML writers
    lay out is broken at a word boundary, not left for the line to wrap before “报告”."""
    from junheng.analysis.monitor import YearInput, monitor
    from junheng.report.narrative.monitor import monitor_blocks, monitor_title
    from junheng.rules import load_rules

    m = monitor([YearInput(2023, sample_table), YearInput(2024, sample_table)], load_rules("quality-2017"))
    heading = monitor_blocks(m, {})[0]
    assert monitor_title(m) == "均衡示例县义务教育均衡发展年度监测复查报告"
    assert heading.level == 0 and heading.text == "均衡示例县义务教育均衡发展\n年度监测复查报告"
    # thresholds printed alike, as in the 自评报告 and the official tables (0.50 / 0.45, not 0.5)
    from junheng.report.narrative.blocks import Table
    limits = {r[-1] for b in monitor_blocks(m, {}) if isinstance(b, Table) and b.header[-1] == "标准（≤）" for r in b.rows}
    assert limits == {"0.50", "0.45", "—"}
