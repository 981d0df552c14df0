"""Equity measures for every county, level and indicator of an assessment (pure).

Input: an :class:`~junheng.core.result.Assessment` (its unit frame: indicator values, pupils,
township, urban–rural code). Output: plain data in the shape of the ``equity`` JSON contract
(docs/json-contract.md), plus a level × balance quadrant of the counties when there are several.
Measures and decomposition: :mod:`junheng.analysis.measures` (docs/equity.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median
from typing import Any

import numpy as np
import polars as pl

from ..core.result import Assessment
from ..core.units import KEY
from .measures import GROUPED, Groups, parts, theil_decomposition_grouped

#: Label of the group of units whose township or urban–rural code is missing.
MISSING_GROUP = "未填"
#: Urban–rural classes from the first two digits of 城乡分类代码 (统计用区划和城乡划分代码).
URBAN_RURAL_CLASSES = {"11": "城区", "12": "镇区", "21": "乡村", "22": "乡村"}
#: Groupings of the decomposition: name in the JSON → expression over the unit frame.
GROUPINGS = ("township", "urban_rural")
#: Quadrant names: (level at or above the median, balance at or better than the median) → name.
QUADRANTS = {(True, True): "高水平高均衡", (True, False): "高水平低均衡",
             (False, True): "低水平高均衡", (False, False): "低水平低均衡"}


@dataclass(frozen=True)
class EquityResult:
    """Equity of every county of an assessment.

    counties: per county ``{"county_code", "county", "levels": {level: {"indicators": {code:
    {measure: value, ..., "decomposition": {grouping: {"theil_t": {...}, "theil_l": {...}}},
    "undefined": [measure codes that are null]}}}}}``; quadrants: per level a list of
    ``{"county_code", "county", "level_index", "mean_cv", "quadrant"}`` (empty with one county).
    """

    rules: str
    counties: list[dict[str, Any]]
    quadrants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _labels(units: pl.DataFrame) -> dict[str, np.ndarray]:
    """Integer sub-group labels per unit for each grouping (missing → :data:`MISSING_GROUP`)."""
    code = pl.col("urban_rural_code").cast(pl.Utf8).str.slice(0, 2)
    frame = units.select(
        pl.col("township").cast(pl.Utf8).fill_null(MISSING_GROUP).replace("", MISSING_GROUP).alias("township"),
        code.replace_strict(URBAN_RURAL_CLASSES, default=MISSING_GROUP, return_dtype=pl.Utf8)
        .fill_null(MISSING_GROUP).alias("urban_rural"),
    )
    return {g: frame[g].rank("dense").cast(pl.Int64).to_numpy() - 1 for g in GROUPINGS}


def assess_equity(a: Assessment) -> EquityResult:
    """Every measure of docs/equity.md for each county, level and indicator of ``a``.

    Weights are the units' pupils and values the indicator values of the assessment; every
    (county, level) is one group of the grouped measures (:mod:`junheng.analysis.measures`), so a
    national table is one pass per indicator. ``cv`` is the assessment's own CV (one
    implementation). Decomposition by township (乡镇(街道)) and by urban–rural class (城区 11x /
    镇区 12x / 乡村 2xx, :data:`URBAN_RURAL_CLASSES`); missing labels form :data:`MISSING_GROUP`.
    Returns an :class:`EquityResult`.
    """
    codes = [i.code for i in a.rules.indicators]
    units = a.units  # sorted by county key and level (assess)
    first = (pl.col(KEY) != pl.col(KEY).shift(1)) | (pl.col("level") != pl.col("level").shift(1))
    gid = units.select(first.fill_null(True).cast(pl.Int64).cum_sum().sub(1))[KEY].to_numpy()
    results: dict[tuple[str, str], dict[str, Any]] = {}
    if units.height:
        groups = Groups.of(gid, units["students"].to_numpy().astype(float))
        labels = _labels(units)
        heads = units[np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])].select(KEY, "level").rows()
        per: dict[str, dict[str, np.ndarray]] = {}
        for code in codes:
            x = units[code].to_numpy().astype(float)
            cols = {m: fn(x, groups) for m, fn in GROUPED.items()}
            for name, lab in labels.items():
                for k, v in theil_decomposition_grouped(x, groups, lab).items():
                    cols[f"{name}:{k}"] = v
            per[code] = cols
        for j, head in enumerate(heads):
            results[head] = {code: _indicator(per[code], j) for code in codes}
    counties = []
    for c in a.counties:
        levels = {}
        for level, lv in c.levels.items():
            inds = results.get((c.county_key, level))
            if inds is None:
                continue
            for code, doc in inds.items():
                doc["cv"] = lv.indicators[code].cv
                doc["undefined"] = [k for k, v in doc.items() if v is None]
                doc["decomposition"] = doc.pop("decomposition")
            levels[level] = {"indicators": inds}
        counties.append({"county_code": c.county_code, "county": c.county, "levels": levels})
    return EquityResult(a.rules.id, counties, quadrants(a))


def _indicator(cols: dict[str, np.ndarray], j: int) -> dict[str, Any]:
    doc: dict[str, Any] = {m: _num(cols[m][j]) for m in GROUPED}
    doc["decomposition"] = {name: {"theil_t": parts(cols[f"{name}:t_within"][j], cols[f"{name}:t_between"][j]),
                                   "theil_l": parts(cols[f"{name}:l_within"][j], cols[f"{name}:l_between"][j])}
                            for name in GROUPINGS}
    return doc


def _num(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


#: Province of a county: the first two digits of its 6-digit 县(区)代码 (GB/T 2260); counties without a
#: code form the group :data:`NO_PROVINCE`.
NO_PROVINCE = "未知"


def province_of(county_code: str | None) -> str:
    """The 2-digit province code of a county code (``"529901"`` → ``"52"``), :data:`NO_PROVINCE` when
    the code is missing or not 6 digits."""
    c = (county_code or "").strip()
    return c[:2] if len(c) == 6 and c.isdigit() else NO_PROVINCE


def quadrant(level_high: bool, balance_high: bool) -> str:
    """The quadrant name (:data:`QUADRANTS`)."""
    return QUADRANTS[(level_high, balance_high)]


def quadrants(a: Assessment) -> dict[str, list[dict[str, Any]]]:
    """Level × balance quadrant of the counties of ``a``, per level, each county against the other
    counties of its province (needs at least two counties in the province).

    Per county: level_index, the mean over indicators of (county mean ÷ the mean of the province's
    counties' means) — 1.0 is an average county of the province; mean_cv, the plain mean of the
    county's indicator CVs (lower is more balanced). A county is 高水平 when its level_index is at
    or above the median of its province's counties, 高均衡 when its mean_cv is at or below that
    median. ``indicators``: the same per indicator, with the indicator's mean and CV against the
    province's medians of means and of CVs. Counties with an undefined CV (a mean of 0) are left
    out. Returns ``{level: [{"province", "county_code", "county", "level_index", "mean_cv",
    "quadrant", "indicators": {code: {"mean", "cv", "quadrant"}}}]}``. ASSUMPTION: the median split
    within a province is this project's choice (docs/equity.md), not an official rule.
    """
    codes = [i.code for i in a.rules.indicators]
    out: dict[str, list[dict[str, Any]]] = {}
    for level in ("primary", "junior"):
        by_prov: dict[str, list] = {}
        for c in a.counties:
            lv = c.levels.get(level)
            if lv is not None and all(lv.indicators[k].cv is not None for k in codes):
                by_prov.setdefault(province_of(c.county_code), []).append((c, lv))
        rows_out = []
        for prov in sorted(by_prov):
            rows = by_prov[prov]
            if len(rows) < 2:
                continue
            avg = {k: sum(lv.indicators[k].mean for _, lv in rows) / len(rows) for k in codes}
            med_mean = {k: median(lv.indicators[k].mean for _, lv in rows) for k in codes}
            med_cv = {k: median(lv.indicators[k].cv for _, lv in rows) for k in codes}
            scored = []
            for c, lv in rows:
                li = sum(lv.indicators[k].mean / avg[k] for k in codes if avg[k]) / len(codes)
                scored.append((c, lv, li, sum(lv.indicators[k].cv for k in codes) / len(codes)))
            ml, mc = median(s[2] for s in scored), median(s[3] for s in scored)
            for c, lv, li, cv in scored:
                inds = {k: {"mean": lv.indicators[k].mean, "cv": lv.indicators[k].cv,
                            "quadrant": quadrant(lv.indicators[k].mean >= med_mean[k], lv.indicators[k].cv <= med_cv[k])}
                        for k in codes}
                rows_out.append({"province": prov, "county_code": c.county_code, "county": c.county, "level_index": li,
                                 "mean_cv": cv, "quadrant": quadrant(li >= ml, cv <= mc), "indicators": inds})
        if rows_out:
            out[level] = rows_out
    return out
