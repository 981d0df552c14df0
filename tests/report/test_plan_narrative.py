"""The 填平补齐测算 section of the 自评报告 as a fresh reader meets it (report/narrative/plan.py):
where it sits (inside 下一步工作, before the closing sentence), what it says when nothing is
needed, what its total answers against the 补足资源测算, and plain words for its numbers."""
from __future__ import annotations

import pytest

from junheng.plan.summary import PlanSummary
from junheng.report.narrative.blocks import Heading, Para
from junheng.report.narrative.common import Numbering
from junheng.report.narrative.plan import plan_section
from junheng.report.narrative.report import CLOSING, report_blocks
from junheng.rules import load_rules


def _summary(**kw) -> PlanSummary:
    base = dict(county_key="529901", status="optimal", gap=0.0, years=3, capital_yuan=0.0,
                recurring_yuan_per_year=0.0, total_yuan=0.0, items=(), failing_before=None, failing_after=None,
                passed_before=True, passed_after=True, ratio_before=0.9, ratio_after=0.9, units=10)
    return PlanSummary(**(base | kw))


def _text(blocks) -> str:
    return "".join(b.text for b in blocks if isinstance(b, Para))


def test_the_section_comes_before_the_closing_sentence(assessment, sample_table, checks):
    c = assessment.counties[0]
    blocks = report_blocks(assessment, c, {}, table=sample_table, checks=checks, plan=_summary())
    (head,) = [k for k, b in enumerate(blocks) if isinstance(b, Heading) and b.text.endswith("填平补齐测算")]
    ends = [k for k, b in enumerate(blocks) if isinstance(b, Para) and b.text == CLOSING]
    assert len(ends) == 1 and head < ends[0]  # the report ends once, after the plan
    assert blocks[head].level == 2 and blocks[head].text.startswith("（")  # a section of 下一步工作
    steps = max(k for k, b in enumerate(blocks[:head]) if isinstance(b, Heading) and b.level == 1)
    assert blocks[steps].text.endswith("下一步工作")


def test_a_county_already_passing_needs_nothing_beyond_the_fill():
    basic = load_rules("basic-2012")
    text = _text(plan_section(_summary(), basic, Numbering(), fill_listed=True))
    assert "全县小学、初中综合差异系数已达到要求，除上述补足资源测算外，无需为此另行新增投入。" in text
    assert "全县已小学" not in text and "以下实施后" not in text  # no promise of results not given
    alone = _text(plan_section(_summary(), basic, Numbering(), fill_listed=False))
    assert "全县小学、初中综合差异系数已达到要求，无需新增投入。" in alone
    quality = _text(plan_section(_summary(), load_rules("quality-2017"), Numbering()))
    assert "全县每所学校已达到单校标准，各项指标校际差异系数均已达到要求，无需新增投入。" in quality


def test_the_total_says_what_it_answers_in_plain_words():
    rules = load_rules("quality-2017")
    s = _summary(status="feasible", gap=0.072, capital_yuan=1.0e8, recurring_yuan_per_year=1.0e7, total_yuan=1.3e8,
                 failing_before=71, failing_after=0, passed_before=False, ratio_before=2.008, ratio_after=0.997,
                 worst=("primary", "生均教学及辅助用房面积", 0.5, 1.004, 0.4985),
                 curve=tuple((k * 1.3e7, 10 * k, 2.0 - 0.1 * k) for k in range(10)), chart_png=b"\x89PNG",
                 chart_caption="填平补齐投入与达标情况（投入—达标曲线）")
    text = _text(plan_section(s, rules, Numbering(), fill_listed=True))
    assert "（测算结果接近最低投入，误差不超过7.2%）" in text and "理论最少投入" not in text
    assert "上述“补齐办学条件短板”中的补足资源测算，是补齐每所学校未达标的指标所需的投入，" in text
    assert "本项测算的是使全县整体达到评估要求（单校7项指标中至少6项达到标准、其余不低于标准的85%，" \
           "且各项指标校际差异系数均达到要求）的最少投入。" in text
    assert ("按上述测算方案实施后，经代入评估办法重新计算，未达到单校标准的学校（单位）由71个减少为0个，"
            "超出标准最多的小学生均教学及辅助用房面积差异系数由1.004降至0.499（标准为不高于0.50），"
            "各项差异系数均达到要求，") in text
    assert "之比的最大值" not in text and "档" not in text and "2.008" not in text
    assert "另按10种投入规模（从不新增投入到投入11700.00万元）分别测算" in text
    assert "（不大于1倍即各项差异系数均达到要求；两项分别测算，不一定能同时实现），结果见下图。例如，投入6500.00万元时，最多可使50个学校（单位）达标，该项最低可降到标准的1.500倍。" in text


@pytest.mark.parametrize("pack, fill", [("basic-2012", "使各薄弱学校低于全县平均水平的指标达到全县平均水平"),
                                        ("quality-2017", "补齐每所学校未达标的指标")])
def test_both_packs_name_the_two_targets(pack, fill):
    s = _summary(status="optimal", capital_yuan=1.0e6, total_yuan=1.0e6, passed_before=False, ratio_before=1.2,
                 ratio_after=0.98, worst=("junior", "综合差异系数", 0.55, 0.66, 0.539))
    text = _text(plan_section(s, load_rules(pack), Numbering(), fill_listed=True))
    assert f"上述“补齐办学条件短板”中的补足资源测算，是{fill}所需的投入，" in text
    assert "两者测算目标不同，所需投入也不同，采用同一测算模型。" in text
    if pack == "basic-2012":
        assert "超出标准最多的初中综合差异系数由0.660降至0.539（标准为不高于0.55）" in text


def test_the_fill_sentence_says_its_target_once(assessment, sample_table, checks):
    c = assessment.counties[0]
    text = _text(report_blocks(assessment, c, {}, table=sample_table, checks=checks))
    goal = ("补齐每所学校未达到单校标准的指标" if assessment.rules.unit_rule is not None
            else "使各薄弱学校低于全县平均水平的指标达到全县平均水平")
    assert f"经逐校测算，{goal}，共需增加" in text
    assert "全部达到全县平均水平" not in text and "各项未达到" not in text
