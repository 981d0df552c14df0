"""Money checks (docs/rules.md §6): the published county example to its decimals, and small cases."""
from __future__ import annotations

import polars as pl
import pytest

from junheng.core.funding import appropriation_vs_revenue, base_amount, funding_checks, growth
from junheng.report.narrative.numbers import round_half_up
from junheng.rules import load_rules
from junheng.report.narrative.findings import say

# docs/rules.md §6: 41 296 万元 is +14 849 on the year before, then 39 631, 72 014, 75 484.
YEARS = [2019, 2020, 2021, 2022, 2023]
APPROPRIATION = [41296 - 14849, 41296, 39631, 72014, 75484]
# Hand-made revenue series (万元) whose growth is exactly what the published margins imply:
# 56.15 − 28.65 = 27.50 %, −4.03 − 39.35 = −43.38 %, 81.71 − 0.71 = 81.00 %, 4.82 − 0.07 = 4.75 %.
REVENUE = [100_000.0, 127_500.0, 72_190.5, 130_664.805, 136_871.383_237_5]


def pct(x: float, places: int = 2) -> str:
    return str(round_half_up(x * 100, places))


def test_revenue_series_has_the_implied_growth():
    got = [pct(growth(b, a)) for a, b in zip(REVENUE, REVENUE[1:])]
    assert got == ["27.50", "-43.38", "81.00", "4.75"]


def test_published_growth_rates():
    assert APPROPRIATION[0] == 26447
    got = [pct(growth(b, a)) for a, b in zip(APPROPRIATION, APPROPRIATION[1:])]
    assert got == ["56.15", "-4.03", "81.71", "4.82"]


def test_published_margins_in_percentage_points():
    rows = appropriation_vs_revenue(YEARS, APPROPRIATION, REVENUE)
    assert [str(round_half_up(r.margin, 2)) for r in rows] == ["28.65", "39.35", "0.71", "0.07"]
    assert all(r.passed for r in rows)
    assert [r.year for r in rows] == YEARS[1:]
    assert rows[0].value == 41296 and rows[0].previous == 26447
    assert rows[0].growth == pytest.approx(14849 / 26447, abs=1e-15)


def test_equal_growth_fails_when_strict_and_passes_otherwise():
    rows = appropriation_vs_revenue([2020, 2021], [100.0, 110.0], [200.0, 220.0])
    assert rows[0].margin == pytest.approx(0, abs=1e-12) and rows[0].passed is False
    assert appropriation_vs_revenue([2020, 2021], [100.0, 110.0], [200.0, 220.0], strict=False)[0].passed


def test_growth_of_missing_or_zero_is_none():
    assert growth(5, None) is None and growth(5, 0) is None and growth(None, 4) is None


def finance(**cols) -> pl.DataFrame:
    n = len(next(iter(cols.values())))
    return pl.DataFrame({"year": list(range(2020, 2020 + n)), **cols})


FUNDING = load_rules("quality-2017").funding


def test_full_series_all_checks():
    df = finance(appropriation_wan=[100.0, 120.0, 130.0], regular_revenue_wan=[1000.0, 1100.0, 1150.0],
                 budget_edu_wan=[150.0, 150.0, 160.0], students=[10_000, 10_000, 10_000],
                 teacher_pay_yuan=[80_000.0, 82_000.0, 82_000.0],
                 operating_per_pupil_P_yuan=[700.0, 720.0, 740.0], operating_per_pupil_J_yuan=[900.0, 950.0, 1000.0],
                 boarders=[0, 0, 0])
    res = funding_checks(df, FUNDING, "west")
    c = res.checks
    assert c["appropriation_vs_revenue"].passed is True
    assert c["per_pupil_spending_rises"].passed is True
    assert c["teacher_pay_rises"].passed is False and c["teacher_pay_rises"].failed_years() == [2022]
    assert c["budget_not_falling"].passed is True          # equality allowed (只增不减)
    assert c["budget_per_pupil_not_falling"].passed is True
    assert c["operating_base_P"].passed is True and c["operating_base_J"].passed is True
    assert res.passed is False


def test_budget_per_pupil_falls_when_pupils_grow():
    df = finance(budget_edu_wan=[100.0, 101.0], students=[1000, 1100])
    c = funding_checks(df, FUNDING, "east").checks
    assert c["budget_not_falling"].passed is True
    assert c["budget_per_pupil_not_falling"].passed is False
    row = c["budget_per_pupil_not_falling"].rows[0]
    assert row.value == pytest.approx(1_010_000 / 1100) and row.previous == pytest.approx(1000)


def test_not_falling_margins_are_percentage_points():
    """只增不减 margins are the growth in percentage points (200 → 202 万元: +1 pp, not +2 万元)."""
    c = funding_checks(finance(budget_edu_wan=[200.0, 202.0], students=[1000, 1000]), FUNDING, "east").checks
    assert c["budget_not_falling"].rows[0].margin == pytest.approx(1.0)
    assert c["budget_per_pupil_not_falling"].rows[0].margin == pytest.approx(1.0)


def test_base_amounts_by_region_and_boarders():
    assert base_amount(FUNDING, "east", "primary") == 650
    assert base_amount(FUNDING, "central", "junior") == 800
    # a quarter of the pupils board: +200 × 0.25
    assert base_amount(FUNDING, "west", "primary", students=400, boarders=100) == 650
    df = finance(operating_per_pupil_P_yuan=[649.99, 650.0], operating_per_pupil_J_yuan=[850.0, 850.0],
                 students=[400, 400], boarders=[100, 100])
    c = funding_checks(df, FUNDING, "west").checks
    assert [r.passed for r in c["operating_base_P"].rows] == [False, True]   # equality passes
    assert c["operating_base_J"].passed is True
    assert c["operating_base_J"].rows[0].reference == 850


def test_base_amounts_only_from_2016():
    df = pl.DataFrame({"year": [2015, 2016], "operating_per_pupil_P_yuan": [100.0, 600.0]})
    rows = funding_checks(df, FUNDING, "west").checks["operating_base_P"].rows
    assert [r.year for r in rows] == [2016] and rows[0].passed is True


def test_missing_data_is_undecided_not_passed():
    res = funding_checks(finance(appropriation_wan=[1.0, 2.0]), FUNDING, None)
    assert res.checks["appropriation_vs_revenue"].passed is None
    assert res.checks["operating_base_P"].passed is None
    assert res.passed is None
    assert any("地区" in say(n) for n in res.notes)


def test_gap_in_years_is_an_error():
    with pytest.raises(ValueError):
        funding_checks(pl.DataFrame({"year": [2019, 2021]}), FUNDING)
