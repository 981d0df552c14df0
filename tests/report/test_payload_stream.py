"""The streamed JSON document (``assess -f json``) equals the in-memory payload, and is valid JSON."""
import dataclasses
import io
import json
import math

import pytest

from junheng.core import assess
from junheng.core.county_verdict import evaluate_county
from junheng.io import read_school_table
from junheng.io.county_workbook import read_county_workbook
from junheng.report.payload import assessment_payload, write_assessments_json
from junheng.rules import load_rules
from junheng.sample import SAMPLE_XLSX, generate

SAMPLE_COUNTY_DATA = SAMPLE_XLSX.with_name("sample_county_data.xlsx")


def _streamed(pairs, **kw):
    buf = io.BytesIO()
    write_assessments_json(buf, pairs, **kw)
    text = buf.getvalue().decode("utf-8")
    # strict parse: NaN / Infinity are not JSON
    return json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


@pytest.fixture(scope="module")
def many_counties():
    return generate(schools=400, counties=7, seed=3)


@pytest.mark.parametrize("pack", ["basic-2012", "quality-2017"])
def test_stream_equals_payload_many_counties(many_counties, pack):
    a = assess(many_counties, load_rules(pack))
    assert len(a.counties) == 7
    want = assessment_payload(a, warnings=["w"], source="x.xlsx")
    got = _streamed([(a, None)], warnings=["w"], source="x.xlsx")
    assert got == want
    # every unit of the assessment is in the document, in its county, none twice
    assert sum(len(c["units"]) for c in got["counties"]) == a.units.height
    for c in got["counties"]:
        assert {u["school_id"] for u in c["units"]} <= set(
            a.units.filter(a.units["county_code"] == c["county_code"])["school_id"])


def test_two_packs_are_wrapped_like_demo(many_counties):
    pairs = [(assess(many_counties, load_rules(p)), None) for p in ("basic-2012", "quality-2017")]
    got = _streamed(pairs, source="x.xlsx")
    assert got == {"assessments": [assessment_payload(a, source="x.xlsx") for a, _ in pairs]}


def test_stream_with_county_checks_keeps_full_and_resource_verdicts():
    table = read_school_table(SAMPLE_XLSX).table
    rules = load_rules("quality-2017")
    a = assess(table, rules)
    data = read_county_workbook(SAMPLE_COUNTY_DATA).data
    ch = evaluate_county(a, data, rules, table=table)
    checks = {ch.county_key: ch}
    got = _streamed([(a, checks)])
    assert got == json.loads(json.dumps(assessment_payload(a, county_checks=checks)))
    (c,) = got["counties"]
    assert c["passed"] is ch.passed and c["resource_passed"] is a.counties[0].passed
    assert got["passed"] is ch.passed


def test_non_finite_values_are_written_as_null(many_counties):
    a = assess(many_counties, load_rules("basic-2012"))
    code = a.rules.indicators[0].code
    a = dataclasses.replace(a, units=a.units.with_columns(a.units[code].scatter(0, math.inf)))
    got = _streamed([(a, None)])
    first = next(c for c in got["counties"] if c["units"])
    assert first["units"][0]["indicators"][code] is None
