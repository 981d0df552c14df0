"""Shared fixtures: the bundled sample county assessed under both packs, and its reports
(written once per test session)."""
from __future__ import annotations

import pytest

from junheng.core import assess
from junheng.core.county_verdict import evaluate_county
from junheng.io import read_school_table
from junheng.io.county_workbook import read_county_workbook
from junheng.rules import load_rules
from junheng.sample import SAMPLE_COUNTY_DATA, SAMPLE_XLSX

PACKS = ("basic-2012", "quality-2017")


@pytest.fixture(scope="session")
def sample_table():
    return read_school_table(SAMPLE_XLSX).table


@pytest.fixture(scope="session", params=PACKS)
def assessment(request, sample_table):
    return assess(sample_table, load_rules(request.param), year=2024)


@pytest.fixture(scope="session")
def report_files(assessment, sample_table, tmp_path_factory):
    """{format: path} of the sample county's reports under the pack of ``assessment``."""
    from junheng.report.bundle import write_report

    out = tmp_path_factory.mktemp(f"report-{assessment.rules.id}")
    paths = write_report(assessment, out, source_name="sample_county.xlsx", table=sample_table)
    return {p.suffix[1:]: p for p in paths}


@pytest.fixture(scope="module")
def county_data():
    return read_county_workbook(SAMPLE_COUNTY_DATA).data


@pytest.fixture(scope="module")
def checks(assessment, county_data, sample_table):
    return evaluate_county(assessment, county_data, assessment.rules, table=sample_table)
