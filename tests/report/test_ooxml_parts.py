"""The OOXML package parts that WPS Office needs, in every .xlsx and .docx junheng writes: the
document properties (docProps/core.xml, docProps/app.xml) related from _rels/.rels, a content
type for every part and no content type for a missing part, and every internal relationship
pointing at a part that exists (ECMA-376 Part 2, Open Packaging Conventions)."""
from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile

import pytest

from junheng.core import assess
from junheng.report.xlsx import write_assessment_xlsx
from junheng.sample import generate, write_school_table
from junheng.sample.county_writer import write_template

CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
KINDS = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
}


def check_package(path) -> None:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        parts = set(z.namelist())
        types = ET.fromstring(z.read("[Content_Types].xml"))
        defaults = {d.get("Extension").lower() for d in types.iter(f"{CT}Default")}
        overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{CT}Override")}
        assert overrides <= parts, f"{path.name}: content types for missing parts {overrides - parts}"
        for p in parts - {"[Content_Types].xml"}:
            if not p.endswith("/"):
                assert p in overrides or p.rsplit(".", 1)[-1].lower() in defaults, f"{path.name}: no content type for {p}"
        assert {"docProps/core.xml", "docProps/app.xml"} <= parts, path.name
        root = {r.get("Type"): r.get("Target").lstrip("/") for r in ET.fromstring(z.read("_rels/.rels")).iter(f"{REL}Relationship")}
        assert KINDS <= set(root), f"{path.name}: _rels/.rels lacks {KINDS - set(root)}"
        for rels in (p for p in parts if p.endswith(".rels")):
            base = posixpath.dirname(posixpath.dirname(rels))
            for r in ET.fromstring(z.read(rels)).iter(f"{REL}Relationship"):
                if r.get("TargetMode") == "External":
                    continue
                t = r.get("Target")
                target = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(base, t))
                assert target in parts, f"{path.name}: {rels} points at missing {target}"


def test_report_files(report_files):
    check_package(report_files["xlsx"])
    check_package(report_files["docx"])


def test_assess_workbook_sample_table_and_county_template(tmp_path, assessment):
    many = assess(generate(60, 2, seed=3), assessment.rules)
    check_package(write_assessment_xlsx(many, tmp_path / "a.xlsx"))
    check_package(write_school_table(generate(30, 1, seed=3), tmp_path / "s.xlsx"))
    check_package(write_template(tmp_path / "t.xlsx"))


def test_the_check_finds_a_missing_part(tmp_path, report_files):
    """The check can fail: drop docProps/app.xml from a copy."""
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(report_files["xlsx"]) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            if item.filename != "docProps/app.xml":
                dst.writestr(item, src.read(item.filename))
    with pytest.raises(AssertionError, match="missing parts"):
        check_package(bad)
