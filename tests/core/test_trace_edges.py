"""The calculation trace (core/trace.py) at its edges: the columns it returns, default counts,
other counties and levels in the table, the junior thresholds and ties in the ranking."""
import polars as pl
import pytest

from junheng.core import assess
from junheng.core.trace import top_contributors, weakest_units
from junheng.rules import load_rules

from .helpers import full, school, table

BASIC = load_rules("basic-2012")
QUALITY = load_rules("quality-2017")


def _many(n: int, county_code: str = "529901") -> list[dict]:
    """n primary schools of 100 pupils at scales 1, 2, …, n (resources grow with the scale)."""
    return [school(f"21{county_code}{k:02d}", name=f"S{k:02d}", county_code=county_code, county=county_code,
                   **full(100, float(k))) for k in range(1, n + 1)]


def test_top_contributors_columns_and_default_three():
    a = assess(table(_many(5)), BASIC)
    top = top_contributors(a, "529901", "primary", "books_per_student")
    assert top.columns == ["school_id", "name", "students", "value", "share"]
    # values 10·k, mean 30: the shares are (k − 3)² / 10, largest for k = 1 and 5, then 2 and 4
    assert top.height == 3
    assert top["students"].to_list() == [100, 100, 100]
    assert sorted(top["value"].to_list()[:2]) == pytest.approx([10.0, 50.0])
    assert top["share"].to_list() == pytest.approx([0.4, 0.4, 0.1])
    assert set(top["school_id"].to_list()[:2]) == {"2152990101", "2152990105"}


def test_weakest_units_default_ten_and_other_counties_left_out():
    rows = _many(12) + _many(3, "529902") + [school("3152990199", 311, **full(100, 0.1, "J"))]
    a = assess(table(rows), BASIC)
    w = weakest_units(a, "529901", "primary")
    # scales 1..12, mean scale 6.5: the six schools at scales 1..6 are below the mean everywhere
    assert w["name"].to_list() == ["S01", "S02", "S03", "S04", "S05", "S06"]
    assert w.columns == ["school_id", "name", "students", "score", "below"]
    rows = _many(13) + _many(25, "529902")
    w = weakest_units(assess(table(rows), BASIC), "529902", "primary")
    assert w.height == 10 and w["school_id"].str.starts_with("21529902").all()


def test_weakest_units_of_an_absent_level_has_the_id_columns():
    a = assess(table(_many(2)), BASIC)
    w = weakest_units(a, "529901", "junior")
    assert w.columns == ["school_id", "name", "students"] and w.height == 0


def test_weakest_units_junior_uses_the_junior_thresholds():
    # quality-2017 junior thresholds are above the primary ones; at scale 1 a junior unit meets
    # teaching area (10 ≥ 5.8) but a primary threshold would make the shortfalls differ
    rows = [school("3152990001", 311, name="J1", **full(100, 0.7, "J")),
            school("3152990002", 311, name="J2", **full(100, 3.0, "J"))]
    a = assess(table(rows), QUALITY)
    w = weakest_units(a, "529901", "junior")
    u = a.units_of("529901").filter(pl.col("school_id") == "3152990001")
    expected = sum(max(0.0, 1 - u[i.code][0] / i.threshold.junior) for i in QUALITY.indicators)
    assert w["name"].to_list() == ["J1"]
    assert w["score"][0] == pytest.approx(expected, rel=1e-12)
    assert expected != pytest.approx(sum(max(0.0, 1 - u[i.code][0] / i.threshold.primary) for i in QUALITY.indicators))


def test_weakest_units_basic_an_all_zero_indicator_adds_nothing():
    # nobody has books: the county mean is 0, the ratio 0/0 is NaN and must count as no shortfall
    rows = [school("2152990001", name="A", **full(100, 0.5, books=0)),
            school("2152990002", name="B", **full(100, 1.5, books=0))]
    w = weakest_units(assess(table(rows), BASIC), "529901", "primary")
    assert w["name"].to_list() == ["A"]
    assert w["score"][0] == pytest.approx(7 * 0.5, rel=1e-12)
    assert "books_per_student" not in w["below"][0].to_list()


def test_weakest_units_quality_larger_shortfall_first_among_equals():
    # both fail with the same number of thresholds met; the larger shortfall comes first
    rows = [school("2152990001", name="P", **full(100, 0.6)),
            school("2152990002", name="Q", **full(100, 0.3)),
            school("2152990003", name="R", **full(100, 0.65))]
    w = weakest_units(assess(table(rows), QUALITY), "529901", "primary")
    # Q meets 1 threshold; P and R meet 5 (not PE/art, not multimedia) and P falls further short
    assert w["name"].to_list() == ["Q", "P", "R"]
    assert w["met_count"].to_list() == [1, 5, 5] and w["passed"].to_list() == [False, False, False]
    assert w["score"][1] == pytest.approx((1 - 0.6 / 0.9) + (1 - 1.8 / 2.3), rel=1e-12)
    assert w["score"][2] == pytest.approx((1 - 0.65 / 0.9) + (1 - 1.95 / 2.3), rel=1e-12)
