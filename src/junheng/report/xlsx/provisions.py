"""The Excel sheet 特殊规定 (the special provisions used; wording from report/narrative/provisions.py)."""
from __future__ import annotations

from ...core.result import Assessment
from ...schema import LEVEL_NAMES
from ..narrative.numbers import cn_brackets
from ..narrative.provisions import SHORT, provision_rows, status_text

#: Columns of the Excel sheet 特殊规定 (numbers as number cells).
SHEET_HEADER = ["学校标识码", "学校名称", "学段", "在校生", "项目", "填报", "计入", "单位", "指标",
                "计入前", "计入后", "变化", "说明"]


def write_provisions_sheet(wb, a: Assessment, county_keys: list[str], head, text, n3, *, title: str | None = None,
                           title_format=None) -> None:
    """Add the sheet 特殊规定 to an xlsxwriter workbook when any county used a provision.

    head / text / n3: cell formats of the header, text cells and indicator values (0.000);
    title: a merged title row above the header (official tables), written with ``title_format``.
    Columns :data:`SHEET_HEADER`: counts, amounts and indicator values are number cells.
    """
    rows = [r for k in county_keys for r in provision_rows(a, k)]
    if not rows:
        return
    ws = wb.add_worksheet("特殊规定")
    top = 0
    if title:
        ws.merge_range(0, 0, 0, len(SHEET_HEADER) - 1, title, title_format)
        top = 1
    ws.write_row(top, 0, SHEET_HEADER, head)
    for j, w in enumerate([12, 26, 6, 8, 16, 9, 9, 6, 30, 9, 9, 9, 40]):
        ws.set_column(j, j, w)
    for i, r in enumerate(rows, start=top + 1):
        unit = "㎡" if r["provision"] == "extra_sports_area" else "人"
        ind = a.rules.indicator(r["indicator"])
        ws.write_string(i, 0, r["school_id"], text)
        for j, v in ((1, r["name"]), (2, LEVEL_NAMES[r["level"]]), (4, SHORT[r["provision"]]), (7, unit),
                     (8, f"{cn_brackets(ind.name)}（{ind.unit}）"), (12, status_text(r, a))):
            ws.write_string(i, j, v, text)
        ws.write_number(i, 3, r["students"], text)
        ws.write_number(i, 5, r["given"], text)
        ws.write_number(i, 6, r["added"], text)
        for j, v in ((9, r["before"]), (10, r["after"]), (11, r["delta"])):
            ws.write_number(i, j, v, n3)
    ws.freeze_panes(top + 1, 2)
