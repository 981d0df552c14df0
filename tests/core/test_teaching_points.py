"""Teaching points merged into their parent school (core/units.py merge_teaching_points) next to
schools excluded for other reasons."""
import polars as pl
import pytest

from junheng.core import assess
from junheng.core.units import exclusion_reason, merge_teaching_points, prepare
from junheng.rules import load_rules

from .helpers import full, school, table

MERGE = load_rules("basic-2012", "52")  # teaching_points = "merge_into_parent", 民办 excluded

ROWS = [
    school("2152990001", 211, **full(300, 1.0)),
    school("2152990002", 211, ownership="民办", **full(100, 1.0)),      # excluded: private
    school("5152990003", 515, **full(40, 1.0)),                          # excluded: special
    school("2152990004", 218, parent_id="2152990001", **full(20, 1.0)),  # merged into 0001
    school("2152990005", 218, parent_id="2152990002", **full(30, 1.0)),  # parent excluded: not merged
    school("2152990006", 218, parent_id="2152990004", **full(10, 1.0)),  # parent is a point: not merged
]


def test_merge_keeps_the_other_exclusions_and_refuses_excluded_parents():
    a = assess(table(ROWS), MERGE)
    reasons = dict(zip(a.excluded["school_id"], zip(a.excluded["reason"], a.excluded["reason_detail"])))
    assert reasons["2152990002"] == ("private", None)          # codes; report/narrative words them
    assert reasons["5152990003"] == ("special", None)
    assert reasons["2152990004"] == ("merged", "2152990001")
    assert reasons["2152990005"] == ("parent_out_of_scope", "2152990002")
    assert reasons["2152990006"] == ("parent_out_of_scope", "2152990004")
    assert a.units["school_id"].to_list() == ["2152990001"]
    assert a.units["students"].to_list() == [320]
    assert a.units["books_per_student"][0] == pytest.approx(3200 / 320)


def test_an_excluded_parent_gets_nothing_added():
    df = prepare(table(ROWS)).with_columns(exclusion_reason(MERGE).alias("reason"))
    out = merge_teaching_points(df)
    by_id = {r["school_id"]: r for r in out.iter_rows(named=True)}
    assert by_id["2152990001"]["students_P"] == 320 and by_id["2152990001"]["books"] == 3200
    assert by_id["2152990002"]["students_P"] == 100 and by_id["2152990002"]["books"] == 1000
    assert by_id["2152990004"]["students_P"] == 20  # a point that is itself a parent keeps its own
    assert by_id["5152990003"]["reason"] == "special"
    assert out.height == len(ROWS) and "_merged" not in out.columns
    assert not [c for c in out.columns if c.startswith("_add_")]
