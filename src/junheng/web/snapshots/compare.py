"""Comparing two snapshots: which schools and figures changed, which CVs moved.

Works on what is stored (the rows and the assessment documents of report/payload.py); it
subtracts reported numbers and never recomputes an indicator.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from junheng.schema import FIELDS

LEVEL_NAMES = {"primary": "小学", "junior": "初中"}


@dataclass
class Comparison:
    """added/removed: (school_id, name); changed: (school_id, name, [(header, old, new)]);
    indicators: dicts with county, level, name, cv_a, cv_b, delta (b − a), passed_a, passed_b."""

    added: list[tuple] = field(default_factory=list)
    removed: list[tuple] = field(default_factory=list)
    changed: list[tuple] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    verdicts: list[dict] = field(default_factory=list)


def compare(rows_a: list[dict], rows_b: list[dict], doc_a: dict, doc_b: dict) -> Comparison:
    """What changed from snapshot A (rows_a, its assessment document doc_a) to snapshot B."""
    out = Comparison()
    a = {r["school_id"]: r for r in rows_a}
    b = {r["school_id"]: r for r in rows_b}
    out.added = [(k, b[k]["name"]) for k in sorted(b.keys() - a.keys())]
    out.removed = [(k, a[k]["name"]) for k in sorted(a.keys() - b.keys())]
    for k in sorted(a.keys() & b.keys()):
        diffs = [(f.header, a[k].get(f.code), b[k].get(f.code)) for f in FIELDS if a[k].get(f.code) != b[k].get(f.code)]
        if diffs:
            out.changed.append((k, b[k]["name"], diffs))
    ca = {c["county_code"]: c for c in doc_a["counties"]}
    for cb in doc_b["counties"]:
        c0 = ca.get(cb["county_code"])
        if c0 is None:
            continue
        out.verdicts.append({"county": cb["county"], "passed_a": c0["passed"], "passed_b": cb["passed"]})
        for level, lb in (cb.get("levels") or {}).items():
            la = (c0.get("levels") or {}).get(level)
            if not lb or not la:
                continue
            for code, ib in lb["indicators"].items():
                ia = la["indicators"].get(code)
                if ia is None:
                    continue
                delta = ib["cv"] - ia["cv"] if ia["cv"] is not None and ib["cv"] is not None else None
                out.indicators.append({"county": cb["county"], "level": LEVEL_NAMES.get(level, level),
                                       "name": ib["name"], "cv_a": ia["cv"], "cv_b": ib["cv"], "delta": delta,
                                       "passed_a": ia["passed"], "passed_b": ib["passed"]})
    return out
