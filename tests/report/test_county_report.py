"""The county-level checks in the official outputs: every number and verdict in the Excel sheets
县级指标 / 经费增长 and in the Word report equals the CountyChecks (formatted as the console does);
the worker processes carry them; without them the outputs have none of it."""
from __future__ import annotations

import pickle
import re

import polars as pl

import pytest
from docx import Document
from openpyxl import load_workbook

from junheng.core import assess
from junheng.core.county_verdict import evaluate_county
from junheng.report.narrative.numbers import fmt_verdict
from junheng.report.bundle import write_report, write_reports
from junheng.report.narrative.numbers import fmt_amount, fmt_growth, fmt_plain, fmt_pp, fmt_yuan
from junheng.report.narrative.county import (RESOURCE_PARTS, SECTION_TITLES, county_verdict, failure_reason, failure_ref,
                                             item_cell, part_verdict, to_fill)
from junheng.report.narrative.items import item_number, item_result
from junheng.report.xlsx.county import FAILURES_IN_SHEET
from junheng.rules import load_rules
from junheng.sample import generate


@pytest.fixture(scope="module")
def files(assessment, checks, sample_table, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"county-{assessment.rules.id}")
    paths = write_report(assessment, out, source_name="sample_county.xlsx", table=sample_table,
                         county_checks={checks.county_key: checks})
    return {p.suffix[1:]: p for p in paths}


@pytest.fixture(scope="module")
def doc(files):
    return Document(str(files["docx"]))


def _rows(t) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in t.rows]


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


# ------------------------------------------------------------------------------------------ Excel

def test_items_sheet_equals_checks(files, checks):
    ws = load_workbook(files["xlsx"])["县级指标"]
    assert ws["A2"].value == f"依据：{load_rules(checks.rules).document}；县（区）代码：{checks.county_code}"
    assert ws["A3"].value.startswith("填报单位（盖章）：均衡示例县教育局　")
    head = [c.value.replace("\n", "") for c in ws[4]]  # header lines are broken before a bracketed unit
    assert head[:6] == ["评估内容", "序号", "项目", "方式", "情况", "数值（比例为%）"] and head[-2:] == ["结果", "佐证材料"]
    col = {h: k for k, h in enumerate(head)}
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    by_id = {(r[0], r[1]): r for r in rows if r[1]}
    n = 0
    for p in checks.parts.values():
        part = p.name + ("（仅供参考，不计入结论）" if not p.in_verdict else "")
        for i in p.items:
            r = by_id[(part, item_number(p, i))]  # numbered as the method numbers the item, not by its code
            assert r[col["项目"]] == i.name
            assert r[col["结果"]] == ("待核实" if to_fill(p) else item_result(p, i)[0])
            if p.code == "score" and i.score is not None:  # a score item loses points, it is never 未达标
                assert r[col["结果"]] == ("满分" if i.score == i.points else f"扣{fmt_plain(i.points - i.score)}分")
            assert r[col["佐证材料"]] in (i.evidence, None) and (r[col["佐证材料"]] or "") == i.evidence
            assert r[col["情况"]] == item_cell(i, FAILURES_IN_SHEET)  # the same wording as the documents
            got = r[col["数值（比例为%）"]]  # a real number (or empty), not text; xlsx keeps 16 digits
            assert got is None if i.value is None else got == pytest.approx(i.value, rel=1e-14)
            if checks.score is not None:
                assert r[col["分值"]] == i.points and r[col["得分"]] == i.score
            n += 1
        verdict_row = next(r for r in rows if r[0] == part and r[1] and str(r[1]).startswith(f"{p.name}结论"))
        assert verdict_row[col["结果"]] == part_verdict(p)
    assert n == sum(len(p.items) for p in checks.parts.values())
    last = next(r for r in rows if r[0] and str(r[0]).startswith("全县评估结论"))
    assert last[col["结果"]] == county_verdict(checks)
    if checks.score is not None:
        total = next(r for r in rows if r[0] == checks.score.name.removesuffix("（示例评分表）")
                     and str(r[1]).startswith("评分合计"))
        assert (total[col["分值"]], total[col["得分"]]) == (checks.score.total, checks.score.score)
        assert total[col["结果"]] == fmt_verdict(checks.score.passed)


def test_items_sheet_rows_tall_enough(files):
    """县级指标: every row (the 评分合计 and 全县评估结论 rows too, merged cells over their merged
    width) is at least as tall as its wrapped text needs (a fresh reader saw the last rows overprint)."""
    from junheng.report.xlsx.book import wrapped_height

    ws = load_workbook(files["xlsx"])["县级指标"]
    widths = {d.min: d.width - 0.7109375 for d in ws.column_dimensions.values() if d.min}  # xlsxwriter's padding
    span = {(m.min_row, m.min_col): (m.min_col, m.max_col) for m in ws.merged_cells.ranges}
    short = []
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            if not isinstance(cell.value, str):
                continue
            a, b = span.get((cell.row, cell.column), (cell.column, cell.column))
            need = wrapped_height([(cell.value, sum(widths.get(c, 8.43) for c in range(a, b + 1)))])
            have = ws.row_dimensions[cell.row].height or 15.0
            if have < need - 0.75:
                short.append(f"{cell.coordinate} “{cell.value[:20]}” needs {need}, row is {have}")
    assert not short, "\n".join(short)
    last = [r[0].value for r in ws.iter_rows(min_row=5) if r[0].value]
    assert any(str(v).startswith("全县评估结论") for v in last)


def test_funding_sheet_real_numbers(files, checks):
    f = checks.funding
    ws = load_workbook(files["xlsx"])["经费增长"]
    assert ws["A3"].value.startswith("填报单位（盖章）：均衡示例县教育局　")
    head = [c.value for c in ws[4]]
    assert head == ["项目", "单位"] + [f"{y}年" for y in f.years] + ["结论"]
    col = {y: 2 + k for k, y in enumerate(f.years)}
    rows = list(ws.iter_rows(min_row=5))
    labels = [r[0].value for r in rows]
    seen = 0
    for c in f.checks.values():
        k = labels.index(c.name)
        assert rows[k][-1].value == fmt_verdict(c.passed)
        block = {r[0].value.strip("　"): r for r in rows[k + 1:k + 5] if r[0].value and r[0].value.startswith("　")}
        if c.unit == "yuan":
            fields = {"实际生均公用经费": "value", "基准定额（含寄宿生补助，全县平均）": "reference", "高出基准定额": "margin"}
        else:
            fields = {"增长率": "growth"}
            if any(r.reference is not None for r in c.rows):
                fields |= {"财政经常性收入增长率": "reference", "高出财政经常性收入增长": "margin"}
        for label, attr in fields.items():
            cells = block[label]
            for yr in c.rows:
                cell = cells[col[yr.year]]
                want = getattr(yr, attr)
                assert cell.data_type == "n" and cell.value == pytest.approx(want, rel=1e-14, abs=1e-12)
                pct = attr == "growth" or (attr == "reference" and c.unit != "yuan")
                assert cell.number_format == ("0.00%" if pct else "0.00")
                seen += 1
    assert seen > 50


def test_no_county_sheets_without_checks(report_files):
    names = load_workbook(report_files["xlsx"], read_only=True).sheetnames
    assert "县级指标" not in names and "经费增长" not in names
    doc = Document(str(report_files["docx"]))
    assert "评估结论" not in [p.text.split("）", 1)[-1] for p in doc.paragraphs if p.style.name.startswith("Heading")]


# ------------------------------------------------------------------------------------------ Word

def test_sections_in_order(doc, checks):
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    want = ["基本情况", "主要做法", "指标达成情况", "存在的主要问题", "下一步工作"]
    assert [t.split("、", 1)[1] for t in h1 if "、" in t] == want
    assert [t.split("、", 1)[0] for t in h1 if "、" in t] == list("一二三四五")
    assert h1[-1] == "附件1"  # the per-unit shortfalls, after the 落款
    start = next(k for k, p in enumerate(doc.paragraphs) if p.text.endswith("指标达成情况"))
    h2 = [p.text.split("）", 1)[1] for p in doc.paragraphs[start:] if p.style.name == "Heading 2"]
    if checks.score is not None:  # basic-2012: the provincial standard comes first
        middle = ["省定办学基本标准达标情况", "资源配置（校际差异系数）", "县级人民政府推进工作评分", "公众满意度"]
    else:
        middle = ["资源配置（校际差异系数）", "政府保障程度", "教育质量", "社会认可度", "一票否决情况"]
    assert h2[:len(middle) + 2] == [*middle, "经费保障情况", "评估结论"]


def test_full_verdict_names_failed_parts(doc, checks, assessment):
    text = _text(doc)
    method = assessment.rules.name.removesuffix("督导评估")
    if checks.verdict is None:  # basic-2012 without a province: the 省定办学基本标准 is to be checked by hand
        assert f"{method}自评结论为：【请填写：自评结论（达标或未达标）】。" in text and "无法判定" not in text
        return
    assert f"{method}自评结论为：{fmt_verdict(checks.verdict)}。" in text
    failed = [p.name for p in checks.parts.values() if p.in_verdict and p.passed is False and p.code != "veto"]
    if failed:
        assert f"其中，{'、'.join(failed)}未达到要求" in text
    assert "全县评估结论为" not in text  # the resource paragraph no longer claims the county verdict


def test_part_tables_equal_checks(doc, checks):
    tables = {t.rows[0].cells[0].text + "|" + t.rows[1].cells[0].text: t for t in doc.tables if len(t.rows) > 1}
    for code in SECTION_TITLES:
        p = checks.parts.get(code)
        if p is None:
            continue
        if [i.id for i in p.items] == ["SS"]:  # no provincial standard configured: a field to fill in
            assert "【请填写：省定办学基本标准" in _text(doc)
            continue
        rows = _rows(next(t for t in doc.tables if t.rows[0].cells[0].text == "序号"
                          and len(t.rows) > 1 and t.rows[1].cells[1].text == p.items[0].name))
        assert [r[0] for r in rows[1:]] == [str(k) for k in range(1, len(p.items) + 1)]  # the method's numbers
        for r, i in zip(rows[1:], p.items):
            assert r[1] == i.name and r[-1] == item_result(p, i)[0]
            if code != "veto":
                assert r[2] == item_cell(i)
            if i.points is not None:
                assert r[3] == fmt_plain(i.points) and r[4] == ("—" if i.score is None else fmt_plain(i.score))


def test_score_sheet_totals(doc, checks):
    s = checks.score
    sheets = [t for t in doc.tables if t.rows[0].cells[1].text == "评估内容" and t.rows[0].cells[2].text == "分值"]
    if s is None:  # quality-2017: no score sheet
        assert sheets == []
        return
    t = sheets[0]
    rows = _rows(t)
    for r, a in zip(rows[1:], s.areas):
        assert r[1:4] == [a.name, fmt_plain(a.points), fmt_plain(a.score)]
    assert rows[-2][1:4] == ["合计", fmt_plain(s.total), fmt_plain(s.score)]
    assert rows[-1][1] == f"结论（{fmt_plain(s.pass_score)}分及以上为达标）" and rows[-1][3] == fmt_verdict(s.passed)


def test_funding_tables_equal_checks(doc, checks):
    f = checks.funding
    years = [f"{y}年" for y in f.years[1:]]
    growth_tables = [_rows(t) for t in doc.tables if t.rows[0].cells[0].text == "项目" and
                     [c.text for c in t.rows[0].cells][1:-1] == years]
    assert len(growth_tables) == 2
    rows = {r[0].strip("　"): r for t in growth_tables for r in t}
    app = f.checks["appropriation_vs_revenue"]
    assert rows["教育财政拨款增长率"][1:-1] == [fmt_growth(r.growth) for r in app.rows]
    assert rows["财政经常性收入增长率"][1:-1] == [fmt_growth(r.reference) for r in app.rows]
    margin = rows["拨款增长高出收入增长（百分点）"]
    assert margin[1:-1] == [fmt_pp(r.margin) for r in app.rows] and margin[-1] == fmt_verdict(app.passed)
    assert rows["教育财政拨款（万元）"][1:-1] == [fmt_amount(r.value) for r in app.rows]
    growth_rows = [r for t in growth_tables for r in t if r[0].strip("　").startswith("增长率")]
    others = [c for c in f.checks.values() if c.unit == "pp" and c.code != "appropriation_vs_revenue"]
    assert [r[1:-1] for r in growth_rows] == [[fmt_growth(x.growth) for x in c.rows] for c in others]
    assert [r[-1] for r in growth_rows] == [fmt_verdict(c.passed) for c in others]
    base = _rows(next(t for t in doc.tables if t.rows[0].cells[0].text == "年度"))
    bp, bj = f.checks["operating_base_P"], f.checks["operating_base_J"]
    for r, p, j in zip(base[1:], bp.rows, bj.rows):
        assert r == [f"{p.year}年", fmt_yuan(p.value), fmt_yuan(p.reference), fmt_pp(p.margin),
                     fmt_yuan(j.value), fmt_yuan(j.reference), fmt_pp(j.margin)]
    text = _text(doc)
    assert "、".join(f"{fmt_amount(r.value)}万元" for r in app.rows) in text
    failed = [r for r in app.rows if r.passed is False]
    for r in failed:
        assert f"{r.year}年低{fmt_pp(r.margin).lstrip('-')}个百分点" in text


def test_failures_in_problems_and_next_steps(doc, checks):
    county = [f for f in checks.failures if f.part not in RESOURCE_PARTS]
    assert county, "the sample county fails some county items under both packs"
    paras = [p.text for p in doc.paragraphs]
    start = next(k for k, t in enumerate(paras) if t.endswith("存在的主要问题"))
    end = next(k for k, t in enumerate(paras) if t.endswith("下一步工作"))
    problems = "\n".join(paras[start:end])
    for f in county:
        said = "未达到要求，" if f.counted or f.part != "score" else "扣"
        assert f"{failure_ref(checks, f)}{said}" in problems
    todo = _rows(next(t for t in doc.tables if [c.text for c in t.rows[0].cells][-3:] == ["整改措施", "责任单位", "完成时限"]))
    assert [(r[1], r[2]) for r in todo[1:]] == [(failure_ref(checks, f), failure_reason(checks, f)) for f in county]


def test_html_has_the_same_sections(files, checks):
    html = files["html"].read_text(encoding="utf-8")
    assert "评估结论</h3>" in html and "经费保障情况</h3>" in html
    assert (f"自评结论为：{fmt_verdict(checks.verdict)}。" in html if checks.verdict is not None
            else "自评结论为：<mark>【请填写：自评结论（达标或未达标）】</mark>。" in html or "自评结论为：【请填写" in html)
    app = checks.funding.checks["appropriation_vs_revenue"]
    assert all(f"<td>{fmt_pp(r.margin)}</td>" in html or f'">{fmt_pp(r.margin)}</td>' in html for r in app.rows)
    assert "<br>" in html  # failures one a line inside a cell


# ------------------------------------------------------------------------------------------ bundle

def test_checks_pickle(checks):
    assert pickle.loads(pickle.dumps(checks)) == checks


def test_worker_processes_carry_checks(county_data, tmp_path):
    # Written in two worker processes only: test_bundle compares jobs=1 with jobs=2 (Excel), and a
    # second Word run would double the slowest test of the suite.
    table = generate(schools=60, counties=2, seed=3)
    a = assess(table, load_rules("quality-2017"))
    assert len(a.counties) == 2
    cc = {c.county_key: evaluate_county(a, county_data, table=table, county_key=c.county_key) for c in a.counties}
    two = write_reports(a, tmp_path / "two", source_name="t.xlsx", formats=("docx", "xlsx"), table=table,
                        jobs=2, county_checks=cc)
    assert len(two) == 6  # xlsx, docx and 说明.txt per county
    for q in two:
        key = next(k for k in cc if q.name.startswith(k))
        if q.suffix == ".docx":
            texts = [x.text for x in Document(str(q)).paragraphs]
            assert any(t.endswith("）评估结论") for t in texts)
            assert any(fmt_verdict(cc[key].verdict) in t for t in texts)
        elif q.suffix == ".xlsx":
            wb = load_workbook(q)
            assert {"县级指标", "经费增长"} <= set(wb.sheetnames)
            last = next(r for r in wb["县级指标"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("全县评估结论"))
            assert fmt_verdict(cc[key].verdict) in last


def test_checks_of_another_pack_or_county_are_refused(assessment, checks, tmp_path):
    other = "quality-2017" if assessment.rules.id == "basic-2012" else "basic-2012"
    wrong = type(checks)(**{**checks.__dict__, "rules": other})
    with pytest.raises(ValueError, match="找不到对应的县区和规则包"):
        write_report(assessment, tmp_path / "a", source_name=None, formats=("xlsx",), county_checks={checks.county_key: wrong})
    with pytest.raises(ValueError, match="不一致"):
        write_report(assessment, tmp_path / "b", source_name=None, formats=("xlsx",), county_checks={"999999": checks})
    assert not tmp_path.joinpath("a").exists() or not list(tmp_path.joinpath("a").iterdir())


def test_base_amount_standard_and_county_average_are_told_apart(doc, checks, county_data):
    """issue 8 leftover: the 100-pupil rule's text used the standard (600 × 100) while the base
    table showed 636 without saying it is the county average with the boarders' supplement. The
    text now names both — the west region's standard 600.00 / 800.00 元 per pupil (国发〔2015〕67号)
    and the table's county average 600 + 200 × boarders ÷ pupils — money per pupil with 2 decimals
    in the sentences and the table alike."""
    f = checks.funding
    fin = county_data.finance.filter(pl.col("year") == f.years[-1]).row(0, named=True)
    avg_p = 600 + 200 * fin["boarders"] / fin["students"]  # 国发〔2015〕67号: 西部 小学 600, 初中 800, 寄宿生 +200
    avg_j = 800 + 200 * fin["boarders"] / fin["students"]
    text = _text(doc)
    assert (f"按西部地区基准定额核对（小学每生每年600.00元、初中800.00元，寄宿生每生另加200.00元；"
            f"表中基准定额为按当年寄宿生比例折算的全县平均数，如{f.years[-1]}年小学{avg_p:.2f}元、初中{avg_j:.2f}元）") in text
    for c, level in ((f.checks["operating_base_P"], "小学"), (f.checks["operating_base_J"], "初中")):
        assert c.passed and f"{level}生均公用经费各年均不低于基准定额" in text  # not “不低于基准定额各年均达到要求”
    base = _rows(next(t for t in doc.tables if t.rows[0].cells[0].text == "年度"))
    last = next(r for r in base if r[0] == f"{f.years[-1]}年")
    assert last[2] == f"{avg_p:.2f}" and last[5] == f"{avg_j:.2f}"
    # the 100-pupil rule uses the standard itself (no boarders' supplement), written the same way
    small = re.findall(r"按100名学生、每生(\d+\.\d\d)元（基准定额）核定应为(\d+)元", text)
    assert bool(small) == ("未按100名学生核定公用经费" in text)  # quality-2017 only (政府保障程度第6项)
    assert all(p == "600.00" and int(n) == 60000 for p, n in small)  # the sample's short ones are 小学
    assert re.search(r"小学生均公用经费分别为(\d+\.\d\d元、){3}\d+\.\d\d元", text)
