"""The one way junheng creates an xlsxwriter workbook: text stays text.

xlsxwriter's ``write()`` (and ``write_row``, ``merge_range``, which call it) turns a string that
starts with ``=`` into a formula, ``{=…}`` into an array formula and ``http://``, ``https://``,
``ftp://``, ``mailto:``, ``internal:``, ``external:`` into a hyperlink. Names of schools and
counties come from the user's table, so a school named ``=HYPERLINK("http://x","点此")`` would
become a live link (CSV/formula injection). :func:`new_workbook` switches all of that off
(``strings_to_formulas``, ``strings_to_urls``, ``strings_to_numbers`` false), so every string is
stored as a shared or inline string; ``+1``, ``-1+2``, ``@SUM(A1)`` are text anyway. Our own
formulas, if any are ever wanted, must use ``write_formula`` with text that contains no data.

The workbook's temporary files (``constant_memory``) go into the folder of the target file, which
is a junheng staging folder (files.py), so a killed run leaves them nowhere else. ``close()``
raises the underlying OSError (ENOSPC, EACCES…) instead of xlsxwriter's FileCreateError, so a
full disk is reported like any other write error.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

#: Options every workbook gets (they cannot be overridden by callers).
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


class SafeWorkbook(xlsxwriter.Workbook):
    """xlsxwriter.Workbook whose close() raises OSError for I/O failures."""

    def close(self) -> None:
        try:
            super().close()
        except FileCreateError as e:
            cause = e.args[0] if e.args else None
            if isinstance(cause, OSError):
                raise cause from None
            raise OSError("Excel 文件无法创建") from None


def new_workbook(path: str | Path, *, constant_memory: bool = False) -> SafeWorkbook:
    """The one constructor of every junheng workbook (results, templates, samples): a workbook
    writing to ``path`` with SAFE_OPTIONS (module doc); temporary files in ``path``'s folder.

    constant_memory: xlsxwriter's streaming mode (rows written strictly top to bottom, each
    flushed to disk: the result workbooks, report/xlsx/book.py, and large samples)."""
    path = Path(path)
    opts: dict[str, Any] = {"tmpdir": str(path.parent), "constant_memory": constant_memory, **SAFE_OPTIONS}
    return SafeWorkbook(str(path), opts)
