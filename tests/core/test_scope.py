"""Which schools enter the calculation (core/units.py prepare, exclusion_reason, county_key):
every scope setting both ways, the first matching reason, and the county key's fallbacks."""
import polars as pl
import pytest

from junheng.core import assess
from junheng.core.units import KEY, county_key, prepare
from junheng.rules import load_rules

from .helpers import full, school, table

Q = load_rules("quality-2017")
B = load_rules("basic-2012")


def scoped(pack, **scope):
    return pack.model_copy(update={"scope": pack.scope.model_copy(update=scope)})


def reasons(rows, rules) -> dict:
    a = assess(table(rows), rules)
    return dict(zip(a.excluded["school_id"], a.excluded["reason"]))


def test_large_teaching_points_are_included_from_the_minimum_on():
    rules = scoped(Q, teaching_points="include_if_large", teaching_point_min_students=50)
    rows = [school("2152990001", 218, **full(49, 1.0)), school("2152990002", 218, **full(50, 1.0)),
            school("2152990003", 211, **full(300, 1.0))]
    r = reasons(rows, rules)
    assert r == {"2152990001": "small_teaching_point"}
    assert r == reasons(rows, scoped(rules, teaching_point_min_students=50))
    assert set(reasons(rows, scoped(rules, teaching_point_min_students=51))) == {"2152990001", "2152990002"}
    assert reasons(rows, scoped(Q, teaching_points="include")) == {}
    assert set(reasons(rows, scoped(Q, teaching_points="exclude"))) == {"2152990001", "2152990002"}


def test_each_scope_setting_both_ways():
    rows = [school("2152990001", 211, ownership="民办", **full(100, 1.0)),
            school("5152990002", 515, **full(100, 1.0)),
            school("3152990003", 319, **full(100, 1.0, "J")),
            school("2152990004", 211, authority="市属", **full(100, 1.0)),
            school("2152990005", 211, **full(300, 1.0))]
    strict = scoped(B, private="exclude", special="exclude", vocational="exclude", excluded_authorities=["市属"])
    assert set(reasons(rows, strict)) == {"2152990001", "5152990002", "3152990003", "2152990004"}
    assert reasons(rows, strict)["2152990004"] == "authority"
    open_ = scoped(B, private="include", special="include", vocational="include", excluded_authorities=[])
    assert reasons(rows, open_) == {}
    assert set(reasons(rows, scoped(open_, private="exclude"))) == {"2152990001"}
    assert set(reasons(rows, scoped(open_, special="exclude"))) == {"5152990002"}
    assert set(reasons(rows, scoped(open_, vocational="exclude"))) == {"3152990003"}
    assert set(reasons(rows, scoped(open_, excluded_authorities=["省属", "市属"]))) == {"2152990004"}


def test_no_pupils_and_unknown_types_are_always_excluded():
    rows = [school("2152990001", 211, **full(100, 1.0)),
            school("2152990002", 211, students_P=0, teachers_P=3, books=10),
            school("9952990003", 999, **full(100, 1.0)),
            school("3452990004", 342, students_S=500)]
    open_ = scoped(B, private="include", special="include", vocational="include", excluded_authorities=[])
    r = reasons(rows, open_)
    assert set(r) == {"2152990002", "9952990003", "3452990004"}
    assert r == {"2152990002": "no_pupils", "9952990003": "unknown_type", "3452990004": "senior"}
    # the first reason wins: a private senior school is named as a senior school
    both = reasons([school("3452990005", 342, ownership="民办", students_S=500)], B)
    assert both["3452990005"] == r["3452990004"]


def test_prepare_sums_pe_music_and_art_teachers_when_the_total_is_missing_or_zero():
    rows = [school("2152990001", students_P=100, pe_teachers_P=1, music_teachers_P=2, art_teachers_P=3),
            school("2152990002", students_P=100, pe_art_teachers_P=0, pe_teachers_P=1, art_teachers_P=1),
            school("2152990003", students_P=100, pe_art_teachers_P=4, pe_teachers_P=1),
            school("3152990004", 311, students_J=100, pe_teachers_J=2, music_teachers_J=None, art_teachers_J=1)]
    df = prepare(table(rows))
    assert df["pe_art_teachers_P"].to_list() == [6.0, 2.0, 4.0, 0.0]
    assert df["pe_art_teachers_J"].to_list() == [0.0, 0.0, 0.0, 3.0]


def test_prepare_fills_defaults():
    t = table([{"school_id": "2152990001", "name": "甲", "school_type": 211, "students_P": 10}])
    df = prepare(t)
    r = df.row(0, named=True)
    assert (r["ownership"], r["authority"], r["category"], r[KEY]) == ("公办", "县属", "primary", "")
    assert r["books"] == 0.0 and r["students_J"] == 0.0 and r["source_row"] == 0
    assert df.schema["books"] == pl.Float64 and df.schema["county_code"] == pl.Utf8
    assert prepare(t.with_columns(pl.lit(7, pl.Int64).alias("source_row")))["source_row"].to_list() == [7]
    with pytest.raises(ValueError, match="school_type"):
        prepare(t.drop("school_type"))


def test_county_key_falls_back_to_the_name_then_empty():
    t = pl.DataFrame({"county_code": ["529901", None, None], "county": ["甲县", "乙县", None], "x": [1, 2, 3]})
    assert t.select(county_key(t.columns).alias("k"))["k"].to_list() == ["529901", "乙县", ""]
    only_name = t.drop("county_code")
    assert only_name.select(county_key(only_name.columns).alias("k"))["k"].to_list() == ["甲县", "乙县", ""]
    none = t.drop("county_code", "county")
    assert none.with_columns(county_key(none.columns).alias("k"))["k"].to_list() == ["", "", ""]


def test_pupils_of_a_section_the_type_lacks_take_no_share():
    # a nine-year school (312) has no senior section and a primary school (211) has no senior
    # section either: senior pupils given anyway take no share of the split resources
    rows = [school("3152990001", 312, students_P=100, students_J=100, students_S=50, books=2100,
                   teachers_P=5, teachers_J=5),
            school("2152990002", 211, students_P=100, students_S=50, books=1000, teachers_P=5)]
    u = {(r["school_id"], r["level"]): r for r in assess(table(rows), B).units.iter_rows(named=True)}
    assert u[("3152990001", "primary")]["share"] == pytest.approx(100 / 210)
    assert u[("3152990001", "junior")]["share"] == pytest.approx(110 / 210)
    assert u[("2152990002", "primary")]["share"] == 1.0
    assert u[("2152990002", "primary")]["books_per_student"] == pytest.approx(10.0)


def test_a_resource_not_listed_for_splitting_goes_whole_to_every_section():
    rules = Q.model_copy(update={"split": Q.split.model_copy(update={
        "resources": [r for r in Q.split.resources if r != "multimedia_rooms"]})})
    row = school("3152990001", 312, students_P=100, students_J=100, multimedia_rooms=10, books=2100,
                 teachers_P=5, teachers_J=5)
    u = {r["level"]: r for r in assess(table([row]), rules).units.iter_rows(named=True)}
    assert u["primary"]["multimedia_rooms"] == 10 and u["junior"]["multimedia_rooms"] == 10
    assert u["primary"]["multimedia_rooms_per_100"] == pytest.approx(10.0)
    assert u["primary"]["books"] == pytest.approx(1000.0) and u["junior"]["books"] == pytest.approx(1100.0)
