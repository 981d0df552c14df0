"""Excel outputs: the assessment workbook (``assess -o x.xlsx``) and the official county tables
(``report``), one set of sheet functions for both (workbook.py); the one Workbook constructor
and the shared formats in book.py."""
from .workbook import write_assessment_xlsx, write_official_xlsx

__all__ = ["write_assessment_xlsx", "write_official_xlsx"]
