"""The calculation trace (core/trace.py) against hand-computed expectations.

Basic county (primary, helpers.full: at scale 1 a pupil has 10 books, 10 ㎡ teaching area, …):
  A 100 pupils scale 0.8, B 100 pupils scale 2 with no books, C 200 pupils scale 0.6.
  Every indicator but books: county mean = (80 + 200 + 120) / 400 = 1 × the scale-1 value, so A is
  at 0.8 of the mean, B at 2, C at 0.6. Books: (800 + 0 + 1200) / 400 = 5 per pupil; A 8, B 0, C 6.
  Below the mean: A 7 indicators (shortfall 7 × 0.2 = 1.4), B books only (1.0), C 7 (7 × 0.4 = 2.8).
  Books variance: S² = ¼·(8−5)² + ¼·(0−5)² + ½·(6−5)² = 2.25 + 6.25 + 0.5 = 9, so the shares are
  A 2.25/9 = 0.25, B 6.25/9 = 0.694444…, C 0.5/9 = 0.055555….
"""
import polars as pl
import pytest

from junheng.core import assess
from junheng.core.trace import top_contributors, weakest_units
from junheng.rules import load_rules

from .helpers import full, school, table

BASIC = load_rules("basic-2012")
QUALITY = load_rules("quality-2017")


@pytest.fixture(scope="module")
def basic():
    rows = [school("2152990001", name="A", **full(100, 0.8)),
            school("2152990002", name="B", **full(100, 2.0, books=0)),
            school("2152990003", name="C", **full(200, 0.6))]
    return assess(table(rows), BASIC)


def test_top_contributors_books(basic):
    top = top_contributors(basic, "529901", "primary", "books_per_student", n=2)
    assert top["name"].to_list() == ["B", "A"]
    assert top["value"].to_list() == pytest.approx([0.0, 8.0])
    assert top["share"].to_list() == pytest.approx([6.25 / 9, 2.25 / 9], rel=1e-12)
    every = top_contributors(basic, "529901", "primary", "books_per_student", n=10)
    assert every["name"].to_list() == ["B", "A", "C"] and every["share"][2] == pytest.approx(0.5 / 9)


def test_top_contributors_of_an_absent_level_is_empty(basic):
    assert top_contributors(basic, "529901", "junior", "books_per_student").height == 0


def test_weakest_units_basic_by_count_below_then_shortfall(basic):
    w = weakest_units(basic, "529901", "primary")
    assert w["name"].to_list() == ["C", "A", "B"]
    assert w["score"].to_list() == pytest.approx([2.8, 1.4, 1.0], rel=1e-9)
    others = [i.code for i in BASIC.indicators if i.code != "books_per_student"]
    assert sorted(w["below"][0].to_list()) == sorted(others)
    assert w["below"][2].to_list() == ["books_per_student"]
    assert weakest_units(basic, "529901", "primary", n=1)["name"].to_list() == ["C"]


def test_a_unit_at_or_above_every_mean_is_not_weak():
    rows = [school("2152990001", name="A", **full(100, 1.0)), school("2152990002", name="B", **full(100, 1.0))]
    assert weakest_units(assess(table(rows), BASIC), "529901", "primary").height == 0


def test_weakest_units_quality_failed_first_then_fewest_met_then_shortfall():
    # At scale s the primary unit's ratios to the thresholds are: PE/art s/0.9, multimedia 3s/2.3,
    # qualified 8s/4.2, backbone 2s, teaching area 10s/4.5, sports 20s/7.5, equipment 5s.
    rows = [
        school("2152990001", name="X", **full(100, 0.85)),  # PE/art 0.944 of its threshold: 6 met, ≥ 85 %, passes
        school("2152990002", name="Y", **full(100, 0.7)),   # PE/art 0.778 and multimedia 0.913: 5 met, fails
        school("2152990003", name="Z", **full(100, 1.0, pe_art_teachers_P=0)),  # PE/art 0: 6 met, below 85 %, fails
        school("2152990004", name="W", **full(100, 1.0)),   # every threshold met: not listed
    ]
    w = weakest_units(assess(table(rows), QUALITY), "529901", "primary")
    assert w["name"].to_list() == ["Y", "Z", "X"]
    assert w["passed"].to_list() == [False, False, True]
    assert w["met_count"].to_list() == [5, 6, 6]
    assert w["score"].to_list() == pytest.approx([(1 - 0.7 / 0.9) + (1 - 2.1 / 2.3), 1.0, 1 - 0.85 / 0.9], rel=1e-9)
    assert sorted(w["below"][0].to_list()) == ["multimedia_rooms_per_100", "pe_art_teachers_per_100"]
    assert w["below"][2].to_list() == ["pe_art_teachers_per_100"]


def test_a_county_whose_schools_are_all_excluded_has_no_levels():
    a = assess(table([school("2152990001", 218, students_P=10, books=3, teachers_P=1)]), BASIC)
    (c,) = a.counties
    assert c.levels == {} and c.verdict is None and [n.code for n in c.notes] == ["assess.no_units"]
    assert a.units.height == 0 and a.excluded["school_id"].to_list() == ["2152990001"]
    assert weakest_units(a, c.county_key, "primary").height == 0
