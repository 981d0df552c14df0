"""The county's schools as the county checks see them: from the school table, or rebuilt from the
assessment's units when no table is given (core/county_verdict.py)."""
import polars as pl

from junheng.core import assess
from junheng.core.county_verdict import _schools_from_units, county_schools
from junheng.rules import load_rules

from .helpers import full, school, table

Q = load_rules("quality-2017")

ROWS = [
    school("2152000001", 211, **full(300, 1.0, "P")),
    # 九年一贯制: 200 primary and 100 junior pupils in one school, two units
    school("3452000002", 312, **{**full(200, 1.0, "P"), "students_J": 100, "teachers_J": 10}),
    school("3152000003", 311, **full(500, 1.0, "J")),
    school("2152990004", 211, county_code="529902", county="他县", **full(70, 1.0, "P")),
]


def test_schools_rebuilt_from_units_have_the_table_sizes():
    a = assess(table(ROWS), Q)
    got = _schools_from_units(a, "529901")
    assert got.columns == ["school_id", "name", "school_type", "category", "students_P", "students_J",
                           "classes_P", "classes_J"]
    # one row per school, in the order of the units (sorted by level: junior first)
    assert got["school_id"].to_list() == a.units_of("529901")["school_id"].unique(maintain_order=True).to_list()
    got = got.sort("school_id")
    assert got["school_id"].to_list() == ["2152000001", "3152000003", "3452000002"]
    assert got["name"].to_list() == ["学校001", "学校003", "学校002"]
    assert got["school_type"].to_list() == [211, 311, 312]
    assert got["category"].to_list() == ["primary", "junior", "nine_year"]
    assert got["students_P"].to_list() == [300.0, 0.0, 200.0]
    assert got["students_J"].to_list() == [0.0, 500.0, 100.0]
    assert got["students_P"].dtype == pl.Float64 and got["students_J"].dtype == pl.Float64
    assert got["classes_P"].null_count() == 3 and got["classes_J"].null_count() == 3
    assert got["classes_P"].dtype == pl.Float64 and got["classes_J"].dtype == pl.Float64
    # the same sizes as from the table itself
    ref = county_schools(table(ROWS), "529901").sort("school_id")
    assert ref["students_P"].to_list() == got["students_P"].to_list()
    assert ref["students_J"].to_list() == got["students_J"].to_list()


def test_excluded_of_one_county():
    rows = ROWS + [school("5152990005", 515, county_code="529902", county="他县", **full(50, 1.0)),
                   school("5152000006", 515, **full(60, 1.0))]
    a = assess(table(rows), Q)
    assert a.excluded_of("529902")["school_id"].to_list() == ["5152990005"]
    assert a.excluded_of("529901")["school_id"].to_list() == ["5152000006"]
    assert a.units_of("529902")["school_id"].to_list() == ["2152990004"]
