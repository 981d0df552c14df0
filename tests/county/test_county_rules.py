"""Rule-pack models of the county parts: validation of items, score sheet and standard."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from junheng.rules.loader import CountyItem, RulePack, load_rules


def test_unknown_check_and_params_are_refused():
    with pytest.raises(ValidationError):
        CountyItem(id="X", part="guarantee", name="x", kind="computed", check="nope")
    with pytest.raises(ValidationError):
        CountyItem(id="X", part="guarantee", name="x", kind="computed", check="class_size", params={"primary": 45})
    with pytest.raises(ValidationError):
        CountyItem(id="X", part="quality", name="x", kind="computed", check="min_rates", params={"unknown_rate": 1})
    with pytest.raises(ValidationError):
        CountyItem(id="X", part="quality", name="x", kind="qualitative", check="class_size")


def test_score_areas_must_add_up():
    data = load_rules("basic-2012").model_dump()
    data["county_items"][0]["points"] = 5          # B1: 4 → 5, area A1 no longer 20
    with pytest.raises(ValidationError, match="A1"):
        RulePack.model_validate(data)


def test_school_standard_names_pack_indicators():
    data = load_rules("basic-2012", "52").model_dump()
    data["school_standard"]["minima"]["no_such_indicator"] = {"primary": 1, "junior": 1}
    with pytest.raises(ValidationError, match="no_such_indicator"):
        RulePack.model_validate(data)


def test_numbers_live_in_the_packs():
    q = load_rules("quality-2017")
    items = {i.id: i for i in q.county_items}
    assert items["G5"].params == {"primary": 45, "junior": 50}
    assert items["G4"].params == {"single": 2000, "combined": 2500}
    assert items["G11"].params == {"min_rotated": 10, "min_backbone": 20}
    assert items["G15"].params == {"migrant_public_rate": 85}
    assert items["Q1"].params == {"junior_retention_rate": 95} and items["Q2"].params == {"disabled_enrolment_rate": 95}
    assert items["G3"].params == {"classes_per_room": 12} and items["G7"].params == {"min_yuan": 6000}
    assert items["R1"].params == {"min": 85}
    f = q.funding
    assert (f.base["east"].primary, f.base["east"].junior, f.base["west"].primary, f.base["west"].junior) == (650, 850, 600, 800)
    assert f.boarder_extra == 200 and f.small_school_students == 100
    b = load_rules("basic-2012")
    assert b.score_sheet.pass_score == 85 and b.score_sheet.example and len(b.score_sheet.areas) == 4
