"""补足资源测算 (plan/fill.py): the report's per-school quantities come from the planner's model.

A nine-year school buys once for both sections (the engine's split, not one purchase per unit), the
quantities re-assess as claimed (the unchanged engine: every listed unit reaches its targets) and
are the least whole quantities (one less of any need leaves a gap open)."""
from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from junheng.core.assess import assess
from junheng.plan.costs import Limits
from junheng.plan.fill import fills, select_gaps
from junheng.plan.model import build_models
from junheng.plan.verify import apply_actions
from junheng.rules import load_rules
from tests.core.helpers import full, school, table


def _nine_year():
    # 312 with 100 + 100 pupils: the engine gives the primary section 100/210 of the school's area,
    # the junior section 110/210 (1 : 1.1, docs/rules.md §3). 600 ㎡: 2.857 and 3.143 ㎡ per pupil.
    row = school("5200000001", 312, **full(100, 1.0, section="P"),
                 **{k: v for k, v in full(100, 1.0, section="J").items() if k.endswith("_J")})
    row.update(teaching_area_m2=600, multimedia_rooms=10, equipment_value_yuan=600000)
    return row


def test_nine_year_school_short_in_both_sections_builds_once(costs):
    # Both units must reach 4.5 / 5.8 ㎡: primary T·100/210/100 ≥ 4.5 → T ≥ 945; junior
    # T·110/210/100 ≥ 5.8 → T ≥ 1107.27 → 1108: build 508 ㎡ once. (Per unit, as the report used
    # to: (4.5 − 2.857)·100 + (5.8 − 3.143)·100 = 165 + 266 = 431 ㎡ — too little and counted twice.)
    t = table([_nine_year()])
    rules = load_rules("quality-2017")
    f = fills(t, rules, costs)["529901"]
    assert {(g.level, g.code) for g in f.gaps} >= {("primary", "teaching_area_per_student"),
                                                  ("junior", "teaching_area_per_student")}
    area = [n for n in f.needs if n.cost_item == "teaching_area_m2"]
    assert len(area) == 1 and area[0].quantity == 1108 - 600 and area[0].levels == ("primary", "junior")
    assert area[0].text == "教学及辅助用房508㎡" and area[0].amount_yuan == 508 * 3000
    after = assess(apply_actions(t, list(f.actions)), rules).units
    for g in f.gaps:  # the unchanged engine: every gap listed is filled
        assert after.filter(pl.col("level") == g.level)[f"meets_{g.code}"][0], g.code
    assert after.filter(pl.col("level") == "junior")["teaching_area_per_student"][0] == pytest.approx(1108 * 1.1 / 210)


@pytest.mark.parametrize("pack", ["quality-2017", "basic-2012"])
def test_sample_fill_reassesses_and_is_least(costs, pack):
    from junheng.io import read_school_table
    from junheng.sample import SAMPLE_XLSX

    t = read_school_table(SAMPLE_XLSX).table
    rules = load_rules(pack)
    base, models = build_models(t, rules, costs, Limits(), 3)
    (f,) = fills(t, rules, costs, base=base).values()
    assert f.gaps and f.needs
    assert [(g.school_id, g.level, g.code) for g in f.gaps] == \
        [(g.school_id, g.level, g.code) for g in select_gaps(base, base.counties[0])]
    after = assess(apply_actions(t, list(f.actions)), rules)
    u = after.units.select("school_id", "level", *[i.code for i in rules.indicators])
    got = {(r["school_id"], r["level"]): r for r in u.iter_rows(named=True)}
    for g in f.gaps:  # quality: the threshold; basic: the county mean before the plan
        assert got[(g.school_id, g.level)][g.code] >= g.target * (1 - 1e-9), (g.name, g.code)
    # a nine-year school or complete school appears once per item, never once per section
    keys = [(n.school_id, n.cost_item, n.section) for n in f.needs]
    assert len(keys) == len(set(keys))
    # least: one unit less of any need (100 元 of equipment) leaves one of the gaps it serves open
    m = models[f.county_key]
    index = {(v.school_id, v.item.code, v.section): j for j, v in enumerate(m.vars)}
    y = np.zeros(len(m.vars))
    for n in f.needs:
        y[index[(n.school_id, n.cost_item, n.section)]] = n.quantity
    rows = {(sid, lv): k for k, (sid, lv) in enumerate(zip(m.units["school_id"].to_list(), m.units["level"].to_list()))}
    for n in f.needs:
        less = y.copy()
        less[index[(n.school_id, n.cost_item, n.section)]] -= 100 if n.unit == "元" else 1
        x = m.values(less)
        assert any(x[code][rows[(n.school_id, lv)]] < next(g.target for g in f.gaps if (g.school_id, g.level, g.code)
                                                          == (n.school_id, lv, code)) * (1 - 1e-9)
                   for lv, code in n.gaps), n


def test_a_backbone_hire_counts_as_a_teacher_of_middle_title(costs):
    # basic-2012: one unit short of teachers, qualified and 中级 teachers below the mean. One 县级
    # 骨干 teacher (110 000 元) adds to all three columns (plan/items.py): it is the only hire raising
    # the 中级 count, so it fills the teacher gaps too and no other teacher is hired.
    rows = [school("5200000001", **full(100, 1.0)), school("5200000002", **full(100, 1.0)),
            school("5200000003", **full(100, 1.0, teachers_P=9, qualified_teachers_P=7, senior_title_teachers_P=5))]
    t = table(rows)
    rules = load_rules("basic-2012")
    (f,) = fills(t, rules, costs).values()
    short = {g.code for g in f.gaps if g.school_id == "5200000003"}
    assert {"teachers_per_student", "qualified_teachers_per_student", "senior_title_teachers_per_student"} <= short
    hires = [n for n in f.needs if n.school_id == "5200000003" and n.unit == "人"]
    assert [(n.cost_item, n.quantity) for n in hires] == [("backbone_teachers", 1)]
    assert set(hires[0].gaps) >= {("primary", c) for c in short if "teachers" in c}


def test_exact_ties_go_to_the_plain_item(quality, costs):
    # quality-2017 counts no computers: a computer (5 000 元, booked as 5 000 元 of equipment) has
    # exactly the effect of 5 000 元 of equipment value; an art teacher that of a PE teacher (体育艺术
    # teachers are counted together). prefer_plain names the plain item, same cost, same values.
    from junheng.plan.model import prefer_plain

    t = table([school("5200000001", **full(100, 1.0)), school("5200000002", **full(100, 0.5))])
    _, models = build_models(t, quality, costs, Limits(), 3)
    (m,) = models.values()
    j = {(v.school_id, v.item.code, v.section): k for k, v in enumerate(m.vars)}
    y = np.zeros(len(m.vars))
    y[j[("5200000002", "teaching_computers", None)]] = 3
    y[j[("5200000002", "art_teachers", "P")]] = 2
    y[j[("5200000002", "books", None)]] = 7  # books: an effect of their own (none here), left alone
    z = prefer_plain(m, y)
    assert z[j[("5200000002", "equipment_value_yuan", None)]] == 15_000 and z[j[("5200000002", "teaching_computers", None)]] == 0
    assert z[j[("5200000002", "pe_teachers", "P")]] == 2 and z[j[("5200000002", "art_teachers", "P")]] == 0
    cost = np.array([v.cost for v in m.vars])
    assert cost @ z == cost @ y
    for code, x in m.values(z).items():
        assert np.allclose(x, m.values(y)[code], rtol=1e-12)
    basic = load_rules("basic-2012")  # counts computers: they stay
    _, models = build_models(t, basic, costs, Limits(), 3)
    (m,) = models.values()
    j = {(v.school_id, v.item.code, v.section): k for k, v in enumerate(m.vars)}
    y = np.zeros(len(m.vars))
    y[j[("5200000002", "teaching_computers", None)]] = 3
    assert prefer_plain(m, y)[j[("5200000002", "teaching_computers", None)]] == 3
