"""quality-2017 on hand-made counties: per-unit thresholds, 6-of-7 with and without the 85 % clause,
per-indicator CV test, teaching-point cut-off at 50 pupils, private schools included by default."""
import pytest

from junheng.core import assess
from junheng.rules import load_rules

from .helpers import school, table

Q = load_rules("quality-2017")
# per-pupil values exactly at every primary threshold (docs/rules.md §2 table), 1000 pupils
AT = {"qualified_teachers_P": 42, "backbone_teachers_P": 10, "pe_art_teachers_P": 9, "teaching_area_m2": 4500,
      "sports_ground_m2": 7500, "equipment_value_yuan": 2_000_000, "multimedia_rooms": 23}


def unit(**change):
    vals = dict(AT, students_P=1000, teachers_P=60)
    vals.update(change)
    return school("2152990001", 211, **vals)


def verdict(row, rules=Q):
    return assess(table([row]), rules).units.row(0, named=True)


def test_exactly_at_every_threshold_meets_all_seven():
    u = verdict(unit())
    assert u["qualified_teachers_per_100"] == 4.2
    assert u["multimedia_rooms_per_100"] == 2.3
    assert u["met_count"] == 7 and u["passed"] is True


def test_one_short_but_at_least_85_percent_passes():
    u = verdict(unit(multimedia_rooms=20))  # 2.0 ≥ 0.85 × 2.3 = 1.955
    assert u["meets_multimedia_rooms_per_100"] is False
    assert u["met_count"] == 6 and u["passed"] is True


def test_one_short_below_85_percent_fails_unless_the_clause_is_off():
    row = unit(multimedia_rooms=19)  # 1.9 < 1.955
    u = verdict(row)
    assert u["met_count"] == 6 and u["passed"] is False
    no_floor = Q.model_copy(update={"unit_rule": Q.unit_rule.model_copy(update={"floor_ratio": 0.0})})
    assert verdict(row, no_floor)["passed"] is True


def test_85_percent_boundary_is_inclusive():
    # equipment 1700 元 per pupil = 0.85 × 2000 exactly
    u = verdict(unit(equipment_value_yuan=1_700_000))
    assert u["met_count"] == 6 and u["passed"] is True


def test_two_short_fails():
    u = verdict(unit(multimedia_rooms=22, backbone_teachers_P=9))
    assert u["met_count"] == 5 and u["passed"] is False


def test_junior_thresholds_apply_to_junior_units():
    row = school("3152990001", 311, students_J=1000, teachers_J=80, qualified_teachers_J=53, backbone_teachers_J=10,
                 pe_art_teachers_J=9, teaching_area_m2=5800, sports_ground_m2=10200, equipment_value_yuan=2_500_000,
                 multimedia_rooms=24)
    u = verdict(row)
    assert u["met_count"] == 7 and u["passed"] is True
    u = verdict({**row, "multimedia_rooms": 23})  # 2.3 < 2.4 (but ≥ 85 %)
    assert u["met_count"] == 6 and u["meets_multimedia_rooms_per_100"] is False


def test_cv_test_per_indicator_and_county_verdict():
    a1 = unit()
    a2 = {**unit(), "school_id": "2152990002", "students_P": 1000, "multimedia_rooms": 69}  # 6.9 per 100
    a = assess(table([a1, a2]), Q)
    p = a.counties[0].levels["primary"]
    mm = p.indicators["multimedia_rooms_per_100"]
    # two units of equal size at 2.3 and 6.9: mean 4.6, sd 2.3, CV 0.5 ≤ 0.50 passes (equality)
    assert mm.mean == pytest.approx(4.6) and mm.cv == pytest.approx(0.5, abs=1e-12)
    assert mm.threshold == 0.5 and mm.passed is True
    assert p.passed is True and a.counties[0].passed is True
    a3 = {**a2, "multimedia_rooms": 70}
    p = assess(table([a1, a3]), Q).counties[0].levels["primary"]
    assert p.indicators["multimedia_rooms_per_100"].passed is False and p.passed is False
    # the informational mean of the 7 CVs has no threshold
    assert p.composite_threshold is None and p.composite_cv is not None


def test_a_failing_unit_fails_the_county_even_when_cvs_pass():
    a = assess(table([unit(multimedia_rooms=10)]), Q)
    c = a.counties[0]
    assert c.levels["primary"].passed is True
    assert c.units_failed == 1 and c.passed is False


def test_teaching_points_under_50_excluded_others_are_units_and_private_included():
    rows = [unit(), school("2152990002", 218, **{**AT, "students_P": 49, "teachers_P": 4}),
            school("2152990003", 218, **{**AT, "students_P": 50, "teachers_P": 4}),
            school("2152990004", 211, ownership="民办", **{**AT, "students_P": 500, "teachers_P": 30})]
    a = assess(table(rows), Q)
    assert set(a.units["school_id"]) == {"2152990001", "2152990003", "2152990004"}
    assert a.excluded.row(0, named=True)["reason"] == "small_teaching_point"
    excl_private = load_rules("quality-2017", "52")
    assert "2152990004" not in set(assess(table(rows), excl_private).units["school_id"])


def test_multimedia_rooms_are_split_in_nine_year_schools():
    row = school("3152990001", 312, students_P=100, students_J=100, multimedia_rooms=21, teachers_P=5, teachers_J=5)
    u = {r["level"]: r for r in assess(table([row]), Q).units.iter_rows(named=True)}
    assert u["primary"]["multimedia_rooms_per_100"] == pytest.approx(10.0)  # 21 × 100/210 rooms
    assert u["junior"]["multimedia_rooms_per_100"] == pytest.approx(11.0)
