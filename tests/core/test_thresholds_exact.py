"""Every "≥ threshold" and "≤ standard" of the assessment passes on equality (docs/rules.md §1,
§2), checked with values that equal the threshold exactly in binary floating point, once with
the pack's tolerance set to 0 (so ≥ cannot hide behind it) and once with the pack's own."""
import pytest

from junheng.core import assess
from junheng.rules import load_rules
from junheng.rules.loader import PerLevel

from .helpers import full, school, table
from .test_provisions import small

Q = load_rules("quality-2017")
B = load_rules("basic-2012")


def exact(pack, **unit_rule):
    """The pack with tolerance 0 (and unit_rule settings changed)."""
    upd = {"dispersion": pack.dispersion.model_copy(update={"tolerance": 0.0})}
    if unit_rule:
        upd["unit_rule"] = pack.unit_rule.model_copy(update=unit_rule)
    return pack.model_copy(update=upd)


def unit(a):
    (r,) = a.units.rows(named=True)
    return r


def test_a_value_equal_to_its_threshold_meets_it():
    # 9 PE/art teachers for 1000 pupils: 900 / 1000 is 0.9 per 100, the primary threshold
    u = unit(assess(table([small("2152990001", 1000, pe_art_teachers_P=9)]), exact(Q)))
    assert u["pe_art_teachers_per_100"] == 0.9
    assert u["meets_pe_art_teachers_per_100"] is True and u["met_count"] == 7 and u["passed"] is True
    u = unit(assess(table([small("2152990001", 1000, pe_art_teachers_P=8.99)]), exact(Q)))
    assert u["meets_pe_art_teachers_per_100"] is False and u["met_count"] == 6


def test_an_unmet_value_equal_to_the_floor_passes():
    # floor_ratio 0.5: the floor is 0.45 per 100 exactly (0.9 halved); 4.5 teachers / 1000 pupils
    rules = exact(Q, floor_ratio=0.5)
    u = unit(assess(table([small("2152990001", 1000, pe_art_teachers_P=4.5)]), rules))
    assert u["met_count"] == 6 and u["passed"] is True
    u = unit(assess(table([small("2152990001", 1000, pe_art_teachers_P=4.49)]), rules))
    assert u["met_count"] == 6 and u["passed"] is False
    # with min_met 7 the same unit fails however close it is
    assert unit(assess(table([small("2152990001", 1000, pe_art_teachers_P=4.5)]), exact(Q, floor_ratio=0.5, min_met=7)))["passed"] is False


def two_schools():
    return table([school("2152990001", **full(100, 2.0)), school("2152990002", **full(300, 1.0))])


@pytest.mark.parametrize("tolerance", [0.0, None])
def test_a_cv_equal_to_the_standard_passes(tolerance):
    a = assess(two_schools(), Q)
    cv = a.counties[0].levels["primary"].indicators["teaching_area_per_student"].cv
    assert cv == pytest.approx(3 ** 0.5 / 5, rel=1e-12)
    disp = Q.dispersion.model_copy(update={"cv_threshold": PerLevel(primary=cv, junior=0.45)})
    if tolerance is not None:
        disp = disp.model_copy(update={"tolerance": tolerance})
    level = assess(two_schools(), Q.model_copy(update={"dispersion": disp})).counties[0].levels["primary"]
    assert all(s.passed is True for s in level.indicators.values()) and level.passed is True
    # just below the CV: every indicator fails
    below = disp.model_copy(update={"cv_threshold": PerLevel(primary=cv - 1e-9, junior=0.45)})
    level = assess(two_schools(), Q.model_copy(update={"dispersion": below})).counties[0].levels["primary"]
    assert level.passed is False and level.indicators["teaching_area_per_student"].passed is False


@pytest.mark.parametrize("tolerance", [0.0, None])
def test_a_composite_equal_to_the_standard_passes(tolerance):
    level = assess(two_schools(), B).counties[0].levels["primary"]
    comp = level.composite_cv
    assert comp == pytest.approx(3 ** 0.5 / 5, rel=1e-12)
    disp = B.dispersion.model_copy(update={"composite_threshold": PerLevel(primary=comp, junior=0.55)})
    if tolerance is not None:
        disp = disp.model_copy(update={"tolerance": tolerance})
    c = assess(two_schools(), B.model_copy(update={"dispersion": disp})).counties[0]
    assert c.levels["primary"].passed is True and c.levels["primary"].composite_threshold == comp
    assert c.verdict is True
    low = disp.model_copy(update={"composite_threshold": PerLevel(primary=comp - 1e-9, junior=0.55)})
    c = assess(two_schools(), B.model_copy(update={"dispersion": low})).counties[0]
    assert c.levels["primary"].passed is False and c.verdict is False
