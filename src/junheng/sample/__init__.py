"""Realistic synthetic counties: the bundled sample county and scale data of any size.

``generate`` builds the canonical school table (schema.py), ``write_school_table`` writes it as a
county export (.xlsx with merged headers, or .csv), and ``SAMPLE_XLSX`` is the bundled workbook of
``generate()`` with the default seed (regenerate it with ``python -m junheng.sample``).
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from junheng.sample.generate import DEFAULT_SEED, generate
from junheng.sample.write import column_header, write_school_table

#: The bundled sample county 均衡示例县 (``generate()`` with the default seed, written as .xlsx).
SAMPLE_XLSX: Path = Path(str(files("junheng.sample") / "data" / "sample_county.xlsx"))

#: The county workbook (经费、班级、指标、定性、满意度) of the sample county, for ``--county-data``
#: (regenerate it with ``python -m junheng.sample.county_writer``).
SAMPLE_COUNTY_DATA: Path = Path(str(files("junheng.sample") / "data" / "sample_county_data.xlsx"))

__all__ = ["DEFAULT_SEED", "SAMPLE_COUNTY_DATA", "SAMPLE_XLSX", "column_header", "generate", "write_school_table"]
