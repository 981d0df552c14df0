"""The cost–compliance curve (docs/plan.md §11): its ends, monotone in the budget, the CLI's
outputs and usage errors."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from junheng.cli import app
from junheng.plan.costs import Limits
from junheng.plan.run import plan
from junheng.plan.worst import engine_ratio
from tests.core.helpers import full, school, table
from tests.plan.test_budget import ROWS


def _curve(rows, quality, costs, points=5, **kw):
    p = plan(table(rows), quality, costs, Limits(), objective="curve", points=points, **kw)
    return p, p.curves[p.counties[0].county_key]


def _monotone(c):
    pts = c.points
    for a, b in zip(pts, pts[1:]):
        assert b.budget_yuan > a.budget_yuan
        assert b.passing_units >= a.passing_units  # more money: never fewer units passing
        assert b.worst_ratio <= a.worst_ratio  # … and never a worse ratio
    for p in pts:
        assert p.pass_cost_yuan <= p.budget_yuan + 1e-6 and p.worst_cost_yuan <= p.budget_yuan + 1e-6
        assert p.passing_units <= p.bound_units <= c.units
        assert not p.bound_ratio > p.worst_ratio  # NaN (no bound) or a lower bound


def test_ends_of_the_curve(quality, costs):
    # ROWS (test_budget.py): min-cost makes all 4 units pass for 315 000 元 (a room, 150 ㎡, a hire)
    p, c = _curve(ROWS, quality, costs, points=5)
    full_plan = p.counties[0]
    first, last = c.points[0], c.points[-1]
    # the first point is the assessment without a plan
    before = p.before.counties[0]
    assert first.budget_yuan == 0 and first.pass_cost_yuan == first.worst_cost_yuan == 0
    assert first.passing_units == 4 - before.units_failed == 1
    assert first.worst_ratio == pytest.approx(engine_ratio(before), rel=1e-12)
    # the last point is the min-cost plan's cost and outcome
    assert c.full_compliance and last.budget_yuan == full_plan.total_yuan == c.end_yuan
    assert last.pass_cost_yuan == full_plan.total_yuan and last.passing_units == 4 - p.after.counties[0].units_failed == 4
    assert last.worst_ratio <= engine_ratio(p.after.counties[0]) + 1e-12 and last.worst_ratio <= 1
    assert [pt.budget_yuan for pt in c.points] == pytest.approx(list(np.linspace(0, full_plan.total_yuan, 5)))
    _monotone(c)
    # max-pass at the same budgets (test_budget.py worked them out): 78 750 元 buys A and B
    assert c.points[1].passing_units == 3 and c.points[1].bound_units == 3


def test_budget_ends_the_curve_and_basic_has_no_units(costs):
    from junheng.rules import load_rules

    basic = load_rules("basic-2012")
    rows = [school("5200000001", **full(100, 1.0, sports_ground_m2=500)), school("5200000002", **full(100, 1.0))]
    p = plan(table(rows), basic, costs, Limits(), objective="curve", points=3, budget_yuan=90_000)
    c = p.curves[p.counties[0].county_key]
    assert not c.full_compliance and c.points[-1].budget_yuan == 90_000
    assert [pt.passing_units for pt in c.points] == [0, 0, 0]
    assert c.points[-1].worst_ratio < c.points[0].worst_ratio


@st.composite
def counties(draw):
    n = draw(st.integers(2, 4))
    rows = []
    for k in range(n):
        scale = draw(st.sampled_from([0.6, 0.8, 1.0, 1.2]))
        extra = {}
        if draw(st.booleans()):
            extra["sports_ground_m2"] = draw(st.sampled_from([400, 900, 1500]))
        if draw(st.booleans()):
            extra["multimedia_rooms"] = draw(st.sampled_from([1, 2]))
        rows.append(school(f"52000000{k:02d}", **full(draw(st.sampled_from([60, 100, 150])), scale, **extra)))
    return rows


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking: each example solves a curve
@given(rows=counties())
def test_curve_is_monotone(quality, costs, rows):
    p, c = _curve(rows, quality, costs, points=4)
    _monotone(c)
    assert c.points[-1].passing_units == c.units, rows  # full compliance: every unit passes


def _county_file(tmp_path):
    from tests.plan.test_inputs import _county_file as f

    return f(tmp_path)


@pytest.mark.parametrize("args, words", [
    (["--objective", "curve", "--points", "1"], "--points 应为 2 到 100"),
    (["--objective", "curve", "--points", "101"], "--points 应为 2 到 100"),
    (["--points", "5"], "--points 只用于 --objective curve"),
    (["--objective", "min-worst"], "min-worst 需要 --budget"),
    (["--objective", "min-worst", "--budget", "inf"], "--budget 应为有限的万元数"),
    (["--objective", "curve", "--budget", "0"], "应大于 0"),
])
def test_bad_budget_and_points_exit_2_in_chinese(tmp_path, args, words):
    data = _county_file(tmp_path)
    out = tmp_path / "plan.json"
    r = CliRunner().invoke(app, ["plan", str(data), *args, "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert words in r.output and "错误" in r.output and "Traceback" not in r.output
    assert not out.exists()


@pytest.mark.parametrize("args, words", [
    (["--objective", "min-worst", "--budget", "-1"], "--budget 的值无效"),
    (["--objective", "curve", "--points", "五"], "--points 的值无效"),
])
def test_unparsable_budget_and_points_exit_2_in_chinese(tmp_path, args, words):
    import subprocess
    import sys

    data = _county_file(tmp_path)
    out = tmp_path / "plan.json"
    r = subprocess.run([sys.executable, "-m", "junheng.cli", "plan", str(data), *args, "-o", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not out.exists()


def _plan(data, out, *args) -> dict | None:
    """Run ``junheng plan data *args -o out``; exit 0 asserted; the JSON document (None for xlsx)."""
    r = CliRunner().invoke(app, ["plan", str(data), *args, "-o", str(out)])
    assert r.exit_code == 0, r.output
    return json.loads(out.read_text(encoding="utf-8")) if out.suffix == ".json" else None


def test_cli_curve_json_and_xlsx(tmp_path):
    data = _county_file(tmp_path)
    out = tmp_path / "plan.json"
    doc = _plan(data, out, "--objective", "curve", "--points", "3")
    assert doc["objective"] == "curve"
    c = doc["counties"][0]
    curve = c["curve"]
    assert curve["full_compliance"] is True and curve["end_yuan"] == c["cost"]["total_yuan"] == 30000.0
    assert [p["budget_yuan"] for p in curve["points"]] == [0.0, 15000.0, 30000.0]
    assert [p["passing_units"] for p in curve["points"]] == [1, 1, 2]
    assert set(curve["points"][0]) == {"budget_yuan", "passing_units", "bound_units", "pass_cost_yuan", "pass_status",
                                       "worst_ratio", "bound_ratio", "worst_cost_yuan", "worst_status", "worst_gap"}
    x = tmp_path / "plan.xlsx"
    _plan(data, x, "--objective", "curve", "--points", "3")
    import openpyxl

    wb = openpyxl.load_workbook(x)
    assert wb.sheetnames[-1] == "投入达标曲线"
    ws = wb["投入达标曲线"]
    assert [row[1] for row in ws.iter_rows(min_row=3, max_row=5, values_only=True)] == [1, 1, 2]
    assert len(ws._images) == 1  # the chart
    c = _plan(data, out, "--objective", "min-worst", "--budget", "3")["counties"][0]
    assert c["worst_ratio"] <= c["bound_ratio"] / (1 - 0.02) and c["cost"]["total_yuan"] <= 30000
