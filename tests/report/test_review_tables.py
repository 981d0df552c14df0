"""Tables and phrases of the report as a 督导 officer reads them (docs2 review items 4–8): the
score summary with its verdict in a row of its own and no empty column; the rectification list
with 责任单位 and 完成时限 to fill in and item-specific measures, under the official part names;
the Excel 县级指标 sheet numbered as the method numbers its items, money rules in plain Chinese,
thresholds with two decimals and counts as integers; the units of a special provision's standard;
the 附件 list with a hanging indent; counts that are totals, and nested quotes."""
from __future__ import annotations

import re

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from junheng.core import assess
from junheng.core.county_verdict import evaluate_county
from junheng.report.bundle import write_report
from junheng.report.narrative.blocks import Annex, Heading, Para, Table, fill_fields
from junheng.report.narrative.county import county_failures
from junheng.report.narrative.findings import rule_text
from junheng.report.narrative.report import report_blocks, user_notes
from junheng.rules import load_rules

from .test_numbers_in_prose import _body


@pytest.fixture(scope="module")
def packs(sample_table, county_data):
    """{name: (assessment, checks, blocks)} for basic-2012 with province 52 and quality-2017."""
    out = {}
    for name, rules in (("b", load_rules("basic-2012", province="52")), ("q", load_rules("quality-2017"))):
        a = assess(sample_table, rules, year=2024)
        ch = evaluate_county(a, county_data, rules, table=sample_table)
        out[name] = (a, ch, report_blocks(a, a.counties[0], {}, table=sample_table, checks=ch))
    return out


def _table(blocks, caption_part: str) -> Table:
    return next(b for b in blocks if isinstance(b, Table) and caption_part in b.caption)


def test_score_summary_verdict_row(packs):
    a, ch, blocks = packs["b"]
    t = _table(blocks, "评分汇总表")
    assert t.header == ["序号", "评估内容", "分值", "得分"]  # no area lacks data: no empty column
    for col in range(len(t.header)):
        assert any(row[col] for row in t.rows), f"column {t.header[col]} is empty"
    s = ch.score
    assert t.rows[-2][1:4] == ["合计", f"{s.total:g}", f"{s.score:g}"]
    assert t.rows[-1][1] == f"结论（{s.pass_score:g}分及以上为达标）" and t.rows[-1][3] == ("达标" if s.passed else "未达标")
    assert len(t.rows) == len(s.areas) + 2


def test_rectification_list(packs):
    for name in ("b", "q"):
        a, ch, blocks = packs[name]
        t = _table(blocks, "整改任务清单")
        assert t.header == ["序号", "指标", "存在问题", "整改措施", "责任单位", "完成时限"]
        assert all(r[4] == "【请填写：责任单位】" and r[5] == "【请填写：完成时限】" for r in t.rows)
        assert len({r[3] for r in t.rows}) > 1, "the same measure on every row"
        assert "县级指标整改任务清单" not in t.caption
        k = blocks.index(t)
        head = next(b for b in reversed(blocks[:k]) if isinstance(b, Heading))
        assert "逐项整改县级指标" not in head.text and head.text.startswith("（")
        parts = {f.part_name for f in county_failures(ch) if f.part != "funding"}
        assert parts
        assert all(p in head.text and p in t.caption for p in parts)
        notes = "\n".join(user_notes(a, a.counties[0], blocks, checks=ch))
        assert fill_fields(blocks).count("【请填写：责任单位】") == len(t.rows)
        assert notes.count("【请填写：责任单位】") == len(t.rows) and notes.count("【请填写：完成时限】") == len(t.rows)
    q = _table(packs["q"][2], "整改任务清单")
    by_ref = {r[1]: r[3] for r in q.rows}
    assert any("班额" in v or "大班额" in v for k, v in by_ref.items() if "班级学生数" in k)
    assert any("100名学生" in v for k, v in by_ref.items() if "公用经费" in k)


def test_nested_quotes(packs):
    text = _body(packs["b"][2])
    assert not re.search(r"“[^”]*“", text), "a quote inside a quote must be ‘…’"
    assert "‘三个增长’" in text
    from junheng.report.narrative.common import quote

    assert quote("实现“三个增长”") == "“实现‘三个增长’”"


def test_counts_are_totals(packs):
    text = _body(packs["q"][2])
    assert "等，共" not in text
    assert not re.search(r"、[^、，。；]+等\d+个单位", text)
    m = re.search(r"其中(\d+)个单位没有县级以上骨干教师（如([^）]*)）", text)
    assert m and int(m.group(1)) > len(m.group(2).split("、"))


def test_provision_standard_has_its_unit(packs):
    text = _body(packs["q"][2])
    assert "计入后达到0.9的标准" not in text and "计入后达到每百名学生0.9人的标准" in text


def test_excel_county_sheet(packs, sample_table, tmp_path):
    a, ch, _ = packs["q"]
    paths = write_report(a, tmp_path, source_name="s.xlsx", table=sample_table, county_checks={a.counties[0].county_key: ch})
    xlsx = next(p for p in paths if p.suffix == ".xlsx")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["县级指标"]
    assert ws["B4"].value == "序号"
    ids = {i.id for p in ch.parts.values() for i in p.items}
    col_b = [c.value for c in ws["B"][4:] if c.value is not None]
    assert col_b and not any(str(v) in ids and not str(v).isdigit() for v in col_b)
    guarantee = [c.value for c in ws["B"][4:] if ws.cell(c.row, 1).value == "政府保障程度" and c.value is not None]
    assert [v for v in guarantee if isinstance(v, int)][:3] == [1, 2, 3]
    for row in ws.iter_rows(min_row=5):
        v = row[5]
        if isinstance(v.value, (int, float)) and float(v.value).is_integer():
            assert "0.00" not in v.number_format, f"count {v.value} shown as {v.number_format}"
        for c in row:
            if isinstance(c.value, str):
                assert not re.search(r"(高于|不高于|≤ ?)0\.\d(?!\d)", c.value), c.value
    texts = [c.value for r in wb["经费增长"].iter_rows() for c in r if isinstance(c.value, str)]
    assert not any("g(" in t or "≥" in t or " > " in t for t in texts)
    assert "教育财政拨款增长率高于财政经常性收入增长率" in texts
    assert rule_text("budget_not_falling", {}) == "一般公共预算教育支出不低于上年"


def test_annex_list_hanging_indent(packs, sample_table, tmp_path):
    a, ch, blocks = packs["q"]
    annex = [b for b in blocks if isinstance(b, Para) and b.hang]
    assert annex and annex[0].text.startswith("附件：1．") and all(b.hang == 5 for b in annex)
    paths = write_report(a, tmp_path, source_name="s.xlsx", table=sample_table, county_checks={a.counties[0].county_key: ch})
    d = docx.Document(next(p for p in paths if p.suffix == ".docx"))
    ps = [p for p in d.paragraphs if p.text.startswith("附件：1．")]
    ind = ps[0]._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:leftChars")) == "700" and ind.get(qn("w:hangingChars")) == "500"
