"""Equity measures: hand-computed cases, the null rules, decompositions that add up, and PySAL
``inequality`` on replicated units (a unit of P pupils = P units of weight 1)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.analysis import measures as eq
from junheng.analysis.equity import MISSING_GROUP, assess_equity
from junheng.core import assess
from junheng.rules import load_rules
from junheng.sample import generate

# x = (1, 2, 4), w = (1, 1, 2): W = 4, x̄ = 11/4
X, W = [1.0, 2.0, 4.0], [1.0, 1.0, 2.0]
MEAN = 11 / 4


def test_hand_computed_small_county():
    # Σ_i Σ_j w_i w_j |x_i − x_j| = 2 (1·1·1 + 1·2·3 + 1·2·2) = 22; G = 22 / (2 · 16 · 11/4) = 0.25
    assert eq.gini(X, W) == pytest.approx(0.25, abs=1e-15)
    t = sum(wi / 4 * (xi / MEAN) * math.log(xi / MEAN) for xi, wi in zip(X, W))
    l_ = sum(wi / 4 * math.log(MEAN / xi) for xi, wi in zip(X, W))
    assert eq.theil_t(X, W) == pytest.approx(t, rel=1e-14)
    assert eq.theil_l(X, W) == pytest.approx(l_, rel=1e-14)
    # cumulative weights 1, 2, 4: median (p·W = 2) is 2; q05 (0.2) is 1; q95 (3.8) is 4
    assert eq.weighted_quantile(X, W, 0.5) == 2.0
    assert eq.mcloone(X, W) == pytest.approx(3 / 4)            # (1 + 2) / (2 · 2)
    assert eq.verstegen(X, W) == pytest.approx(10 / 6)         # (2 + 2·4) / (2 · 3)
    assert eq.restricted_range(X, W) == 3.0
    assert eq.range_ratio(X, W) == 3.0
    assert eq.cv(X, W) == pytest.approx(math.sqrt((1 * (1 - MEAN) ** 2 + (2 - MEAN) ** 2 + 2 * (4 - MEAN) ** 2) / 4) / MEAN)


def test_published_cv_example():
    # docs/method: books per pupil of 5 primary schools, CV 0.515257
    pupils = [45, 37, 89, 76, 55]
    books = [279, 137, 935, 160, 402]
    assert eq.cv([b / p for b, p in zip(books, pupils)], pupils) == pytest.approx(0.515257, abs=5e-7)


def test_one_unit():
    got = eq.measures([7.5], [120])
    assert got["gini"] == 0 and got["theil_t"] == 0 and got["theil_l"] == 0
    assert got["mcloone"] == 1 and got["verstegen"] == 1
    assert got["restricted_range"] == 0 and got["range_ratio"] == 0 and got["cv"] == 0


def test_null_rules_never_zero():
    got = eq.measures([0.0, 3.0], [10, 30])
    assert got["theil_l"] is None                       # a zero value
    assert got["theil_t"] is not None and got["gini"] is not None
    assert eq.range_ratio([0.0, 3.0], [10, 30]) is None  # q05 = 0
    zero = eq.measures([0.0, 0.0], [10, 30])
    assert all(zero[k] is None for k in ("gini", "theil_t", "theil_l", "mcloone", "verstegen", "range_ratio", "cv"))
    assert zero["restricted_range"] == 0.0


def test_invalid_input_raises():
    for x, w in (([], []), ([1.0], [0]), ([1.0, math.nan], [1, 1]), ([1.0], [-1]), ([1.0, 2.0], [1])):
        with pytest.raises(ValueError):
            eq.gini(x, w)


values = st.lists(st.floats(min_value=0.5, max_value=1e4, allow_nan=False), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(values, st.data())
def test_pupil_weighting_equals_replicated_units_in_pysal(xs, data):
    from inequality.gini import Gini
    from inequality.theil import Theil, TheilD

    w = data.draw(st.lists(st.integers(1, 40), min_size=len(xs), max_size=len(xs)))
    g = data.draw(st.lists(st.sampled_from("abc"), min_size=len(xs), max_size=len(xs)))
    flat = np.repeat(np.array(xs), w)
    assert eq.gini(xs, w) == pytest.approx(Gini(flat).g, abs=1e-9)
    assert eq.theil_t(xs, w) == pytest.approx(float(np.squeeze(Theil(flat).T)), abs=1e-9)
    d = eq.theil_decomposition(xs, w, g)["theil_t"]
    pysal = TheilD(flat, np.repeat(np.array(g), w))
    assert d["between"] == pytest.approx(float(np.squeeze(pysal.bg)), abs=1e-9)
    assert d["within"] == pytest.approx(float(np.squeeze(pysal.wg)), abs=1e-9)


@settings(max_examples=80, deadline=None)
@given(values, st.data())
def test_decompositions_add_up(xs, data):
    w = data.draw(st.lists(st.integers(1, 500), min_size=len(xs), max_size=len(xs)))
    g = data.draw(st.lists(st.sampled_from(["甲镇", "乙镇", MISSING_GROUP]), min_size=len(xs), max_size=len(xs)))
    d = eq.theil_decomposition(xs, w, g)
    for code, total in (("theil_t", eq.theil_t(xs, w)), ("theil_l", eq.theil_l(xs, w))):
        part = d[code]
        assert part["within"] + part["between"] == pytest.approx(total, rel=1e-9, abs=1e-12)
        assert part["within"] >= -1e-12 and part["between"] >= -1e-12


@settings(max_examples=60, deadline=None)
@given(values, st.data())
def test_bounds(xs, data):
    w = data.draw(st.lists(st.integers(1, 500), min_size=len(xs), max_size=len(xs)))
    m = eq.measures(xs, w)
    assert 0 <= m["gini"] < 1
    assert 0 < m["mcloone"] <= 1 + 1e-12 and m["verstegen"] >= 1 - 1e-12
    assert m["restricted_range"] >= 0


@pytest.fixture(scope="module")
def assessed():
    return assess(generate(schools=300, counties=3, seed=5), load_rules("quality-2017"))


def test_equity_of_an_assessment_matches_its_cvs(assessed):
    r = assess_equity(assessed)
    assert r.rules == "quality-2017" and len(r.counties) == 3
    for c, doc in zip(assessed.counties, r.counties):
        for level, lv in c.levels.items():
            for code, stat in lv.indicators.items():
                got = doc["levels"][level]["indicators"][code]
                assert got["cv"] == pytest.approx(stat.cv, rel=1e-12)
                assert set(got["decomposition"]) == {"township", "urban_rural"}
    # three counties in three provinces (52, 53, 54): no province has two counties to compare
    assert [c.county_code[:2] for c in assessed.counties] == ["52", "53", "54"] and r.quadrants == {}


def _county(code, name, stats):
    from junheng.core.result import CountyResult, IndicatorStat, LevelResult

    inds = {k: IndicatorStat(k, k, "", mean, 0.0, cv, None, None) for k, (mean, cv) in stats.items()}
    return CountyResult(code, code, name, None, {"primary": LevelResult("primary", 3, 100, inds, None, None, None)})


def test_quadrant_of_a_hand_made_four_county_province():
    from types import SimpleNamespace

    from junheng.analysis.equity import quadrants

    # indicator a: means 10, 20, 30, 40 (average 25), CVs .1, .4, .2, .3; indicator b: mean 5, CV .2 everywhere
    # level_index = (mean_a / 25 + 1) / 2 = 0.7, 0.9, 1.1, 1.3 (median 1.0);
    # mean_cv = (cv_a + .2) / 2 = .15, .30, .20, .25 (median .225)
    counties = [_county(f"52010{i}", f"县{i}", {"a": (m, cv), "b": (5.0, 0.2)})
                for i, (m, cv) in enumerate([(10, .1), (20, .4), (30, .2), (40, .3)], start=1)]
    counties.append(_county("530101", "邻省县", {"a": (99.0, 0.9), "b": (9.0, 0.9)}))   # alone in province 53
    rules = SimpleNamespace(indicators=[SimpleNamespace(code="a"), SimpleNamespace(code="b")])
    q = quadrants(SimpleNamespace(rules=rules, counties=counties))["primary"]
    assert [x["county"] for x in q] == ["县1", "县2", "县3", "县4"] and {x["province"] for x in q} == {"52"}
    assert [x["level_index"] for x in q] == pytest.approx([0.7, 0.9, 1.1, 1.3])
    assert [x["mean_cv"] for x in q] == pytest.approx([0.15, 0.30, 0.20, 0.25])
    assert [x["quadrant"] for x in q] == ["低水平高均衡", "低水平低均衡", "高水平高均衡", "高水平低均衡"]
    # per indicator: a against the medians 25 and .25; b ties the medians, which count as high
    assert [x["indicators"]["a"]["quadrant"] for x in q] == ["低水平高均衡", "低水平低均衡", "高水平高均衡", "高水平低均衡"]
    assert {x["indicators"]["b"]["quadrant"] for x in q} == {"高水平高均衡"}
