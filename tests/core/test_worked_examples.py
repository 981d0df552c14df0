"""docs/rules.md §5: the two published worked examples, to their published decimals."""
import polars as pl
import pytest

from junheng.core import assess, unweighted_cv, weighted_cv, weighted_mean, weighted_sd, weighted_variance
from junheng.rules import load_rules

from .helpers import school, table

STUDENTS = [45, 37, 89, 76, 55]
BOOKS = [279, 137, 935, 160, 402]
X = [b / s for b, s in zip(BOOKS, STUDENTS)]


def test_example_1_books_per_student_numpy():
    assert sum(BOOKS) == 1913 and sum(STUDENTS) == 302
    assert round(weighted_mean(X, STUDENTS), 6) == 6.334437
    assert round(weighted_variance(X, STUDENTS), 6) == 10.652787
    assert round(weighted_sd(X, STUDENTS), 6) == 3.263861
    assert round(weighted_cv(X, STUDENTS), 6) == 0.515257
    assert round(weighted_cv(X, STUDENTS), 2) == 0.52  # as published
    assert round(unweighted_cv(X), 6) == 0.488771  # the wrong, unweighted figure


def test_example_1_through_the_assessment():
    rows = [school(f"21529900{i:02d}", students_P=s, books=b, teachers_P=1) for i, (s, b) in enumerate(zip(STUDENTS, BOOKS))]
    a = assess(table(rows), load_rules("basic-2012"))
    stat = a.counties[0].levels["primary"].indicators["books_per_student"]
    assert round(stat.mean, 6) == 6.334437
    assert round(stat.sd, 6) == 3.263861
    assert round(stat.cv, 6) == 0.515257
    # the variance shares of the trace sum to 1
    assert a.units["contrib_books_per_student"].sum() == pytest.approx(1.0, abs=1e-12)


def test_example_2_nine_year_school_split():
    t = table([school("3152990001", 312, students_P=166, students_J=210, books=23226, teachers_P=10, teachers_J=12)])
    a = assess(t, load_rules("basic-2012"))
    u = {r["level"]: r for r in a.units.iter_rows(named=True)}
    assert round(23226 / (166 + 1.1 * 210), 6) == 58.503778
    assert round(u["primary"]["share"] * 23226, 2) == 9711.63
    assert round(u["junior"]["share"] * 23226, 2) == 13514.37
    assert round(u["primary"]["books_per_student"] * 166, 2) == 9711.63
    assert round(u["junior"]["books_per_student"], 6) == 64.354156  # 58.503778 × 1.1 per junior pupil
    assert u["primary"]["share"] + u["junior"]["share"] == pytest.approx(1.0, abs=1e-15)
