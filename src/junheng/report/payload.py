"""The JSON document of an assessment (docs/json-contract.md); full precision, no rounding.

Two ways out, one construction: :func:`assessment_payload` returns the document as Python objects
(tests, callers that embed it), :func:`write_assessments_json` streams the same document to a
binary file county by county with orjson. Both build every county with :func:`county_payload`
and every unit list with :func:`unit_frame` (the ``units`` entries as one polars frame of struct
columns), so the two cannot disagree. orjson writes a non-finite float as ``null``: the output is
always valid JSON.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import orjson
import polars as pl

from ..core.provisions import PROVISION_CODES
from ..core.result import Assessment, CountyResult, LevelResult
from ..core.trace import provisions_used
from .narrative.findings import say_all, worded_excluded

#: orjson options of the streamed document: two-space indentation, one unit per line inside ``units``.
JSON_OPTIONS = orjson.OPT_INDENT_2
#: Fields of a ``provisions_used`` entry (core.trace.provisions_used, docs/rules.md §2 special provisions).
PROVISION_FIELDS = ("school_id", "name", "level", "provision", "indicator", "status", "basis", "size", "given",
                    "added", "before", "after", "delta", "threshold", "decisive")


def level_payload(lv: LevelResult) -> dict[str, Any]:
    """One level of a county as the JSON gives it (docs/json-contract.md: ``levels.<level>``):
    units, students, indicators with mean/std/CV/threshold, the composite and verdicts; the
    assessment document and the planner's before/after both use it."""
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
        "notes": say_all(lv.notes),
    }


def unit_frame(a: Assessment, units: pl.DataFrame) -> pl.DataFrame:
    """The ``units`` entries of one county as a frame, one row per unit, columns in contract order.

    units: rows of ``a.units`` (indicator values, ``contrib_<code>``, and under a per-unit rule
    ``meets_<code>``, ``met_count``, ``passed``). Returns columns school_id, name, level,
    school_type, students (int), share, indicators / contributions / meets (structs keyed by
    indicator code; meets null without a per-unit rule), met_count, passed, provisions (a struct
    keyed by special-provision code, core/provisions.py: null when the unit had no data for it,
    else status, basis, given, added, delta).
    """
    codes = [i.code for i in a.rules.indicators]
    has_rule = a.rules.unit_rule is not None
    none = pl.lit(None)
    return units.select(
        "school_id", "name", "level", "school_type",
        pl.col("students").cast(pl.Int64),
        "share",
        pl.struct([pl.col(c) for c in codes]).alias("indicators"),
        pl.struct([pl.col(f"contrib_{c}").alias(c) for c in codes]).alias("contributions"),
        (pl.struct([pl.col(f"meets_{c}").alias(c) for c in codes]) if has_rule else none).alias("meets"),
        (pl.col("met_count") if has_rule else none).alias("met_count"),
        (pl.col("passed") if has_rule else none).alias("passed"),
        pl.struct([
            pl.when(pl.col(f"{p}_status").is_not_null()).then(pl.struct(
                pl.col(f"{p}_status").alias("status"),
                (pl.col(f"{p}_basis") if f"{p}_basis" in units.columns else pl.lit(None, pl.Utf8)).alias("basis"),
                pl.col(f"{p}_given").alias("given"), pl.col(f"{p}_added").alias("added"),
                pl.col(f"{p}_delta").alias("delta"))).alias(p)
            for p in PROVISION_CODES
        ]).alias("provisions"),
    )


def _unit_slices(a: Assessment, stream: bool) -> dict[str, Any]:
    """Per county key, its ``units`` entries: a list of dicts, or (stream) an orjson Fragment.

    The unit frame is built and, when streaming, serialised by polars once for all counties (no
    Python object per unit); ``a.units`` is sorted by county, so each county is one run of rows.
    """
    frame = unit_frame(a, a.units)
    runs = a.units.group_by("county_key", maintain_order=True).len().rows()
    out: dict[str, Any] = {}
    if stream:
        lines = frame.write_ndjson().encode("utf-8").split(b"\n") if frame.height else []
        start = 0
        for key, n in runs:
            out[key] = orjson.Fragment(b"[\n" + b",\n".join(lines[start:start + n]) + b"\n]")
            start += n
    else:
        start = 0
        for key, n in runs:
            out[key] = frame.slice(start, n).to_dicts()
            start += n
    return out


def county_payload(a: Assessment, c: CountyResult, units: Any, excluded: pl.DataFrame,
                   checks=None, provisions: pl.DataFrame | None = None) -> dict[str, Any]:
    """One element of ``counties`` in the JSON contract.

    units: the county's ``units`` entries (from :func:`_unit_slices`); excluded: its rows of
    ``a.excluded``; checks: its CountyChecks or None. With county checks, ``passed``/``decided``
    are the full verdict and ``resource_passed`` keeps the school-table part (docs/json-contract.md).
    provisions: its rows of ``core.trace.provisions_used`` (computed when None), written as
    ``provisions_used``: every unit with data for a special provision, counted or not, with the
    indicator before and after (docs/rules.md §2).
    """
    if provisions is None:
        provisions = provisions_used(a, c.county_key)
    doc = {
        "county_code": c.county_code,
        "county": c.county,
        "passed": c.passed,
        "decided": c.verdict is not None,
        "units_failed": c.units_failed if a.rules.unit_rule is not None else None,
        "notes": say_all(c.notes),
        "levels": {name: level_payload(lv) for name, lv in c.levels.items()},
        "units": units,
        "excluded": worded_excluded(excluded, a.rules).select("school_id", "name", "school_type", "reason").to_dicts(),
        "provisions_used": provisions.select(PROVISION_FIELDS).to_dicts(),
    }
    if checks is not None:
        from .console.county import county_checks_payload

        doc["resource_passed"] = doc["passed"]
        doc["passed"], doc["decided"] = checks.passed, checks.verdict is not None
        doc["county_checks"] = county_checks_payload(checks)
    return doc


def _counties(a: Assessment, county_checks: dict | None, stream: bool) -> Iterator[dict[str, Any]]:
    units = _unit_slices(a, stream)
    excluded = a.excluded.partition_by("county_key", as_dict=True, maintain_order=True)
    empty_e = a.excluded.clear()
    empty_u = orjson.Fragment(b"[]") if stream else []
    used = provisions_used(a)
    by_county, empty_p = used.partition_by("county_key", as_dict=True, maintain_order=True), used.clear()
    for c in a.counties:
        yield county_payload(a, c, units.get(c.county_key, empty_u), excluded.get((c.county_key,), empty_e),
                             (county_checks or {}).get(c.county_key), by_county.get((c.county_key,), empty_p))


def _head(a: Assessment, warnings: list[str] | None, source: str | None) -> dict[str, Any]:
    return {
        "rules": a.rules.id,
        "rules_name": a.rules.name,
        "rules_version": a.rules.version,
        "document": a.rules.document,
        "province": a.rules.province,
        "provisions": {p: (None if (s := getattr(a.rules.provisions, p)) is None else s.model_dump())
                       for p in PROVISION_CODES},
        "year": a.year,
        "source": source,
        "warnings": warnings or [],
    }


def _all_passed(a: Assessment, county_checks: dict | None) -> bool:
    checks = county_checks or {}
    return all((checks[c.county_key].passed if c.county_key in checks else c.passed) for c in a.counties)


def assessment_payload(a: Assessment, *, warnings: list[str] | None = None, source: str | None = None,
                       county_checks: dict | None = None) -> dict[str, Any]:
    """The whole JSON document: ``{"rules": id, ..., "counties": [...], "passed": …}`` per docs/json-contract.md.

    county_checks: optional ``{county_key: CountyChecks}`` from the county workbook; a county that
    has them gains a ``county_checks`` section, its ``passed``/``decided`` become the full verdict
    (docs/json-contract.md: "once county-level data are given, the county checks") and ``resource_passed``
    keeps the verdict of the school-table part alone. The top-level ``passed`` is true when every
    county passed.
    """
    doc = _head(a, warnings, source)
    doc["counties"] = list(_counties(a, county_checks, stream=False))
    doc["passed"] = _all_passed(a, county_checks)
    return doc


def write_assessments_json(fh: IO[bytes], assessments: list[tuple[Assessment, dict | None]], *,
                           warnings: list[str] | None = None, source: str | None = None) -> None:
    """Stream the JSON document of one assessment, or ``{"assessments": [...]}`` of several, to ``fh``.

    assessments: (Assessment, county checks or None) pairs. Writes UTF-8 bytes county by county,
    so memory stays at one county's document (the national table has about 2 900 counties and
    380 000 units). The content equals :func:`assessment_payload` (same construction).
    """
    many = len(assessments) > 1
    if many:
        fh.write(b'{"assessments": [\n')
    for k, (a, checks) in enumerate(assessments):
        head = orjson.dumps(_head(a, warnings, source), option=JSON_OPTIONS)
        fh.write(head[:-2] + b',\n  "counties": [\n')  # reopen the head object after its last member
        for n, county in enumerate(_counties(a, checks, stream=True)):
            fh.write((b",\n" if n else b"") + orjson.dumps(county, option=JSON_OPTIONS))
        fh.write(b'\n  ],\n  "passed": ' + orjson.dumps(_all_passed(a, checks)) + b"\n}")
        if many:
            fh.write(b",\n" if k < len(assessments) - 1 else b"\n")
    if many:
        fh.write(b"]}")
    fh.write(b"\n")
