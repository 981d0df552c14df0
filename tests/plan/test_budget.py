"""max-pass --budget on tiny counties worked out by hand (docs/plan.md §3)."""
from __future__ import annotations

import pytest

from junheng.plan.costs import Limits
from junheng.plan.run import plan
from tests.core.helpers import full, school, table

# cheapest fixes (default costs, 3 years): A one multimedia room 30 000; B 150 ㎡ of sports ground
# 45 000 (its teaching area 4.0 stays within 85 %); C no PE/art teacher (below 85 %): a hire, 240 000.
ROWS = [
    school("5200000001", **full(100, 1.0, teaching_area_m2=400, multimedia_rooms=2)),
    school("5200000002", **full(100, 1.0, teaching_area_m2=400, sports_ground_m2=600)),
    school("5200000003", **full(100, 1.0, pe_art_teachers_P=0)),
    school("5200000004", **full(100, 1.0)),
]


@pytest.mark.parametrize("budget, passing, cost", [
    (0, 1, 0), (50_000, 2, 30_000), (80_000, 3, 75_000), (400_000, 4, 315_000),
])
def test_most_units_for_the_budget(quality, costs, budget, passing, cost):
    p = plan(table(ROWS), quality, costs, Limits(), objective="max-pass", budget_yuan=budget)
    c = p.counties[0]
    assert c.status == "optimal" and c.passing_units == passing == c.bound_units
    assert c.total_yuan == cost <= budget
    assert 4 - p.after.counties[0].units_failed == passing  # the engine agrees


def test_the_sample_county_passes_every_unit_with_enough_money(quality, costs):
    # regression: with feasibility tolerances of 1e-9 HiGHS stopped at 104 of 105 and called it optimal
    from junheng.io import read_school_table
    from junheng.sample import SAMPLE_XLSX

    t = read_school_table(SAMPLE_XLSX).table
    c = plan(t, quality, costs, Limits(), objective="max-pass", budget_yuan=3e8).counties[0]
    assert c.passing_units == c.units == 105
