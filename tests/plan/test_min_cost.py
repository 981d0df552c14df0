"""min-cost on tiny counties whose optimal plans are worked out by hand (docs/plan.md §3)."""
from __future__ import annotations

import itertools

import polars as pl
import pytest

from junheng.core.assess import assess
from junheng.plan.costs import Limits, SchoolLimit
from junheng.plan.verify import PlanNotConfirmed, apply_actions, verify
from tests.core.helpers import full, school, table


def _two_short(sid="5200000001", county="529901"):
    """100 pupils, everything met except teaching area 4.0 ㎡ (thr 4.5, 89 %) and multimedia rooms
    2.0 per 100 (thr 2.3, 87 %): the unit fails (5 of 7 met)."""
    return school(sid, **full(100, 1.0, teaching_area_m2=400, multimedia_rooms=2), county_code=county)


def test_one_fix_is_enough_and_the_cheaper_one_is_chosen(run, costs):
    # 6 of 7: fix one. Teaching area: 50 ㎡ × 3000 = 150 000; multimedia: 1 room (2 → 3 per 100) × 30 000.
    p = run(table([_two_short()]))
    c = p.counties[0]
    assert c.status == "optimal"
    assert [(a["cost_item"], a["quantity"]) for a in c.actions] == [("multimedia_rooms", 1)]
    assert c.total_yuan == costs.items["multimedia_rooms"].yuan == 30000
    assert c.bound_yuan == pytest.approx(30000) and c.gap == 0
    assert p.before.counties[0].units_failed == 1 and p.after.counties[0].passed


def test_strict_fixes_both(run):
    p = run(table([_two_short()]), strict=True)
    got = sorted((a["cost_item"], a["quantity"]) for a in p.counties[0].actions)
    assert got == [("multimedia_rooms", 1), ("teaching_area_m2", 50)]
    assert p.counties[0].total_yuan == 50 * 3000 + 30000


def test_a_passing_county_costs_nothing(run):
    p = run(table([school("5200000001", **full(100, 1.0)), school("5200000002", **full(120, 1.0))]))
    assert p.counties[0].status == "optimal" and p.counties[0].actions == [] and p.counties[0].total_yuan == 0


def test_nine_year_school_buys_once_for_both_sections(run):
    # 312 with 100 + 100 pupils: primary share 100/210, junior 110/210 of the whole-school area.
    # Strict: primary needs T·100/210/100 ≥ 4.5 → T ≥ 945; junior T·110/210/100 ≥ 5.8 → T ≥ 1107.3 → 1108.
    # 6 of 7: 85 % is enough for the one unmet indicator: junior T ≥ 0.85·5.8·210/1.1 = 941.18 → 942
    # (primary then has 942/210 = 4.486 ≥ 0.85·4.5).
    row = school("5200000001", 312, **full(100, 1.0, section="P"), **{k: v for k, v in full(100, 1.0, section="J").items()
                                                                      if k.endswith("_J")})
    row["teaching_area_m2"] = 600  # 2.857 and 3.143 ㎡: below 85 % in both sections
    row["multimedia_rooms"] = 10
    row["equipment_value_yuan"] = 600000
    p = run(table([row]))
    area = [a for a in p.counties[0].actions if a["cost_item"] == "teaching_area_m2"]
    assert len(area) == 1 and area[0]["quantity"] == 942 - 600
    p = run(table([row]), strict=True)
    acts = p.counties[0].actions
    area = [a for a in acts if a["cost_item"] == "teaching_area_m2"]
    assert len(area) == 1 and area[0]["quantity"] == 1108 - 600  # one purchase, not one per section
    assert area[0]["deltas"] == {"teaching_area_m2": 508}
    u = p.after.units
    assert u.filter(pl.col("level") == "junior")["teaching_area_per_student"][0] == pytest.approx(1108 * 1.1 / 210 / 100 * 100)


def test_cost_is_the_sum_of_per_school_fixes_when_cvs_are_slack(run):
    # three similar schools, each short in a different way; in one county the CVs stay slack, so the
    # county plan costs exactly what the three schools cost planned alone (each its own county).
    rows = [
        school("5200000001", **full(100, 1.0, teaching_area_m2=400, multimedia_rooms=2, equipment_value_yuan=250000)),
        school("5200000002", **full(100, 1.0, backbone_teachers_P=0, equipment_value_yuan=150000)),
        school("5200000003", **full(100, 1.0, pe_art_teachers_P=0, sports_ground_m2=600, equipment_value_yuan=250000)),
    ]  # equipment 2500 / 1500 / 2500 元 per pupil: the CVs stay below 0.5 after the fixes
    together = run(table(rows)).counties[0]
    alone = run(table([{**r, "county_code": f"52990{k}"} for k, r in enumerate(rows)]))
    assert together.status == "optimal"
    assert together.total_yuan == pytest.approx(sum(c.total_yuan for c in alone.counties))
    assert together.total_yuan > 0


def test_brute_force_agrees_on_the_tiniest_county(run, costs):
    # only two decisions allowed (caps): every plan (rooms 0..3, ㎡ 0..60) assessed by the engine;
    # the cheapest passing one must cost what the planner says.
    row = _two_short()
    caps = {c: 0 for c in costs.items}
    caps.update(multimedia_rooms=3, teaching_area_m2=60)
    limits = Limits({row["school_id"]: SchoolLimit(**caps)})
    t = table([row])
    p = run(t, limits=limits, strict=True)
    best = None
    for rooms, area in itertools.product(range(4), range(61)):
        price = rooms * 30000 + area * 3000
        if best is not None and price >= best:
            continue
        acts = [{"school_id": row["school_id"], "deltas": {"multimedia_rooms": rooms, "equipment_value_yuan": 30000 * rooms,
                                                             "teaching_area_m2": area}}]
        a = assess(apply_actions(t, acts), p.rules)
        if a.units["meets_teaching_area_per_student"].all() and a.units["passed"].all() and a.counties[0].passed \
                and all(a.units[f"meets_{i.code}"].all() for i in p.rules.indicators):
            best = price
    assert best == p.counties[0].total_yuan == 50 * 3000 + 30000


def test_cv_condition_binds(run, costs):
    # backbone teachers per 100: A has 1 (meets 1.0), B has 10; CV = (10 − a)/(10 + a) ≤ 0.5 needs
    # a ≥ 3.33, so 3 more at A: designating is cheapest (6000 × 3 years each, at most 1 a year).
    a = school("5200000001", **full(100, 1.0, backbone_teachers_P=1, teachers_P=10))
    b = school("5200000002", **full(100, 1.0, backbone_teachers_P=10, teachers_P=12))
    p = run(table([a, b]))
    c = p.counties[0]
    assert c.status in ("optimal", "feasible")
    assert [(x["school_id"], x["cost_item"], x["quantity"]) for x in c.actions] == [
        ("5200000001", "designate_backbone_teachers", 3)]
    assert c.total_yuan == 3 * 6000 * 3
    cv = p.after.counties[0].levels["primary"].indicators["backbone_teachers_per_100"].cv
    assert cv == pytest.approx(6 / 14) and cv <= 0.5
    assert c.bound_yuan <= c.total_yuan and 0 <= c.gap < 1


def test_recurring_costs_scale_with_years(run):
    t = table([school("5200000001", **full(100, 1.0, pe_art_teachers_P=0, backbone_teachers_P=0))])
    one, five = run(t, years=1).counties[0], run(t, years=5).counties[0]
    assert one.recurring_yuan_per_year > 0
    assert five.total_yuan - five.capital_yuan == pytest.approx(5 * five.recurring_yuan_per_year)


def test_a_plan_the_engine_does_not_confirm_is_an_error(run, quality, costs):
    from junheng.plan.model import build_models

    t = table([_two_short()])
    p = run(t)
    _, models = build_models(t, quality, costs, Limits(), 3)
    y = {k: m.x0 for k, m in models.items()}  # placeholder keys
    key = next(iter(models))
    import numpy as np

    plans = {key: np.zeros(len(models[key].vars))}  # no actions: the county still fails
    with pytest.raises(PlanNotConfirmed):
        verify(t, quality, models, plans, [], False)
    # and the real plan re-assesses exactly as claimed
    again = assess(apply_actions(t, p.counties[0].actions), quality)
    assert again.counties[0].passed and again.units.equals(p.after.units)
