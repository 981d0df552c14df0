"""Write a canonical school table as a county would export it (.xlsx with merged headers, or .csv).

The layout follows the county "一校一行" exports described in docs/data-dictionary.md and
``statistics-forms.md`` §3: a merged title row, a row of merged group labels (学校基本信息 / 小学 /
初中 / 高中 / 办学条件) and a leaf row with the full canonical header of each field
(``schema.Field.header`` plus its unit in brackets, e.g. ``教学仪器设备资产值(万元)``), which the
importer matches by text.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

import polars as pl

from junheng.report.safe_xlsx import new_workbook
from junheng.schema import FIELDS, SECTION_NAMES, Field

_GROUP_LABEL = {"identity": "学校基本信息", "school": "办学条件"}
_YUAN_PER_WAN = 10_000
# Fixed document timestamp so the same table always gives the same workbook bytes.
_CREATED = _dt.datetime(2026, 9, 1)


def column_header(f: Field) -> str:
    """The leaf header written for a field: its canonical header, with the unit in brackets."""
    return f"{f.header}({f.unit})" if f.unit else f.header


def group_label(f: Field) -> str:
    """The group label above a field's header: 学校基本信息, 小学, 初中, 高中 or 办学条件."""
    return SECTION_NAMES[f.section] if f.section else _GROUP_LABEL[f.group]


def _export_frame(df: pl.DataFrame) -> tuple[list[Field], pl.DataFrame]:
    """The fields present in ``df`` (schema order) and their values as written: equipment in 万元."""
    fields = [f for f in FIELDS if f.code in df.columns]
    out = df.select(
        (pl.col(f.code) / _YUAN_PER_WAN).round(4) if f.code == "equipment_value_yuan" else pl.col(f.code)
        for f in fields
    )
    return fields, out


def _title(df: pl.DataFrame, year: int) -> str:
    names = df["county"].unique().to_list() if "county" in df.columns else []
    place = names[0] if len(names) == 1 and names[0] else "各县(区)"
    return f"{place}义务教育学校基本情况统计表（{year}学年初）"


def write_school_table(df: pl.DataFrame, path: str | Path, *, title: str | None = None,
                       year: int = 2026) -> Path:
    """Write a canonical school table (``generate()`` output or any frame with schema columns).

    ``.xlsx`` (xlsxwriter, constant-memory mode, so 210 000 rows stream to disk): sheet
    ``学校基本情况``; row 1 a merged title (default ``<county>义务教育学校基本情况统计表（<year>学年
    初）``), row 2 merged group labels, row 3 the leaf headers (:func:`column_header`), data from
    row 4; ids and codes as text (leading zeros kept), ``school_type`` as its code, counts as
    integers, areas with 2 decimals, equipment converted from 元 to 万元 with 4 decimals; nulls
    are empty cells; frozen panes below the headers and right of the school name.
    ``.csv``: one header row (the same leaf headers), UTF-8 with BOM, the same values.
    Columns of ``df`` not in ``schema.FIELDS`` (e.g. ``source_row``) are not written. Returns the path.
    """
    path = Path(path)
    fields, out = _export_frame(df)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        out.rename({f.code: column_header(f) for f in fields}).write_csv(path, include_bom=True)
    elif suffix == ".xlsx":
        _write_xlsx(fields, out, path, title or _title(df, year))
    else:
        raise ValueError(f"unsupported extension {path.suffix!r}: use .xlsx or .csv")
    return path


def _write_xlsx(fields: list[Field], out: pl.DataFrame, path: Path, title: str) -> None:
    wb = new_workbook(path, constant_memory=True)
    wb.set_properties({"title": title, "author": "junheng", "created": _CREATED})
    ws = wb.add_worksheet("学校基本情况")
    head = {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"}
    f_title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    f_group = wb.add_format(head)
    f_leaf = wb.add_format({**head, "text_wrap": True, "font_size": 9})
    f_text = wb.add_format({"num_format": "@"})
    f_num = {"int": wb.add_format({"num_format": "0"}), "type": wb.add_format({"num_format": "0"}),
             "float": wb.add_format({"num_format": "0.00"})}
    f_wan = wb.add_format({"num_format": "0.0000"})

    last = len(fields) - 1
    for j, f in enumerate(fields):
        width = 28 if f.code == "name" else 12 if f.kind == "text" else 10
        ws.set_column(j, j, width)
    ws.set_row(0, 28)
    ws.set_row(2, 48)
    ws.merge_range(0, 0, 0, last, title, f_title)
    start = 0
    for j in range(1, len(fields) + 1):
        if j == len(fields) or group_label(fields[j]) != group_label(fields[start]):
            label = group_label(fields[start])
            if j - 1 > start:
                ws.merge_range(1, start, 1, j - 1, label, f_group)
            else:
                ws.write_string(1, start, label, f_group)
            start = j
    for j, f in enumerate(fields):
        ws.write_string(2, j, column_header(f), f_leaf)
    ws.freeze_panes(3, 2)

    columns = []
    for j, f in enumerate(fields):
        if f.kind == "text":
            columns.append((j, ws.write_string, f_text, out[f.code].to_list()))
        else:
            fmt = f_wan if f.code == "equipment_value_yuan" else f_num[f.kind]
            columns.append((j, ws.write_number, fmt, out[f.code].to_list()))
    for i in range(out.height):
        r = i + 3
        for j, write, fmt, values in columns:
            v = values[i]
            if v is not None:
                write(r, j, v, fmt)
    wb.close()
