"""Readers of input files: the school table (.xlsx / .xls / .csv) into the canonical table.

``read_school_table(path)`` returns a :class:`LoadResult` (table, warnings, file, sheet,
present: the canonical columns found in the file) or
raises :class:`junheng.errors.InputError` listing every problem, with file, sheet, row and column.
"""
from junheng.io.school_table import LoadResult, read_school_table

__all__ = ["LoadResult", "read_school_table"]
