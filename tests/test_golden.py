"""Golden results for the bundled sample county: any change in a number must be deliberate.

To accept a deliberate change, run ``JUNHENG_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and
commit the rewritten files under tests/golden/ with a message saying why the numbers moved.
"""
import json
import math
import os
from pathlib import Path

import pytest

from junheng.core import assess
from junheng.io import read_school_table
from junheng.report.payload import assessment_payload
from junheng.rules import load_rules
from junheng.sample import SAMPLE_XLSX

GOLDEN = Path(__file__).parent / "golden"


def _compare(got, want, path="$"):
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, (int, float)) and isinstance(want, (int, float)), path
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {got!r} != {want!r}"
    elif isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), f"{path}: keys {sorted(set(got) ^ set(want))}"
        for k in want:
            _compare(got[k], want[k], f"{path}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: length {len(got)} != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, f"{path}[{i}]")
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


@pytest.fixture(scope="module")
def sample_table():
    return read_school_table(SAMPLE_XLSX).table


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_sample_county_matches_golden(sample_table, pack):
    doc = assessment_payload(assess(sample_table, load_rules(pack)), source=Path(SAMPLE_XLSX).name)
    doc = json.loads(json.dumps(doc, ensure_ascii=False))
    path = GOLDEN / f"sample_county_{pack}.json"
    if os.environ.get("JUNHENG_UPDATE_GOLDEN"):
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    _compare(doc, want)


def test_sample_county_passes_basic_and_fails_quality(sample_table):
    basic = assess(sample_table, load_rules("basic-2012")).counties[0]
    quality = assess(sample_table, load_rules("quality-2017")).counties[0]
    assert basic.passed is True
    assert quality.passed is False
    assert quality.units_failed > 0
    cvs = [s.cv for lv in quality.levels.values() for s in lv.indicators.values()]
    assert any(cv > lv_thr for cv, lv_thr in zip(cvs, [0.5] * 7 + [0.45] * 7))
    all_cvs = cvs + [s.cv for lv in basic.levels.values() for s in lv.indicators.values()]
    assert min(all_cvs) < 0.2 and max(all_cvs) > 1.0
