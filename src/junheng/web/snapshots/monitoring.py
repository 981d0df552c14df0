"""年度监测复查 of a county's snapshots: the same pure function and writers as ``junheng monitor``.

Each chosen snapshot is read back through the file importer exactly as for its assessment
(:func:`junheng.web.snapshots.services.stored_table`, the pack's columns checked as the CLI does),
becomes one :class:`junheng.analysis.monitor.YearInput` (year = the snapshot's 学年, source = its
name, :func:`junheng.web.snapshots.services.source_name`) and :func:`junheng.analysis.monitor.monitor`
lines the years up. Downloads go through the output registry (:data:`junheng.outputs.FORMATS`,
command ``monitor``): the same Excel, Word and HTML writers as ``junheng monitor -o …``.
Snapshots have no class lists, so class sizes are the school table's averages (docs/monitor.md).
"""
from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from junheng.analysis.monitor import MonitorResult, YearInput, monitor
from junheng.errors import InputError
from junheng.rules import load_rules
from junheng.web.snapshots.services import PACKS, source_name, stored_table

#: The download formats offered (registry names of junheng.outputs) → MIME type.
DOWNLOADS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


class ChoiceError(ValueError):
    """The chosen snapshots cannot be monitored (Chinese message): fewer than two, or two of one year."""


def latest_by_year(snaps) -> list:
    """The latest snapshot of each year, in year order (``snaps`` ordered newest first, as
    :class:`~junheng.web.snapshots.models.Snapshot`'s default ordering)."""
    seen: dict = {}
    for s in snaps:
        seen.setdefault(s.year, s)
    return [seen[y] for y in sorted(seen)]


def choose(snaps: list, wanted: list[str]) -> list:
    """The snapshots to monitor, in year order.

    snaps: the county's snapshots the user may see (newest first); wanted: the ids asked for
    (query ``s``; empty: the latest snapshot of each year). Raises LookupError for an id not in
    ``snaps`` (the view answers 404), :class:`ChoiceError` for fewer than two snapshots or two of
    the same year.
    """
    if not wanted:
        chosen = latest_by_year(snaps)
    else:
        by_pk = {s.pk: s for s in snaps}
        ids = []
        for w in wanted:
            if not w.isdigit() or int(w) not in by_pk:
                raise LookupError(w)
            if int(w) not in ids:
                ids.append(int(w))
        chosen = sorted((by_pk[i] for i in ids), key=lambda s: s.year)
    years = [s.year for s in chosen]
    dup = sorted({y for y in years if years.count(y) > 1})
    if dup:
        raise ChoiceError(f"{'、'.join(map(str, dup))} 年选了多个快照；每个学年只能选一个快照。")
    if len(chosen) < 2:
        raise ChoiceError("年度监测复查至少需要两个学年的快照；请选择两个或更多学年的快照"
                          "（本县只有一个学年的快照时，先冻结其他学年的数据）。")
    return chosen


def run(chosen: list, pack: str) -> MonitorResult:
    """:func:`junheng.analysis.monitor.monitor` over the snapshots ``chosen`` (distinct years) under
    ``pack`` (default settings, no class lists). Raises KeyError for an unknown pack, InputError
    (issues naming the snapshot) when stored rows fail the importer or lack a column the pack needs."""
    if pack not in PACKS:
        raise KeyError(pack)
    rules = load_rules(pack)
    inputs, issues = [], []
    for snap in chosen:
        try:
            res = stored_table(snap, rules)
        except InputError as e:  # every issue names the snapshot as its file (the missing-column one has none)
            issues += [replace(i, file=i.file or source_name(snap)) for i in e.issues]
            continue
        inputs.append(YearInput(snap.year, res.table, source_name(snap)))
    if issues:
        raise InputError(issues)
    return monitor(inputs, rules)


def download(result: MonitorResult, fmt: str, stem: str) -> tuple[bytes, str]:
    """(file content, file name) of ``result`` in registry format ``fmt`` (xlsx, docx, html),
    written by the writer of ``junheng monitor`` into a temporary folder. KeyError for another format."""
    from junheng.outputs import FORMATS, MONITOR, MonitorOutput

    if fmt not in DOWNLOADS:
        raise KeyError(fmt)
    name = f"{stem}{FORMATS[fmt].suffix}"
    with tempfile.TemporaryDirectory(prefix="junheng-monitor-") as tmp:
        target = Path(tmp) / name
        FORMATS[fmt].write(MONITOR, MonitorOutput(result, target, [], [], None))
        return target.read_bytes(), name


def display(result: MonitorResult, excluded: dict[int, set[str]] | None = None) -> list[dict]:
    """The page's rows of each county of ``result`` (the words of report/narrative/monitor.py, the
    numbers of the result, formatted as in the reports): verdicts per year, per level the CV series
    of every indicator and the composite with each value's 预警, the last year's 预警 list,
    regressions, school changes per year and class/school sizes.

    excluded: per year the 学校标识码 a snapshot left out (not approved); a school “closed” in a year
    whose snapshot left it out, or “new” after a year whose snapshot left it out, gets a ``note``
    (it is missing from the snapshot, not necessarily closed or new)."""
    from junheng.analysis.monitor import SEVERITIES, counts
    from junheng.report.narrative.monitor import (CHANGE_NAMES, SEVERITY_NAMES, SOURCE_NAMES, change_text, item_text,
                                                  regression_text, severity_meaning, warning_value)
    from junheng.report.narrative.numbers import fmt_count, fmt_num, fmt_plain, fmt_verdict
    from junheng.schema import LEVEL_NAMES

    def cell(p: dict) -> dict:
        sev = p.get("warning")
        return {"text": fmt_num(p["cv"], undefined="—"), "passed": p["passed"], "sev": sev,
                "sev_name": SEVERITY_NAMES.get(sev, "")}

    def thr(t) -> str:
        return "—" if t is None else fmt_plain(t)

    out = []
    for c in result.counties:
        levels = []
        for key, lv in c["levels"].items():
            rows = [{"name": s["name"], "threshold": thr(s["threshold"]), "cells": [cell(p) for p in s["series"]]}
                    for s in lv["indicators"].values()]
            comp = lv["composite"]
            rows.append({"name": "综合差异系数", "threshold": thr(comp["threshold"]), "composite": True,
                         "cells": [cell(p) for p in comp["series"]]})
            levels.append({"key": key, "name": LEVEL_NAMES.get(key, key), "rows": rows,
                           "verdicts": [fmt_verdict(lv["passed"][str(y)]) for y in result.years]})
        changes = []
        left = excluded or {}
        for y, ch in c["schools"].items():
            before = result.years[result.years.index(int(y)) - 1]
            for kind in ("new", "closed", "renamed", "merged"):
                for r in ch[kind]:
                    gap = {"new": before, "closed": int(y)}.get(kind)
                    note = (f"该校在 {gap} 学年快照中未纳入（未审核通过），不一定是{CHANGE_NAMES[kind]}"
                            if gap is not None and r["school_id"] in left.get(gap, ()) else "")
                    changes.append({"year": y, "kind": kind, "kind_name": CHANGE_NAMES[kind], "text": change_text(kind, r),
                                    "note": note})
        sizes = []
        for y in result.years:
            cs, ss = c["class_size"][str(y)], c["school_size"][str(y)]
            src = cs.get("source")
            sizes.append({"year": y, "source": SOURCE_NAMES[src],
                          "big": "—" if src is None else fmt_count(cs["big"]),
                          "huge": "—" if src is None else fmt_count(cs["huge"]),
                          "over": "—" if ss is None else fmt_count(ss["over"]),
                          "largest": "—" if ss is None else fmt_count(ss["largest"])})
        out.append({
            "county": c["county"] or c["county_code"] or "",
            "verdicts": [{"year": y, "text": fmt_verdict(v), "passed": v} for y, v in c["verdicts"].items()],
            "counts": counts(c), "levels": levels, "changes": changes, "sizes": sizes,
            "regressions": [{"year": r["year"], "text": regression_text(r, result)} for r in c["regressions"]],
            "warnings": [{"sev": w["severity"], "sev_name": SEVERITY_NAMES[w["severity"]], "item": item_text(w, result),
                          "value": warning_value(w), "threshold": "—" if w["threshold"] is None else f"≤{fmt_plain(w['threshold'])}"}
                         for w in c["warnings"]],
            "legend": [{"sev": s, "name": SEVERITY_NAMES[s], "meaning": severity_meaning(s, result)} for s in SEVERITIES],
        })
    return out
