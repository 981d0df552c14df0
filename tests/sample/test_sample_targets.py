"""The sample county's outcome under both rule packs (docs/rules.md §1, §2), computed by junheng.core."""
from __future__ import annotations

import pytest

core = pytest.importorskip("junheng.core")
rules = pytest.importorskip("junheng.rules")


@pytest.fixture(scope="module")
def basic(sample):
    return core.assess(sample, rules.load_rules("basic-2012")).counties[0]


@pytest.fixture(scope="module")
def quality(sample):
    return core.assess(sample, rules.load_rules("quality-2017"))


def test_basic_passes_both_levels(basic):
    assert basic.passed
    p, j = basic.levels["primary"], basic.levels["junior"]
    assert p.passed and j.passed
    assert 0.40 <= p.composite_cv <= 0.60  # threshold 0.65
    assert 0.30 <= j.composite_cv <= 0.50  # threshold 0.55
    assert p.units == 64 + 5 and j.units == 12 + 5 + 1  # public 211 + 312 / public 311 + 312 + 341


def test_basic_single_cvs_spread_like_published_tables(basic):
    cvs = [s.cv for lv in basic.levels.values() for s in lv.indicators.values()]
    p = basic.levels["primary"].indicators
    assert min(cvs) < 0.2 and max(cvs) > 0.9
    assert p["sports_area_per_student"].cv > 0.6 and p["teaching_area_per_student"].cv > 0.4
    for low in ("books_per_student", "computers_per_100", "teachers_per_student"):
        assert p[low].cv < 0.4, low


def test_quality_fails_on_cvs_and_units(quality):
    county = quality.counties[0]
    assert not county.passed
    over = [k for lv in county.levels.values() for k, s in lv.indicators.items() if not s.passed]
    assert {"backbone_teachers_per_100", "sports_area_per_student"} <= set(over)
    assert any(s.passed for lv in county.levels.values() for s in lv.indicators.values())
    assert 0 < county.units_failed < quality.units.height  # some units fail, some pass
