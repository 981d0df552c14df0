"""``junheng pair``: exact assignment (brute force on tiny cases), k respected, coverage, 城带乡, distance."""
from __future__ import annotations

import itertools
import json
import subprocess
import sys

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.analysis.pair import pair_cost, recommend_pairs, solve_assignment, urban_rural_pair
from junheng.core import assess
from junheng.rules import load_rules
from junheng.sample import SAMPLE_XLSX, generate

QUALITY = load_rules("quality-2017")
TABLE = generate(coordinates=True)
A = assess(TABLE, QUALITY)


def brute(cost: np.ndarray, allowed: np.ndarray, k: int) -> tuple[int, float]:
    """Best (number of pairs, −total cost) over every assignment of each weak row to a column or none."""
    n, m = cost.shape
    best = (0, 0.0)
    for choice in itertools.product(range(-1, m), repeat=n):
        if any(j >= 0 and not allowed[i, j] for i, j in enumerate(choice)):
            continue
        if any(choice.count(j) > k for j in range(m)):
            continue
        pairs = sum(j >= 0 for j in choice)
        total = sum(cost[i, j] for i, j in enumerate(choice) if j >= 0)
        best = max(best, (pairs, -total))
    return best


@settings(max_examples=150)
@given(st.integers(1, 5), st.integers(1, 3), st.integers(1, 3), st.data())
def test_assignment_is_optimal_against_brute_force(n, m, k, data):
    cost = np.array(data.draw(st.lists(st.lists(st.floats(0, 1.75, allow_nan=False), min_size=m, max_size=m),
                                       min_size=n, max_size=n)))
    allowed = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=m, max_size=m), min_size=n, max_size=n)))
    pairs = solve_assignment(cost, allowed, k)
    assert all(allowed[i, j] for i, j in pairs)
    assert len({i for i, _ in pairs}) == len(pairs)                           # a weak unit at most once
    assert max((sum(1 for _, j in pairs if j == c) for c in range(m)), default=0) <= k
    got = (len(pairs), -sum(cost[i, j] for i, j in pairs))
    want = brute(cost, allowed, k)
    assert got[0] == want[0] and got[1] == pytest.approx(want[1], abs=1e-9)


def test_more_pairs_beat_cheaper_pairs():
    # row 0 may take either column; row 1 only column 0; k = 1: the cheap (0, 0) would leave row 1 alone
    cost = np.array([[0.0, 1.7], [1.7, 0.0]])
    allowed = np.array([[True, True], [True, False]])
    assert solve_assignment(cost, allowed, 1) == [(0, 1), (1, 0)]


@pytest.mark.parametrize("k", [1, 2, 3])
def test_k_is_respected_and_every_pair_covers_the_gaps(k):
    r = recommend_pairs(A, TABLE, max_per_strong=k)
    load: dict[tuple, int] = {}
    for p in r.pairs:
        load[(p["strong_id"], p["level"])] = load.get((p["strong_id"], p["level"]), 0) + 1
    assert max(load.values()) <= k
    assert sorted((d["school_id"], d["level"], d["weak"]) for d in r.load) == sorted((s, lv, n) for (s, lv), n in load.items())
    units = {(u["school_id"], u["level"]): u for u in A.units.to_dicts()}
    for p in r.pairs:
        weak, strong = units[(p["weak_id"], p["level"])], units[(p["strong_id"], p["level"])]
        assert not weak["passed"] and strong["passed"] and weak["county_key"] == strong["county_key"]
        assert p["gaps"] == [i.code for i in QUALITY.indicators if not weak[f"meets_{i.code}"]]
        assert all(strong[f"meets_{c}"] for c in p["gaps"])
    weak_total = A.units.filter(~pl.col("passed")).height
    assert len(r.pairs) + len(r.unpaired) == weak_total
    if k == 1:
        assert {u["reason"] for u in r.unpaired} <= {"capacity", "no_cover"} and r.unpaired


def test_max_km_is_respected_and_explains_the_rest():
    r = recommend_pairs(A, TABLE, max_per_strong=3, max_km=10)
    assert r.pairs and all(p["km"] is not None and p["km"] <= 10 for p in r.pairs)
    free = recommend_pairs(A, TABLE, max_per_strong=3)
    assert len(r.pairs) <= len(free.pairs)
    assert "too_far" in {u["reason"] for u in r.unpaired}




def test_urban_rural_code_decides_the_city_school():
    assert urban_rural_pair("111", "210") and urban_rural_pair("122", "220")
    assert not urban_rural_pair("210", "220") and not urban_rural_pair("111", "121") and not urban_rural_pair(None, "210")
    # the same distance and margin: 城带乡 is cheaper by W_URBAN_RURAL
    assert pair_cost(False, 5, 10, 0.2) - pair_cost(True, 5, 10, 0.2) == pytest.approx(1.0)
    assert pair_cost(True, None, 10, 0.0) == pytest.approx(0.5 * 0.5 + 0.25)


def test_urban_rural_pairs_have_an_urban_strong_and_a_rural_weak_school():
    r = recommend_pairs(A, TABLE, max_per_strong=3)
    rural_pairs = [p for p in r.pairs if p["urban_rural"]]
    assert rural_pairs, "the sample has 城带乡 pairs"
    units = {(u["school_id"], u["level"]): u for u in A.units.to_dicts()}
    for p in rural_pairs:
        assert str(units[(p["strong_id"], p["level"])]["urban_rural_code"]).startswith("1")
        assert str(units[(p["weak_id"], p["level"])]["urban_rural_code"]).startswith("2")


def run(*args):
    return subprocess.run([sys.executable, "-m", "junheng.cli", *args], capture_output=True, text=True)


def test_cli(tmp_path):
    out = tmp_path / "p.json"
    r = run("pair", str(SAMPLE_XLSX), "-k", "2", "-o", str(out))
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["settings"]["max_per_strong"] == 2 and doc["pairs"]
    assert all("帮扶学校在受援学校未达标的指标上均达到标准" in p["reason"] for p in doc["pairs"] if p["gaps"])
    r = run("pair", str(SAMPLE_XLSX), "-r", "basic-2012")
    assert r.returncode == 2 and "没有单校标准" in r.stderr
    x = tmp_path / "p.xlsx"
    assert run("pair", str(SAMPLE_XLSX), "-o", str(x)).returncode == 0
    import openpyxl
    assert openpyxl.load_workbook(x).sheetnames == ["结对", "未结对"]


def test_gaps_adds_passing_units_below_a_threshold():
    plain = recommend_pairs(A, TABLE, max_per_strong=50)
    wide = recommend_pairs(A, TABLE, max_per_strong=50, gaps=True)
    weak = lambda r: {(p["weak_id"], p["level"]) for p in r.pairs + r.unpaired}  # noqa: E731
    extra = weak(wide) - weak(plain)
    units = {(u["school_id"], u["level"]): u for u in A.units.to_dicts()}
    assert extra and weak(plain) <= weak(wide)
    assert all(units[k]["passed"] and units[k]["met_count"] < len(QUALITY.indicators) for k in extra)


def test_max_km_without_coordinates_says_it_was_not_applied(tmp_path):
    """The bundled sample has no 经度/纬度: --max-km 15 cannot act, and the screen and the JSON say so
    (no “距离不超过 15 公里” heading); with coordinates there is no such notice."""
    plain = generate()
    assert "longitude" not in plain.columns
    r = recommend_pairs(assess(plain, QUALITY), plain, max_km=15)
    assert r.settings["distance_known"] is False
    assert recommend_pairs(A, TABLE, max_km=15).settings["distance_known"] is True
    out = run("pair", str(SAMPLE_XLSX), "--max-km", "15")
    assert out.returncode == 0, out.stderr
    assert "距离不超过 15 公里" not in out.stdout
    assert "没有经度、纬度，距离上限 15 公里未起作用" in out.stdout.replace("\n", "")
    j = tmp_path / "p.json"
    assert run("pair", str(SAMPLE_XLSX), "--max-km", "15", "-o", str(j)).returncode == 0
    doc = json.loads(j.read_text(encoding="utf-8"))
    assert [n["code"] for n in doc["notes"]] == ["max_km_not_applied"]
    assert "15 公里" in doc["notes"][0]["text"]
    assert run("pair", str(SAMPLE_XLSX), "-o", str(j)).returncode == 0
    assert json.loads(j.read_text(encoding="utf-8"))["notes"] == []
