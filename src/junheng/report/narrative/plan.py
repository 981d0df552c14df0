"""The 填平补齐测算 section of the 自评报告 (``junheng report … --plan``): what full compliance
costs (capital and recurring apart), what it achieves (before → after, as re-assessed by the
engine) and the cost–compliance curve. Wording only; the numbers come from plan/summary.py."""
from __future__ import annotations

import math

from ...plan.summary import PlanSummary
from ...plan.text import ACTIONS, ITEM_NAMES
from ...rules.loader import RulePack
from ..narrative.blocks import Block, Figure, Heading, Para, Table
from .common import Numbering
from ...schema import LEVEL_NAMES
from .numbers import cn_brackets, fmt_count, fmt_num, fmt_pct, fmt_wan


def _target(rules: RulePack) -> str:
    if rules.unit_rule is not None:
        return "每所学校达到单校标准、各项指标校际差异系数均达到要求"
    extra = "并达到省定办学基本标准" if rules.school_standard is not None else ""
    return f"小学、初中综合差异系数达到要求{extra}"


def _reached(rules: RulePack) -> str:
    """The target of :func:`_target` as already reached (“全县……已达到要求”)."""
    if rules.unit_rule is not None:
        return "全县每所学校已达到单校标准，各项指标校际差异系数均已达到要求"
    extra = "，各校已达到省定办学基本标准" if rules.school_standard is not None else ""
    return f"全县小学、初中综合差异系数已达到要求{extra}"


def _versus_fill(rules: RulePack, fill_listed: bool) -> str:
    """What this section answers and, when 下一步工作 lists one, what its 补足资源测算 answers
    (same model, plan/fill.py; other targets, so other totals)."""
    rule = rules.unit_rule
    if rule is not None:
        n = len(rules.indicators)
        fill = "补齐每所学校未达标的指标"
        how = (f"使全县整体达到评估要求（单校{n}项指标中至少{rule.min_met}项达到标准、其余不低于标准的"
               f"{fmt_pct(rule.floor_ratio, 0)}，且各项指标校际差异系数均达到要求）的最少投入")
    else:
        fill = "使各薄弱学校低于全县平均水平的指标达到全县平均水平"
        how = "使全县小学、初中综合差异系数达到要求的最少投入"
    text = f"本项测算的是{how}。"
    if fill_listed:
        text += (f"上述“补齐办学条件短板”中的补足资源测算，是{fill}所需的投入，"
                 "两者测算目标不同，所需投入也不同，采用同一测算模型。")
    return text


def _worst_text(s: PlanSummary) -> str | None:
    """The CV farthest above its standard before and after the plan, named (PlanSummary.worst)."""
    if s.worst is None or s.ratio_after is None:
        return None
    level, name, thr, before, after = s.worst
    name = cn_brackets(name)
    what = f"{LEVEL_NAMES[level]}{name}" if name.endswith("差异系数") else f"{LEVEL_NAMES[level]}{name}差异系数"
    move = "降至" if after <= before else "变为"
    head = f"超出标准最多的{what}" if before > thr else what
    tail = "各项差异系数均达到要求" if s.ratio_after <= 1 else "仍有差异系数未达到要求"
    return f"{head}由{fmt_num(before)}{move}{fmt_num(after)}（标准为不高于{fmt_num(thr, 2)}），{tail}"


def _wan(yuan: float) -> str:
    return fmt_wan(yuan).replace("万元", "")


def quantity_text(code: str, qty: float) -> str:
    """A quantity with its unit (plan/items.py): “320㎡”, “12台”, “3人”; an equipment value in 万元."""
    from ...plan.items import ITEMS

    unit = ITEMS[code].unit
    return fmt_wan(qty) if unit == "元" else f"{fmt_count(qty)}{unit}"


def plan_section(s: PlanSummary, rules: RulePack, n: Numbering, fill_listed: bool = False) -> list[Block]:
    """The section's blocks (a level-1 heading, paragraphs, the items table, the curve figure).
    fill_listed: 下一步工作 lists a 补足资源测算 (then “no investment” is said to be beyond it)."""
    out: list[Block] = [Heading("填平补齐测算", 1)]
    target = _target(rules)
    out.append(Para(f"按照“填平补齐”原则，以本次评估数据为基础，逐校测算使{target}所需的最少投入。"))
    if s.status == "infeasible":
        out.append(Para(f"在现有建设用地和编制等限额内，无法通过新增投入实现上述目标（受{s.blocking}项限额约束），"
                        "需在布局调整、学校撤并或限额调整后重新测算。"))
        return out
    if s.total_yuan <= 0:
        beyond = "除上述补足资源测算外，无需为此另行新增投入" if fill_listed else "无需新增投入"
        out.append(Para(f"按现有数据，{_reached(rules)}，{beyond}。"))
        return out
    quality = "经测算为最少投入" if s.status == "optimal" else f"测算结果接近最低投入，误差不超过{fmt_pct(s.gap, 1)}"
    out.append(Para(f"测算需一次性投入{fmt_wan(s.capital_yuan)}，每年新增经常性支出（新增教师工资、津贴等）"
                    f"{fmt_wan(s.recurring_yuan_per_year)}，经常性支出按{s.years}年计，合计{fmt_wan(s.total_yuan)}"
                    f"（{quality}）。" + _versus_fill(rules, fill_listed)))
    rows = []
    for action, code, schools, qty, amount, recurring in s.items:
        rows.append([ACTIONS[action], ITEM_NAMES[code], fmt_count(schools), quantity_text(code, qty), _wan(amount),
                     "每年" if recurring else "一次性"])
    rows.append(["小计", "一次性投入", "", "", _wan(s.capital_yuan), "一次性"])
    rows.append(["小计", "经常性支出", "", "", _wan(s.recurring_yuan_per_year), "每年"])
    rows.append(["合计", f"经常性支出按{s.years}年计", "", "", _wan(s.total_yuan), ""])
    out.append(Table(["措施", "项目", "学校数", "数量", "金额（万元）", "类别"], rows,
                     n.t("填平补齐投入测算（按项目汇总）"), [1.0, 2.6, 0.9, 1.5, 1.6, 0.8], bold_last=True, left=(1,)))
    effect = []
    if s.failing_before is not None:
        effect.append(f"未达到单校标准的学校（单位）由{s.failing_before}个减少为{s.failing_after}个")
    worst = _worst_text(s)
    if worst:
        effect.append(worst)
    verdict = "达标" if s.passed_after else "未达标"
    effect.append(f"资源配置评估结论由{'达标' if s.passed_before else '未达标'}变为{verdict}" if s.passed_before != s.passed_after
                  else f"资源配置评估结论为{verdict}")
    out.append(Para("按上述测算方案实施后，经代入评估办法重新计算，" + "，".join(effect) + "。"))
    if s.chart_png and len(s.curve) > 1:
        mid = s.curve[len(s.curve) // 2]
        units = s.failing_before is not None
        what = "最多能使多少个学校（单位）达标，以及" if units else ""
        apart = "；两项分别测算，不一定能同时实现" if units else ""
        example = f"最多可使{mid[1]}个学校（单位）达标，" if units else ""
        out.append(Para(f"为便于分年度安排投入，另按{len(s.curve)}种投入规模（从不新增投入到投入{fmt_wan(s.curve[-1][0])}）"
                        f"分别测算：每种投入规模下{what}各项差异系数中相对标准最高的一项最低能降到标准的几倍"
                        f"（不大于1倍即各项差异系数均达到要求{apart}），结果见下图。"
                        f"例如，投入{fmt_wan(mid[0])}时，{example}该项最低可降到标准的{fmt_num(mid[2])}倍。"))
        out.append(Figure(s.chart_png, n.f(s.chart_caption), 140.0))
    if s.unit_costs_assumed:
        out.append(Para("注：测算单价为参考价，部分为估算值，实施前须按本县实际招标价格和编制政策核定。", note=True))
    return out


def plan_note(s: PlanSummary) -> str:
    """The 说明 file's line about the plan section."""
    if math.isfinite(s.gap) and s.status == "feasible":
        return f"填平补齐测算为可行方案（与理论下界相差不超过{fmt_pct(s.gap, 2)}），明细清单请用 junheng plan --format xlsx 生成。"
    return "填平补齐测算的明细清单（采购/建设清单）请用 junheng plan --format xlsx 生成。"
