"""Properties of the weighted statistics and the split (hypothesis)."""
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.core import assess, variance_contributions, weighted_cv, weighted_mean
from junheng.rules import load_rules

from .helpers import school, table

BASIC = load_rules("basic-2012")
pupils = st.integers(min_value=1, max_value=3000)
amount = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)
county = st.lists(st.tuples(pupils, amount), min_size=1, max_size=25)
#: values over the whole double range, subnormals included (tiny values must not underflow)
any_amount = st.floats(min_value=0.0, max_value=1e300, allow_nan=False, allow_infinity=False, allow_subnormal=True)
wide_county = st.lists(st.tuples(pupils, any_amount), min_size=1, max_size=12)


def exact_cv(x: list[float], p: list[int]) -> float | None:
    """CV = S / X̄ in exact rational arithmetic (the oracle): S² = Σ (P_i/P)(X_i − X̄)²."""
    fx, P = [Fraction(v) for v in x], sum(p)
    mean = sum(Fraction(n, P) * v for n, v in zip(p, fx))
    if mean == 0:
        return None
    var = sum(Fraction(n, P) * (v - mean) ** 2 for n, v in zip(p, fx))
    return math.sqrt(var / mean**2)


@given(county)
def test_weighted_mean_is_total_resource_over_total_pupils(rows):
    p = [r[0] for r in rows]
    res = [r[1] for r in rows]
    x = [r / n for n, r in zip(p, res)]
    assert weighted_mean(x, p) == pytest.approx(sum(res) / sum(p), rel=1e-9, abs=1e-12)


@given(county, st.floats(min_value=1e-3, max_value=1e3))
def test_cv_unchanged_when_the_indicator_is_scaled(rows, k):
    p = [r[0] for r in rows]
    x = [r[1] / r[0] for r in rows]
    cv = weighted_cv(x, p)
    scaled = weighted_cv([k * v for v in x], p)
    if cv is None:
        assert scaled is None
    else:
        assert scaled == pytest.approx(cv, rel=1e-7, abs=1e-9)


@given(county)
def test_adding_a_school_at_the_county_mean_does_not_raise_the_cv(rows):
    p = [r[0] for r in rows]
    x = [r[1] / r[0] for r in rows]
    cv = weighted_cv(x, p)
    if cv is None:
        return
    m = weighted_mean(x, p)
    assert weighted_cv(x + [m], p + [500]) <= cv + 1e-12


@given(wide_county)
def test_the_cv_equals_exact_arithmetic_even_for_tiny_values(rows):
    # (X_i − X̄)² of values near 1e-160 underflows in plain floating point: the CV came out
    # 0.49999722 instead of 0.5, or 0 for values below 1e-170. Scaling before squaring fixes it.
    p = [r[0] for r in rows]
    x = [r[1] for r in rows]
    want, got = exact_cv(x, p), weighted_cv(x, p)
    if want is None:
        assert got is None
    else:
        assert got == pytest.approx(want, rel=1e-9, abs=1e-12)  # the CV is dimensionless


def test_tiny_values_keep_their_cv():
    for a in (1e-150, 1e-160, 1e-170, 1e-300, 5e-324):
        assert weighted_cv([a, 3 * a], [1, 1]) == pytest.approx(0.5, rel=1e-12), a
        assert variance_contributions([a, 3 * a], [1, 1]) == pytest.approx([0.5, 0.5], rel=1e-12)


@given(wide_county)
def test_variance_shares_sum_to_one(rows):
    p = [r[0] for r in rows]
    x = [r[1] for r in rows]
    c = variance_contributions(x, p)
    assert np.all(c >= 0)
    if len(set(x)) == 1:
        assert c.sum() == 0.0
    else:
        assert math.isclose(c.sum(), 1.0, rel_tol=1e-9)


@settings(deadline=None)  # runs the whole assessment: too slow for the default 200 ms on a busy machine
@given(st.integers(1, 3000), st.integers(1, 3000), st.integers(0, 3000), amount, st.sampled_from([312, 341, 345]))
def test_a_split_conserves_the_totals(a, b, c, books, stype):
    if stype == 312:
        kw = {"students_P": a, "students_J": b}
    elif stype == 341:
        kw = {"students_J": a, "students_S": b}
    else:
        kw = {"students_P": a, "students_J": b, "students_S": c}
    u = assess(table([school("3152990001", stype, books=books, teachers_P=1, teachers_J=1, **kw)]), BASIC).units
    senior = {"students_S": 0} | kw
    ratios = {312: (1, 1.1, 0), 341: (0, 1.0, 1.2), 345: (1, 1.1, 1.32)}[stype]
    weighted = ratios[0] * kw.get("students_P", 0) + ratios[1] * kw.get("students_J", 0) + ratios[2] * senior["students_S"]
    senior_books = books * ratios[2] * senior["students_S"] / weighted
    total = float((u["books_per_student"] * u["students"]).sum())
    assert total + senior_books == pytest.approx(books, rel=1e-9, abs=1e-6)
    assert float(u["share"].sum()) + ratios[2] * senior["students_S"] / weighted == pytest.approx(1.0, rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.lists(county, min_size=1, max_size=3))
def test_the_assessment_equals_exact_arithmetic_per_county(counties):
    rows = [school(f"21529{k}{i:04d}", 211, county_code=f"52990{k}", students_P=n, books=r, teachers_P=1)
            for k, c in enumerate(counties) for i, (n, r) in enumerate(c)]
    res = assess(table(rows), BASIC).counties
    assert len(res) == len(counties)
    for c, got in zip(counties, res):
        s = got.levels["primary"].indicators["books_per_student"]
        p = [r[0] for r in c]
        x = [r[1] / r[0] for r in c]
        assert s.mean == pytest.approx(sum(r[1] for r in c) / sum(p), rel=1e-9, abs=1e-12)
        ref = exact_cv(x, p)
        if ref is None:
            assert s.cv is None
        else:
            assert s.cv == pytest.approx(ref, rel=1e-7, abs=1e-9)


def test_equal_values_have_no_dispersion():
    # Σ (P_i/P)·X_i of equal values is off by an ulp for these weights; the CV must still be 0
    x, p = [1.0, 1.0, 1.0], [1, 2270, 1]
    assert weighted_mean(x, p) == 1.0 and weighted_cv(x, p) == 0.0
    assert list(variance_contributions(x, p)) == [0.0, 0.0, 0.0]
