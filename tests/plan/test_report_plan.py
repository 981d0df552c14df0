"""``junheng report … --plan``: the 填平补齐测算 section of the 自评报告 (docs/plan.md §12)."""
from __future__ import annotations

from junheng.plan.costs import Limits
from junheng.plan.run import plan
from junheng.plan.summary import summaries
from junheng.report.narrative.blocks import Annex, Figure, Heading, Para, Table
from junheng.report.narrative.report import CLOSING, report_blocks
from tests.core.helpers import table
from tests.plan.test_budget import ROWS


def _section(blocks):
    k = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text.endswith("填平补齐测算"))
    end = next((i for i in range(k + 1, len(blocks))
                if isinstance(blocks[i], Annex) or isinstance(blocks[i], Heading) and blocks[i].level <= 2 or isinstance(blocks[i], Para) and blocks[i].text == CLOSING), len(blocks))
    return blocks[k:end]


def test_the_section_says_cost_effect_and_shows_the_curve(quality, costs):
    # ROWS: a room (30 000), 150 ㎡ of ground (45 000) and a PE teacher (80 000 a year × 3) → 315 000 元
    t = table(ROWS)
    p = plan(t, quality, costs, Limits(), objective="curve", points=4)
    s = summaries(p)[p.counties[0].county_key]
    assert (s.capital_yuan, s.recurring_yuan_per_year, s.total_yuan) == (75_000, 80_000, 315_000)
    assert (s.failing_before, s.failing_after, s.passed_after) == (3, 0, True)
    assert [pt[1] for pt in s.curve] == [1, 3, 3, 4] and s.chart_png.startswith(b"\x89PNG")
    blocks = report_blocks(p.before, p.before.counties[0], {}, table=t, plan=s)
    sec = _section(blocks)
    text = "".join(b.text for b in sec if isinstance(b, Para))
    assert "单校7项指标中至少6项达到标准、其余不低于标准的85%" in text and "两者测算目标不同，所需投入也不同，采用同一测算模型" in text
    assert "一次性投入7.50万元" in text and "每年新增经常性支出（新增教师工资、津贴等）8.00万元" in text
    assert "按3年计，合计31.50万元（经测算为最少投入）" in text
    assert "经代入评估办法重新计算，未达到单校标准的学校（单位）由3个减少为0个" in text and "由未达标变为达标" in text
    (tab,) = [b for b in sec if isinstance(b, Table)]
    assert [r[4] for r in tab.rows[-3:]] == ["7.50", "8.00", "31.50"] and tab.rows[-1][0] == "合计"
    assert {r[1] for r in tab.rows[:-3]} == {"网络多媒体教室", "运动场地", "体育教师"}
    assert {r[1]: r[3] for r in tab.rows[:-3]} == {"网络多媒体教室": "1间", "运动场地": "150㎡", "体育教师": "1人"}
    (fig,) = [b for b in sec if isinstance(b, Figure)]
    assert fig.png == s.chart_png and "投入—达标曲线" in fig.caption
    assert not any(isinstance(b, Heading) and "填平补齐" in b.text for b in report_blocks(
        p.before, p.before.counties[0], {}, table=t))  # without --plan: no section


def test_a_county_that_passes_needs_nothing(quality, costs):
    from tests.core.helpers import full, school

    t = table([school("5200000001", **full(100, 1.0)), school("5200000002", **full(100, 1.0))])
    p = plan(t, quality, costs, Limits(), objective="curve", points=4)
    s = summaries(p)[p.counties[0].county_key]
    assert s.total_yuan == 0 and len(s.curve) == 1 and s.chart_png == b""
    sec = _section(report_blocks(p.before, p.before.counties[0], {}, table=t, plan=s))
    assert any("无需新增投入" in b.text for b in sec if isinstance(b, Para))
    assert not any(isinstance(b, (Table, Figure)) for b in sec)
