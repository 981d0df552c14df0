"""The county-level sheets of the official workbook (xlsxwriter), written only when the county's
:class:`~junheng.core.county_result.CountyChecks` are given. Every number is a real number read
from the CountyChecks, with a number format; nothing is recomputed.

* 县级指标: every item of every part (资源配置 or 校际均衡, 政府保障程度 … 经费保障): 评估内容, 编号, 项目,
  方式, 情况 (the detail and the failures), 数值 (the measured value; rates in %), [分值, 得分 under
  basic-2012,] 结果, 佐证材料; a verdict row per part, the score-sheet total and 全县评估结论.
* 经费增长: the yearly money checks with the years as columns: per check its verdict, the amounts
  (0.00), the growth rates (fractions shown 0.00%), the revenue growth and the margin in
  percentage points (0.00) for 三个增长 (1), and for the base amounts the actual value, the base
  amount and the margin in 元 (0.00). Failed years are bold on grey.
"""
from __future__ import annotations

from ...core.county_result import CountyChecks
from ...core.funding import FundingResult
from ..console.county import KINDS
from ..narrative.findings import REGION_NAMES, rule_text, say, say_all
from ..narrative.county import VALUE_NAMES, VALUE_UNITS, county_verdict, item_cell, part_verdict, to_fill
from ..narrative.items import item_number, item_result
from ..narrative.numbers import fmt_verdict
from .book import SHORT, Formats, page_setup, sign_line, wrapped_height, write_head

#: Failures listed per item in the 情况 cell of 县级指标 (the Word report lists fewer).
FAILURES_IN_SHEET = 20
PCT2 = "0.00%"
N2 = "0.00"
BAD = SHORT  # a failed year: bold on grey (prints in black)


def _items_sheet(wb, F: Formats, checks: CountyChecks, county: str, bureau: str, document: str) -> None:
    ws = wb.add_worksheet("县级指标")
    scored = checks.score is not None
    head = ["评估内容", "序号", "项目", "方式", "情况", "数值（比例为%）"] + (["分值", "得分"] if scored else []) + ["结果", "佐证材料"]
    res, last = len(head) - 2, len(head) - 1
    ws.merge_range(0, 0, 0, last, f"{county}县级指标核查表", F.title)
    ws.set_row(0, 30)
    ws.merge_range(1, 0, 1, last, f"依据：{document}" + (f"；县（区）代码：{checks.county_code}" if checks.county_code else ""), F.sub)
    ws.set_row(2, 20)
    ws.merge_range(2, 0, 2, last, sign_line(bureau), F.sign)
    widths = [16, 6, 40, 9, 60, 11] + ([7, 7] if scored else []) + [10, 30]
    widths = write_head(ws, 3, head, widths, F.head)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    r = 4
    for p in checks.parts.values():
        part = p.name + ("（仅供参考，不计入结论）" if not p.in_verdict else "")
        for i in p.items:
            cell = item_cell(i, FAILURES_IN_SHEET)
            ws.set_row(r, wrapped_height([(part, widths[0]), (i.name, widths[2]), (cell, widths[4]), (i.evidence, widths[last])]))
            ws.write_string(r, 0, part, F.text)
            ws.write_number(r, 1, item_number(p, i), F.center)  # the method's numbering, as the prose
            ws.write_string(r, 2, i.name, F.text)
            ws.write_string(r, 3, KINDS.get(i.kind, i.kind), F.center)
            ws.write_string(r, 4, cell, F.text)
            if i.value is None:
                ws.write_blank(r, 5, None, F.gen)
            else:
                # 2 decimals, as the criteria (10.83 %, 1.01 倍); counts (3 所, 430 人) as integers
                ws.write_number(r, 5, i.value, F.gen if float(i.value).is_integer() else F.n2)
            if scored:
                for col, x in ((6, i.points), (7, i.score)):
                    if x is None:
                        ws.write_blank(r, col, None, F.gen)
                    else:
                        ws.write_number(r, col, x, F.gen)
            text, ok = ("待核实", None) if to_fill(p) else item_result(p, i)
            ws.write_string(r, res, text, F.verdict(ok))
            ws.write_string(r, last, i.evidence, F.text)
            r += 1
        verdict = f"{p.name}结论"  # the part's notes are for the user (the 说明 file), not the official table
        ws.set_row(r, wrapped_height([(part, widths[0]), (verdict, sum(widths[1:res]))]))
        ws.write_string(r, 0, part, F.boldtext)
        ws.merge_range(r, 1, r, res - 1, verdict, F.boldtext)
        ws.write_string(r, res, part_verdict(p), F.verdict(p.passed))
        ws.write_blank(r, last, None, F.text)
        r += 1
    if scored:
        s = checks.score
        name = s.name.removesuffix("（示例评分表）")  # 示例: said in the 说明 file
        open_ = f"；部分项目缺少数据，最高可得{s.max_possible:g}分" if s.max_possible != s.score else ""
        total = f"评分合计（{s.pass_score:g}分及以上为达到要求{open_}）"
        ws.set_row(r, wrapped_height([(name, widths[0]), (total, sum(widths[1:6]))]))
        ws.write_string(r, 0, name, F.boldtext)
        ws.merge_range(r, 1, r, 5, total, F.boldtext)
        ws.write_number(r, 6, s.total, F.gen)
        ws.write_number(r, 7, s.score, F.gen)
        ws.write_string(r, res, fmt_verdict(s.passed), F.verdict(s.passed))
        ws.write_blank(r, last, None, F.text)
        r += 1
    label = "全县评估结论（计入结论的各部分均达到要求为达标）"
    ws.set_row(r, wrapped_height([(label, sum(widths[:res])), (county_verdict(checks), widths[res])]))
    ws.merge_range(r, 0, r, res - 1, label, F.boldtext)
    ws.write_string(r, res, county_verdict(checks), F.verdict(checks.verdict))
    ws.write_blank(r, last, None, F.text)
    for k, n in enumerate(say_all(checks.notes), start=1):
        ws.set_row(r + k, wrapped_height([(f"说明：{n}", sum(widths))]))
        ws.merge_range(r + k, 0, r + k, last, f"说明：{n}", F.text)
    ws.freeze_panes(4, 3)
    page_setup(ws, repeat=(3, 3))


def _funding_sheet(wb, F: Formats, f: FundingResult, county: str, bureau: str) -> None:
    ws = wb.add_worksheet("经费增长")
    years = list(f.years)
    col = {y: 2 + k for k, y in enumerate(years)}
    last = 2 + len(years)
    fmt = {(PCT2, False): F.cell(num_format=PCT2), (PCT2, True): F.cell(num_format=PCT2, **BAD),
           (N2, False): F.n2, (N2, True): F.cell(num_format=N2, **BAD)}
    ws.merge_range(0, 0, 0, last, f"{county}义务教育经费逐年核对（三个增长、两个只增不减、基准定额）", F.title)
    ws.set_row(0, 30)
    region = REGION_NAMES.get(f.region or "", "未填写")
    ws.merge_range(1, 0, 1, last, f"增长率 = （本年 − 上年）÷ 上年；高出 = 增长率之差 × 100（百分点）或实际值 − 基准定额（元）；地区：{region}", F.sub)
    ws.set_row(2, 20)
    ws.merge_range(2, 0, 2, last, sign_line(bureau), F.sign)
    ws.write_row(3, 0, ["项目", "单位"] + [f"{y}年" for y in years] + ["结论"], F.head)
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 8)
    ws.set_column(2, last, 12)
    r = 4

    def line(label: str, unit: str, cells: dict[int, tuple[float | None, bool]], number: str) -> None:
        nonlocal r
        ws.write_string(r, 0, label, F.text)
        ws.write_string(r, 1, unit, F.center)
        for y in years:
            x, bad = cells.get(y, (None, False))
            if x is None:
                ws.write_blank(r, col[y], None, F.center)
            else:
                ws.write_number(r, col[y], x, fmt[(number, bad)])
        ws.write_blank(r, last, None, F.center)
        r += 1

    for c in f.checks.values():
        ws.set_row(r, wrapped_height([(c.name, 44), (rule_text(c.code, c.params), 8 + 12 * max(len(years), 1))]))
        ws.write_string(r, 0, c.name, F.boldtext)
        if last - 1 > 1:
            ws.merge_range(r, 1, r, last - 1, rule_text(c.code, c.params), F.text)
        else:  # no year columns (empty finance sheet): nothing to merge
            ws.write_string(r, 1, rule_text(c.code, c.params), F.text)
        ws.write_string(r, last, fmt_verdict(c.passed), F.verdict(c.passed))
        r += 1
        if c.unit == "yuan":  # base amounts
            line("　实际生均公用经费", "元", {x.year: (x.value, False) for x in c.rows}, N2)
            line("　基准定额（含寄宿生补助，全县平均）", "元", {x.year: (x.reference, False) for x in c.rows}, N2)
            line("　高出基准定额", "元", {x.year: (x.margin, x.passed is False) for x in c.rows}, N2)
            continue
        values = {x.year: (x.value, False) for x in c.rows}
        if c.rows:
            values.setdefault(c.rows[0].year - 1, (c.rows[0].previous, False))
        line(f"　{VALUE_NAMES.get(c.code, c.name)}", VALUE_UNITS.get(c.code, ""), values, N2)
        compared = any(x.reference is not None for x in c.rows)
        line("　增长率", "%", {x.year: (x.growth, x.passed is False and not compared) for x in c.rows}, PCT2)
        if compared:
            line("　财政经常性收入增长率", "%", {x.year: (x.reference, False) for x in c.rows}, PCT2)
            line("　高出财政经常性收入增长", "百分点", {x.year: (x.margin, x.passed is False) for x in c.rows}, N2)
    for k, n in enumerate(say_all(f.notes) + [f"{c.name}：{say(n)}" for c in f.checks.values() for n in c.notes], start=1):
        ws.set_row(r + k, wrapped_height([(f"说明：{n}", 44 + 8 + 12 * (len(years) + 1))]))
        ws.merge_range(r + k, 0, r + k, last, f"说明：{n}", F.text)
    ws.freeze_panes(4, 2)
    page_setup(ws, landscape=len(years) > 3, repeat=(3, 3))


def county_sheets(wb, F: Formats, checks: CountyChecks, county: str, bureau: str, document: str) -> None:
    """Add 县级指标 and, when the checks carry money checks, 经费增长 to the workbook. F: the
    workbook's formats; bureau: the 填报单位; document: the 办法 of the rule pack (named in the
    sheet's 依据 line, not the pack's code)."""
    _items_sheet(wb, F, checks, county, bureau, document)
    if checks.funding is not None:
        _funding_sheet(wb, F, checks.funding, county, bureau)
