"""min-worst --budget on tiny counties worked out by hand (docs/plan.md §10)."""
from __future__ import annotations

import math

import pytest

from junheng.plan.costs import Limits
from junheng.plan.run import plan
from junheng.plan.worst import TOL, engine_ratio
from tests.core.helpers import full, school, table

# Two primary schools of 100 pupils, equal in everything but the sports ground: A 5 ㎡ per pupil,
# B 20. Two units of equal weight: CV = (b − a) / (a + b); the threshold is 0.50, so the worst
# ratio is 2·(20 − a)/(20 + a) with a = (500 + q)/100 after q ㎡ of ground at A (300 元/㎡, the
# cheapest way to raise it: indoor sports costs 3500).
GROUND = [school("5200000001", **full(100, 1.0, sports_ground_m2=500)), school("5200000002", **full(100, 1.0))]


def ground_ratio(q: float) -> float:
    a = (500 + q) / 100
    return 2 * (20 - a) / (20 + a)


def _run(rows, budget, rules=None, quality=None, costs=None):
    return plan(table(rows), rules or quality, costs, Limits(), objective="min-worst", budget_yuan=budget)


@pytest.mark.parametrize("budget, q", [(45_000, 150), (40_000, 133), (0, 0)])
def test_ground_only(quality, costs, budget, q):
    p = _run(GROUND, budget, quality=quality, costs=costs)
    c = p.counties[0]
    assert c.worst_ratio == pytest.approx(ground_ratio(q), rel=1e-9)
    assert c.total_yuan == 300 * q <= budget
    if q:
        (a,) = c.actions
        assert (a["school_id"], a["cost_item"], a["quantity"]) == ("5200000001", "sports_ground_m2", q)
    else:
        assert c.actions == [] and c.status == "optimal"
    # the bound is proven and close (the continuous bracket stops at a relative width TOL)
    assert c.bound_ratio <= c.worst_ratio + 1e-12
    assert c.bound_ratio >= c.worst_ratio * (1 - 2 * TOL) - 1e-3 * (budget == 40_000)
    assert engine_ratio(p.after.counties[0]) == pytest.approx(c.worst_ratio, rel=1e-9)  # the engine agrees
    assert engine_ratio(p.before.counties[0]) == pytest.approx(1.2)


def test_the_money_is_split_between_the_two_worst_indicators(quality, costs):
    # B also has 1 multimedia room per 100 pupils against A's 3: CV (3 − 1)/(3 + 1) = 0.5, ratio 1.0.
    # With 80 100 元 the worst ratio is least with one room at B (30 000; its ratio falls to 0.4) and
    # the other 50 100 元 = 167 ㎡ of ground at A; all on ground would leave the rooms at 1.0.
    rows = [school("5200000001", **full(100, 1.0, sports_ground_m2=500)),
            school("5200000002", **full(100, 1.0, multimedia_rooms=1))]
    c = _run(rows, 80_100, quality=quality, costs=costs).counties[0]
    assert c.worst_ratio == pytest.approx(ground_ratio(167), rel=1e-9) and c.worst_ratio < 1
    got = {(a["school_id"], a["cost_item"]): a["quantity"] for a in c.actions}
    assert got == {("5200000001", "sports_ground_m2"): 167, ("5200000002", "multimedia_rooms"): 1}
    # with 50 000 元 a room leaves too little for the ground: all of it on ground, 166 ㎡ (ratio just above 1)
    with_less = _run(rows, 50_000, quality=quality, costs=costs).counties[0]
    assert with_less.worst_ratio == pytest.approx(ground_ratio(166), rel=1e-9) and with_less.worst_ratio > 1


def test_basic_2012_composite_ratio_and_no_bound_claimed(costs):
    from junheng.rules import load_rules

    basic = load_rules("basic-2012")
    p = _run(GROUND, 45_000, rules=basic, costs=costs)
    c = p.counties[0]
    assert math.isnan(c.bound_ratio) and c.status == "feasible"
    before, after = engine_ratio(p.before.counties[0]), engine_ratio(p.after.counties[0])
    assert after == pytest.approx(c.worst_ratio, rel=1e-9) and after < before
    lr = p.after.counties[0].levels["primary"]
    assert c.worst_ratio == pytest.approx(lr.composite_cv / lr.composite_threshold, rel=1e-12)
    assert c.total_yuan <= 45_000


@pytest.mark.parametrize("pack", ["quality-2017", "basic-2012"])
def test_moved_ratios_equal_a_full_recomputation(costs, pack):
    # Ratios.worst_moved_many rates many single changes at once by a centred variance update;
    # each must equal the worst ratio of the changed plan computed from scratch (Ratios.worst).
    import numpy as np

    from junheng.plan.model import build_models
    from junheng.plan.worst import Ratios
    from junheng.rules import load_rules
    from junheng.sample import generate

    rules = load_rules(pack)
    _, models = build_models(generate(40, 1, 3), rules, costs, Limits(), 3)
    (m,) = models.values() if isinstance(models, dict) else models
    ratios = Ratios(m, rules)
    rng = np.random.default_rng(1)
    n = len(m.vars)
    y = np.where(rng.random(n) < 0.2, rng.integers(0, 5, n), 0).astype(float)
    js = rng.choice(n, size=min(60, n), replace=False)
    deltas = rng.integers(-3, 6, len(js)).astype(float)
    got = ratios.worst_moved_many(ratios.state(y), js, deltas)
    for j, d, g in zip(js, deltas, got):
        y2 = y.copy()
        y2[j] += d
        assert g == pytest.approx(ratios.worst(y2)[0], rel=1e-9, abs=1e-12)
    # a change that moves nothing keeps the ratio bit for bit
    assert ratios.worst_moved_many(ratios.state(y), js[:1], np.zeros(1))[0] == \
        ratios.worst_moved_many(ratios.state(y), js[1:2], np.zeros(1))[0]
