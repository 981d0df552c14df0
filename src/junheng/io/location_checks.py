"""Checks of the optional position columns 经度 / 纬度 (schema.LOCATION_COLUMNS).

Numbers and non-negativity are checked by the conversion of every numeric field
(:mod:`junheng.io.convert`). Here, both errors:

* ``coordinate_out_of_range``: a 经度 outside :data:`~junheng.schema.LONGITUDE_RANGE` or a 纬度
  outside :data:`~junheng.schema.LATITUDE_RANGE` (swapped columns, degrees-minutes written as one
  number, a projected coordinate);
* ``coordinate_incomplete``: one of the two given without the other.

A blank pair means "position not known": the distance analyses skip that school.
"""
from __future__ import annotations

import polars as pl

from junheng.io.convert import BadCells
from junheng.io.issues import IssueCollector
from junheng.io.validate import clean
from junheng.schema import FIELD_BY_CODE, LATITUDE_RANGE, LOCATION_COLUMNS, LONGITUDE_RANGE


def check_location_columns(table: pl.DataFrame, present: set[str], bad: BadCells, rep: IssueCollector) -> None:
    """Report the errors listed in the module docstring (rows named). table: typed canonical table."""
    if not present & set(LOCATION_COLUMNS):
        return
    for code, (lo, hi) in (("longitude", LONGITUDE_RANGE), ("latitude", LATITUDE_RANGE)):
        if code not in present:
            continue
        h = FIELD_BY_CODE[code].header
        v = pl.col(code)
        rep.add_rows(table, v.is_not_null() & ((v < lo) | (v > hi)) & clean(bad, code), level="error",
                     code="coordinate_out_of_range", column=code, values=(code,),
                     message=lambda r, c=code, h=h, lo=lo, hi=hi:
                     f"“{h}”为 {r[c]:g}，不在 {lo:g}–{hi:g} 度之间（应为十进制度数，如 116.40），请核对。")
    lon, lat = pl.col("longitude"), pl.col("latitude")
    rep.add_rows(table, (lon.is_null() != lat.is_null()) & clean(bad, *LOCATION_COLUMNS), level="error",
                 code="coordinate_incomplete", column="latitude" if "longitude" in present else "longitude",
                 message=lambda r: f"“{FIELD_BY_CODE['longitude'].header}”和“{FIELD_BY_CODE['latitude'].header}”"
                                   f"应同时填写或同时留空。")
