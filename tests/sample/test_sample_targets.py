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


def test_quality_uses_the_special_provisions(quality):
    """The sample county reports 走教 teachers at small rural schools and a rented field (docs/rules.md §2)."""
    from junheng.core.trace import provisions_used

    t = provisions_used(quality)
    visiting = t.filter(t["provision"] == "visiting_pe_art_teachers")
    counted = visiting.filter(visiting["status"] == "counted")
    assert 5 <= counted.height <= 15 and counted["size"].is_between(50, 99).all()
    assert counted["decisive"].sum() >= 3  # schools without a PE/art teacher of their own meet 0.9 thanks to 走教
    assert set(visiting["status"]) == {"counted", "size_out_of_band"}
    [field] = t.filter(t["provision"] == "extra_sports_area").iter_rows(named=True)
    assert field["name"] == "均衡示例县第四中学" and field["status"] == "counted"
    assert field["after"] - field["before"] == pytest.approx(12_000 / 1827)


def test_quality_without_the_provisions_fails_more_units(sample, quality):
    import polars as pl

    plain = sample.with_columns(pl.lit(None, pl.Int64).alias("visiting_pe_art_teachers_P"),
                                pl.lit(None, pl.Int64).alias("visiting_pe_art_teachers_J"),
                                pl.lit(None, pl.Float64).alias("extra_sports_m2"))
    before = core.assess(plain, rules.load_rules("quality-2017")).counties[0].units_failed
    assert (before, quality.counties[0].units_failed) == (73, 71)
