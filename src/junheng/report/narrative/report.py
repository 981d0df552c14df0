"""The Chinese text of the self-evaluation report (自评报告), as blocks (blocks.py).

Every number is read from the Assessment (CountyResult levels, the unit frame, the excluded
schools, ``core.trace``) or from the optional canonical school table for class counts; nothing is
recomputed. CVs and means are written with 3 decimals half-up (``numbers.fmt_num``), money in
万元, shares in %. Sections (GB/T 9704 headings): title, preface, 一、基本情况, 二、指标达成情况
(per level a table and charts), 三、存在的主要问题, 四、下一步工作 (the 补足资源测算 per school,
plan/fill.py through shortfalls.py), then a note on the source.
"""
from __future__ import annotations

import re
from collections import Counter

import polars as pl

from ...core.county_checks import COUNTED
from ...core.county_result import PART_NAMES, CountyChecks
from ...core.county_verdict import county_part_codes
from ...core.result import Assessment, CountyResult, LevelResult
from ...core.trace import top_contributors, weakest_units
from ...core.units import county_key
from ...io.county_fields import PROFILE_ITEMS, profile_label
from ...schema import LEVEL_NAMES, SCHOOL_TYPES, school_type_name
from ..charts import Chart
from .blocks import Annex, Block, Figure, Heading, Para, Table, fill_fields
from .findings import say, say_all, worded_excluded
from .common import YEAR_FIELD, Numbering, cn, county_name, name_items, name_list, statistics_year, title_break
from .county import (SECTION_TITLES, county_failures, funding_section, next_step_blocks, part_section, problem_blocks,
                     rectification_parts, verdict_section)
from .numbers import cn_brackets, fmt_count, fmt_num, fmt_pct, fmt_plain, fmt_stat, fmt_verdict, fmt_wan, round_half_up
from .practices import practices
from .provisions import provision_blocks
from .phrases import (NAMES_IN_TEXT, contributor_text, exclusion_sentence, fewest_met_sentence, private_sentence,
                      province_citation, shortfall_sentence)
from ...plan.fill import select_gaps
from ...plan.items import ITEMS
from .shortfalls import Shortfall, county_fill, shortfalls

#: Print width (mm) of each chart kind (the text block is 156 mm).
FIGURE_MM = {"cv": 110.0, "dist": 135.0, "contrib": 120.0}


def report_title(a: Assessment, c: CountyResult) -> str:
    """“均衡示例县县域义务教育基本均衡发展自评报告” (from the rule pack's name)."""
    return f"{county_name(c)}{a.rules.name.removesuffix('督导评估')}自评报告"


# ------------------------------------------------------------------------------------------
# 一、基本情况
# ------------------------------------------------------------------------------------------

def school_counts(a: Assessment, c: CountyResult) -> dict[int, int]:
    """Schools of the county by 办学类型 code: every school that entered the calculation (unit
    frame, one school counted once) or was excluded (with its reason). {code: count}, by code."""
    u = a.units_of(c.county_key).select("school_id", "school_type").unique("school_id")
    e = a.excluded_of(c.county_key).select("school_id", "school_type")
    both = pl.concat([u, e]).unique("school_id")
    return dict(sorted(Counter(both["school_type"].to_list()).items()))


def _profile_part(profile: dict[str, float], code: str, say: str) -> str:
    """One item of the county profile: “全县总面积2,345平方公里” from the county workbook, or the
    【请填写：全县总面积（平方公里）】 field when the 基本信息 sheet does not give it."""
    _, unit, kind, _ = PROFILE_ITEMS[code]
    v = profile.get(code)
    if v is None:
        return f"【请填写：{profile_label(code)}】"
    return f"{say}{fmt_count(int(v)) if kind == 'int' else fmt_plain(v)}{unit}"


def profile_sentence(checks: CountyChecks | None) -> str:
    """The county profile a 自评报告 opens with (area, townships, population, economy and revenue),
    from the 基本信息 sheet of the county workbook (``CountyChecks.profile``); each item not given
    is a 【请填写】 field (the CLI lists them). Returns text after the county name."""
    p = checks.profile if checks is not None else {}
    first = "，".join(_profile_part(p, c, say) for c, say in (
        ("area_km2", "总面积"), ("townships", "辖乡镇（街道）"),
        ("registered_population", "户籍人口"), ("resident_population", "常住人口")))
    second = "，".join(_profile_part(p, c, say) for c, say in (
        ("gdp", "上年地区生产总值"), ("public_budget_revenue", "一般公共预算收入")))
    return f"{first}。{second}。"


def _finance_sentence(checks: CountyChecks | None) -> str:
    """The latest year's money from the county workbook (经费 sheet), if any."""
    f = checks.funding if checks is not None else None
    if f is None or not f.years:
        return ""
    y = f.years[-1]
    parts = []
    for code, what, unit in (("appropriation_vs_revenue", "教育财政拨款", "万元"),
                             ("budget_not_falling", "一般公共预算教育支出", "万元")):
        chk = f.checks.get(code)
        r = next((r for r in chk.rows if r.year == y), None) if chk else None
        if r is not None and r.value is not None:
            parts.append(f"{what}{fmt_plain(float(round_half_up(r.value, 2)))}{unit}")
    return f"{y}年，全县" + "，".join(parts) + "。" if parts else ""


def _private(a: Assessment, c: CountyResult, table: pl.DataFrame | None) -> str:
    """The 民办学校 sentence of 基本情况 (phrases.private_sentence) from the pack's ``scope.private``:
    the county's 民办 schools of the school table that no other rule keeps out (special schools,
    small teaching points … are said by the exclusion sentence); without the table, under
    ``exclude`` the schools excluded as 民办."""
    include = a.rules.scope.private == "include"
    if table is not None and "ownership" in table.columns:
        t = table.filter(county_key(table.columns) == c.county_key) if "county_code" in table.columns else table
        ids = t.filter(pl.col("ownership") == "民办")["school_id"].cast(pl.Utf8)
        ex = a.excluded_of(c.county_key)
        other = ex.filter(pl.col("reason") != "private")["school_id"].cast(pl.Utf8)
        n = int(ids.filter(~ids.is_in(other.to_list())).len())
    elif not include:
        n = int((a.excluded_of(c.county_key)["reason"] == "private").sum())
    else:
        return ""
    return private_sentence(n, include)


def _basic(a: Assessment, c: CountyResult, table: pl.DataFrame | None,
           checks: CountyChecks | None = None) -> list[Block]:
    out: list[Block] = [Heading("基本情况", 1)]
    out.append(Para(f"{county_name(c)}" + profile_sentence(checks) + _finance_sentence(checks)))
    counts = school_counts(a, c)
    total = sum(counts.values())
    kinds = "、".join(f"{school_type_name(t)}{n}所" for t, n in counts.items())
    out.append(Para(f"全县共有各类学校（含教学点）{total}所，其中{kinds}。" + _private(a, c, table)))
    units = a.units_of(c.county_key)
    parts = []
    for level, lv in c.levels.items():
        teachers = units.filter(pl.col("level") == level)["teachers"].sum()
        parts.append(f"{LEVEL_NAMES[level]}阶段参评单位{lv.units}个，在校生{fmt_count(lv.students)}人，"
                     f"专任教师{fmt_count(teachers)}人")
    if table is not None and "classes_P" in table.columns:
        t = table.filter(county_key(table.columns) == c.county_key) if "county_code" in table.columns else table
        # the classes of the schools the 班额 item counts (core.county_checks.COUNTED: no special schools)
        if "school_type" in t.columns:
            counted = [code for code, st in SCHOOL_TYPES.items() if st.category in COUNTED]
            t = t.filter(pl.col("school_type").is_in(counted))
        classes = [f"{LEVEL_NAMES[lv]}{fmt_count(t[f'classes_{s}'].fill_null(0).sum())}个"
                   for lv, s in (("primary", "P"), ("junior", "J")) if f"classes_{s}" in t.columns and lv in c.levels]
        if classes:
            parts.append("全县普通中小学教学班" + "、".join(classes))
    if parts:
        out.append(Para("；".join(parts) + "。"))
    split_types = sorted({t for t in units["school_type"].to_list() if SCHOOL_TYPES.get(t) and len(SCHOOL_TYPES[t].sections) > 1})
    if split_types:
        sp = a.rules.split
        ratios = {"nine_year": sp.nine_year, "complete": sp.complete, "twelve_year": sp.twelve_year}
        desc = []
        for t in split_types:
            r = ratios.get(SCHOOL_TYPES[t].category)
            if r:
                desc.append(f"{school_type_name(t)}按" + "∶".join(fmt_plain(v) for v in r.values()) + "的加权学生数比例")
        out.append(Para("一贯制学校和完全中学按学段分别作为评估单位，校舍、设备、图书等资源中，"
                        + "，".join(desc) + "分摊到各学段（高中部分不计）。"))
    sentence = exclusion_sentence(worded_excluded(a.excluded_of(c.county_key), a.rules)["reason"].to_list())
    if sentence:
        out.append(Para(sentence))
    return out


# ------------------------------------------------------------------------------------------
# 二、指标达成情况
# ------------------------------------------------------------------------------------------

def level_table(a: Assessment, c: CountyResult, level: str, caption: str) -> Table:
    """The table of one level: indicators with unit, (quality: per-unit standard and units
    meeting it), county mean and CV, then the composite row. Display text via fmt_num."""
    lv = c.levels[level]
    rule = a.rules.unit_rule is not None
    composite = a.rules.dispersion.test == "composite"
    units = a.units_of(c.county_key).filter(pl.col("level") == level)
    if rule:
        thr = next(iter(lv.indicators.values())).threshold
        header = ["序号", "指标", "单位", "单校\n标准", "达标\n单位数", "全县\n平均值", f"差异系数\n（≤{fmt_num(thr, 2)}）"]
        widths = [0.6, 3.6, 0.7, 1.1, 1.2, 1.6, 1.4]
    else:
        header = ["序号", "指标", "单位", "全县\n平均值", "差异系数"]
        widths = [0.6, 5.0, 0.9, 1.6, 1.6]
    rows, marks = [], []
    for k, ind in enumerate(a.rules.indicators, start=1):
        s = lv.indicators[ind.code]
        row = [str(k), cn_brackets(ind.name), ind.unit]
        mark: list[str | None] = [None, None, None]
        if rule:
            met = int(units[f"meets_{ind.code}"].sum())
            row += [fmt_plain(ind.threshold.get(level)), f"{met}/{lv.units}"]
            mark += [None, "good" if met == lv.units else "bad"]
        row += [fmt_stat(s.mean, ind.unit), fmt_num(s.cv)]
        mark += [None, None if s.passed is None else "good" if s.passed else "bad"]
        rows.append(row)
        marks.append(mark)
    if composite:  # only where the method has it: quality-2017 tests each CV, no average (docs/rules.md)
        label = f"综合差异系数（标准为不高于{fmt_num(lv.composite_threshold, 2)}）"
        ok = None if lv.passed is None else "good" if lv.passed else "bad"
        rows.append(["", label, ""] + [""] * (len(header) - 4) + [fmt_num(lv.composite_cv)])
        marks.append([None] * (len(header) - 1) + [ok])
    return Table(header, rows, caption, widths, marks, bold_last=composite)


def _level_summary(a: Assessment, c: CountyResult, level: str, lv: LevelResult) -> list[Block]:
    L = LEVEL_NAMES[level]
    out: list[Block] = []
    names = name_items([cn_brackets(s.name) for s in lv.indicators.values()], "，")
    cvs = "，".join(f"{n}{fmt_num(s.cv)}" for n, s in zip(names, lv.indicators.values()))
    if a.rules.dispersion.test == "composite":
        thr = fmt_num(lv.composite_threshold, 2)
        if lv.passed is None:
            verdict = "有差异系数无法计算，暂不能判定"
        elif lv.passed:
            verdict = f"不高于{thr}的标准，达到要求"
        else:
            verdict = f"高于{thr}的标准，未达到要求"
        out.append(Para(f"{L}阶段{lv.units}个参评单位{len(lv.indicators)}项指标的校际差异系数分别为：{cvs}；"
                        f"综合差异系数为{fmt_num(lv.composite_cv)}，{verdict}。"))
    else:
        thr = next(iter(lv.indicators.values())).threshold
        over = [s for s in lv.indicators.values() if s.passed is False]
        head = f"{L}阶段{lv.units}个参评单位{len(lv.indicators)}项资源配置指标的校际差异系数分别为：{cvs}。"
        if over:
            tail = (f"其中{len(lv.indicators) - len(over)}项不高于{fmt_num(thr, 2)}的标准，"
                    f"{len(over)}项超过标准（" + name_list([cn_brackets(s.name) for s in over]) + "），该学段差异系数未达到要求。")
        elif lv.passed:
            tail = f"各项差异系数均不高于{fmt_num(thr, 2)}的标准，达到要求。"
        else:
            tail = "有差异系数无法计算，暂不能判定。"
        out.append(Para(head + tail))
        units = a.units_of(c.county_key).filter(pl.col("level") == level)
        ok = int(units["passed"].sum())
        ur = a.rules.unit_rule
        out.append(Para(f"按单校标准（{len(lv.indicators)}项指标中至少{ur.min_met}项达到标准、其余项不低于标准的"
                        f"{fmt_plain(ur.floor_ratio * 100)}%），{L}{lv.units}个单位中达标{ok}个，占{fmt_pct(ok / lv.units)}；"
                        f"未达标{lv.units - ok}个。"))
    return out


def _attainment(a: Assessment, c: CountyResult, pngs: dict[str, tuple[bytes, str]], n: Numbering,
                full: bool = False) -> list[Block]:
    out: list[Block] = [Heading("资源配置（校际差异系数）" if full else "资源配置", 2)]
    if not c.levels:
        out.append(Para("本县没有参与计算的学校，无法计算差异系数。"))
    for k, (level, lv) in enumerate(c.levels.items(), start=1):
        L = LEVEL_NAMES[level]
        out.append(Heading(L, 3))
        out += _level_summary(a, c, level, lv)
        out += provision_blocks(a, c, level, lambda L=L: n.t(f"{county_name(c)}{L}特殊规定使用情况表"))
        out.append(level_table(a, c, level, n.t(f"{county_name(c)}{L}校际差异系数表")))
        for kind in ("cv", "dist", "contrib"):
            png = pngs.get(f"{level}_{kind}")
            if png is not None:
                # print widths (mm) that let the three charts of a level share two pages (no page
                # holding one chart with half of it empty)
                out.append(Figure(png[0], n.f(png[1]), FIGURE_MM[kind]))
    extra = ""
    if a.rules.unit_rule is not None and c.units_failed:
        total = sum(lv.units for lv in c.levels.values())
        extra = f"；全县{total}个参评单位中，{c.units_failed}个未达到单校标准"
    if full:  # with county checks the full verdict is 评估结论 (county.verdict_section)
        out.append(Para(f"综上，按{a.rules.document}的资源配置要求，全县资源配置结论为：{fmt_verdict(c.verdict)}{extra}。"))
    else:
        out.append(Para(resource_only_verdict(a, c, extra)))
    return out


def resource_only_verdict(a: Assessment, c: CountyResult, extra: str = "") -> str:
    """The closing sentence of 资源配置 when no county data was given: the resource part's result
    (“资源配置（校际差异系数）达到要求”) and the parts not assessed (core.county_verdict.
    county_part_codes), with no overall 达标 verdict: “……尚未评估，本报告不作总体评估结论。”."""
    what = "资源配置（校际差异系数）" if a.rules.unit_rule is None else "资源配置（校际差异系数和单校达标）"
    result = {True: "达到要求", False: "未达到要求", None: "暂不能判定"}[c.verdict]
    open_ = [PART_NAMES[p] + ("情形" if p == "veto" else "") for p in county_part_codes(a.rules)]
    return (f"综上，按{a.rules.document}的资源配置要求，全县{what}{result}{extra}。"
            f"因未提供县级数据，{name_list(open_)}尚未评估，本报告不作总体评估结论。")


# ------------------------------------------------------------------------------------------
# 三、存在的主要问题
# ------------------------------------------------------------------------------------------

def _contributors(a: Assessment, c: CountyResult, level: str, code: str) -> str:
    ind = next(i for i in a.rules.indicators if i.code == code)
    mean = c.levels[level].indicators[code].mean
    return contributor_text(top_contributors(a, c.county_key, level, code, 3), ind, mean)


def _problems(a: Assessment, c: CountyResult, checks: CountyChecks | None = None) -> list[Block]:
    out: list[Block] = [Heading("存在的主要问题", 1)]
    rule = a.rules.unit_rule is not None
    k = 0
    for level, lv in c.levels.items():
        L = LEVEL_NAMES[level]
        paras: list[str] = []
        units = a.units_of(c.county_key).filter(pl.col("level") == level)
        if rule:
            thr = next(iter(lv.indicators.values())).threshold
            over = [s for s in lv.indicators.values() if s.passed is False]
            for s in over:
                who = _contributors(a, c, level, s.code)
                paras.append(f"{cn_brackets(s.name)}差异系数为{fmt_num(s.cv)}，比{fmt_num(thr, 2)}的标准高{fmt_num(s.cv - thr)}"
                             + (f"，{who}" if who else "") + "。")
            short = []
            for ind in a.rules.indicators:
                bad = units.filter(~pl.col(f"meets_{ind.code}"))
                if bad.height:
                    short.append((bad.height, shortfall_sentence(bad, ind, ind.threshold.get(level))))
            short.sort(key=lambda x: -x[0])
            if short:
                paras.append("单校达标方面，" + "；".join(s for _, s in short[:4]) + "。")
            sentence = fewest_met_sentence(units, a.rules, level, L)
            if sentence:
                paras.append(sentence)
        else:
            ranked = sorted((s for s in lv.indicators.values() if s.cv is not None), key=lambda s: -s.cv)
            if ranked:
                top = ranked[:3]
                paras.append("校际差异较大的指标是" + "、".join(
                    f"{n}（{fmt_num(s.cv)}）" for n, s in zip(name_items([cn_brackets(s.name) for s in top]), top)) + "。")
                who = _contributors(a, c, level, top[0].code)
                if who:
                    paras.append(f"{cn_brackets(top[0].name)}方面，{who}。")
            if lv.passed is False:
                paras.append(f"综合差异系数为{fmt_num(lv.composite_cv)}，比{fmt_num(lv.composite_threshold, 2)}的标准高"
                             f"{fmt_num(lv.composite_cv - lv.composite_threshold)}。")
            weak = weakest_units(a, c.county_key, level, NAMES_IN_TEXT)
            names = {i.code: i.label for i in a.rules.indicators}
            if weak.height:
                paras.append("薄弱学校中，" + "；".join(
                    f"{r['name']}有{len(r['below'])}项指标低于全县平均水平（" + "、".join(names[b] for b in r["below"]) + "）"
                    for r in weak.iter_rows(named=True)) + "。")
        if paras:
            k += 1
            out.append(Heading(L, 2))
            out += [Para(p) for p in paras]
    if k == 0:
        out.append(Para("各学段资源配置指标均达到要求，未发现突出问题。"))
    if checks is not None:
        out += problem_blocks(checks, k)
    return out


# ------------------------------------------------------------------------------------------
# 四、下一步工作
# ------------------------------------------------------------------------------------------

def _join_amounts(items: list[tuple[str, str, float]]) -> str:
    return "、".join(f"{r}{fmt_wan(v)}" if u == "元" else f"{r}{fmt_count(v)}{u}" for r, u, v in items)


def shortfall_table(items: list[Shortfall], caption: str) -> Table:
    """One row per school with a shortfall: school, the levels short, their pupils, what the school
    needs (each need once: a nine-year school's shared building serves both its sections)."""
    by_school: dict[str, list[Shortfall]] = {}
    for s in items:
        by_school.setdefault(s.school_id, []).append(s)
    rows = []
    for k, ss in enumerate(by_school.values(), start=1):
        levels = [lv for lv in LEVEL_NAMES if any(s.level == lv for s in ss)]
        pupils = sum({s.level: s.students for s in ss}.values())
        needs = sorted(dict.fromkeys(n for s in ss for n in s.needs), key=lambda n: (RANK[n.cost_item], n.section or ""))
        rows.append([str(k), ss[0].name, "、".join(LEVEL_NAMES[lv] for lv in levels), fmt_count(pupils),
                     "、".join(n.text for n in needs)])
    return Table(["序号", "学校", "学段", "在校生", "需增加"], rows, caption, [0.6, 3.2, 0.8, 1.0, 5.4], left=(1, 4))


#: Item order of plan/items.py (the order of the needs of a school, as in plan/fill.Fill.needs).
RANK = {c: k for k, c in enumerate(ITEMS)}
#: Short names of what is built (plan/items.py codes) in 下一步工作.
BUILDINGS = {"teaching_area_m2": "校舍", "indoor_sports_m2": "室内体育用房", "sports_ground_m2": "运动场地"}


def _actions(codes: set[str]) -> list[tuple[str, str]]:
    """(sub-heading, text) of the actions the 测算 calls for: only the items some school needs are
    named (plan/items.py order and action), so a basic-2012 report never asks for 网络多媒体教室."""
    from ...plan.text import ITEM_NAMES

    order = [c for c in ITEMS if c in codes]
    out = []
    build = [c for c in order if ITEMS[c].action == "build"]
    if build:
        out.append((f"加快{'和'.join(BUILDINGS[c] for c in build)}建设",
                    f"将上述学校的{'、'.join(ITEM_NAMES[c] for c in build)}缺口纳入年度建设计划，优先安排改扩建项目和资金，"
                    "同时合理调整学校布局和招生规模，缓解用房紧张学校的压力。"))
    equip = [ITEM_NAMES[c] for c in order if ITEMS[c].action == "buy"]
    if equip:
        out.append(("补充教学装备", f"按缺口统筹安排{'、'.join(equip)}的采购配备，向农村学校和薄弱学校倾斜。"))
    staff = [c for c in order if ITEMS[c].action == "hire"]
    if staff:
        ways = "招聘、交流轮岗、县管校聘" + ("和骨干教师培养" if "backbone_teachers" in staff else "和教师培训")
        names = "、".join(dict.fromkeys(ITEM_NAMES[c].split("（")[0] for c in staff))
        out.append(("加强教师队伍建设", f"通过{ways}，补足上述学校短缺的{names}。"))
    return out


def _next_steps(a: Assessment, c: CountyResult, n: Numbering, checks: CountyChecks | None = None,
                fill=None) -> tuple[list[Block], list[Block]]:
    """下一步工作 and its annexes (the per-school 补足资源测算 table, long, goes to 附件 after the 落款).
    fill: the county's plan/fill.Fill (None: no school table, nothing is measured)."""
    out: list[Block] = [Heading("下一步工作", 1)]
    annexes: list[Block] = []
    rule = a.rules.unit_rule is not None
    items = shortfalls(fill) if fill is not None else []
    k = 0
    if items:
        who = "未达到单校标准的单位" if rule else "低于全县平均水平的学校"
        title = f"{county_name(c)}{who}补足资源测算表"
        annexes = [Annex("附件1", title_break(title)), shortfall_table(items, "")]
        out.append(Heading("补齐办学条件短板", 2))
        goal = "补齐每所学校未达到单校标准的指标" if rule else "使各薄弱学校低于全县平均水平的指标达到全县平均水平"
        money = [f"一次性投入{fmt_wan(fill.capital_yuan)}"] if fill.capital_yuan else []
        if fill.recurring_yuan_per_year:
            money.append(f"每年新增教师工资等{fmt_wan(fill.recurring_yuan_per_year)}")
        out.append(Para(f"经逐校测算，{goal}，共需增加"
                        f"{_join_amounts(fill.totals())}，按测算单价约需{'，'.join(money)}"
                        f"（以学校为单位测算，九年一贯制学校和完全中学的校舍、场地和设备两个学段共用，只计一次），"
                        f"各校明细见附件1。"))
        k = 1
        for title, text in _actions({x.cost_item for x in fill.needs}):
            k += 1
            out.append(Heading(title, 2))
            out.append(Para(text))
    elif fill is None and select_gaps(a, c):
        out.append(Para("未提供学校数据表，未逐校测算补足资源（九年一贯制学校和完全中学须按学校测算）。"))
    else:
        out.append(Para("各参评单位的资源配置均已达到要求。下一步将巩固现有成果，做好年度监测复查。"))
    if checks is not None and county_failures(checks):
        parts = rectification_parts(checks, county_failures(checks))
        out += next_step_blocks(checks, k, n.t(f"{county_name(c)}{parts}整改任务清单"))
    if items or (checks is not None and county_failures(checks)):
        # the body ends in text, not in a table: the 附件说明 and the 落款 keep with it on their page
        out.append(Para(CLOSING))
    return out, annexes


#: The last paragraph of 下一步工作 when there is something to put right.
CLOSING = "我县将对照上述问题和差距，逐项抓好整改落实，确保县域义务教育均衡发展各项指标全面达到评估要求。"


_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．])")


def renumber(blocks: list[Block]) -> list[Block]:
    """Number the headings in document order the GB/T 9704 way: level 1 “一、”, level 2 “（一）”
    within it, level 3 “1．” within that (any number already written is replaced). Headings after
    the first Annex are not numbered."""
    out: list[Block] = []
    k = [0, 0, 0, 0]
    annex = False
    for b in blocks:
        annex = annex or isinstance(b, Annex)
        if isinstance(b, Heading) and 1 <= b.level <= 3 and not annex:
            k[b.level] += 1
            for deeper in range(b.level + 1, 4):
                k[deeper] = 0
            n = k[b.level]
            prefix = {1: f"{cn(n)}、", 2: f"（{cn(n)}）", 3: f"{n}．"}[b.level]
            b = Heading(prefix + _NUMBER.sub("", b.text), b.level)
        out.append(b)
    return out


def _shift(blocks: list[Block], by: int = 1) -> list[Block]:
    """The blocks with their headings one level deeper (a section placed under another)."""
    return [Heading(b.text, b.level + by) if isinstance(b, Heading) and b.level >= 1 else b for b in blocks]


def _county_parts(a: Assessment, c: CountyResult, checks: CountyChecks, n: Numbering,
                  order: tuple[str, ...]) -> list[Block]:
    """The county-level parts of ``order`` (narrative/county.py), one level-2 section each."""
    out: list[Block] = []
    for code in order:
        if code in checks.parts and code in SECTION_TITLES:
            out += _shift(part_section(checks, checks.parts[code], county_name(c), a.rules.document, n.t))
    return out


def _intro(a: Assessment, c: CountyResult, checks: CountyChecks | None) -> Para:
    year = f"{a.year}年" if a.year else YEAR_FIELD
    scope = "学校资源配置情况" if checks is None else "义务教育均衡发展情况"
    method = a.rules.name.removesuffix("督导评估")
    return Para(f"根据{a.rules.document}{province_citation(a.rules)}的要求，我县以{year}教育事业统计数据为基础，"
                f"对照评估指标，对全县{scope}进行了认真自查自评。现将{method}自评情况报告如下。")


def annex_list(checks: CountyChecks | None, annexes: list[Annex]) -> list[Para]:
    """附件说明 (GB/T 9704 §7.3.4): the annexes of this document, then the Excel workbook sent with
    it; with several, one a paragraph, their numbers aligned under the first (after “附件：”)."""
    names = [a.title.replace("\n", "") for a in annexes]
    names.append("校际差异系数表、一校一表" + ("、县级指标和经费增长核对表" if checks else "") + "（电子表格）")
    if len(names) == 1:
        return [Para(f"附件：{names[0]}", hang=3)]
    return [Para(("附件：" if k == 1 else "\u3000" * 3) + f"{k}．{t}", hang=5) for k, t in enumerate(names, start=1)]


def report_blocks(a: Assessment, c: CountyResult, charts: list[Chart] | dict[str, tuple[bytes, str]], *,
                  table: pl.DataFrame | None = None, source_name: str | None = None,
                  checks: CountyChecks | None = None, plan=None, fill=None) -> list[Block]:
    """The whole report of one county as blocks, in the order of a real 自评报告: title, preface,
    基本情况 (county profile, schools, pupils, teachers), 主要做法 (【请填写】 prompts with the
    supporting data), 指标达成情况 (under basic-2012 the 省定办学基本标准 first; the CVs per level;
    the county parts; 经费保障; 评估结论), 存在的主要问题, 下一步工作, the 附件 list; then the
    annexes (附表: the per-unit shortfalls) after the 落款.

    charts: the county's charts (charts.county_charts) or an already rendered mapping
    {key: (png bytes, caption)}; table: the canonical school table (optional, for class counts);
    source_name: unused in the document (tool and file names belong in the 说明 file, see
    :func:`user_notes`); checks: the county-level checks of this county
    (core.county_verdict.evaluate_county). Without checks the report covers resource allocation.
    plan: this county's plan/summary.PlanSummary (``--plan``): a 填平补齐测算 section, the last of
    下一步工作 (before its closing sentence).
    fill: the county's 补足资源测算 (plan/fill.Fill; default: measured from ``table`` with the
    default unit costs; without a table the report says it was not measured).
    """
    pngs = charts if isinstance(charts, dict) else {ch.key: (ch.png(), ch.caption) for ch in charts}
    n = Numbering()
    out: list[Block] = [Heading(title_break(report_title(a, c)), 0), _intro(a, c, checks)]
    out += _basic(a, c, table, checks)
    out += practices(a, c, checks)
    out.append(Heading("指标达成情况", 1))
    basic = a.rules.unit_rule is None
    if checks is not None and basic:
        out += _county_parts(a, c, checks, n, ("school_standard",))
    out += _attainment(a, c, pngs, n, full=checks is not None)
    if checks is not None:
        rest = tuple(code for code in SECTION_TITLES if code != "school_standard" or not basic)
        out += _county_parts(a, c, checks, n, rest)
        out += _shift(funding_section(checks, county_name(c), n.t))
        out += _shift(verdict_section(checks, county_name(c), a.rules.document, a.rules.name.removesuffix("督导评估")))
    out += _problems(a, c, checks)
    if fill is None and table is not None:
        fill = county_fill(table, a, c)
    next_steps, annexes = _next_steps(a, c, n, checks, fill)
    if plan is not None:
        from .plan import plan_section

        # a section of 下一步工作, before its closing sentence: the report ends once
        closing = bool(next_steps) and isinstance(next_steps[-1], Para) and next_steps[-1].text == CLOSING
        at = len(next_steps) - closing
        next_steps[at:at] = _shift(plan_section(plan, a.rules, n, fill_listed=fill is not None and bool(fill.gaps)))
    out += next_steps
    heads = [b for b in annexes if isinstance(b, Annex)]
    out += annex_list(checks, heads)
    out += annexes
    return renumber(out)


def user_notes(a: Assessment, c: CountyResult, blocks: list[Block], *, source_name: str | None = None,
               checks: CountyChecks | None = None) -> list[str]:
    """What the user should know about the draft, for the 说明 file and the CLI (never the
    document): the data source, how the numbers were computed, the fields to fill in by hand,
    and the notes of the checks (example score sheet, standards not configured …)."""
    lines = []
    if source_name:
        lines.append(f"数据来源：{source_name}")
    lines.append("差异系数按在校生数加权计算，显示时保留3位小数（四舍五入）；报告中的数字均取自评估结果。")
    year, origin = statistics_year(a, checks)
    if origin == "finance":
        lines.append(f"统计年度未指定（--year），按县级数据表经费表的最近年度写为{year}年；"
                     "学校数据不是该年度的，请用 --year 指定后重新生成。")
    elif origin == "":
        lines.append("统计年度未指定：请用 --year 指定后重新生成，或在文中【请填写：统计年度】处填写"
                     "（电子表格中为“统计年度：＿＿＿＿年”）。")
    fields = fill_fields(blocks)
    if fields:
        lines.append(f"需要手工填写的内容共{len(fields)}处（Word 中以黄色突出显示）：")
        lines += [f"  {k}. {f}" for k, f in enumerate(fields, start=1)]
    if a.rules.province is not None and "示例" in (a.rules.province_name or "") + (a.rules.province_document or ""):
        lines.append(f"省级覆盖文件“{a.rules.province_name}”是示例，其中的标准须按本省正式文件核对。")
    if checks is not None:
        if checks.funding is not None:
            lines += [f"{c.name}：{say(x)}" for c in checks.funding.checks.values() for x in c.notes]
        if checks.score is not None and checks.score.example:
            lines.append("评分表为示例评分表，各项分值须按本省正式评分细则核对。")
        for p in checks.parts.values():
            lines += [f"{p.name}：{say(x)}" for x in p.notes]
        lines += say_all(checks.notes)
    for lv in c.levels.values():
        lines += say_all(lv.notes)
    lines += say_all(c.notes)
    return list(dict.fromkeys(lines))
