"""Entry point: read a school table (.xlsx / .xls / .csv) into the canonical polars table."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from junheng.errors import Issue
from junheng.io import breakdowns, validate
from junheng.io.location_checks import check_location_columns
from junheng.io.plausibility import check_plausibility
from junheng.io.provision_checks import check_provision_columns
from junheng.io.convert import DEFAULTS, BadCells, convert_columns, dtype_of
from junheng.io.formulas import FORMULA_TEXTS
from junheng.io.grid import Grid, encoding_text, read_grids, stripped
from junheng.io.headers import ALL_FIELDS, Header, find_header, normalise
from junheng.io.issues import IssueCollector
from junheng.schema import FIELD_BY_CODE, FIELDS

#: Rows whose name or id cell contains one of these are totals, skipped with a warning.
TOTAL_MARKS = ("合计", "总计", "小计")
#: Rows after the data whose first cell starts with one of these are notes, skipped with a warning.
NOTE_PREFIXES = ("注", "说明", "备注", "填表", "制表", "审核", "负责人", "单位负责人", "统计负责人", "联系电话")
#: ASSUMPTION: equipment value headers without a unit are in this unit unless the caller says
#: otherwise (the national statistics report 万元).
EQUIPMENT_UNIT_DEFAULT = "万元"
EQUIPMENT_UNITS = {"万元": 10_000.0, "元": 1.0}
_FIELD_OF = {f.code: f for f in ALL_FIELDS}
#: Headers of a statistical-year column. The assessment ignores it (one file is one year); the
#: annual monitoring (analysis/monitor.py) reads the year from it (LoadResult.year_column).
YEAR_HEADERS = ("统计年度", "年度", "统计年份", "年份", "学年", "学年度", "统计学年")
_YEAR_KEYS = {normalise(h)[0] for h in YEAR_HEADERS}


@dataclass
class LoadResult:
    """A loaded school table.

    table: canonical polars DataFrame (see ``junheng.schema``), one row per school, every field of
    ``schema.FIELDS`` present, plus ``source_row`` and any raw breakdown columns of the file;
    warnings: list of Issue (level ``warning``); file: file name; sheet: sheet used (None for CSV);
    present: codes of ``schema.FIELDS`` whose column was found in the file, including counts
    derived from raw breakdowns and PE/art teachers summed from PE + music + art (a column the
    file lacks is all null in ``table``, or the default for ownership/authority); year_column: the
    header and the cell texts (one per school of ``table``, in its order, None when blank) of a
    statistical-year column (:data:`YEAR_HEADERS`, not a field of schema.py), or None; year_place:
    that column's letter and the Excel row of each of those cells (for messages), or None.
    """

    table: pl.DataFrame
    warnings: list[Issue] = field(default_factory=list)
    file: str = ""
    sheet: str | None = None
    present: frozenset[str] = frozenset()
    year_column: tuple[str, tuple[str | None, ...]] | None = None
    year_place: tuple[str, tuple[int, ...]] | None = None


def read_school_table(path: str | os.PathLike, *, sheet: str | int | None = None,
                      equipment_unit_default: str = EQUIPMENT_UNIT_DEFAULT) -> LoadResult:
    """Read and validate a school table (one row per school, docs/data-dictionary.md).

    path: .xlsx/.xlsm/.xls/.csv file (CSV in UTF-8, UTF-8 with BOM, GBK or GB18030).
    sheet: sheet name or 0-based index; None takes the visible worksheet with the most complete
    header (:func:`_pick_sheet`).
    equipment_unit_default: ``万元`` or ``元``, the unit of an equipment-value column whose header
    names no unit (a warning says so).

    Returns a :class:`LoadResult`. Raises ``InputError`` with every error (and the warnings so
    far) when the file is missing, unreadable, of an unsupported type, has no recognisable
    header or no data, or fails any validation rule; nothing is loaded then.
    """
    if equipment_unit_default not in EQUIPMENT_UNITS:
        raise ValueError(f"equipment_unit_default must be one of {sorted(EQUIPMENT_UNITS)}")
    path = Path(path)
    rep = IssueCollector(file=path.name)
    rep.require_file(path, "学校数据表文件（.xlsx、.xls 或 .csv）")
    grid, head = _pick_sheet(path, sheet, rep)
    rep.sheet = grid.sheet
    table, present = _load(grid, head, rep, equipment_unit_default)
    if rep.has_errors:
        raise rep.fail()
    j = _year_index(head)
    return LoadResult(table=table, warnings=rep.warnings(), file=path.name, sheet=grid.sheet,
                      present=frozenset(present & set(FIELD_BY_CODE)), year_column=_year_column(grid, head, table),
                      year_place=None if j is None else (grid.letter(j), tuple(table["source_row"].to_list())))


def _year_index(head: Header) -> int | None:
    """The grid column of the first unrecognised header naming a statistical year, or None."""
    return next((j for j, text in head.unknown if normalise(text)[0] in _YEAR_KEYS), None)


def _year_column(grid: Grid, head: Header, table: pl.DataFrame) -> tuple[str, tuple[str | None, ...]] | None:
    """The first unrecognised header cell naming a statistical year (:data:`YEAR_HEADERS`) and its
    cell texts on the rows of ``table`` (by ``source_row``); None when there is no such column."""
    j = _year_index(head)
    if j is None:
        return None
    col = grid.cells.select(stripped(f"c{j}"))[f"c{j}"].to_list()
    rows = [r - grid.row0 - 1 for r in table["source_row"].to_list()]
    return dict(head.unknown)[j], tuple(col[i] if 0 <= i < len(col) else None for i in rows)


def read_rows(rows: list[list[str | None]], *, file: str, sheet: str | None = None,
              equipment_unit_default: str = EQUIPMENT_UNIT_DEFAULT) -> LoadResult:
    """Validate a table given as rows of text cells, exactly as :func:`read_school_table` does a file.

    rows: the header row (canonical headers or synonyms, docs/data-dictionary.md) followed by the data
    rows, each a list of cell texts (None or '' for an empty cell); row 1 is the header, so a message
    about the first school names 第 2 行. file: the name used in messages (e.g. ``网页表单``).
    For the web entry form and the database snapshots: one validator for files and forms.

    Returns a :class:`LoadResult`; raises ``InputError`` (codes as for a file) when the rows fail.
    """
    rep = IssueCollector(file=file, sheet=sheet)
    width = max((len(r) for r in rows), default=0)
    cells = pl.DataFrame({f"c{j}": [r[j] if j < len(r) else None for r in rows] for j in range(width)},
                         schema={f"c{j}": pl.Utf8 for j in range(width)})
    grid = Grid(file=file, sheet=sheet, cells=cells)
    head = find_header(grid)
    if head is None:
        raise _partial_header_error([grid], rep) or rep.fatal(
            "no_header", "找不到表头：第一行应为“学校标识码”“学校名称”“办学类型”等列名。")
    table, present = _load(grid, head, rep, equipment_unit_default)
    if rep.has_errors:
        raise rep.fail()
    return LoadResult(table=table, warnings=rep.warnings(), file=file, sheet=sheet,
                      present=frozenset(present & set(FIELD_BY_CODE)))


def _pick_sheet(path: Path, sheet: str | int | None, rep: IssueCollector) -> tuple[Grid, Header]:
    """The grid holding the school table and its header.

    With ``sheet`` given, that sheet. Otherwise every visible worksheet is tried and the one whose
    header matches the most columns wins (the first on a tie), with a warning naming it when it
    is not the first sheet (a cover or 说明 page in front); hidden sheets are looked at only when
    no visible one has a header, and a table found there is an error that says it is hidden.
    Raises InputError (``no_header``, ``table_in_hidden_sheet``).
    """
    best: tuple[Grid, Header] | None = None
    seen: list[Grid] = []
    for g in read_grids(path, sheet, rep):
        if g.hidden and sheet is None and best is not None:
            break
        seen.append(g)
        head = find_header(g)
        if head is None:
            continue
        if g.hidden and sheet is None:
            raise rep.fatal("table_in_hidden_sheet",
                            f"可见的工作表中没有学校表；隐藏的工作表“{g.sheet}”中有学校表表头。请在 Excel 中取消隐藏"
                            f"该工作表，或用 --sheet “{g.sheet}” 指定读取。")
        if best is None or len(head.columns) > len(best[1].columns):
            best = (g, head)
    if best is None:
        partial = _partial_header_error(seen, rep)
        if partial is not None:
            raise partial
        last = seen[-1] if seen else None
        rep.sheet = last.sheet if len(seen) == 1 else None
        how = encoding_text(last) if last is not None else ""
        big5 = last is not None and last.encoding in ("big5", "cp950", "big5hkscs")
        hint = ("文件是 Big5（繁体中文）编码，表头为繁体字，无法对应到简体列名：请把表头改为简体（如“学校名称”）"
                "后另存为 UTF-8 或 GBK 编码的 CSV。" if big5 else "请检查工作表和列名。")
        raise rep.fatal("no_header", "找不到表头：前 30 行中没有一行能对应到“学校标识码”“学校名称”“办学类型”"
                                     f"等列名{f'（{how}）' if how else ''}。{hint}")
    grid, head = best
    visible = [g.sheet for g in seen if not g.hidden]
    if sheet is None and grid.sheet is not None and visible and grid.sheet != visible[0]:
        others = "、".join(f"“{n}”" for n in visible if n != grid.sheet)
        rep.sheet = grid.sheet
        rep.add("warning", "sheet_chosen", f"已使用工作表“{grid.sheet}”（表头可识别 {len(head.columns)} 列，最完整）；"
                                           f"其他工作表 {others} 不是学校表，未读取。")
    return grid, head


def _partial_header_error(grids: list[Grid], rep: IssueCollector) -> Exception | None:
    """When no sheet has a full header but a row names some school-table columns (fewer than
    headers.MIN_HEADER_FIELDS), the ``no_header`` InputError that names the columns found and the
    required ones missing (schema ``required``: 学校标识码, 学校名称, 办学类型代码); else None."""
    found = [(g, h) for g in grids if (h := find_header(g, min_fields=1)) is not None]
    if not found:
        return None
    grid, head = max(found, key=lambda gh: len(gh[1].columns))
    missing = [f.header for f in FIELDS if f.required and f.code not in head.columns]
    if not missing or len(missing) == sum(f.required for f in FIELDS):   # no required column at all: no evidence
        return None
    rep.sheet = grid.sheet
    seen = "".join(f"“{m.text}”" for m in sorted(head.columns.values(), key=lambda m: m.index))
    return rep.fatal("no_header", f"表头不完整：这一行有列名{seen}，但缺少必需的列"
                                  + "".join(f"“{h}”" for h in missing)
                                  + "。学校表至少要有" + "".join(f"“{f.header}”" for f in FIELDS if f.required)
                                  + "三列，列名见数据字典（docs/data-dictionary.md）。",
                     row=grid.excel_row(head.row))


def _header_issues(grid: Grid, head: Header, rep: IssueCollector) -> None:
    rep.columns = {c: f"{m.text} ({grid.letter(m.index)}列)" for c, m in head.columns.items()}
    hrow = grid.excel_row(head.row)
    for code, first, second in head.duplicates:
        rep.add("error", "duplicate_column",
                f"列“{second.text}”({grid.letter(second.index)}列) 与列“{first.text}”({grid.letter(first.index)}列)"
                f"都对应“{_FIELD_OF[code].header}”，请删除其一。", row=hrow, column=code)
    year = _year_index(head)
    unknown = [(j, t) for j, t in head.unknown if j != year]
    if unknown:
        rep.add("warning", "unknown_columns",
                f"以下列无法识别，已忽略：{'、'.join(f'{t}({grid.letter(j)}列)' for j, t in unknown)}。", row=hrow)
    if year is not None:  # read by the annual monitoring only (analysis/monitor.py), which drops this note
        rep.add("warning", "year_column",
                f"“{dict(head.unknown)[year]}”({grid.letter(year)}列)是统计年度列，评估时不读取（一个文件即一个年度）。",
                row=hrow)


def _unknown_text(grid: Grid, head: Header) -> str:
    """The unrecognised header cells as ``小学再校生数(人)(K列)、…`` ('' when there are none)."""
    return "、".join(f"{t}({grid.letter(j)}列)" for j, t in head.unknown)


#: Columns whose value a merged range in the data rows gives to every row it covers (a county,
#: township or school type written once for several schools); a merged range over any other
#: column is an error (only its first cell holds a value).
MERGE_FILLS_DOWN = ("county_code", "county", "township", "urban_rural_code", "school_type", "ownership",
                    "authority", "parent_id", "central_urban")


def _range(grid: Grid, r1: int, c1: int, r2: int, c2: int) -> str:
    return f"{grid.letter(c1)}{grid.excel_row(r1)}:{grid.letter(c2)}{grid.excel_row(r2)}"


def _merged_data(grid: Grid, head: Header, rep: IssueCollector) -> tuple[Grid, dict[str, set[int]]]:
    """Merged ranges over the data rows: filled down in :data:`MERGE_FILLS_DOWN` columns (a
    vertical range within one column), an error ``merged_cells`` on any other matched column
    they cover (one per range and column; the covered rows are returned as bad cells)."""
    code_of = {m.index: code for code, m in head.columns.items()}
    bad: dict[str, set[int]] = {}
    fills: dict[int, list[tuple[int, str]]] = {}
    last = grid.cells.height - 1
    for r1, c1, r2, c2 in grid.merges:
        if r2 < head.data_start or r1 > last or (r1 == r2 and c1 == c2):
            continue
        top = grid.cells[r1, f"c{c1}"] if 0 <= r1 <= last and 0 <= c1 < grid.cells.width else None
        for j in [j for j in code_of if c1 <= j <= c2]:   # matched columns only, rows within the grid
            code = code_of[j]
            rows = [r for r in range(max(r1, head.data_start), min(r2, last) + 1) if (r, j) != (r1, c1)]
            if not rows:
                continue
            if code in MERGE_FILLS_DOWN and c1 == c2 and r1 >= head.data_start:
                fills.setdefault(j, []).extend((r, top) for r in rows)
                continue
            rep.add("error", "merged_cells",
                    f"单元格 {_range(grid, r1, c1, r2, c2)} 是合并单元格：只有第一格（{grid.letter(c1)}"
                    f"{grid.excel_row(r1)}）有值，其余 {len(rows)} 格会被当作空白。请取消合并，在每一行填写。",
                    row=grid.excel_row(rows[0]), column=code)
            bad.setdefault(code, set()).update(grid.excel_row(r) for r in rows)
    if fills:
        cols = []
        for j, hits in fills.items():
            col = grid.cells.get_column(f"c{j}").cast(pl.Utf8).clone()
            col.scatter([r for r, _ in hits if r < col.len()], [v for r, v in hits if r < col.len()])
            cols.append(col)
        grid = replace(grid, cells=grid.cells.with_columns(cols))
    return grid, bad


def _formula_cells(grid: Grid, head: Header, rep: IssueCollector) -> dict[str, set[int]]:
    """Formula cells of the matched columns in the data rows without a result (error
    ``formula_no_value``, returned as bad cells) or with a suspicious 0 (warning ``formula_zero``)."""
    code_of = {m.index: code for code, m in head.columns.items()}
    bad: dict[str, set[int]] = {}
    for f in grid.formulas:
        code = code_of.get(f.col)
        if code is None or f.row < head.data_start:
            continue
        row = grid.excel_row(f.row)
        level = "error" if f.kind == "no_value" else "warning"
        rep.add(level, f"formula_{f.kind}", FORMULA_TEXTS[f.kind].format(formula=f.formula), row=row, column=code)
        if level == "error":
            bad.setdefault(code, set()).add(row)
    return bad


def _body(grid: Grid, head: Header, rep: IssueCollector) -> pl.DataFrame:
    """Data rows as text, columns renamed to codes, blank/total/note rows dropped."""
    cols = {f"c{m.index}": code for code, m in head.columns.items()}
    body = (grid.cells.with_row_index("__i")
            .slice(head.data_start)
            .select(pl.col("__i").cast(pl.Int64) + grid.row0 + 1, *[stripped(c) for c in cols])
            .rename({"__i": "source_row", **cols}))
    data = [c for c in body.columns if c != "source_row"]
    body = body.filter(pl.any_horizontal(pl.col(c).is_not_null() for c in data))
    ident = [c for c in ("name", "school_id") if c in body.columns]
    if ident:
        total = pl.any_horizontal(pl.col(c).str.contains("|".join(TOTAL_MARKS)).fill_null(False) for c in ident)
        first = pl.coalesce(*[pl.col(c) for c in ("school_id", "name") if c in body.columns])
        others = [c for c in data if c not in ident]
        note = first.str.contains("^(" + "|".join(NOTE_PREFIXES) + ")").fill_null(False)
        if others:
            note = note & (pl.sum_horizontal(pl.col(c).is_not_null() for c in others) <= 1)
        seen, calls = pl.lit(False), []
        for c in ident:
            here = pl.col(c).str.contains("|".join(TOTAL_MARKS)).fill_null(False)
            calls.append((here & ~seen, dict(level="warning", code="total_row_skipped", column=c, values=(c,),
                                             message=lambda r, c=c: f"合计行“{r[c]}”已跳过。")))
            seen = seen | here
        calls.append((note & ~total, dict(level="warning", code="note_row_skipped", column=None,
                                          values=(), message=lambda r: "表尾说明行已跳过。")))
        rep.add_rows_many(body, calls)
        body = body.filter(~(total | note))
    return body


def _load(grid: Grid, head: Header, rep: IssueCollector, unit_default: str) -> tuple[pl.DataFrame, set[str]]:
    """Convert and validate the data rows; returns the canonical table and the present codes."""
    _header_issues(grid, head, rep)
    grid, merged = _merged_data(grid, head, rep)
    early = merged
    for code, rows in _formula_cells(grid, head, rep).items():
        early.setdefault(code, set()).update(rows)
    raw = _body(grid, head, rep)
    if raw.height == 0:
        raise rep.fatal("empty_table", "表头下面没有任何学校数据。", row=grid.excel_row(head.row))
    present = set(head.columns)
    table, bad = convert_columns(raw, [_FIELD_OF[c] for c in head.columns], rep)
    bad = {c: frozenset(bad.get(c, frozenset()) | early.get(c, set())) for c in set(bad) | set(early)}
    table = _equipment_unit(table, head, rep, unit_default)
    table, present, bad = _derive(table, present, bad, rep)
    table = table.with_columns(
        [pl.lit(None, dtype_of(f)).alias(f.code) for f in FIELDS if f.code not in table.columns]
    ).with_columns([pl.col(c).fill_null(v) for c, v in DEFAULTS.items()])
    hrow = grid.excel_row(head.row)
    missing = validate.check_columns(table, present, rep, hrow, _unknown_text(grid, head))
    table = validate.fill_county(table, present, bad, rep)
    validate.check_required_values(raw, table, present, bad, rep)
    validate.check_rows(table, rep, bad, missing)
    validate.check_warnings(table, rep)
    check_plausibility(table, rep, bad, missing)
    validate.check_county_codes(table, rep)
    table = check_provision_columns(table, present, bad, rep)
    check_location_columns(table, present, bad, rep)
    table = validate.check_blanks(table, list(head.columns), bad, rep)
    extra = [f.code for f in breakdowns.BREAKDOWN_FIELDS if f.code in table.columns]
    return table.select(*[f.code for f in FIELDS], "source_row", *extra), present


def _equipment_unit(table: pl.DataFrame, head: Header, rep: IssueCollector, unit_default: str) -> pl.DataFrame:
    m = head.columns.get("equipment_value_yuan")
    if m is None:
        return table
    unit = m.unit if m.unit in EQUIPMENT_UNITS else None
    if unit is None:
        unit = unit_default
        rep.add("warning", "equipment_unit_assumed",
                f"列名没有注明单位，按“{unit}”读取教学仪器设备资产值（假定，可在导入时指定）。",
                column="equipment_value_yuan")
    return table.with_columns(pl.col("equipment_value_yuan") * EQUIPMENT_UNITS[unit])


def _derive(table: pl.DataFrame, present: set[str], bad: BadCells,
            rep: IssueCollector) -> tuple[pl.DataFrame, set[str], BadCells]:
    """Derived counts from raw breakdowns, and PE/art teachers from PE + music + art.

    A derived cell is bad where one of its sources is (so checks on it stay silent); a
    mismatch is not reported on rows with a bad cell.
    """
    bad = dict(bad)

    def spread(target: str, sources: list[str]) -> None:
        rows = frozenset().union(*(bad.get(c, ()) for c in sources))
        if rows:
            bad[target] = rows | bad.get(target, frozenset())

    for target, sources, expr in breakdowns.derivations(present):
        if target in present:
            t = table.with_columns(expr.alias("__derived"))
            parts = "＋".join(_FIELD_OF[c].header for c in sources)
            rep.add_rows(t, (pl.col("__derived") != pl.col(target)) & validate.clean(bad, target, *sources),
                         level="error", code="breakdown_mismatch",
                         column=target, values=(target, "__derived"),
                         message=lambda r, target=target, parts=parts:
                         f"“{FIELD_BY_CODE[target].header}”为 {r[target]}，与分项合计（{parts}）"
                         f"{r['__derived']} 不一致。")
        else:
            table = table.with_columns(expr.cast(pl.Int64).alias(target))
            present = present | {target}
            spread(target, sources)
            rep.columns[target] = _derived_label(target, sources, rep)
    for s in ("P", "J"):
        parts = [f"{k}_teachers_{s}" for k in ("pe", "music", "art") if f"{k}_teachers_{s}" in present]
        if parts and f"pe_art_teachers_{s}" not in present:
            table = table.with_columns(breakdowns.sum_or_null(parts).cast(pl.Int64).alias(f"pe_art_teachers_{s}"))
            present = present | {f"pe_art_teachers_{s}"}
            spread(f"pe_art_teachers_{s}", parts)
            rep.columns[f"pe_art_teachers_{s}"] = _derived_label(f"pe_art_teachers_{s}", parts, rep)
    return table, present, bad


def _derived_label(target: str, sources: list[str], rep: IssueCollector) -> str:
    """Message label of a computed column: its header and the file columns it adds up."""
    return f"{_FIELD_OF[target].header}（由 {'、'.join(rep.label(c) for c in sources)} 合计）"
