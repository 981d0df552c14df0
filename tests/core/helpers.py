"""Small hand-made school tables for the core tests."""
from __future__ import annotations

import polars as pl

from junheng.schema import FIELDS

_KIND = {f.code: f.kind for f in FIELDS}


def school(school_id: str, school_type: int = 211, **values) -> dict:
    """One canonical school row; unspecified counts are 0, county 示例县."""
    row = {"school_id": school_id, "name": f"学校{school_id[-3:]}", "school_type": school_type,
           "county_code": "529901", "county": "示例县", "ownership": "公办", "authority": "县属"}
    row.update(values)
    return row


def table(rows: list[dict]) -> pl.DataFrame:
    """Canonical frame from rows (text columns Utf8, counts/amounts Float64)."""
    cols = sorted({k for r in rows for k in r})
    data = {}
    for c in cols:
        vals = [r.get(c) for r in rows]
        kind = _KIND.get(c)
        dtype = pl.Int64 if c == "school_type" else pl.Utf8 if kind == "text" else pl.Float64
        data[c] = pl.Series(c, vals, dtype=dtype)
    return pl.DataFrame(data)


def full(students: int, per_pupil_scale: float, section: str = "P", **extra) -> dict:
    """Resources and teachers of a single-section school, proportional to pupils × scale.

    At scale 1 a pupil has 10 ㎡ teaching area, 20 ㎡ sports ground, 10 000 元 equipment, 0.2
    computers, 10 books, 0.1 teachers (0.08 qualified, 0.06 senior title, 0.02 backbone, 0.01 PE/art)
    and 0.03 multimedia rooms.
    """
    k = students * per_pupil_scale
    row = {
        f"students_{section}": students,
        "teaching_area_m2": 10 * k, "sports_ground_m2": 20 * k, "equipment_value_yuan": 10000 * k,
        "teaching_computers": 0.2 * k, "books": 10 * k, "multimedia_rooms": 0.03 * k,
        f"teachers_{section}": 0.1 * k, f"qualified_teachers_{section}": 0.08 * k,
        f"senior_title_teachers_{section}": 0.06 * k, f"backbone_teachers_{section}": 0.02 * k,
        f"pe_art_teachers_{section}": 0.01 * k,
    }
    row.update(extra)
    return row
