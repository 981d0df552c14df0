"""The JSON document of an assessment (shared/spec/CONTRACT.md); full precision, no rounding."""
from __future__ import annotations

from typing import Any

import polars as pl

from ..core.result import Assessment, CountyResult, LevelResult


def _level(lv: LevelResult) -> dict[str, Any]:
    return {
        "units": lv.units,
        "students": lv.students,
        "indicators": {
            code: {"name": s.name, "unit": s.unit, "mean": s.mean, "sd": s.sd, "cv": s.cv,
                   "threshold": s.threshold, "passed": s.passed}
            for code, s in lv.indicators.items()
        },
        "composite_cv": lv.composite_cv,
        "composite_threshold": lv.composite_threshold,
        "passed": lv.passed,
        "notes": list(lv.notes),
    }


def _units(a: Assessment, units: pl.DataFrame) -> list[dict[str, Any]]:
    codes = [i.code for i in a.rules.indicators]
    has_rule = a.rules.unit_rule is not None
    out = []
    for r in units.iter_rows(named=True):
        out.append({
            "school_id": r["school_id"],
            "name": r["name"],
            "level": r["level"],
            "school_type": r["school_type"],
            "students": int(r["students"]),
            "share": r["share"],
            "indicators": {c: r[c] for c in codes},
            "contributions": {c: r[f"contrib_{c}"] for c in codes},
            "meets": {c: r[f"meets_{c}"] for c in codes} if has_rule else None,
            "met_count": r["met_count"] if has_rule else None,
            "passed": r["passed"] if has_rule else None,
        })
    return out


def county_payload(a: Assessment, c: CountyResult, units: pl.DataFrame, excluded: pl.DataFrame) -> dict[str, Any]:
    """One element of ``counties`` in the JSON contract."""
    return {
        "county_code": c.county_code,
        "county": c.county,
        "passed": c.passed,
        "decided": c.verdict is not None,
        "units_failed": c.units_failed if a.rules.unit_rule is not None else None,
        "notes": list(c.notes),
        "levels": {name: _level(lv) for name, lv in c.levels.items()},
        "units": _units(a, units),
        "excluded": [
            {"school_id": r["school_id"], "name": r["name"], "school_type": r["school_type"], "reason": r["reason"]}
            for r in excluded.iter_rows(named=True)
        ],
    }


def assessment_payload(a: Assessment, *, warnings: list[str] | None = None, source: str | None = None,
                       county_checks: dict | None = None) -> dict[str, Any]:
    """The whole JSON document: ``{"rules": id, ..., "counties": [...]}`` per CONTRACT.md.

    county_checks: optional ``{county_key: CountyChecks}`` from the county workbook; a county that
    has them gains a ``county_checks`` section, its ``passed``/``decided`` become the full verdict
    (CONTRACT.md: "once county-level data are given, the county checks") and ``resource_passed``
    keeps the verdict of the school-table part alone.
    """
    units = a.units.partition_by("county_key", as_dict=True, maintain_order=True)
    excluded = a.excluded.partition_by("county_key", as_dict=True, maintain_order=True)
    empty_u, empty_e = a.units.clear(), a.excluded.clear()
    counties = [
        county_payload(a, c, units.get((c.county_key,), empty_u), excluded.get((c.county_key,), empty_e))
        for c in a.counties
    ]
    for c, doc in zip(a.counties, counties):
        checks = (county_checks or {}).get(c.county_key)
        if checks is not None:
            from .county_console import county_checks_payload

            doc["resource_passed"] = doc["passed"]
            doc["passed"], doc["decided"] = checks.passed, checks.verdict is not None
            doc["county_checks"] = county_checks_payload(checks)
    return {
        "rules": a.rules.id,
        "rules_name": a.rules.name,
        "rules_version": a.rules.version,
        "document": a.rules.document,
        "province": a.rules.province,
        "year": a.year,
        "source": source,
        "warnings": warnings or [],
        "counties": counties,
        "passed": all(d["passed"] for d in counties),
    }
