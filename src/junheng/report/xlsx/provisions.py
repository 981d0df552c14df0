"""The Excel sheet 特殊规定 (the special provisions used; wording from report/narrative/provisions.py)."""
from __future__ import annotations

from ...core.result import Assessment
from ...schema import LEVEL_NAMES
from ..narrative.numbers import cn_brackets
from ..narrative.provisions import SHORT, provision_rows, status_text
from .book import wrapped_height

#: Columns of the Excel sheet 特殊规定 (numbers as number cells).
SHEET_HEADER = ["学校标识码", "学校名称", "学段", "在校生", "项目", "填报", "计入", "单位", "指标",
                "计入前", "计入后", "变化", "说明"]


def write_provisions_sheet(wb, a: Assessment, county_keys: list[str], head, text, n3, *, title: str | None = None,
                           title_format=None, lines: tuple[tuple[str, object], ...] = ()) -> int | None:
    """Add the sheet 特殊规定 to an xlsxwriter workbook when any county used a provision.

    head / text / n3: cell formats of the header, text cells and indicator values (0.000);
    title: a merged title row above the header (official tables), written with ``title_format``;
    lines: (text, format) rows merged across the sheet between the title and the header (the
    依据 / 统计年度 line and the 填报单位 line, as the other official sheets). Columns
    :data:`SHEET_HEADER`: counts, amounts and indicator values are number cells; every row is
    tall enough for its wrapped text (book.wrapped_height). Returns the header's row (0-based),
    None when no county used a provision (no sheet).
    """
    rows = [r for k in county_keys for r in provision_rows(a, k)]
    if not rows:
        return None
    ws = wb.add_worksheet("特殊规定")
    top = 0
    widths = [12, 26, 6, 8, 16, 9, 9, 6, 30, 9, 9, 9, 40]
    last = len(SHEET_HEADER) - 1
    if title:
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, last, title, title_format)
        top = 1
    for line, fmt in lines:
        ws.set_row(top, max(20, wrapped_height([(line, sum(widths))])))
        ws.merge_range(top, 0, top, last, line, fmt)
        top += 1
    ws.write_row(top, 0, SHEET_HEADER, head)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    for i, r in enumerate(rows, start=top + 1):
        unit = "㎡" if r["provision"] == "extra_sports_area" else "人"
        ind = a.rules.indicator(r["indicator"])
        cells = ((1, r["name"]), (2, LEVEL_NAMES[r["level"]]), (4, SHORT[r["provision"]]), (7, unit),
                 (8, f"{cn_brackets(ind.name)}（{ind.unit}）"), (12, status_text(r, a)))
        ws.set_row(i, wrapped_height([(v, widths[j]) for j, v in cells]))
        ws.write_string(i, 0, r["school_id"], text)
        for j, v in cells:
            ws.write_string(i, j, v, text)
        ws.write_number(i, 3, r["students"], text)
        ws.write_number(i, 5, r["given"], text)
        ws.write_number(i, 6, r["added"], text)
        for j, v in ((9, r["before"]), (10, r["after"]), (11, r["delta"])):
            ws.write_number(i, j, v, n3)
    ws.freeze_panes(top + 1, 2)
    return top
