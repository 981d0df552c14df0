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
from .numbers import fmt_count, fmt_num, fmt_pct, fmt_wan


def _target(rules: RulePack) -> str:
    if rules.unit_rule is not None:
        return "每所学校达到单校标准、各项指标校际差异系数均达到要求"
    extra = "并达到省定办学基本标准" if rules.school_standard is not None else ""
    return f"小学、初中综合差异系数达到要求{extra}"


def _versus_fill(rules: RulePack) -> str:
    """Why the total differs from 下一步工作's 补足资源测算 (same model, plan/fill.py; other targets)."""
    rule = rules.unit_rule
    if rule is not None:
        n = len(rules.indicators)
        how = (f"本节按评估办法的达标条件（单校{n}项指标中至少{rule.min_met}项达到标准、其余不低于标准的"
               f"{fmt_pct(rule.floor_ratio, 0)}）测算，")
        fill = "所列单位每项未达标指标都补到标准"
    else:
        how = "本节以综合差异系数达到要求为目标测算，"
        fill = "最薄弱学校低于全县平均水平的指标补到平均水平"
    return f"{how}与下一步工作中的补足资源测算（{fill}）目标不同，两者采用同一测算模型。"


def _wan(yuan: float) -> str:
    return fmt_wan(yuan).replace("万元", "")


def quantity_text(code: str, qty: float) -> str:
    """A quantity with its unit (plan/items.py): “320㎡”, “12台”, “3人”; an equipment value in 万元."""
    from ...plan.items import ITEMS

    unit = ITEMS[code].unit
    return fmt_wan(qty) if unit == "元" else f"{fmt_count(qty)}{unit}"


def plan_section(s: PlanSummary, rules: RulePack, n: Numbering) -> list[Block]:
    """The section's blocks (a level-1 heading, paragraphs, the items table, the curve figure)."""
    out: list[Block] = [Heading("填平补齐测算", 1)]
    target = _target(rules)
    out.append(Para(f"按照“填平补齐”原则，以本次评估数据为基础，逐校测算使{target}所需的最少投入。"
                    "测算方案已代入评估办法重新计算，以下实施后的结果均为重新计算所得。"))
    if s.status == "infeasible":
        out.append(Para(f"在现有建设用地和编制等限额内，无法通过新增投入实现上述目标（受{s.blocking}项限额约束），"
                        "需在布局调整、学校撤并或限额调整后重新测算。"))
        return out
    if s.total_yuan <= 0:
        out.append(Para(f"按现有数据，全县已{target}，无需新增投入。"))
        return out
    quality = "经测算为最少投入" if s.status == "optimal" else f"与理论最少投入相差不超过{fmt_pct(s.gap, 1)}"
    out.append(Para(f"测算需一次性投入{fmt_wan(s.capital_yuan)}，每年新增经常性支出（新增教师工资、津贴等）"
                    f"{fmt_wan(s.recurring_yuan_per_year)}，经常性支出按{s.years}年计，合计{fmt_wan(s.total_yuan)}"
                    f"（{quality}）。" + _versus_fill(rules)))
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
    if s.ratio_before is not None and s.ratio_after is not None:
        effect.append(f"差异系数与标准之比的最大值由{fmt_num(s.ratio_before)}降至{fmt_num(s.ratio_after)}"
                      "（不大于1即各项差异系数均达到要求）")
    verdict = "达标" if s.passed_after else "未达标"
    effect.append(f"资源配置评估结论由{'达标' if s.passed_before else '未达标'}变为{verdict}" if s.passed_before != s.passed_after
                  else f"资源配置评估结论为{verdict}")
    out.append(Para("实施后，" + "，".join(effect) + "。"))
    if s.chart_png and len(s.curve) > 1:
        mid = s.curve[len(s.curve) // 2]
        what = f"最多可使{mid[1]}个学校（单位）达标，" if s.failing_before is not None else ""
        out.append(Para(f"按0至{fmt_wan(s.curve[-1][0])}分{len(s.curve)}档预算分别测算，曲线给出各档预算下最多能达标的"
                        f"学校（单位）数和可达到的最小差异系数比（两者分别测算），可据此安排分年度投入。"
                        f"例如，投入{fmt_wan(mid[0])}时，{what}差异系数比最低可降至{fmt_num(mid[2])}。"))
        out.append(Figure(s.chart_png, n.f(s.chart_caption), 140.0))
    if s.unit_costs_assumed:
        out.append(Para("注：测算单价为参考价，部分为估算值，实施前须按本县实际招标价格和编制政策核定。", note=True))
    return out


def plan_note(s: PlanSummary) -> str:
    """The 说明 file's line about the plan section."""
    if math.isfinite(s.gap) and s.status == "feasible":
        return f"填平补齐测算为可行方案（与理论下界相差不超过{fmt_pct(s.gap, 2)}），明细清单请用 junheng plan --format xlsx 生成。"
    return "填平补齐测算的明细清单（采购/建设清单）请用 junheng plan --format xlsx 生成。"
