"""provisions_used (core/trace.py): the table of every unit where a special provision's data was
given, checked on hand-computed values, thresholds met exactly, other counties and a pack with
only the sports-area provision."""
import polars as pl
import pytest

from junheng.core import assess
from junheng.core.trace import provisions_used
from junheng.rules import load_rules
from junheng.rules.loader import ExtraSportsArea

from .test_provisions import small, with_settings
from .helpers import full, school, table

Q = load_rules("quality-2017")
B = load_rules("basic-2012")
COLUMNS = ["county_key", "school_id", "name", "level", "students", "provision", "indicator", "status", "basis",
           "size", "urban_rural_code", "given", "added", "before", "after", "delta", "threshold",
           "meets_before", "meets_after", "decisive"]


def test_columns_values_and_the_county_filter():
    rows = [small("2152990060", 60, visiting_pe_art_teachers_P=1),
            small("2152980070", 70, county_code="529801", county="乙县", visiting_pe_art_teachers_P=2,
                  pe_art_teachers_P=0.3)]
    a = assess(table(rows), Q)
    every = provisions_used(a)
    assert every.columns == COLUMNS
    assert every["school_id"].to_list() == ["2152980070", "2152990060"]
    one = provisions_used(a, "529801")
    assert one.height == 1
    r = one.row(0, named=True)
    assert (r["county_key"], r["school_id"], r["level"], r["students"]) == ("529801", "2152980070", "primary", 70)
    assert (r["provision"], r["indicator"], r["status"], r["basis"], r["size"]) == \
        ("visiting_pe_art_teachers", "pe_art_teachers_per_100", "counted", "rural_code", 70)
    assert r["urban_rural_code"] == "220" and r["given"] == 2 and r["added"] == 2
    assert r["before"] == pytest.approx(0.3 * 100 / 70, rel=1e-12)  # per 100 pupils
    assert r["after"] == pytest.approx(2.3 * 100 / 70, rel=1e-12)
    assert r["delta"] == pytest.approx(2 * 100 / 70, rel=1e-12)
    assert (r["threshold"], r["meets_before"], r["meets_after"], r["decisive"]) == (0.9, False, True, True)
    assert provisions_used(a, "529900").height == 0


def test_a_threshold_met_exactly_counts_as_met_before_and_after():
    # 0.54 PE/art teachers for 60 pupils is exactly 0.9 per 100: met before the provision
    a = assess(table([small("2152990060", 60, pe_art_teachers_P=0.54, visiting_pe_art_teachers_P=1)]), Q)
    r = provisions_used(a).row(0, named=True)
    assert r["before"] == pytest.approx(0.9, rel=1e-15)
    assert r["meets_before"] is True and r["meets_after"] is True and r["decisive"] is False
    # a visiting teacher that lifts the value to exactly the threshold is decisive
    a = assess(table([small("2152990060", 60, pe_art_teachers_P=0.04, visiting_pe_art_teachers_P=0.5)]), Q)
    r = provisions_used(a).row(0, named=True)
    assert r["after"] == pytest.approx(0.9, rel=1e-15)
    assert r["meets_before"] is False and r["meets_after"] is True and r["decisive"] is True


def test_equal_to_the_threshold_is_met_without_any_tolerance():
    # tolerance 0 and a band up to 2000 pupils: 9 teachers for 1000 pupils is exactly 0.9 per 100
    exact = Q.model_copy(update={"dispersion": Q.dispersion.model_copy(update={"tolerance": 0.0})})
    rules = with_settings(exact, max_students=2000)
    r = provisions_used(assess(table([small("2152990001", 1000, pe_art_teachers_P=9, visiting_pe_art_teachers_P=1)]),
                               rules)).row(0, named=True)
    assert (r["before"], r["after"], r["meets_before"], r["decisive"]) == (0.9, 1.0, True, False)
    r = provisions_used(assess(table([small("2152990001", 1000, pe_art_teachers_P=4, visiting_pe_art_teachers_P=5)]),
                               rules)).row(0, named=True)
    assert (r["before"], r["after"], r["meets_before"], r["meets_after"], r["decisive"]) == (0.4, 0.9, False, True, True)


def test_a_pack_with_only_the_sports_area_provision():
    # basic-2012 has no PE/art indicator (visiting teachers are skipped) and no thresholds
    rules = B.model_copy(update={"provisions": B.provisions.model_copy(update={"extra_sports_area": ExtraSportsArea()})})
    rows = [school("2152990001", **full(100, 1.0, extra_sports_m2=500, central_urban="是")),
            school("2152990002", **full(100, 1.0))]
    t = provisions_used(assess(table(rows), rules))
    assert t.columns == COLUMNS
    assert t["school_id"].to_list() == ["2152990001"]
    r = t.row(0, named=True)
    assert (r["provision"], r["indicator"], r["status"]) == ("extra_sports_area", "sports_area_per_student", "counted")
    assert r["basis"] is None and r["size"] is None and r["threshold"] is None
    assert r["before"] == pytest.approx(20.0) and r["after"] == pytest.approx(25.0)
    assert r["meets_before"] is None and r["meets_after"] is None and r["decisive"] is False
    assert t.schema["threshold"] == pl.Float64 and t.schema["basis"] == pl.Utf8 and t.schema["size"] == pl.Int64


def test_nothing_given_is_an_empty_table_of_the_same_columns():
    t = provisions_used(assess(table([school("2152990001", **full(100, 1.0))]), B))
    assert t.columns == COLUMNS and t.height == 0
    assert t.schema["students"] == pl.Int64 and t.schema["decisive"] == pl.Boolean


def test_a_pack_without_either_provision_indicator_gives_the_empty_table():
    rules = B.model_copy(update={"indicators": [i for i in B.indicators
                                                if i.numerator not in ("sports_area", "pe_art_teachers")]})
    t = provisions_used(assess(table([school("2152990001", **full(100, 1.0, extra_sports_m2=5))]), rules))
    assert t.columns == COLUMNS and t.height == 0
    assert [str(d) for d in t.schema.values()] == [
        "String", "String", "String", "String", "Int64", "String", "String", "String", "String", "Int64", "String",
        "Float64", "Float64", "Float64", "Float64", "Float64", "Float64", "Boolean", "Boolean", "Boolean"]
