"""Apply a layout scenario to a school table and re-assess it with the unchanged engine (pure).

:func:`apply_scenario` edits the canonical school table (schema.py) as the scenario says
(docs/whatif.md): pupils, classes, teachers and resources are *moved*, so every total of the
county is conserved except where a section moves without its resources (they stay where they
are) or a school without pupils is left behind. :func:`run_whatif` assesses the table before and
after with :func:`junheng.core.assess` and adds what the engine does not say: the school sizes
and average class sizes the change creates, and the pupils' added travel distance where schools
have coordinates (great-circle distance, :func:`haversine_km`: a straight line, not a road).
Facts only (codes and numbers); the Chinese wording is in report/console/whatif.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from ...core import assess
from ...core.county_checks import COMBINED
from ...core.result import Assessment
from ...rules.loader import RulePack
from ...schema import SCHOOL_TYPES
from .scenario import MOVABLE, SIZE_DEFAULTS, Scenario, section_of

#: Mean earth radius in km (IUGG), used by :func:`haversine_km`.
EARTH_RADIUS_KM = 6371.0088
#: Columns never added up when schools merge (identity, type, position, row number).
NOT_SUMMED = ("school_type", "source_row", "longitude", "latitude")
#: 办学类型 of a regular school by the sections it has pupils in (a school gaining or losing a
#: section changes type; a 教学点 stays a 教学点, a special school stays special).
TYPE_OF_SECTIONS = {frozenset("P"): 211, frozenset("J"): 311, frozenset("PJ"): 312, frozenset("JS"): 341,
                    frozenset("S"): 342, frozenset("PJS"): 345}


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two points given in decimal degrees (WGS-84 read as a
    sphere of radius :data:`EARTH_RADIUS_KM`; error below 0.5 %). The pupils' way to school is
    longer: this is the straight line, documented as such (docs/whatif.md)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: dict, b: dict) -> float | None:
    """:func:`haversine_km` between two school rows (None when either lacks 经度 / 纬度)."""
    if None in (a.get("longitude"), a.get("latitude"), b.get("longitude"), b.get("latitude")):
        return None
    return haversine_km(a["longitude"], a["latitude"], b["longitude"], b["latitude"])


def size_settings(scenario: Scenario, rules: RulePack) -> dict[str, float]:
    """The thresholds of the size warnings: the scenario's [settings], else the rule pack's
    county items school_size (G4: single, combined) and class_size (G5: primary, junior), else
    :data:`~junheng.analysis.whatif.scenario.SIZE_DEFAULTS`."""
    out = dict(SIZE_DEFAULTS)
    for item in rules.county_items:
        if item.check == "school_size":
            out["school_size_single"] = item.params.get("single", out["school_size_single"])
            out["school_size_combined"] = item.params.get("combined", out["school_size_combined"])
        elif item.check == "class_size":
            out["class_size_primary"] = item.params.get("primary", out["class_size_primary"])
            out["class_size_junior"] = item.params.get("junior", out["class_size_junior"])
    for k, v in scenario.settings.model_dump().items():
        if v is not None:
            out[k] = float(v)
    return out


@dataclass(frozen=True)
class Applied:
    """The edited table, the moves (one per source school and change: ``kind``, ``index`` (1-based
    within its kind), ``from_id``, ``from_name``, ``to_id``, ``to_name``, ``section`` (P, J or
    ``all``), ``pupils`` (compulsory pupils moved), ``km`` (straight line, None when unknown)) and
    notes (``{"code": …, facts}``: ``type_changed``, ``school_emptied``, ``resources_left``)."""

    table: pl.DataFrame
    moves: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    affected: list[str] = field(default_factory=list)


def _add(a: float | None, b: float | None) -> float | None:
    return a if b is None else b if a is None else a + b


def _pupils(row: dict, sections: str = "PJ") -> int:
    return int(sum(row.get(f"students_{s}") or 0 for s in sections))


def _retype(row: dict, notes: list, before: int) -> None:
    """Set the 办学类型 from the sections the school now has pupils in (TYPE_OF_SECTIONS)."""
    t = SCHOOL_TYPES.get(row["school_type"])
    has = frozenset(s for s in "PJS" if (row.get(f"students_{s}") or 0) > 0)
    if t is None or t.category in ("teaching_point", "special", "vocational") or not has:
        if t is not None and t.category == "teaching_point" and "J" in has:
            row["school_type"] = 312 if "P" in has else 311
        else:
            return
    elif set(t.sections) != set(has):
        row["school_type"] = TYPE_OF_SECTIONS.get(has, row["school_type"])
    if row["school_type"] != before:
        notes.append({"code": "type_changed", "school_id": row["school_id"], "name": row["name"],
                      "from_type": before, "to_type": row["school_type"]})


def _share(row: dict, s: str, rules: RulePack) -> float:
    """The section's share of the school's resources (weighted enrolment, docs/rules.md §3)."""
    t = SCHOOL_TYPES.get(row["school_type"])
    ratios = (rules.split.ratios(t.category) if t else None) or {}
    w = {x: ratios.get(x, 0.0 if x == "S" else 1.0) * (row.get(f"students_{x}") or 0) for x in "PJS"}
    total = sum(w.values())
    return w[s] / total if total else 0.0


def apply_scenario(table: pl.DataFrame, scenario: Scenario, rules: RulePack) -> Applied:
    """The school table after the scenario (validated against this table: scenario.load_scenario).

    table: canonical school table (schema.py), one row per school. Order: open, merge,
    close_point, move_section. merge / close_point: every numeric column except
    :data:`NOT_SUMMED` of each closed school is added to the receiving school (null + x = x) and
    the closed row removed. move_section: every column of the section (``*_P`` / ``*_J``: pupils,
    classes, teachers, teacher breakdowns) moves; with ``move_resources`` also the section's share
    (:func:`_share`, the pack's split ratios) of :data:`~junheng.analysis.whatif.scenario.MOVABLE`.
    A school left without pupils is removed (note ``school_emptied``; its remaining resources are
    reported, ``resources_left``). A school gaining or losing a section gets the matching 办学类型
    (:data:`TYPE_OF_SECTIONS`, note ``type_changed``). ``classes_P`` / ``classes_J`` of a change
    set the receiving school's class count afterwards. Raises KeyError for a school id not in the
    table (load_scenario reports those first, in Chinese).
    """
    cols = table.columns
    numeric = [c for c, t in table.schema.items() if t.is_numeric() and c not in NOT_SUMMED]
    rows: dict[str, dict] = {r["school_id"]: r for r in table.iter_rows(named=True)}
    order = list(rows)
    types0 = {k: r["school_type"] for k, r in rows.items()}
    moves: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    affected: list[str] = []

    def touch(sid: str) -> None:
        if sid not in affected:
            affected.append(sid)

    for o in scenario.open:
        like = rows.get(o.like) if o.like else next(iter(rows.values()), None)
        new = {c: None for c in cols}
        for c in ("county_code", "county"):
            new[c] = getattr(o, c) if getattr(o, c) is not None else (like or {}).get(c)
        new.update(school_id=o.school_id, name=o.name, school_type=o.school_type, township=o.township,
                   urban_rural_code=o.urban_rural_code, longitude=o.longitude, latitude=o.latitude,
                   ownership="公办", authority=(like or {}).get("authority"))
        for k, v in o.values.items():
            if k in new:
                new[k] = v
        if "source_row" in new:
            new["source_row"] = 0
        rows[o.school_id] = new
        order.append(o.school_id)
        types0[o.school_id] = o.school_type
        touch(o.school_id)

    def receive(c, sources: list[str], kind: str, index: int) -> None:
        to = rows[c.into]
        touch(c.into)
        for sid in sources:
            src = rows.pop(sid)
            moves.append({"kind": kind, "index": index, "from_id": sid, "from_name": src["name"], "to_id": c.into,
                          "to_name": to["name"], "section": "all", "pupils": _pupils(src), "km": distance_km(src, to)})
            for col in numeric:
                to[col] = _add(to[col], src[col])
            order.remove(sid)
            touch(sid)
        _classes(to, c)
        _retype(to, notes, types0[c.into])

    for i, m in enumerate(scenario.merge, start=1):
        receive(m, list(m.schools), "merge", i)
    for i, p in enumerate(scenario.close_point, start=1):
        receive(p, [p.school], "close_point", i)
    for i, mv in enumerate(scenario.move_section, start=1):
        s = section_of(mv)
        to = rows[mv.into]
        touch(mv.into)
        for sid in mv.schools:
            src = rows[sid]
            touch(sid)
            moves.append({"kind": "move_section", "index": i, "from_id": sid, "from_name": src["name"], "to_id": mv.into,
                          "to_name": to["name"], "section": s, "pupils": _pupils(src, s), "km": distance_km(src, to)})
            if mv.move_resources:
                share = _share(src, s, rules)
                for col in MOVABLE:
                    if col in src and src[col]:
                        part = src[col] * share
                        if col in ("teaching_computers", "books"):
                            part = round(part)
                        src[col] -= part
                        to[col] = _add(to[col], part)
            for col in [c for c in numeric if c.endswith(f"_{s}")]:
                to[col] = _add(to[col], src[col])
                src[col] = None if src[col] is None else 0
            if _pupils(src, "PJS") == 0:
                rows.pop(sid)
                order.remove(sid)
                left = {c: src[c] for c in numeric if src[c] and not c.endswith(("_P", "_J", "_S"))}
                notes.append({"code": "school_emptied", "school_id": sid, "name": src["name"], "resources": left})
            else:
                _retype(src, notes, types0[sid])
        _classes(to, mv)
        _retype(to, notes, types0[mv.into])
    out = pl.DataFrame([rows[k] for k in order], schema=table.schema, orient="row")
    return Applied(out, moves, notes, affected)


def check_rows(applied: Applied, scenario: Scenario) -> list:
    """Validate the rows the scenario writes with the importer's own rules.

    Each new school (``[[open]]``) and each receiving school whose ``classes_P`` / ``classes_J`` the
    scenario sets goes, as it is after the scenario, through
    :func:`junheng.io.school_table.read_rows` (the one validator of files, the web form and the
    database), so a value a file could not hold (1e15 pupils, 100.5 pupils, an absurd class
    count, pupils without classes or teachers …) cannot enter through a scenario either.
    A new school is checked with the values as written in ``[open.values]`` (before the table's
    integer columns round them). Returns the importer's warnings about these rows (e.g. a 生师比
    of 100:0; not the blank-cell notes: a scenario need not give every column) as Issues located
    like the errors. Raises InputError whose issues name the scenario file, the line and the key
    (``设置项 open[1].values.students_P``) with the importer's Chinese message.
    """
    from ...errors import InputError
    from ...io.school_table import read_rows
    from ...schema import FIELDS
    from ...web.collection.table import issue_column, stored_rows
    from .scenario import _issue

    codes = [f.code for f in FIELDS]
    rows = {r["school_id"]: r for r in applied.table.iter_rows(named=True)}
    checks: list[tuple[str, tuple, Any]] = []  # school id, loc of the entry, the entry
    for i, o in enumerate(scenario.open):
        checks.append((o.school_id, ("open", i), o))
    for kind in ("merge", "close_point", "move_section"):
        for i, c in enumerate(getattr(scenario, kind)):
            if c.classes_P is not None or c.classes_J is not None:
                checks.append((c.into, (kind, i), c))
    issues, warnings = [], []
    seen: set[tuple] = set()
    for sid, entry, change in checks:
        if sid not in rows:
            continue
        row = dict(rows[sid], **(change.values if entry[0] == "open" else {}))
        try:
            found = read_rows(stored_rows([row]), file=scenario.file).warnings
        except InputError as e:
            found = e.issues
        for issue in found:
            if issue.code == "blank_cells":
                continue
            code = issue_column(issue, codes)
            if entry[0] == "open":
                key = ("values", code) if code in change.values else (code,) if code in type(change).model_fields else ()
            else:
                key = (code,) if code in ("classes_P", "classes_J") and getattr(change, code) is not None else ("into",)
            loc = entry + key
            head = f"学校 {sid}（{rows[sid]['name']}）" + (f"的{issue.column.split(' (')[0]}" if issue.column else "")
            msg = f"{head}：{issue.message}"
            if (loc, msg) not in seen:
                seen.add((loc, msg))
                located = _issue(msg, scenario.file, list(scenario.lines), loc, None, "bad_scenario_row")
                if issue.level == "error":
                    issues.append(located)
                else:
                    warnings.append(replace(located, level="warning"))
    if issues:
        raise InputError(issues + warnings)
    return warnings


def _classes(row: dict, change) -> None:
    for s in ("P", "J"):
        v = getattr(change, f"classes_{s}", None)
        if v is not None and f"classes_{s}" in row:
            row[f"classes_{s}"] = v


@dataclass(frozen=True)
class WhatIfResult:
    """Before and after a scenario.

    before / after: the engine's Assessments of the table before and after; applied: the edit
    (:class:`Applied`); sizes: per affected school still open, ``{"school_id", "name", "county",
    "school_type_before", "school_type", "pupils_before", "pupils" (compulsory), "limit",
    "over_limit", "avg_class_P", "avg_class_J" (pupils ÷ 班数, None without classes),
    "class_limit_P", "class_limit_J", "flags": [codes: ``school_size_over``, ``class_over_standard_P``/
    ``_J``, ``large_class_P``/``_J`` (average ≥ large_class), ``huge_class_P``/``_J``]}``; units: per
    unit of an affected school, before and after (``passed``, ``met_count`` under a unit rule, None
    otherwise); travel: ``{"pupils_moved", "pupils_known", "pupil_km", "mean_km", "max_km"}``
    over the moves with a known distance (None without any); settings: the thresholds used;
    warnings: the importer's warnings about the rows the scenario writes (:func:`check_rows`).
    """

    scenario: Scenario
    before: Assessment
    after: Assessment
    applied: Applied
    sizes: list[dict[str, Any]]
    units: list[dict[str, Any]]
    travel: dict[str, Any]
    settings: dict[str, float]
    warnings: list = field(default_factory=list)


def _sizes(before: pl.DataFrame, after: pl.DataFrame, ids: list[str], st: dict[str, float]) -> list[dict[str, Any]]:
    b = {r["school_id"]: r for r in before.filter(pl.col("school_id").is_in(ids)).iter_rows(named=True)}
    out = []
    for r in after.filter(pl.col("school_id").is_in(ids)).iter_rows(named=True):
        t = SCHOOL_TYPES.get(r["school_type"])
        cat = t.category if t else "unknown"
        limit = st["school_size_combined"] if cat in COMBINED else st["school_size_single"]
        n = _pupils(r)
        old = b.get(r["school_id"])
        doc = {"school_id": r["school_id"], "name": r["name"], "county": r.get("county") or r.get("county_code"),
               "school_type_before": old["school_type"] if old else None, "school_type": r["school_type"],
               "pupils_before": _pupils(old) if old else None, "pupils": n, "limit": limit,
               "over_limit": n > limit, "flags": []}
        if n > limit:
            doc["flags"].append("school_size_over")
        for s, lv in (("P", "primary"), ("J", "junior")):
            pupils, classes = r.get(f"students_{s}") or 0, r.get(f"classes_{s}") or 0
            avg = pupils / classes if pupils and classes else None
            doc[f"avg_class_{s}"] = avg
            doc[f"class_limit_{s}"] = st[f"class_size_{lv}"]
            if avg is None:
                continue
            if avg > st[f"class_size_{lv}"]:
                doc["flags"].append(f"class_over_standard_{s}")
            if avg >= st["huge_class"]:
                doc["flags"].append(f"huge_class_{s}")
            elif avg >= st["large_class"]:
                doc["flags"].append(f"large_class_{s}")
        out.append(doc)
    order = {k: i for i, k in enumerate(ids)}
    return sorted(out, key=lambda d: order[d["school_id"]])


def _units(before: Assessment, after: Assessment, ids: list[str]) -> list[dict[str, Any]]:
    cols = ["school_id", "name", "level", "students"] + [c for c in ("passed", "met_count") if c in before.units.columns]
    b = {(r["school_id"], r["level"]): r for r in before.units.filter(pl.col("school_id").is_in(ids)).select(cols).iter_rows(named=True)}
    a = {(r["school_id"], r["level"]): r for r in after.units.filter(pl.col("school_id").is_in(ids)).select(cols).iter_rows(named=True)}
    out = []
    order = {k: i for i, k in enumerate(ids)}
    for key in sorted(set(b) | set(a), key=lambda k: (order[k[0]], k[1] != "primary")):
        x, y = b.get(key), a.get(key)
        ref = y or x
        out.append({"school_id": key[0], "name": ref["name"], "level": key[1],
                    "students_before": x["students"] if x else None, "students_after": y["students"] if y else None,
                    "passed_before": x.get("passed") if x else None, "passed_after": y.get("passed") if y else None,
                    "met_before": x.get("met_count") if x else None, "met_after": y.get("met_count") if y else None})
    return out


def travel_summary(moves: list[dict[str, Any]]) -> dict[str, Any]:
    """Pupils moved, those with a known distance, pupil-km, the pupil-weighted mean and the largest
    straight-line distance (km) over ``moves`` (see :class:`Applied`)."""
    known = [m for m in moves if m["km"] is not None]
    pupils = sum(m["pupils"] for m in known)
    pkm = sum(m["pupils"] * m["km"] for m in known)
    return {"pupils_moved": sum(m["pupils"] for m in moves), "pupils_known": pupils,
            "pupil_km": pkm if known else None, "mean_km": pkm / pupils if pupils else None,
            "max_km": max((m["km"] for m in known if m["pupils"]), default=None)}


def run_whatif(table: pl.DataFrame, rules: RulePack, scenario: Scenario, *, year: int | None = None) -> WhatIfResult:
    """Assess ``table`` before and after ``scenario`` under ``rules`` (:class:`WhatIfResult`).

    The engine is :func:`junheng.core.assess`, unchanged: the after-CVs are exactly those of
    assessing the edited table by hand. Formulas: docs/rules.md (CVs, unit rule), docs/whatif.md
    (sizes, distances). Raises InputError when a row the scenario writes fails the importer's
    checks (:func:`check_rows`).
    """
    applied = apply_scenario(table, scenario, rules)
    warnings = check_rows(applied, scenario)
    before = assess(table, rules, year=year)
    after = assess(applied.table, rules, year=year)
    st = size_settings(scenario, rules)
    ids = applied.affected
    return WhatIfResult(scenario, before, after, applied, _sizes(table, applied.table, ids, st),
                        _units(before, after, ids), travel_summary(applied.moves), st, warnings)
