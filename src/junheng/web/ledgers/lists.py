"""Reading the ledgers' lists (督导问题清单, 适龄儿童名单 …) with the importer's readers and guards.

One sheet (the first visible), a header found by text among the top rows as the school table's
(io/headers.py build_index/lookup: full-width forms, spaces, a trailing 数 do not matter), every
text cell checked for control characters and length (io/convert.text_problem), blank rows skipped.
The file goes through io/grid.read_grids (type sniffing; io/limits.py size, cells, unpacked size).
Each importer then checks its own values and raises the collected errors at once (all-or-nothing).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from junheng.io.convert import text_problem
from junheng.io.grid import read_grids
from junheng.io.headers import HEADER_SCAN_ROWS, build_index, lookup
from junheng.io.issues import IssueCollector


#: The most characters of a long text (问题, 整改措施, 劝返情况, 说明 …); short ones: their field's max_length.
LONG_TEXT = 2000


@dataclass
class ListRow:
    """One data row: its spreadsheet row number and code → stripped text ('' when blank)."""

    row: int
    values: dict[str, str]


def read_list(path: str | Path, columns: dict[str, tuple[str, ...]], required: tuple[str, ...],
              key: tuple[str, ...], *, name: str | None = None, what: str = "名单",
              lengths: dict[str, int] | None = None) -> tuple[list[ListRow], IssueCollector]:
    """The rows of a list and the collector holding their issues (raise ``rep.fail()`` when it has errors).

    columns: code → (header as written, synonyms); required: codes whose column must exist and
    whose cells must not be blank; key: the codes that identify the header row (all must be
    found); lengths: code → the most characters its cells may hold (the database column's size).
    Raises InputError at once for an unreadable file, no header or a missing column."""
    path = Path(path)
    rep = IssueCollector(file=name or path.name)
    grid = next(read_grids(path, None, rep), None)
    if grid is None:
        raise rep.fatal("no_sheet", "文件中没有工作表。")
    rep.sheet = grid.sheet
    index = build_index(columns.items())
    head = None
    for r, row in enumerate(grid.top_rows(HEADER_SCAN_ROWS)):
        found: dict[str, int] = {}
        for j, text in enumerate(row):
            code = lookup(index, text)[0] if text else None
            if code and code not in found:
                found[code] = j
        if all(k in found for k in key):
            head = (r, found)
            break
    if head is None:
        names = "、".join(v[0] for v in columns.values())
        raise rep.fatal("no_header", f"前 {HEADER_SCAN_ROWS} 行中没有找到{what}的表头（应含以下列：{names}）。")
    hrow, cols = head
    missing = [columns[c][0] for c in required if c not in cols]
    if missing:
        raise rep.fatal("missing_column", f"表头（第 {grid.excel_row(hrow)} 行）缺少列：{'、'.join(missing)}。",
                        row=grid.excel_row(hrow))
    rep.columns = {c: f"{columns[c][0]} ({grid.letter(j)}列)" for c, j in cols.items()}
    out: list[ListRow] = []
    for i, raw in enumerate(grid.cells.iter_rows()):
        if i <= hrow:
            continue
        vals = {c: ("" if raw[j] is None else str(raw[j]).strip()) for c, j in cols.items()}
        if not any(vals.values()):
            continue
        r = grid.excel_row(i)
        for c, v in vals.items():
            bad = text_problem(v)
            if bad and bad[0] == "text_too_long" and lengths and c in lengths:
                bad = None  # the column's own limit below
            if bad:
                rep.add("error", bad[0], bad[1], row=r, column=c)
            elif lengths and c in lengths and len(v) > lengths[c]:
                rep.add("error", "text_too_long", f"“{columns[c][0]}”最多 {lengths[c]} 个字（此处 {len(v)} 个）。",
                        row=r, column=c)
        for c in required:
            if not vals.get(c):
                rep.add("error", "blank_cell", f"“{columns[c][0]}”不能为空。", row=r, column=c)
        out.append(ListRow(r, {c: vals.get(c, "") for c in columns}))
    if not out and not rep.has_errors:
        raise rep.fatal("no_rows", "表头以下没有数据行。")
    return out, rep


def field_lengths(model, codes) -> dict[str, int]:
    """code → max_length of the model's text field of that name (codes without one are left out)."""
    out = {}
    for c in codes:
        try:
            f = model._meta.get_field(c)
        except Exception:  # noqa: BLE001 - not a field of the model (FieldDoesNotExist)
            continue
        if getattr(f, "max_length", None) and f.get_internal_type() == "CharField":
            out[c] = f.max_length
    return out


def form_problem(model, values: dict[str, str]) -> str | None:
    """A Chinese message when a form's text is too long for the model's field (or unsafe), else None."""
    from junheng.io.convert import text_problem

    limits = {**{c: LONG_TEXT for c in values}, **field_lengths(model, values)}
    for code, v in values.items():
        bad = text_problem(v)
        if bad and bad[0] != "text_too_long":
            return f"“{model._meta.get_field(code).verbose_name}”：{bad[1]}。"
    for code, n in limits.items():
        if len(values[code]) > n:
            return f"“{model._meta.get_field(code).verbose_name}”最多 {n} 个字。"
    return None
