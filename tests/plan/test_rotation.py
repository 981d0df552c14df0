"""``--objective rotation`` (交流轮岗, docs/plan.md §8) on tiny counties worked out by hand."""
from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from junheng.core.assess import assess
from junheng.plan.costs import Limits, SchoolLimit
from junheng.plan.run import plan
from junheng.plan.verify import apply_actions
from junheng.rules import load_rules
from tests.core.helpers import full, school, table


def _with(costs, **settings):
    return dataclasses.replace(costs, rotation=costs.rotation.model_copy(update=settings))


def _two(backbone_a=4, backbone_b=0, classes=5, **extra_b):
    """Two primary schools of 100 pupils, 10 teachers each (8 qualified, 6 中级, PE/art 1): A has
    ``backbone_a`` backbone teachers, B ``backbone_b`` (B fails backbone per 100 ≥ 1.0)."""
    a = school("5200000001", **full(100, 1.0, classes_P=classes, backbone_teachers_P=backbone_a), township="甲镇")
    b = school("5200000002", **full(100, 1.0, classes_P=classes, backbone_teachers_P=backbone_b, **extra_b),
               township="乙镇")
    return table([a, b])


def _rotate(t, rules, costs, limits=None):
    return plan(t, rules, costs, limits or Limits(), objective="rotation")


def test_tiny_county_hand_checked(quality, costs):
    # 20 eligible teachers: at least ceil(10 % × 20) = 2 moved, at most 10 % = 2, ≥ 20 % backbone (≥ 1).
    # Backbone per 100: A 4, B 0. Two backbone A → B gives 2 / 2 (CV 0), qualified 6 / 10 (CV 0.25):
    # Σ CV² = 0.0625; any plan with one backbone moved leaves backbone 3 / 1 (CV 0.5, CV² 0.25).
    p = _rotate(_two(), quality, _with(costs, max_rotated_percent=10))
    c = p.counties[0]
    assert c.status == "optimal"
    moves = [(a["action"], a["school_id"], a["kind"], a["quantity"]) for a in c.actions]
    assert moves == [("move_out", "5200000001", "backbone_teachers", 2), ("move_in", "5200000002", "backbone_teachers", 2)]
    out, inn = c.actions
    assert out["to_school_id"] == "5200000002" and inn["from_school_id"] == "5200000001"
    assert out["amount_yuan"] == inn["amount_yuan"] == 0
    assert out["deltas"] == {"teachers_P": -2, "qualified_teachers_P": -2, "senior_title_teachers_P": -2,
                             "backbone_teachers_P": -2}
    r = c.rotation
    assert (r["eligible_teachers"], r["required_rotated"], r["rotated"], r["backbone_rotated"]) == (20, 2, 2, 2)
    assert (r["units_meeting_before"], r["units_meeting_after"], r["bound_units"]) == (1, 2, 2)
    assert r["cv2_after"] == pytest.approx(0.0625)
    after = {lv: l for lv, l in p.after.counties[0].levels.items()}["primary"]
    assert after.indicators["backbone_teachers_per_100"].cv == pytest.approx(0.0, abs=1e-12)
    assert after.indicators["qualified_teachers_per_100"].cv == pytest.approx(0.25)
    # the engine, not the plan, says B now meets backbone per 100
    u = p.after.units.sort("school_id")
    assert u["backbone_teachers_per_100"].to_list() == pytest.approx([2.0, 2.0])


def test_least_teachers_per_class_holds(quality, costs):
    # 7 classes × 1.5 = 10.5 → both keep 11 > 10 teachers: they keep what they have (10), so only
    # exchanges are possible: A sends one backbone teacher and gets one teacher back from B.
    p = _rotate(_two(classes=7), quality, _with(costs, max_rotated_percent=10))
    c = p.counties[0]
    net = {}
    for a in c.actions:
        net[a["school_id"]] = net.get(a["school_id"], 0) + a["deltas"]["teachers_P"]
    assert net == {"5200000001": 0, "5200000002": 0}
    assert c.rotation["rotated"] == 2 and c.rotation["backbone_rotated"] >= 1
    assert sorted(p.after.units["backbone_teachers_per_100"].to_list()) == pytest.approx([1.0, 3.0])


def test_infeasible_quota_names_the_blocking_school(quality, costs):
    # B is to be closed (receives nobody) and has exactly the teachers its 7 classes need, so it
    # cannot send either: nobody can move, the quota of 2 cannot be met.
    limits = Limits({"5200000002": SchoolLimit(closed=True)})
    p = _rotate(_two(classes=7), quality, costs, limits)
    c = p.counties[0]
    assert c.status == "infeasible" and c.actions == []
    codes = {(b["item"], b["school_id"]) for b in c.blocking}
    assert ("quota", None) in codes
    assert ("min_teachers", "5200000002") in codes and ("closed", "5200000002") in codes
    texts = " ".join(b["text"] for b in c.blocking)
    assert "须交流至少 2 人" in texts and "学校002" in texts and "撤并" in texts
    assert p.after.counties[0].units_failed == p.before.counties[0].units_failed


def test_too_few_backbone_teachers(quality, costs):
    p = _rotate(_two(backbone_a=0, backbone_b=0), quality, costs)
    c = p.counties[0]
    assert c.status == "infeasible"
    assert {b["item"] for b in c.blocking} >= {"backbone_share", "count"}
    assert any("骨干教师只有 0 人" in b["text"] for b in c.blocking)


def test_moves_stay_within_a_level(quality, costs):
    # a primary and a junior school: no move between them is possible, so the quota fails …
    a = school("5200000001", **full(100, 1.0, classes_P=5, backbone_teachers_P=4))
    j = school("5200000003", 311, **full(100, 1.0, section="J", classes_J=3, backbone_teachers_J=4))
    p = _rotate(table([a, j]), quality, costs)
    assert p.counties[0].status == "infeasible"
    # … with a second school at each level and a nine-year school (its teachers per section), every
    # move is primary → primary or junior → junior
    b = school("5200000002", **full(100, 1.0, classes_P=5))
    k = school("5200000004", 311, **full(100, 1.0, section="J", classes_J=3))
    nine = school("5200000005", 312, **full(100, 1.0, classes_P=5, backbone_teachers_P=5),
                  **{c: v for c, v in full(100, 1.0, section="J", classes_J=3, backbone_teachers_J=5).items()
                     if c.endswith("_J")})
    p = _rotate(table([a, b, j, k, nine]), quality, costs)
    c = p.counties[0]
    assert c.status == "optimal" and c.actions
    sections = {"5200000001": "P", "5200000002": "P", "5200000003": "J", "5200000004": "J", "5200000005": "PJ"}
    seen = set()
    for out, inn in zip(c.actions[0::2], c.actions[1::2]):
        sec = out["item"][-1]
        assert out["to_school_id"] == inn["school_id"] and inn["item"] == out["item"]
        assert sec in sections[out["school_id"]] and sec in sections[inn["school_id"]]
        assert all(col.endswith("_" + sec) for col in (*out["deltas"], *inn["deltas"]))
        seen |= {(out["school_id"], sec), (inn["school_id"], sec)}
    assert {("5200000005", "P"), ("5200000005", "J")} <= seen  # the nine-year school moves in both sections


@pytest.mark.parametrize("seed", [3, 11])
def test_generated_county_quota_and_minimum(quality, costs, seed):
    from junheng.sample import generate

    t = generate(40, 1, seed)
    p = _rotate(t, quality, costs)
    c = p.counties[0]
    assert c.status == "optimal"
    r = c.rotation
    moved = sum(a["quantity"] for a in c.actions if a["action"] == "move_out")
    backbone = sum(a["quantity"] for a in c.actions if a["action"] == "move_out" and a["kind"] == "backbone_teachers")
    assert moved == r["rotated"] >= r["required_rotated"] > 0
    assert backbone >= 0.2 * moved
    # the engine's table after the plan: no section below its least teachers, counts in range
    after = apply_actions(t, c.actions)
    rows = {x["school_id"]: x for x in after.iter_rows(named=True)}
    for key, least in r["min_teachers"].items():
        sid, sec = key.rsplit("_", 1)
        assert rows[sid][f"teachers_{sec}"] >= least
        for col in ("qualified_teachers", "senior_title_teachers", "backbone_teachers"):
            assert 0 <= (rows[sid][f"{col}_{sec}"] or 0) <= rows[sid][f"teachers_{sec}"] or \
                (rows[sid][f"{col}_{sec}"] or 0) <= (t.filter(pl.col("school_id") == sid)[f"{col}_{sec}"][0] or 0)
    # teacher totals per level unchanged (moves, no hiring)
    for sec in ("P", "J"):
        assert after[f"teachers_{sec}"].sum() == pytest.approx(t[f"teachers_{sec}"].sum())
    assert r["units_meeting_after"] >= r["units_meeting_before"]
    assert assess(after, quality).counties[0].units_failed == p.after.counties[0].units_failed


def test_basic_2012_has_no_backbone_share(costs):
    basic = load_rules("basic-2012")
    p = _rotate(_two(backbone_a=0, backbone_b=0), basic, _with(costs, max_rotated_percent=10))
    c = p.counties[0]
    assert c.status == "optimal" and c.rotation["min_backbone_percent"] == 0 and c.rotation["rotated"] == 2


def test_the_county_s_own_eligible_count_replaces_the_share(quality, costs):
    # 符合交流条件 30 (the county's 名册): ceil(10 % × 30) = 3 at least, floor(15 % × 30) = 4 at most
    p = _rotate(_two(), quality, _with(costs, eligible_teachers={"529901": 30}))
    r = p.counties[0].rotation
    assert (r["eligible_teachers"], r["required_rotated"], r["max_rotated"]) == (30, 3, 4)
    assert 3 <= r["rotated"] <= 4
    p = _rotate(_two(), quality, _with(costs, eligible_share=0.5))
    assert p.counties[0].rotation["required_rotated"] == 1  # 10 % of half the 20 teachers
