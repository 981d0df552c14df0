"""The Word report: official style (GB/T 9704) and numbers equal to the Assessment, rounded the
same way (3 decimals half-up)."""
from __future__ import annotations

import re
import io
import zipfile
from collections import defaultdict

import polars as pl
import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from junheng.report.narrative.numbers import fmt_num, fmt_stat
from junheng.report.narrative.numbers import cn_brackets, fmt_count
from junheng.report.docx.style import east_asia_font
from junheng.report.docx.make_template import TEMPLATE, build_template
from junheng.report.narrative.shortfalls import county_fill
from junheng.schema import LEVEL_NAMES


@pytest.fixture(scope="module")
def doc(report_files):
    return Document(str(report_files["docx"]))


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _table_rows(t) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in t.rows]


def test_page_setup_and_fonts(doc):
    s = doc.sections[0]
    mm = lambda *xs: tuple(round(x.mm, 1) for x in xs)  # noqa: E731 (stored in twips)
    assert mm(s.page_width, s.page_height) == (210, 297)
    assert mm(s.top_margin, s.bottom_margin, s.left_margin, s.right_margin) == (37, 35, 28, 26)
    st = doc.styles
    assert east_asia_font(st["Normal"]) == "仿宋_GB2312" and st["Normal"].font.size == Pt(16)
    assert east_asia_font(st["Title"]) == "方正小标宋简体" and st["Title"].font.size == Pt(22)
    assert east_asia_font(st["Heading 1"]) == "黑体"
    assert east_asia_font(st["Heading 2"]) == "楷体_GB2312"
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = st[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsiaTheme")) is None and fonts.get(qn("w:asciiTheme")) is None


def test_font_fallbacks_in_font_table(report_files):
    with zipfile.ZipFile(report_files["docx"]) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "黑体")):
        assert f'w:name="{name}"><w:altName w:val="{alt}"/>' in table


def test_page_numbers_in_footer(doc):
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")


def test_sections_and_heading_styles(doc, assessment):
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name in ("Title", "Heading 1", "Heading 2")]
    h1 = [t for s, t in heads if s == "Heading 1"]
    assert h1 == ["一、基本情况", "二、主要做法", "三、指标达成情况", "四、存在的主要问题", "五、下一步工作", "附件1"]
    # the title broken at a word boundary (GB/T 9704 §7.2)
    assert heads[0] == ("Title", f"均衡示例县{assessment.rules.name.removesuffix('督导评估')}\n自评报告")
    h3 = [p.text for p in doc.paragraphs if p.style.name == "Heading 3"]
    assert "1．小学" in h3 and "2．初中" in h3


def test_level_tables_equal_assessment(doc, assessment):
    c = assessment.counties[0]
    quality = assessment.rules.unit_rule is not None
    level_tables = [t for t in doc.tables if t.rows[0].cells[1].text == "指标"]
    assert len(level_tables) == len(c.levels)
    for t, (level, lv) in zip(level_tables, c.levels.items()):
        rows = _table_rows(t)
        units = assessment.units_of(c.county_key).filter(pl.col("level") == level)
        for row, ind in zip(rows[1:], assessment.rules.indicators):
            s = lv.indicators[ind.code]
            assert row[1] == cn_brackets(ind.name) and row[2] == ind.unit
            assert "(" not in row[1]
            assert row[-2] == fmt_stat(s.mean, ind.unit) and row[-1] == fmt_num(s.cv)
            # as the official workbook: 元 per pupil with 2 decimals, the rest 3, no thousands separator
            assert re.fullmatch(r"\d+\.\d\d" if ind.unit == "元" else r"\d+\.\d\d\d", row[-2]), row[-2]
            if quality:
                assert row[4] == f"{int(units[f'meets_{ind.code}'].sum())}/{lv.units}"
        if quality:  # the 2017 method tests each CV: no average of the CVs is shown
            assert len(rows) == 1 + len(assessment.rules.indicators)
            assert not any("平均值" in r[1] or "仅供参考" in r[1] for r in rows)
        else:
            assert rows[-1][1].startswith("综合差异系数") and rows[-1][-1] == fmt_num(lv.composite_cv)
            assert len(rows) == 2 + len(assessment.rules.indicators)


def test_narrative_numbers(doc, assessment, sample_table):
    c = assessment.counties[0]
    text = _text(doc)
    for level, lv in c.levels.items():
        assert f"{LEVEL_NAMES[level]}阶段参评单位{lv.units}个，在校生{fmt_count(lv.students)}人" in text
        quoted = any("、" in s.name for s in lv.indicators.values())  # then every name is in “”
        for s in lv.indicators.values():
            name = f"“{cn_brackets(s.name)}”" if quoted else cn_brackets(s.name)
            assert f"{name}{fmt_num(s.cv)}" in text
        if assessment.rules.dispersion.test == "composite":
            assert f"综合差异系数为{fmt_num(lv.composite_cv)}" in text
    n_schools = sample_table.height
    assert f"全县共有各类学校（含教学点）{n_schools}所" in text


def test_shortfall_table(doc, assessment, sample_table):
    # the annex is what the planner's model (plan/fill.py) gives for the same inputs: one row per
    # school, each need once (a nine-year school's shared building is not listed per section)
    fill = county_fill(sample_table, assessment, assessment.counties[0])
    t = next(t for t in doc.tables if t.rows[0].cells[-1].text == "需增加")
    by_school = defaultdict(list)
    for n in fill.needs:
        by_school[n.school_id].append(n.text)
    order = list(dict.fromkeys(g.school_id for g in fill.gaps if fill.needs_of(g)))
    rows = _table_rows(t)[1:]
    assert [r[-1] for r in rows] == ["、".join(by_school[s]) for s in order]
    # e.g. “教学及辅助用房320㎡”: whole square metres, money in 万元
    assert all(("万元" in x or not x.startswith("教学仪器设备")) for r in rows for x in r[-1].split("、"))
    assert len({r[1] for r in rows}) == len(rows)  # one row per school, whatever its sections
    # the 下一步工作 sentence sums the same needs (a shared purchase once)
    from junheng.report.narrative.report import _join_amounts

    assert f"共需增加{_join_amounts(fill.totals())}，" in _text(doc)


def test_one_picture_per_chart(doc, assessment):
    from junheng.report.charts import county_charts

    n = len(county_charts(assessment, assessment.counties[0]))
    assert len(doc.inline_shapes) == n


def test_template_is_reproducible():
    assert build_template() == TEMPLATE.read_bytes(), "run: python -m junheng.report.docx.make_template"


def test_user_template_keeps_edits_and_fills_placeholders(assessment, sample_table, tmp_path):
    from junheng.report.bundle import write_report

    t = Document(str(TEMPLATE))
    t.styles["Normal"].font.size = Pt(15)
    marker = next(p for p in t.paragraphs if p.text == "{{报告正文}}")
    marker.insert_paragraph_before("{{县区}}教育局 {{年度}} 年 {{规则}}")
    t.add_paragraph("（附件略）")
    path = tmp_path / "mine.docx"
    t.save(str(path))
    out = write_report(assessment, tmp_path / "out", source_name="x.xlsx", template=path, formats=("docx",),
                       table=sample_table)  # the annex (补足资源测算) is measured from the school table
    d = Document(str(out[0]))
    texts = [p.text for p in d.paragraphs]
    assert texts[0].endswith("自评报告") and "初稿" not in "".join(texts)
    assert texts[1] == f"均衡示例县教育局 2024 年 {assessment.rules.name}"
    assert texts[2].startswith("根据") and texts.index("（附件略）") < texts.index("附件1")  # annexes last
    assert "{{报告正文}}" not in texts
    assert d.styles["Normal"].font.size == Pt(15)


def test_docx_opens_as_zip(report_files):
    data = report_files["docx"].read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert sum(n.startswith("word/media/") for n in z.namelist()) >= 4
