"""How a county item is said, in one place for the Word, HTML, Excel and console outputs.

The core returns numbers and codes (:class:`~junheng.core.county_result.ItemResult`: ``facts``,
``rows`` — every failing class, school or year, never a truncated list — ``answer``,
``evidence``); this module words them as Chinese officialese: totals from ``facts`` (the count
of classes over the limit is the real count, not the length of a listed sample), the direction
of every deviation (超出 / 低于), no formulas or comparison signs, no digit spacing, and the
method's own item numbers (“政府保障程度第5项”) instead of the rule pack's codes (G5). The
per-school checks are worded from ``facts`` and ``rows`` (:data:`WORDINGS`), every other finding
by its code (:data:`OFFICIAL`); the JSON and console say the same findings in their compact form
(narrative/findings.py).

Functions: :func:`item_ref` (the item's number in the method), :func:`situation` (the 情况 cell:
summary, a few examples, evidence, notes), :func:`problem` (one sentence for 存在的主要问题 and
the rectification list), :func:`tally` (“共15项，达标11项，未达标4项（第3、4、5、6项）”).
"""
from __future__ import annotations

import re

from ...core.county_result import ItemResult, PartResult
from ...schema import LEVEL_NAMES
from .findings import INPUT_NAMES, say
from .numbers import cn_brackets, fmt_yuan, fmt_growth, fmt_num, fmt_pct, fmt_plain, fmt_verdict, round_half_up

#: How each part names its items in prose (“政府保障程度第3项”).
PART_REFS = {
    "guarantee": "政府保障程度",
    "quality": "教育质量",
    "recognition": "社会认可度",
    "veto": "一票否决情形",
    "score": "评分表",
    "satisfaction": "公众满意度",
    "school_standard": "省定办学基本标准",
    "funding": "经费保障",
}
#: The 定性 answer of an item in words.
ANSWERS = {"met": "已落实", "not_met": "未落实", "na": "不适用", None: "未填写"}
#: Examples named in a table cell (the Excel sheet lists all).
SHOWN = 3
#: The quantity each money check follows.
MONEY = {
    "appropriation_vs_revenue": "教育财政拨款",
    "per_pupil_spending_rises": "生均教育财政拨款",
    "teacher_pay_rises": "教师平均工资",
    "operating_P_rises": "小学生均公用经费",
    "operating_J_rises": "初中生均公用经费",
    "budget_not_falling": "一般公共预算教育支出",
    "budget_per_pupil_not_falling": "按在校生人数平均的一般公共预算教育支出",
    "operating_base_P": "小学生均公用经费",
    "operating_base_J": "初中生均公用经费",
}


def item_number(p: PartResult, i: ItemResult) -> int:
    """The item's position in its part (1-based), i.e. its number in the method's list."""
    return next(k for k, it in enumerate(p.items, start=1) if it.id == i.id)


def item_ref(p: PartResult, i: ItemResult) -> str:
    """“政府保障程度第5项” — how the method numbers the item (never the rule pack's code)."""
    return f"{PART_REFS.get(p.code, p.name)}第{item_number(p, i)}项"


def lost_points(i: ItemResult) -> float | None:
    """Points a score-sheet item lost (points − score), None when it is not scored or undecided."""
    if i.points is None or i.score is None:
        return None
    return max(0.0, i.points - i.score)


def item_result(p: PartResult, i: ItemResult) -> tuple[str, bool | None]:
    """The 结果 cell of an item and its mark (True met, False not, None open), for the Word/HTML
    tables and the Excel 县级指标 sheet alike. A score-sheet item is not 达标/未达标 on its own
    (core.county_result.counts_in_verdict: the sheet's total decides), so it reads “满分” or
    “扣1分” (“未评分” without data); every other item fmt_verdict."""
    if p.code == "score" and i.points is not None:
        lost = lost_points(i)
        if lost is None:
            return "未评分", None
        return ("满分", True) if lost == 0 else (f"扣{fmt_plain(lost)}分", False)
    return fmt_verdict(i.passed), i.passed


def tally(p: PartResult) -> str:
    """“共15项，达标11项，未达标4项（第3、4、5、6项）”, undecided items likewise."""
    def nums(items: list[ItemResult]) -> str:
        return "第" + "、".join(str(item_number(p, i)) for i in items) + "项"
    ok = [i for i in p.items if i.passed is True]
    bad = [i for i in p.items if i.passed is False]
    open_ = [i for i in p.items if i.passed is None]
    text = f"共{len(p.items)}项，达标{len(ok)}项"
    if bad:
        text += f"，未达标{len(bad)}项（{nums(bad)}）"
    if open_:
        text += f"，暂无法判定{len(open_)}项（{nums(open_)}）"
    return text


def _n(x: float | int | None) -> str:
    return "" if x is None else fmt_plain(float(round_half_up(float(x), 2)))


def _class(name: str) -> str:
    return str(name).replace("(", "（").replace(")", "）")


def _school(r: dict) -> str:
    return r.get("name") or str(r.get("school_id", ""))


def _school_level(r: dict) -> str:
    """“均衡示例县第一小学”, or “岩脚乡九年制学校（初中）” when the name does not say the level."""
    name, level = _school(r), LEVEL_NAMES[r["level"]]
    said = ("小学", "教学点") if r["level"] == "primary" else ("中学", "初中")
    return name if name.endswith(said) else f"{name}（{level}）"


# ------------------------------------------------------------------------------------------
# one wording per check: (summary, example lines)
# ------------------------------------------------------------------------------------------

def _class_size(f: dict, rows: tuple[dict, ...]) -> tuple[str, list[str]]:
    parts = []
    for lv in ("primary", "junior"):
        n = f.get(f"classes_{lv}", 0)
        if not n:
            continue
        over, lim = f[f"over_{lv}"], fmt_plain(f[f"limit_{lv}"])
        if over:
            parts.append(f"{LEVEL_NAMES[lv]}共有教学班{n}个，其中{over}个班超过{lim}人，占{fmt_pct(over / n)}，"
                         f"涉及{f[f'schools_over_{lv}']}所学校")
        else:
            parts.append(f"{LEVEL_NAMES[lv]}{n}个教学班均不超过{lim}人")
    lines = [f"{_school_level(r)}{_class(r['class_name'])}{_n(r['size'])}人，超出{_n(r['size'] - r['limit'])}人"
             for r in rows]
    return "；".join(parts), lines


def _school_size(f: dict, rows: tuple[dict, ...]) -> tuple[str, list[str]]:
    lim = f"小学、初中不超过{fmt_plain(f['limit_single'])}人，九年一贯制、十二年一贯制学校不超过{fmt_plain(f['limit_combined'])}人"
    if f["over"]:
        head = f"全县{f['schools']}所学校中，{f['over']}所规模超过标准（{lim}）"
    else:
        head = f"全县{f['schools']}所学校规模均未超过标准（{lim}），最大规模{f['largest']}人"
    lines = [f"{_school(r)}义务教育阶段在校生{r['students']}人，超出{_n(r['students'] - r['limit'])}人" for r in rows]
    return head, lines


def _music_art(f: dict, rows: tuple[dict, ...]) -> tuple[str, list[str]]:
    per = fmt_plain(f["classes_per_room"])
    if f["short"]:
        head = f"{f['schools']}所学校中，{f['short']}所音乐、美术专用教室未达到每{per}个班级各1间"
    else:
        head = f"{f['schools']}所学校均按每{per}个班级配备音乐、美术专用教室各1间以上"
    lines = []
    for r in rows:
        have = "、".join(f"{what}{r[k]}间" for what, k in (("音乐专用教室", "music_rooms"), ("美术专用教室", "art_rooms")))
        lines.append(f"{_school(r)}{r['classes']}个班，应配音乐、美术专用教室各{r['need']}间，现有{have}")
    return head, lines


def _small_school(f: dict, rows: tuple[dict, ...]) -> tuple[str, list[str]]:
    m = f["min_students"]
    if f["short"]:
        head = f"不足{m}名学生的学校{f['small']}所，其中{f['short']}所未按{m}名学生核定公用经费"
    else:
        head = f"不足{m}名学生的学校{f['small']}所，均按{m}名学生核定公用经费"
    # the standard per pupil (基准定额, before any boarders' supplement; a mixed-level school's is
    # the pupil-weighted mean of the two levels'), 2 decimals as the 基准定额 table writes money per pupil
    lines = [f"{_school(r)}在校生{r['students']}人，公用经费{_n(r['funds'])}元，按{m}名学生、每生{fmt_yuan(r['need'] / m)}元"
             f"（基准定额）核定应为{_n(r['need'])}元，低{_n(r['need'] - r['funds'])}元" for r in rows]
    return head, lines


def money_line(r: dict) -> str:
    """One failing year of a money check: “2022年教育财政拨款增长率低于财政经常性收入增长率1.13个百分点”."""
    what = MONEY.get(r["check"], "")
    if r["check"] == "appropriation_vs_revenue" and r.get("margin") is not None:
        return f"{r['year']}年教育财政拨款增长率低于财政经常性收入增长率{_n(abs(r['margin']))}个百分点"
    if r["check"].startswith("operating_base") and r.get("margin") is not None:
        return f"{r['year']}年{what}低于基准定额{_n(abs(r['margin']))}元"
    g = r.get("growth")
    if g is None:
        return f"{r['year']}年{what}未达到要求"
    return f"{r['year']}年{what}" + (f"比上年下降{fmt_growth(abs(g))}" if g < 0 else "与上年持平" if g == 0 else
                                     f"仅比上年增长{fmt_growth(g)}")


def _money(f: dict, rows: tuple[dict, ...]) -> tuple[str, list[str]]:
    return "", [money_line(r) for r in rows]


#: What the failures of a check are counted in (“（以上为其中3个班，共430个班）”).
COUNTED = {"class_size": "个班", "school_size": "所", "music_art_rooms": "所", "small_school_funding": "所"}

WORDINGS = {"class_size": _class_size, "school_size": _school_size, "music_art_rooms": _music_art,
            "small_school_funding": _small_school, "funding_growth": _money}

# ------------------------------------------------------------------------------------------
# the document register of the other findings (no signs, no formulas, directions stated)
# ------------------------------------------------------------------------------------------

def _name(code: str) -> str:
    return INPUT_NAMES.get(code, code)


def _rates(a: dict) -> str:
    bound = "不高于" if a["at_most"] else "不低于"
    parts = [f"{_name(r['input'])}{_n(r['value'])}%（标准为{bound}{fmt_plain(r['threshold'])}%）" for r in a["rates"]]
    return "；".join(parts + [f"未填写{_name(m)}" for m in a["missing"]])


def _rotation(a: dict) -> str:
    text = (f"符合交流条件教师{fmt_plain(a['eligible'])}人，交流轮岗{fmt_plain(a['rotated'])}人，占{_n(a['rate'])}%"
            f"（标准为不低于{fmt_plain(a['min_rotated'])}%）")
    if a.get("backbone_missing"):
        text += "；未填写交流轮岗中骨干教师数"
    if a.get("share") is not None:
        text += (f"；其中骨干教师{fmt_plain(a['backbone'])}人，占{_n(a['share'])}%"
                 f"（标准为不低于{fmt_plain(a['min_backbone'])}%）")
    return text


def _recognition(a: dict) -> str:
    groups = "、".join(f"{g['group'] or '合计'}{_n(g['rate'])}%" for g in a["groups"])
    return (f"有效问卷{fmt_plain(a['valid'])}份，满意率{_n(a['rate'])}%（标准为不低于{fmt_plain(a['min'])}%）"
            + (f"；{groups}" if groups else ""))


def _base_summary(a: dict) -> str:
    verdicts = list(a["checks"].values())
    if all(v is True for v in verdicts):
        text = "小学、初中生均公用经费各年度均不低于基准定额"
    else:
        text = "；".join(f"{MONEY[c]}{ {True: '不低于基准定额', False: '低于基准定额', None: '暂无法判定'}[v]}"
                        for c, v in a["checks"].items())
    return text + "".join(f"（{official(n)}）" for n in a["why"])


def _growth_summary(a: dict) -> str:
    text = f"近{a['window']}年（{a['first']}—{a['last']}年）"
    text += f"“三个增长”有{a['failed']}项次未实现" if a["failed"] else "“三个增长”均已实现"
    if a["undecided"]:
        text += f"，{a['undecided']}项次数据不全" + (f"（{'；'.join(sorted(official(n) for n in a['columns']))}）"
                                                 if a["columns"] else "")
    if a["zero"]:
        text += "，教育财政拨款年均负增长"
    return text + "".join(f"；{official(n)}" for n in a["notes"])


def _funding_rule(a: dict) -> str:
    if a["passed"] is not None:
        return "各年度均达到要求" if a["passed"] else ""   # a failed check: its years say it
    return "暂无法判定：" + ("；".join(official(n) for n in a["why"]) if a["why"] else "没有可比较的年度")


def _units(a: dict) -> str:
    rule = f"{a['indicators']}项中至少{a['min_met']}项达标、其余不低于标准的{fmt_pct(a['floor_ratio'], 0)}"
    if a["failed"]:
        return f"{a['units']}个单位中，{a['failed']}个未达到“{rule}”的要求"
    return f"{a['units']}个单位均达到“{rule}”的要求"


def _standard(a: dict) -> str:
    head = f"省定标准为小学不低于{fmt_plain(a['primary'])}{a['unit']}、初中不低于{fmt_plain(a['junior'])}{a['unit']}"
    return head + (f"，{a['below']}个单位未达到" if a["below"] else "，所有单位均已达到")


#: code → the sentence of a finding in the documents; a code not here is said as the JSON says it
#: (findings.say) with comparison signs and digit spacing taken out (:func:`plain`).
OFFICIAL = {
    "rates.measured": _rates,
    "rates.off": lambda a: (f"{_name(a['input'])}{_n(a['value'])}%，{'高于' if a['at_most'] else '低于'}"
                            f"{fmt_plain(a['threshold'])}%的标准"),
    "rotation.measured": _rotation,
    "rotation.rate_below": lambda a: f"交流轮岗比例{_n(a['rate'])}%，低于{fmt_plain(a['min_rotated'])}%的标准",
    "rotation.backbone_below": lambda a: (f"骨干教师占交流轮岗教师的{_n(a['share'])}%，"
                                          f"低于{fmt_plain(a['min_backbone'])}%的标准"),
    "recognition.measured": _recognition,
    "recognition.below": lambda a: f"满意率{_n(a['rate'])}%，低于{fmt_plain(a['min'])}%的标准",
    "special_funding.measured": lambda a: (f"特殊教育学校生均公用经费{_n(a['value'])}元"
                                           f"（标准为不低于{fmt_plain(a['min_yuan'])}元）"),
    "special_funding.below": lambda a: f"低于标准{_n(a['min_yuan'] - a['value'])}元",
    "teacher_pay.measured": lambda a: (f"{a['year']}年教师平均工资{_n(a['teacher'])}元，公务员平均工资{_n(a['civil'])}元"
                                       f"（教师平均工资为公务员的{round_half_up(a['ratio'], 4)}倍，"
                                       f"标准为不低于{fmt_plain(a['min_ratio'])}倍）"),
    "teacher_pay.below": lambda a: f"{a['year']}年教师平均工资低于当地公务员平均工资",
    "operating_base.summary": _base_summary,
    "operating_base.below": lambda a: (f"{a['year']}年{MONEY[a['check']]}{_n(a['value'])}元，"
                                       f"低于基准定额{_n(a['reference'] - a['value'])}元"),
    "funding_growth.summary": _growth_summary,
    "funding.rule": _funding_rule,
    "balance.composite": lambda a: ("综合差异系数无法计算" if a["cv"] is None else
                                    f"综合差异系数为{fmt_num(a['cv'])}（标准为不高于{fmt_num(a['threshold'], 2)}）"),
    "balance.indicators": lambda a: (f"{a['indicators']}项指标差异系数中，{a['over']}项高于{fmt_num(a['threshold'], 2)}"
                                     if a["over"] else
                                     f"{a['indicators']}项指标差异系数均不高于{fmt_num(a['threshold'], 2)}"),
    "balance.indicator_over": lambda a: (f"{cn_brackets(a['name'])}差异系数为{fmt_num(a['cv'])}，"
                                         f"高于{fmt_num(a['threshold'], 2)}的标准"),
    "units.summary": _units,
    "units.failed": lambda a: f"{_school_level(a)}{a['indicators']}项中达标{a['met_count']}项",
    "school_standard.summary": _standard,
    "school_standard.none": lambda a: "尚未对照本省办学基本标准核定，须按本省标准逐校核实",
    "school_standard.below": lambda a: (f"{_school_level(a)}为{fmt_num(a['value'])}{a.get('unit', '')}，"
                                        f"低于{fmt_plain(a['minimum'])}{a.get('unit', '')}的标准"),
    "qualitative.not_met": lambda a: "该项工作未落实",
    "veto.present": lambda a: "存在该情形",
}

_SPACING = re.compile(r"(?<=[\u4e00-\u9fff）])[ \u00a0]+(?=[\d（])|(?<=[\d%）])[ \u00a0]+(?=[\u4e00-\u9fff（])")
_SIGNS = [(re.compile(r"（≥ ?([\d.]+%?)）"), r"（标准为不低于\1）"), (re.compile(r"（≤ ?([\d.]+%?)）"), r"（标准为不高于\1）"),
          (re.compile(r"([\d.]+%?) < ([\d.]+%?)"), r"\1，低于\2"), (re.compile(r"([\d.]+%?) > ([\d.]+%?)"), r"\1，超出标准\2")]


def plain(text: str) -> str:
    """A JSON line for the documents: comparison signs in words, no spaces between digits and
    Chinese. Used only for findings without a document wording (:data:`OFFICIAL`): notes on
    missing data, which carry no criterion."""
    for pat, rep in _SIGNS:
        text = pat.sub(rep, text)
    return _SPACING.sub("", text)


def official(f) -> str:
    """A finding (or an already worded string) in the documents' register."""
    if f is None:
        return ""
    if isinstance(f, str):
        return plain(f)
    fn = OFFICIAL.get(f.code)
    if fn is None:
        return plain(say(f))
    note = f.args.get("note")
    return fn(f.args) + (f"；{official(note)}" if note is not None and f.code != "item.note" else "")


def _worded(i: ItemResult) -> tuple[str, list[str]]:
    """(summary, one line per failure) of an item: from facts and rows where this module words
    the check, else the core's summary made plain."""
    fn = WORDINGS.get(i.check)
    if fn is not None and (i.facts or i.rows):
        head, lines = fn(i.facts, i.rows)
        if i.check == "funding_growth" and not head:
            f = i.facts
            head = (f"近{f['years']}年“三个增长”有{f['failed']}项次未实现" if f.get("failed") else official(i.detail))
            if f.get("zero"):
                head += "，教育财政拨款年均负增长"
        return head, lines
    if i.part == "funding" and i.rows:
        return "", [money_line(r) for r in i.rows]
    return official(i.detail), [official(x) for x in i.failures]


def _evidence(i: ItemResult) -> str:
    if i.kind == "computed":
        return ""
    if i.answer is None:
        return "【请填写：该项工作落实情况及佐证材料】"
    text = {"met": "", "na": "本县不适用", "not_met": "未落实"}.get(i.answer, "")
    if i.evidence:
        text += ("，" if text else "") + f"佐证材料：{i.evidence}"
    return text


def situation(i: ItemResult, shown: int = SHOWN) -> str:
    """The 情况 cell: summary, up to ``shown`` failure lines (then “等N处”), the 定性 evidence and
    the notes, one a line; no formulas, directions stated."""
    head, lines = _worded(i)
    out = [head] if head else []
    out += lines[:shown]
    if len(lines) > shown:
        unit = COUNTED.get(i.check, "处")
        out.append(f"（以上为其中{shown}{unit}，共{_total(i, lines)}{unit}）")
    ev = _evidence(i)
    if ev:
        out.append(ev)
    out += [f"注：{official(n)}" for n in i.notes]
    return "\n".join(out)


def _total(i: ItemResult, lines: list[str]) -> int:
    """The real number of failures: the facts' total where the check counts one (never the
    length of a capped list)."""
    f = i.facts
    for key in ("over", "short", "failed"):
        if isinstance(f.get(key), int) and f[key] >= len(lines):
            return f[key]
    return max(len(lines), len(i.rows))


def problem(i: ItemResult, shown: int = SHOWN) -> str:
    """What is wrong with a failing item, as one clause (no final 。): the summary with totals,
    then up to ``shown`` examples (“如…”)."""
    head, lines = _worded(i)
    text = head
    if lines:
        eg = "；".join(lines[:shown]) + ("等" if len(lines) > shown else "")
        text = f"{text}，如{eg}" if text else eg
    return text or "未达到要求"
