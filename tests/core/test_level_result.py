"""The level and county results of the assessment (core/assess.py _level, assess): what each
IndicatorStat carries, an undefined CV under each test, and how the levels make the verdict."""
import pytest

from junheng.core import assess
from junheng.rules import load_rules

from .helpers import full, school, table

Q = load_rules("quality-2017")
B = load_rules("basic-2012")


def test_indicator_stats_carry_the_pack_names_units_and_thresholds():
    a = assess(table([school("2152990001", **full(100, 2.0)), school("2152990002", **full(300, 1.0))]), Q)
    level = a.counties[0].levels["primary"]
    assert list(level.indicators) == [i.code for i in Q.indicators]
    for i in Q.indicators:
        s = level.indicators[i.code]
        assert (s.code, s.name, s.unit, s.threshold) == (i.code, i.name, i.unit, 0.50)
        assert s.cv == pytest.approx(3 ** 0.5 / 5, rel=1e-12) and s.passed is True
    assert level.composite_threshold is None and level.units == 2 and level.students == 400
    assert level.level == "primary" and level.notes == ()


def test_an_undefined_cv_under_the_each_test_is_undecided_not_false():
    rows = [school("2152990001", **full(100, 1.0, multimedia_rooms=0)),
            school("2152990002", **full(300, 1.0, multimedia_rooms=0))]
    c = assess(table(rows), Q).counties[0]
    p = c.levels["primary"]
    s = p.indicators["multimedia_rooms_per_100"]
    assert s.cv is None and s.passed is None and s.mean == 0
    assert p.passed is None and p.composite_cv is None and len(p.notes) == 1
    others = [x for code, x in p.indicators.items() if code != "multimedia_rooms_per_100"]
    assert all(x.passed is True for x in others)
    assert c.verdict is False  # multimedia 0 fails every unit's threshold
    assert c.units_failed == 2


def test_a_failed_level_makes_the_county_fail_and_an_undecided_one_open():
    # primary fails the composite (CV 0.866 > 0.65); junior passes
    rows = [school("2152990001", **full(100, 4.0)), school("2152990002", **full(300, 0.25)),
            school("3152990003", 311, **full(500, 1.0, "J"))]
    c = assess(table(rows), B).counties[0]
    assert c.levels["primary"].passed is False and c.levels["junior"].passed is True
    assert c.verdict is False and c.passed is False and c.notes == ()
    # primary undecided (books 0 everywhere), junior passes: open, with a note
    rows = [school("2152990001", **full(100, 1.0, books=0)), school("3152990003", 311, **full(500, 1.0, "J", books=0))]
    c = assess(table(rows), B).counties[0]
    assert c.levels["primary"].passed is None and c.verdict is None and len(c.notes) == 1
    assert list(c.levels) == ["primary", "junior"]
