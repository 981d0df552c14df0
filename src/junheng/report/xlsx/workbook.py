"""The two Excel outputs, both made of the same sheet functions (cv_table, working, units, lists,
county, summary):

* :func:`write_official_xlsx` (``junheng report``): one county's official tables, 校际差异系数表,
  计算过程, 一校一表（小学）/（初中）, 未参评学校, 薄弱学校, 补足资源测算, 特殊规定 when a special
  provision's data were given (xlsx/provisions.py) and, with county checks, 县级指标 and 经费增长.
* :func:`write_assessment_xlsx` (``junheng assess -o x.xlsx``): 评估结论 (one row per county) and
  the same sheets over every county of the Assessment (one block per county, or leading 县区
  columns). Written all-or-nothing.
"""
from __future__ import annotations

from pathlib import Path

from ...core.county_result import CountyChecks
from ...core.result import Assessment, CountyResult
from ..files import write_atomic
from ..narrative.common import county_name
from .provisions import write_provisions_sheet
from ..safe_xlsx import new_workbook
from .book import Formats, basis_line, page_setup, sign_line
from .county import county_sheets
from .cv_table import cv_sheet
from .lists import excluded_sheet, shortfall_sheet, weak_sheet
from .scope import Scope
from .summary import summary_sheet
from .units import unit_sheets
from .working import working_sheet


def _write(s: Scope, path: Path, *, summary: bool, checks: CountyChecks | None = None,
           partial: tuple[str, str] | None = None) -> Path:
    wb = new_workbook(path, constant_memory=True)
    F = Formats(wb)
    if partial is not None:
        _partial_sheet(wb, partial[1])
    if summary:
        summary_sheet(wb, F, s)
    cv_sheet(wb, F, s)
    working_sheet(wb, F, s)
    unit_sheets(wb, F, s)
    excluded_sheet(wb, F, s)
    weak_sheet(wb, F, s)
    shortfall_sheet(wb, F, s)
    top = write_provisions_sheet(wb, s.a, [c.county_key for c in s.counties], F.head, F.text, F.n3,
                                 title=f"{s.who()}特殊规定使用情况", title_format=F.title,
                                 lines=((basis_line(s.a.rules, s.a.year), F.sub), (sign_line(s.sheet_bureau()), F.sign)))
    if top is not None:
        page_setup(wb.get_worksheet_by_name("特殊规定"), repeat=(top, top))
    if checks is not None:
        county_sheets(wb, F, checks, county_name(s.counties[0]), s.bureau_for(s.counties[0]), s.a.rules.document)
    if partial is not None:
        for ws in wb.worksheets():
            ws.set_header(f"&C{partial[0].strip('（）')}")
    wb.close()
    return Path(path)


def _partial_sheet(wb, sentence: str) -> None:
    """The first sheet 注意 of a workbook whose data are not the whole county: ``sentence`` in large type."""
    ws = wb.add_worksheet("注意")
    ws.set_column(0, 0, 100)
    ws.set_row(0, 120)
    ws.write(0, 0, sentence, wb.add_format({"font_name": "黑体", "font_size": 16, "text_wrap": True, "valign": "top"}))
    ws.activate()


def write_official_xlsx(a: Assessment, c: CountyResult, path: str | Path, *, source: str | None = None,
                        checks: CountyChecks | None = None, bureau: str | None = None, fill=None,
                        partial: tuple[str, str] | None = None) -> Path:
    """Write one county's official tables to ``path`` (the caller makes the write atomic; see
    bundle.py). source: the input file name shown under the title; checks: the county's
    county-level checks (adds 县级指标 and 经费增长); bureau: the 填报单位 (default: the
    county's 教育局); fill: the county's 补足资源测算 (plan/fill.Fill; None: the sheet lists the
    gaps without quantities); partial: (mark, sentence) when the data are not the whole county (a
    first sheet 注意 with the sentence, the mark in every sheet's printed header). Returns the path.
    Raises OSError when the file cannot be written."""
    fills = {c.county_key: fill} if fill is not None else None
    return _write(Scope(a, (c,), source, bureau, checks is not None, fills), Path(path), summary=False, checks=checks,
                  partial=partial)


def write_assessment_xlsx(a: Assessment, path: str | Path, *, source: str | None = None,
                          bureau: str | None = None, table=None) -> Path:
    """Write the assessment workbook of every county to ``path`` (all-or-nothing). source: the
    input file name, shown on 评估结论; bureau: the 填报单位 (default: each county's 教育局, left
    blank on sheets listing several counties); table: the canonical school table the assessment
    was made from (the 补足资源测算 quantities, plan/fill.py, default unit costs; None: the gaps
    only). Returns the path. Raises OSError when the file cannot be written."""
    fills = None
    if table is not None:
        from ...plan.costs import load_costs
        from ...plan.fill import fills as make_fills

        fills = make_fills(table, a.rules, load_costs(), base=a)
    s = Scope(a, tuple(a.counties), source, bureau, fills=fills)
    return write_atomic(path, lambda tmp: _write(s, tmp, summary=True))
