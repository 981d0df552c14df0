"""Special provisions (core/provisions.py) at their edges: the basis kept only when counted, no
rural code prefixes, a sports ground that is not split between sections, and the columns of a
pack without the provision."""
import polars as pl
import pytest

from junheng.core import assess
from junheng.rules import load_rules

from .helpers import school, table
from .test_provisions import small, unit_of, with_settings

Q = load_rules("quality-2017")
B = load_rules("basic-2012")


@pytest.mark.parametrize("rules, pupils, status", [
    (Q, 120, "size_out_of_band"),
    (with_settings(enabled=False), 70, "disabled"),
    (with_settings(rural_code_prefixes=[]), 70, "not_rural"),
])
def test_the_basis_is_kept_only_when_counted(rules, pupils, status):
    u = unit_of(assess(table([small("2152990001", pupils, visiting_pe_art_teachers_P=1, urban_rural_code="220")]),
                       rules), "2152990001")
    assert u["visiting_pe_art_teachers_status"] == status
    assert u["visiting_pe_art_teachers_basis"] is None and u["visiting_pe_art_teachers_added"] == 0
    assert u["visiting_pe_art_teachers_given"] == 1 and u["visiting_pe_art_teachers_size"] == pupils


def test_several_prefixes_any_one_counts():
    rules = with_settings(rural_code_prefixes=["9", "12"])
    for code, status in (("121", "counted"), ("911", "counted"), ("220", "not_rural"), ("111", "not_rural")):
        u = unit_of(assess(table([small("2152990001", 70, visiting_pe_art_teachers_P=1, urban_rural_code=code)]),
                           rules), "2152990001")
        assert u["visiting_pe_art_teachers_status"] == status, code


def test_an_unsplit_sports_ground_gives_the_whole_extra_area_to_each_section():
    rules = Q.model_copy(update={"split": Q.split.model_copy(update={
        "resources": [r for r in Q.split.resources if r != "sports_ground_m2"]})})
    row = school("3152990376", 312, students_P=166, students_J=210, teachers_P=10, teachers_J=20,
                 sports_ground_m2=2779, extra_sports_m2=794, central_urban="是", urban_rural_code="111")
    a = assess(table([row]), rules)
    p, j = unit_of(a, "3152990376"), unit_of(a, "3152990376", "junior")
    assert p["extra_sports_area_given"] == 794 and j["extra_sports_area_given"] == 794
    assert p["extra_sports_area_added"] == 794 and p["extra_sports_area_status"] == "counted"
    assert p["sports_area_per_student"] == pytest.approx((2779 + 794) / 166)


def test_a_pack_without_provisions_keeps_the_columns_empty():
    row = small("2152990060", 60, visiting_pe_art_teachers_P=2, extra_sports_m2=600, central_urban="是")
    a = assess(table([row]), B)
    u = unit_of(a, "2152990060")
    assert u["visiting_pe_art_teachers_given"] == 2 and u["visiting_pe_art_teachers_added"] == 0
    assert u["visiting_pe_art_teachers_basis"] is None and u["visiting_pe_art_teachers_size"] is None
    assert u["extra_sports_area_given"] == 600 and u["extra_sports_area_added"] == 0
    assert u["visiting_pe_art_teachers_delta"] == 0 and u["extra_sports_area_delta"] == 0
    assert a.units.schema["visiting_pe_art_teachers_size"] == pl.Int64
    assert a.units.schema["visiting_pe_art_teachers_status"] == pl.Utf8
    for raw in ("visiting_pe_art_teachers", "extra_sports_m2", "central_urban", "school_students"):
        assert raw not in a.units.columns


def test_the_quality_units_carry_the_provision_columns():
    a = assess(table([small("2152990060", 60, visiting_pe_art_teachers_P=1)]), Q)
    u = unit_of(a, "2152990060")
    assert u["extra_sports_area_given"] == 0 and u["extra_sports_area_status"] is None
    assert u["visiting_pe_art_teachers_size"] == 60
    assert a.units.schema["visiting_pe_art_teachers_size"] == pl.Int64
