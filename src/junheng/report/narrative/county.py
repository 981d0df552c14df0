"""The county-level sections of the self-evaluation report (Word and HTML), as blocks (blocks.py).

Built from a :class:`~junheng.core.county_result.CountyChecks` only; nothing is recomputed. Under
quality-2017 the sections are 政府保障程度, 教育质量, 社会认可度 and 一票否决情况; under basic-2012
县级人民政府推进工作评分, 公众满意度 and 省定办学基本标准达标情况; under both 经费保障情况 (三个增长、两个只增不减
year by year, the base amounts) and 评估结论 (the full verdict, naming the parts that failed).
:func:`problem_blocks` and :func:`next_step_blocks` add the failing county items to 存在的主要问题
and 下一步工作. Growth rates are written as % and margins in percentage points, 2 decimals half-up
(numbers.fmt_growth / fmt_pp), as the county console shows them.

Level-1 headings are written as “一、…”; narrative.py numbers them in document order.
"""
from __future__ import annotations

from ...core.county_result import CountyChecks, Failure, ItemResult, PartResult
from ...core.funding import GROUPS, FundingCheck, FundingResult, YearRow
from .blocks import Block, Heading, Para, Table
from .common import cn, quote
from .findings import REGION_NAMES, say
from .common import name_list
from .items import MONEY, item_ref, item_result, lost_points, problem, situation, tally
from .numbers import fmt_amount, fmt_yuan, fmt_growth, fmt_plain, fmt_pp, fmt_verdict, round_half_up

#: Section title of each part, and the order of the sections.
SECTION_TITLES = {
    "guarantee": "政府保障程度",
    "quality": "教育质量",
    "recognition": "社会认可度",
    "veto": "一票否决情况",
    "score": "县级人民政府推进工作评分",
    "satisfaction": "公众满意度",
    "school_standard": "省定办学基本标准达标情况",
}
#: Parts reported in 二、指标达成情况 from the school table (not repeated among county problems).
RESOURCE_PARTS = ("resource", "balance")
#: What to do about a failing item, by part (下一步工作).
ACTIONS = {
    "guarantee": "强化县级人民政府保障责任，按标准逐项整改到位",
    "quality": "深化教育教学改革，逐项提升教育质量",
    "recognition": "回应群众关切，改进薄弱环节，提高社会认可度",
    "satisfaction": "回应群众关切，改进薄弱环节，提高公众满意度",
    "veto": "立即整改，严肃追责问责，杜绝一票否决情形",
    "score": "对照评分细则逐项整改，补齐失分项目",
    "school_standard": "按省定办学基本标准补齐学校办学条件",
    "funding": "落实“三个增长”“两个只增不减”要求，依法保障义务教育经费投入",
}
#: What to do about a failing item, by the rule pack's check code (the part's ACTIONS otherwise).
CHECK_ACTIONS = {
    "class_size": "制定消除大班额计划，通过新建、改扩建校舍和调整招生计划，逐步使各班学生数达到标准",
    "school_size": "优化学校布局，新建或改扩建学校分流学生，使学校规模不超过标准",
    "music_art_rooms": "按每12个班级各1间的标准新建或改造音乐、美术专用教室，达到规定面积",
    "small_school_funding": "对不足100名学生的村小学和教学点按100名学生足额核定、拨付公用经费",
    "operating_base": "按基准定额足额核定、拨付生均公用经费",
    "special_funding": "按标准足额拨付特殊教育学校生均公用经费",
    "teacher_pay": "落实教师平均工资收入水平不低于当地公务员平均工资收入水平",
    "rotation": "完善县域内校长教师交流轮岗制度，提高交流轮岗比例",
    "funding_growth": ACTIONS["funding"],
}
#: The fields of each row of the rectification list that the county fills in by hand.
DUTY_FIELDS = ("【请填写：责任单位】", "【请填写：完成时限】")
#: Unit of each growth check's yearly value (YearRow.value).
VALUE_UNITS = {
    "appropriation_vs_revenue": "万元",
    "per_pupil_spending_rises": "元",
    "teacher_pay_rises": "元",
    "operating_P_rises": "元",
    "operating_J_rises": "元",
    "budget_not_falling": "万元",
    "budget_per_pupil_not_falling": "元",
}
#: Checks whose quantity is money per pupil (元): written with 2 decimals (numbers.fmt_yuan).
PER_PUPIL = {"per_pupil_spending_rises", "operating_P_rises", "operating_J_rises", "budget_per_pupil_not_falling"}


def fmt_value(code: str, x: float | None) -> str:
    """The amount a growth check follows: money per pupil with 2 decimals, other amounts without
    trailing zeros (万元, a teacher's pay in 元)."""
    return fmt_yuan(x) if code in PER_PUPIL else fmt_amount(x)


#: The quantity each growth check follows (for the sentences and the table rows).
VALUE_NAMES = {k: v for k, v in MONEY.items() if not k.startswith("operating_base")}
#: Failures shown per item in a table cell (the Excel sheet and the problem list name more).
FAILURES_IN_CELL = 3
VETO_ANSWERS = {"met": "不存在", "not_met": "存在", "na": "不适用", None: "未填写"}


def _mark(ok: bool | None) -> str | None:
    return None if ok is None else "good" if ok else "bad"


def item_cell(i: ItemResult, shown: int = FAILURES_IN_CELL) -> str:
    """The 情况 cell of an item (Word, HTML and Excel alike): items.situation."""
    return situation(i, shown)


def items_table(p: PartResult, caption: str) -> Table:
    """One row per item: 编号, 项目, 情况 (figures and failures), [分值, 得分,] 结果."""
    scored = any(i.points is not None for i in p.items)
    header = ["序号", "项目", "情况"] + (["分值", "得分"] if scored else []) + ["结果"]
    widths = [0.8, 3.0, 6.0] + ([0.8, 0.8] if scored else []) + [1.4]
    rows, marks = [], []
    for k, i in enumerate(p.items, start=1):
        row = [str(k), i.name, item_cell(i)]
        if scored:
            row += ["" if i.points is None else fmt_plain(i.points), "—" if i.score is None else fmt_plain(i.score)]
        result, ok = item_result(p, i)
        rows.append(row + [result])
        marks.append([None] * (len(row)) + [_mark(ok)])
    return Table(header, rows, caption, widths, marks, left=(1, 2))


def _veto_table(p: PartResult, caption: str) -> Table:
    rows, marks = [], []
    for k, i in enumerate(p.items, start=1):
        rows.append([str(k), i.name, VETO_ANSWERS.get(i.answer, "未填写"), i.evidence, fmt_verdict(i.passed)])
        marks.append([None, None, "bad" if i.answer == "not_met" else None, None, _mark(i.passed)])
    return Table(["序号", "情形", "是否存在", "佐证材料", "结果"], rows, caption, [0.8, 4.0, 1.2, 3.6, 1.1], marks,
                 left=(1, 3))


def _part_notes(p: PartResult) -> list[Block]:
    """Notes of a part are for the user (report/narrative/report.user_notes: the 说明 file), not
    for the document."""
    return []


def part_section(checks: CountyChecks, p: PartResult, county: str, document: str, table_no) -> list[Block]:
    """The section of one part (政府保障程度, 教育质量 …): a summary sentence, the item table and
    the part's notes. table_no: callable giving the numbered caption (narrative._Numbering.t)."""
    title = SECTION_TITLES.get(p.code, p.name)
    out: list[Block] = [Heading(f"一、{title}", 1)]
    if p.code == "veto":
        present = [i for i in p.items if i.answer == "not_met"]
        if present:
            out.append(Para(f"经逐项核查，{county}存在" + "、".join(f"“{i.name}”" for i in present)
                            + f"的情形，按{document}实行一票否决。"))
        elif p.passed:
            out.append(Para(f"经逐项核查，{county}未发现{len(p.items)}类一票否决情形中的任何一类。"))
        else:
            out.append(Para(f"一票否决情形{tally(p)}，尚不能作出判定。"))
        out.append(_veto_table(p, table_no(f"{county}一票否决情形核查表")))
        return out + _part_notes(p)
    if p.code == "score" and checks.score is not None:
        return out + _score_section(checks, p, county, table_no)
    if p.code == "school_standard" and [i.id for i in p.items] == ["SS"]:  # no provincial standard configured
        out.append(Para(f"按{document}，县域内所有学校应达到省定办学基本标准。"
                        "【请填写：省定办学基本标准的名称和文号，全县各校逐项达标情况】"))
        return out
    out.append(Para(f"按{document}，{p.name}{tally(p)}，结论为：{fmt_verdict(p.passed)}。"))
    out.append(items_table(p, table_no(f"{county}{p.name}核查表")))
    return out + _part_notes(p)


def score_table(s, caption: str) -> Table:
    """The score summary (表 …评分汇总表): one row per area (分值, 得分; the column 缺少数据的分值 only
    when some area has items without data), the 合计 row, then the verdict in a row of its own
    (“结论（85分及以上为达标）| 达标”). s: core ScoreResult."""
    missing = any(a.undecided for a in s.areas)
    head = ["序号", "评估内容", "分值", "得分"] + (["缺少数据的分值"] if missing else [])
    rows = [[str(k), a.name, fmt_plain(a.points), fmt_plain(a.score)]
            + ([fmt_plain(a.undecided) if a.undecided else "—"] if missing else []) for k, a in enumerate(s.areas, start=1)]
    pad = [""] if missing else []
    rows.append(["", "合计", fmt_plain(s.total), fmt_plain(s.score)] + pad)
    rows.append(["", f"结论（{fmt_plain(s.pass_score)}分及以上为达标）", "", fmt_verdict(s.passed)] + pad)
    marks = [[None] * len(head) for _ in rows[:-1]] + [[None, None, None, _mark(s.passed)] + [None] * len(pad)]
    widths = [0.6, 5.0, 1.0, 1.0] + ([2.0] if missing else [])
    return Table(head, rows, caption, widths, marks, bold_last=True)


def _score_section(checks: CountyChecks, p: PartResult, county: str, table_no) -> list[Block]:
    s = checks.score
    line = (f"按《{s.name.removesuffix('（示例评分表）')}》评分表，共{len(s.areas)}个方面{len(p.items)}项，满分{fmt_plain(s.total)}分，"
            f"{fmt_plain(s.pass_score)}分及以上为达到要求。{county}评分合计{fmt_plain(s.score)}分")
    if s.max_possible != s.score:
        line += f"（部分项目缺少数据，最高可得{fmt_plain(s.max_possible)}分）"
    out: list[Block] = [Para(line + f"，结论为：{fmt_verdict(s.passed)}。")]
    out.append(score_table(s, table_no(f"{county}县级人民政府推进工作评分汇总表")))
    out.append(items_table(p, table_no(f"{county}县级人民政府推进工作评分明细表")))
    return out


# ------------------------------------------------------------------------------------------
# 经费保障情况
# ------------------------------------------------------------------------------------------

def _year_range(f: FundingResult) -> str:
    ys = f.years[1:]
    return f"{ys[0]}—{ys[-1]}年" if len(ys) > 1 else f"{ys[0]}年"


def _changes(growths: list[tuple[int, float | None]]) -> str:
    """“分别比上年增长8.65%、7.61%…” when every year rose; else year by year with falls as 下降."""
    if all(g is not None and g >= 0 for _, g in growths):
        return "分别比上年增长" + "、".join(fmt_growth(g) for _, g in growths)
    parts = []
    for year, g in growths:
        if g is None:
            parts.append(f"{year}年数据不全")
        else:
            parts.append(f"{year}年比上年{'下降' if g < 0 else '增长'}{fmt_growth(abs(g))}")
    return "，".join(parts)


def _margins(rows: tuple[YearRow, ...]) -> str:
    """“2020年高出3.32个百分点、…、2022年低1.13个百分点”."""
    parts = []
    for r in rows:
        if r.margin is None:
            parts.append(f"{r.year}年无法比较")
        else:
            word = "高出" if r.margin > 0 else "低" if r.margin < 0 else "相差"
            parts.append(f"{r.year}年{word}{round_half_up(abs(r.margin), 2)}个百分点")
    return "、".join(parts)


def _check_verdict(c: FundingCheck) -> str:
    if c.passed is False:
        return f"{'、'.join(map(str, c.failed_years()))}年未达到要求"
    return "各年均达到要求" if c.passed else "部分年度数据不全，暂无法判定"


def _base_verdict(c: FundingCheck) -> str:
    """“小学生均公用经费各年均不低于基准定额” / “初中生均公用经费2021、2022年低于基准定额”."""
    what = f"{MONEY_LEVEL[c.code]}生均公用经费"
    if c.passed is False:
        return f"{what}{'、'.join(map(str, c.failed_years()))}年低于基准定额"
    return f"{what}各年均不低于基准定额" if c.passed else f"{what}部分年度数据不全，暂无法判定"


def _growth_sentence(c: FundingCheck) -> str:
    what = VALUE_NAMES.get(c.code, c.name)
    unit = VALUE_UNITS.get(c.code, "")
    values = "、".join(f"{fmt_value(c.code, r.value)}{unit}" for r in c.rows)
    text = f"{what}分别为{values}，" + _changes([(r.year, r.growth) for r in c.rows])
    if c.code == "appropriation_vs_revenue":
        text += f"；同期财政经常性收入{_changes([(r.year, r.reference) for r in c.rows])}"
        text += f"；教育财政拨款增长与财政经常性收入增长相比，{_margins(c.rows)}"
    return text + f"，{_check_verdict(c)}。"


def funding_table(f: FundingResult, group: str, caption: str) -> Table:
    """One group of checks (三个增长 or 两个只增不减), years as columns: each quantity's amount and
    growth rate, the revenue growth and the margin in percentage points for 教育财政拨款, and each
    check's verdict."""
    years = f.years[1:]
    header = ["项目"] + [f"{y}年" for y in years] + ["结论"]
    rows: list[list[str]] = []
    marks: list[list[str | None]] = []

    def add(label: str, cells: dict[int, tuple[str, bool | None]], verdict: bool | None | str = "") -> None:
        rows.append([label] + [cells.get(y, ("", None))[0] for y in years]
                    + ["" if verdict == "" else fmt_verdict(verdict)])
        marks.append([None] + ["bad" if cells.get(y, ("", None))[1] is False else None for y in years]
                     + [None if verdict == "" else _mark(verdict)])

    for code in GROUPS[group]:
        c = f.checks.get(code)
        if c is None:
            continue
        name = VALUE_NAMES.get(code, c.name)
        add(f"{name}（{VALUE_UNITS.get(code, '')}）", {r.year: (fmt_value(code, r.value), None) for r in c.rows})
        if code == "appropriation_vs_revenue":
            add(f"　{name}增长率", {r.year: (fmt_growth(r.growth), None) for r in c.rows})
            add("　财政经常性收入增长率", {r.year: (fmt_growth(r.reference), None) for r in c.rows})
            add("　拨款增长高出收入增长（百分点）", {r.year: (fmt_pp(r.margin), r.passed) for r in c.rows}, c.passed)
        else:
            add(f"　增长率（{'只增不减' if code in GROUPS['两个只增不减'] else '逐年增长'}）",
                {r.year: (fmt_growth(r.growth), r.passed) for r in c.rows}, c.passed)
    return Table(header, rows, caption, [4.2] + [1.3] * len(years) + [1.1], marks, left=(0,))


def base_table(f: FundingResult, caption: str) -> Table | None:
    """生均公用经费 against the base amounts, one row per year: actual, base amount and margin (元)
    for 小学 and 初中. None when the pack has no base-amount checks."""
    checks = [f.checks.get("operating_base_P"), f.checks.get("operating_base_J")]
    if not any(c and c.rows for c in checks):
        return None
    years = sorted({r.year for c in checks if c for r in c.rows})
    rows, marks = [], []
    for y in years:
        row, mark = [f"{y}年"], [None]
        for c in checks:
            r = next((r for r in c.rows if r.year == y), None) if c else None
            if r is None:
                row += ["", "", ""]
                mark += [None] * 3
            else:
                row += [fmt_yuan(r.value), fmt_yuan(r.reference), fmt_pp(r.margin)]
                mark += [None, None, _mark(r.passed)]
        rows.append(row)
        marks.append(mark)
    header = ["年度"] + [f"{L}\n{what}\n（元）" for L in ("小学", "初中") for what in ("实际", "基准定额", "高出")]
    return Table(header, rows, caption, [1.5] + [1.3] * 6, marks, left=())


def base_sentence(checks: list[FundingCheck], region: str) -> str:
    """Which figure is which in the base-amount table: the region's standard per pupil (the rule
    pack's, as 按100名学生核定 uses it) and the county average it becomes with the boarders'
    supplement (the table's 基准定额, 2 decimals): “按西部地区基准定额核对（小学每生每年600.00元、初中800.00元，
    寄宿生每生另加200.00元；表中基准定额为按当年寄宿生比例折算的全县平均数，如2023年小学636.00元、
    初中836.00元），”. Empty without a region."""
    if not region:
        return ""
    std = [(MONEY_LEVEL[c.code], c.params.get("base")) for c in checks]
    last = [(MONEY_LEVEL[c.code], r) for c in checks for r in c.rows[-1:] if r.reference is not None]
    text = f"按{region}地区基准定额核对"
    if all(b is not None for _, b in std) and last:
        extra = checks[0].params["boarder_extra"]
        year = max(r.year for _, r in last)
        text += ("（" + "、".join(f"{L}{'每生每年' if k == 0 else ''}{fmt_yuan(b)}元" for k, (L, b) in enumerate(std))
                 + f"，寄宿生每生另加{fmt_yuan(extra)}元；表中基准定额为按当年寄宿生比例折算的全县平均数，如{year}年"
                 + "、".join(f"{L}{fmt_yuan(r.reference)}元" for L, r in last if r.year == year) + "）")
    return text + "，"


#: 学段 of each base-amount check.
MONEY_LEVEL = {"operating_base_P": "小学", "operating_base_J": "初中"}


def funding_section(checks: CountyChecks, county: str, table_no) -> list[Block]:
    """经费保障情况: the yearly sentences, the growth table and the base-amount table."""
    f = checks.funding
    part = checks.parts.get("funding")
    out: list[Block] = [Heading("一、经费保障情况", 1)]
    if f is None or len(f.years) < 2:
        out.append(Para("县级数据表中的经费数据不足两个年度，无法核对“三个增长”“两个只增不减”。"))
        return out
    head = f"按《义务教育法》第四十二条和国家关于“两个只增不减”的要求，对{county}{_year_range(f)}经费投入逐年核对，"
    head += f"结论为：{fmt_verdict(f.passed)}"
    if part is not None and not part.in_verdict:
        head += "（仅供参考，不计入评估结论）"
    out.append(Para(head + "。"))
    for group, title in (("三个增长", "（一）“三个增长”"), ("两个只增不减", "（二）“两个只增不减”")):
        cs = [f.checks[code] for code in GROUPS[group] if code in f.checks]
        if cs:
            out.append(Heading(title, 2))
            out += [Para(f"{_year_range(f)}，{_growth_sentence(c)}") for c in cs]
            out.append(funding_table(f, group, table_no(f"{county}义务教育经费“{group}”逐年核对表")))
    base = base_table(f, table_no(f"{county}生均公用经费与基准定额对照表"))
    if base is not None:
        bs = [f.checks[k] for k in ("operating_base_P", "operating_base_J") if k in f.checks]
        region = REGION_NAMES.get(f.region or "", "")
        out.append(Heading("（三）生均公用经费基准定额", 2))
        out.append(Para(base_sentence(bs, region) + "；".join(_base_verdict(c) for c in bs) + "。"))
        out.append(base)
    return out


# ------------------------------------------------------------------------------------------
# 评估结论, 存在的主要问题, 下一步工作
# ------------------------------------------------------------------------------------------

def verdict_section(checks: CountyChecks, county: str, document: str, method: str) -> list[Block]:
    """评估结论: the full verdict (CountyChecks.verdict) and which parts met, failed or are open."""
    out: list[Block] = [Heading("一、评估结论", 1)]
    counted = [p for p in checks.parts.values() if p.in_verdict and p.code != "veto"]
    groups = {v: [p.name for p in counted if p.passed is v] for v in (False, None, True)}
    if checks.verdict is None and not groups[False]:
        text = _open_verdict(checks, county, document, method, counted)
    else:
        text = f"综上，按{document}，{county}{method}自评结论为：{fmt_verdict(checks.verdict)}。"
        said = []
        for v, words in ((False, "未达到要求"), (None, "暂无法判定"), (True, "达到要求")):
            if groups[v]:
                said.append(f"{name_list(groups[v])}{words}")
        if said:
            text += "其中，" + "；".join(said) + "。"
    veto = checks.parts.get("veto")
    vetoed = [f for f in checks.failures if f.veto]
    if vetoed:
        text += "存在一票否决情形：" + "、".join(f"“{f.name}”" for f in vetoed) + "。"
    elif veto is not None:
        text += "未发现一票否决情形。" if veto.passed else "一票否决情形尚未全部核实，暂无法判定。"
    out.append(Para(text))
    for p in checks.parts.values():
        if not p.in_verdict:
            out.append(Para(f"{p.name}结论为{fmt_verdict(p.passed)}，仅供参考，不计入评估结论。"))
    return out


def to_fill(p: PartResult) -> bool:
    """Whether a part is open because the county must fill it in by hand (the 省定办学基本标准
    without a provincial standard configured), not because data are missing."""
    return p.code == "school_standard" and [i.id for i in p.items] == ["SS"]


def _open_verdict(checks: CountyChecks, county: str, document: str, method: str, counted: list[PartResult]) -> str:
    """The conclusion when no counted part failed but some are open (CountyChecks.verdict None):
    what is decided, what must still be checked, and the conclusion as one field to fill in
    (never a bare “无法判定”; the JSON keeps ``decided`` false)."""
    met = [p.name for p in counted if p.passed is True]
    fill = [p for p in counted if p.passed is None and to_fill(p)]
    missing = [p.name for p in counted if p.passed is None and not to_fill(p)]
    text = f"综上，按{document}，{county}"
    said = []
    if met:
        said.append(f"{name_list(met)}{'均' if len(met) > 1 else ''}达到要求")
    if fill:
        said.append(f"{name_list([p.name for p in fill])}达标情况须按本省标准逐校核实（见上文）")
    if missing:
        said.append(f"{name_list(missing)}因数据不全暂未核定")
    if any(n.code == "county.code_mismatch" for n in checks.notes):
        said.append("县级数据表的县（区）代码与学校数据不一致，须核对")
    what = name_list([p.name for p in fill] + missing) or "上述事项"
    return text + "；".join(said) + f"。{what}核实后，{method}自评结论为：【请填写：自评结论（达标或未达标）】。"


def part_verdict(p: PartResult) -> str:
    """A part's verdict in a table cell: fmt_verdict, or “待核实” for a part the county fills in
    by hand (:func:`to_fill`)."""
    return "待核实" if p.passed is None and to_fill(p) else fmt_verdict(p.passed)


def county_verdict(checks: CountyChecks) -> str:
    """The full verdict in a table cell: fmt_verdict, or “待核实（省定办学基本标准）” when it is open
    only because such parts are to be filled in by hand (the report's conclusion then asks for it)."""
    if checks.verdict is None:
        open_ = [p for p in checks.parts.values() if p.in_verdict and p.passed is None]
        if open_ and all(to_fill(p) for p in open_) and not any(n.code == "county.code_mismatch" for n in checks.notes):
            return f"待核实（{name_list([p.name for p in open_])}）"
    return fmt_verdict(checks.verdict)


def county_failures(checks: CountyChecks) -> list[Failure]:
    """The failing county items (every part except the resource parts, which 二、指标达成情况 and
    the school-level problems already cover), in CountyChecks.failures order."""
    return [f for f in checks.failures if f.part not in RESOURCE_PARTS]


def _item_of(checks: CountyChecks, f: Failure) -> ItemResult | None:
    p = checks.parts.get(f.part)
    return next((i for i in p.items if i.id == f.id), None) if p is not None else None


def failure_ref(checks: CountyChecks, f: Failure) -> str:
    """“政府保障程度第5项“小学、初中所有班级学生数……””, or the total score line."""
    item = _item_of(checks, f)
    if item is None:
        return quote(f.name)
    return f"{item_ref(checks.parts[f.part], item)}{quote(f.name)}"


def failure_reason(checks: CountyChecks, f: Failure) -> str:
    """What is short (items.problem, totals and directions), else the core's reason for the
    total score."""
    item = _item_of(checks, f)
    if item is None:
        s = checks.score
        return f"评分合计{fmt_plain(s.score)}分，低于{fmt_plain(s.pass_score)}分" if s is not None else say(f.reason)
    text = problem(item)
    if f.part == "score" and item.score is not None:
        text += f"（扣{fmt_plain(lost_points(item))}分，该项{fmt_plain(item.points)}分）"
    return text


def lost_item(checks: CountyChecks, f: Failure) -> ItemResult | None:
    """The score-sheet item of a failure that only lost points (not counted by itself: the
    sheet's total decides), else None."""
    item = _item_of(checks, f)
    if f.counted or f.part != "score" or item is None or lost_points(item) is None:
        return None
    return item


def _failure_text(checks: CountyChecks, f: Failure) -> str:
    """One problem: a counted failure “…未达到要求，…”; a score-sheet item “…扣1分（该项7分，得6分），…”;
    an informational failure “…未达到要求，…（该项不计入评估结论）”. Follows Failure.counted."""
    item = lost_item(checks, f)
    if item is not None:
        return (f"{failure_ref(checks, f)}扣{fmt_plain(lost_points(item))}分（该项{fmt_plain(item.points)}分，"
                f"得{fmt_plain(item.score)}分），{problem(item)}。")
    tag = "属一票否决情形，" if f.veto else ""
    counted = "" if f.counted or f.part == "score" else "（该项不计入评估结论）"
    return f"{failure_ref(checks, f)}未达到要求，{tag}{failure_reason(checks, f)}{counted}。"


def problem_blocks(checks: CountyChecks, start: int) -> list[Block]:
    """The failing county items for 存在的主要问题, one sub-heading per part, numbered from
    ``start`` + 1 (（二）, （三）…)."""
    out: list[Block] = []
    by_part: dict[str, list[Failure]] = {}
    for f in county_failures(checks):
        by_part.setdefault(f.part, []).append(f)
    for k, (code, fs) in enumerate(by_part.items(), start=start + 1):
        out.append(Heading(f"（{cn(k)}）{fs[0].part_name}", 2))
        out += [Para(_failure_text(checks, f)) for f in fs]
    return out


def rectification_scope(checks: CountyChecks, fs: list[Failure]) -> str:
    """What the rectification list covers, counted the way the verdict counts (Failure.counted):
    “县级指标核查中未达到要求的1项、评分表扣分的1项和不计入评估结论的经费保障核对中未达到要求的1项”."""
    lost = [f for f in fs if lost_item(checks, f) is not None]
    counted = [f for f in fs if f.counted]
    info = [f for f in fs if not f.counted and f not in lost]
    parts = []
    if counted:
        parts.append(f"县级指标核查中未达到要求的{len(counted)}项")
    if lost:
        parts.append(f"评分表中扣分的{len(lost)}项")
    if info:
        names = name_list(list(dict.fromkeys(_short_part(checks, f) for f in info)))
        parts.append(f"{names}中未达到要求的{len(info)}项（不计入评估结论）")
    if len(parts) > 1:
        return "、".join(parts[:-1]) + "和" + parts[-1]
    return parts[0]


def _short_part(checks: CountyChecks, f: Failure) -> str:
    return "经费保障核对" if f.part == "funding" else f.part_name


def rectification_parts(checks: CountyChecks, fs: list[Failure]) -> str:
    """The official names of the parts with failing items, in order, for the heading and caption
    of the rectification list: “政府保障程度和经费保障”."""
    names = list(dict.fromkeys(_short_part(checks, f) for f in fs))
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def rectification_action(checks: CountyChecks, f: Failure) -> str:
    """整改措施 of a failing item: by its check (:data:`CHECK_ACTIONS`), else by its part (:data:`ACTIONS`)."""
    item = _item_of(checks, f)
    check = item.check if item is not None else ""
    return CHECK_ACTIONS.get(check) or ACTIONS.get(f.part, "逐项整改到位")


def next_step_blocks(checks: CountyChecks, start: int, caption: str) -> list[Block]:
    """下一步工作 for the failing county items: a sub-heading numbered ``start`` + 1 naming the parts
    (“（五）政府保障程度和经费保障整改”) and the rectification list (序号, 指标, 存在问题, 整改措施 and the
    【请填写】 fields 责任单位 and 完成时限, :data:`DUTY_FIELDS`). caption: the table title."""
    fs = county_failures(checks)
    if not fs:
        return []
    rows = [[str(k), failure_ref(checks, f), failure_reason(checks, f), rectification_action(checks, f), *DUTY_FIELDS]
            for k, f in enumerate(fs, start=1)]
    return [Heading(f"（{cn(start + 1)}）{rectification_parts(checks, fs)}整改", 2),
            Para(f"针对{rectification_scope(checks, fs)}，逐项明确整改措施、责任单位和完成时限，整改任务见下表。"),
            Table(["序号", "指标", "存在问题", "整改措施", "责任单位", "完成时限"], rows, caption,
                  [0.6, 2.5, 3.8, 2.5, 1.9, 1.9], left=(1, 2, 3))]  # “【请填写：责任单位】” on two lines
