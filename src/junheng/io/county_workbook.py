"""Reading the county workbook (县级数据表, .xlsx/.xls) into :class:`junheng.core.county_data.CountyData`.

Sheets are recognised by name (``io.county_fields.SHEETS``: 基本信息, 经费, 班级, 学校, 指标, 定性,
满意度 and their synonyms); in each, the header row is found among the first rows by matching
the Chinese headers (``io.headers.normalise``), so a title row above it is fine. Every problem is
an :class:`~junheng.errors.Issue` naming the file, sheet, row and column in Chinese; any error
stops the import (all or nothing, :class:`~junheng.errors.InputError`); warnings are returned
with the data. Cells are read by the school-table importer's machinery (``io.grid``), the
county sheets being small, values are converted row by row here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from junheng.core.county_data import FINANCE_COLUMNS, Answer, CountyData
from junheng.errors import Issue
from junheng.io.county_fields import (
    COLUMNS_REQUIRED,
    IGNORED_SHEETS,
    INFO_KEYS,
    PROFILE_ITEMS,
    INPUT_ITEMS,
    SHEETS,
    CField,
    SheetSpec,
)
from junheng.io.convert import PROBLEM_TEXTS, parse_numbers, shown_number, text_problem
from junheng.io.formulas import FORMULA_TEXTS
from junheng.io.grid import CSV_SUFFIXES, EXCEL_SUFFIXES, Grid, is_empty_text, read_grids, sniff
from junheng.io.headers import build_index, field_index, lookup, normalise
from junheng.io.issues import IssueCollector

#: Kinds of county-workbook columns holding numbers (the 指标 sheet's 数值 column too: a text
#: column parsed per item).
NUMBER_KINDS = ("int", "float", "year", "rate")

#: Rows scanned from the top of a sheet for its header.
HEADER_SCAN_ROWS = 10
#: Spelling of the enumerations, after normalise().
LEVELS = {"小学": "primary", "小学部": "primary", "primary": "primary", "p": "primary",
          "初中": "junior", "初中部": "junior", "junior": "junior", "j": "junior"}
STATUSES = {"达标": "met", "符合": "met", "是": "met", "已达标": "met", "合格": "met",
            "未达标": "not_met", "不达标": "not_met", "不符合": "not_met", "否": "not_met", "不合格": "not_met",
            "不适用": "na", "na": "na", "n/a": "na"}
REGIONS = {"东部": "east", "东": "east", "east": "east", "中部": "central", "中": "central",
           "central": "central", "西部": "west", "西": "west", "west": "west"}
ENUMS = {"level": (LEVELS, "小学、初中"), "status": (STATUSES, "达标、未达标、不适用"),
         "region": (REGIONS, "东部、中部、西部")}
MONEY_FACTORS = {("万元", "元"): 10_000.0, ("元", "万元"): 1 / 10_000}
#: Rates that may exceed 100 % (gross rates count over-age pupils).
RATES_OVER_100 = ("junior_gross_enrolment_rate",)
#: Rates normally below 1 % (no "fraction?" warning for them).
SMALL_RATES = ("dropout_primary_rate", "dropout_junior_rate")
#: A class above this many pupils is reported as a warning (probably a typing error).
CLASS_SIZE_WARN = 100
#: Headers that are not data but are expected, by sheet code: read past without a warning
#: (the template's 定性 sheet names the rule pack of each item).
EXTRA_HEADERS: dict[str, tuple[str, ...]] = {"answers": ("适用规则包", "规则包")}
#: Columns of which a sheet needs at least one, by sheet code (each row fills one of them).
ONE_OF: dict[str, tuple[tuple[str, ...], ...]] = {"satisfaction": (("satisfied", "rate"),)}
#: Years of the 经费 sheet the growth checks need: two for any year-on-year growth, four for the
#: basic-2012 score sheet's "近三年" (three comparisons).
FINANCE_YEARS_NEEDED = 2
FINANCE_YEARS_FULL = 4
#: The only formats of the county workbook, for messages.
FORMATS = "Excel 工作簿（.xlsx 或 .xls）"


@dataclass
class CountyLoadResult:
    """A loaded county workbook: data, warnings (Issue, level warning), file, sheets used by code."""

    data: CountyData
    warnings: list[Issue] = field(default_factory=list)
    file: str = ""
    sheets: dict[str, str] = field(default_factory=dict)


def _key(text: str) -> str:
    return normalise(text)[0]


_SHEET_INDEX = build_index((s.code, (s.name, *s.synonyms)) for s in SHEETS)
_SPEC = {s.code: s for s in SHEETS}
_INPUT_INDEX = build_index((c, (name, *syn)) for c, (name, _, syn) in INPUT_ITEMS.items())
_INFO_INDEX = build_index([*INFO_KEYS.items(),
                           *((c, [t for x in (n, *syn) for t in (x, f"{x}（{u}）")])
                             for c, (n, u, _, syn) in PROFILE_ITEMS.items())])


@dataclass
class _Sheet:
    """A recognised sheet: its grid, header row (grid index), matched columns code → (grid column, text, unit)."""

    spec: SheetSpec
    grid: Grid
    row: int
    columns: dict[str, tuple[int, str, str | None]]
    unknown: list[tuple[int, str]] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)

    def label(self, code: str) -> str:
        j, text, _ = self.columns[code]
        return f"{text} ({self.grid.letter(j)}列)"

    def unknown_text(self) -> str:
        """The unrecognised header cells as ``教育财政拨款万元)(B列)、…`` ('' when there are none)."""
        return "、".join(f"{t}({self.grid.letter(j)}列)" for j, t in self.unknown)


def _find_header(grid: Grid, spec: SheetSpec) -> tuple[int, dict[str, tuple[int, str, str | None]],
                                                 list[tuple[int, str]]] | None:
    """(grid row, matched columns, unrecognised header cells (grid column, text)) of the row
    among the first :data:`HEADER_SCAN_ROWS` matching most of the sheet's headers; None when no
    row has a required header. A second column matching an already matched header counts as
    unrecognised (only the first is read)."""
    index = field_index(spec.fields)
    extra = {_key(t) for t in EXTRA_HEADERS.get(spec.code, ())}
    best = None
    for r, row in enumerate(grid.top_rows(HEADER_SCAN_ROWS)):
        cols: dict[str, tuple[int, str, str | None]] = {}
        unknown: list[tuple[int, str]] = []
        for j, text in enumerate(row):
            if not text:
                continue
            code, unit = lookup(index, text)
            key = _key(text)
            if code and code not in cols:
                cols[code] = (j, text, unit)
            elif key not in extra:
                unknown.append((j, text))
        if cols and (best is None or len(cols) > len(best[1])):
            best = (r, cols, unknown)
    return best


def _precheck(path: Path, rep: IssueCollector) -> None:
    """Refuse, with county-workbook wording (Excel only), what is not an Excel file."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        raise rep.fatal("not_a_workbook", f"县级数据表需要多个工作表，请使用 {FORMATS}，不能用 CSV。")
    if suffix not in EXCEL_SUFFIXES:
        raise rep.fatal("unsupported_file", f"不支持的文件类型“{path.suffix or '(无扩展名)'}”：县级数据表应为 {FORMATS}。")
    kind, what = sniff(path)
    if kind == "empty":
        raise rep.fatal("empty_file", "文件为空（0 字节），请检查是否选错了文件或文件未保存完整。")
    if kind in ("other", "text", "unknown"):
        seen = what or ("文本文件" if kind == "text" else "无法识别的格式")
        raise rep.fatal("not_a_spreadsheet", f"不是 Excel 文件（内容看起来是{seen}）：县级数据表应为 {FORMATS}，"
                                             "请在 Excel 或 WPS 中打开后另存为 .xlsx。")


def read_county_workbook(path: str | os.PathLike) -> CountyLoadResult:
    """Read and validate a county workbook (docs/county-workbook.md).

    path: an .xlsx/.xlsm/.xls workbook. Returns a :class:`CountyLoadResult` whose ``data`` is a
    :class:`CountyData` (money in 万元 for the finance totals and 元 otherwise, rates in percent).
    Raises ``InputError`` with every error (and the warnings so far) when the file is missing or
    unreadable, is a CSV, has none of the known sheets, or any value fails validation; nothing is
    loaded then. Missing sheets are warnings (the items they feed are undecided).
    """
    path = Path(path)
    rep = IssueCollector(file=path.name)
    rep.require_file(path, "县级数据表文件（.xlsx 或 .xls）")
    _precheck(path, rep)
    sheets: dict[str, _Sheet] = {}
    hidden: dict[str, str] = {}
    for grid in read_grids(path, None, rep):
        code, _ = lookup(_SHEET_INDEX, grid.sheet or "")
        if grid.hidden:
            if code is not None and code not in sheets:
                hidden.setdefault(code, grid.sheet)
            continue
        if code is None:
            if _key(grid.sheet or "") not in {_key(n) for n in IGNORED_SHEETS}:
                rep.add("warning", "unknown_sheet", f"无法识别的工作表“{grid.sheet}”，已忽略。")
            continue
        if code in sheets:
            rep.add("error", "duplicate_sheet", f"工作表“{grid.sheet}”与“{sheets[code].grid.sheet}”都是"
                    f"“{_SPEC[code].name}”表，请删除其一。")
            continue
        found = _find_header(grid, _SPEC[code])
        if found is None:
            need = "、".join(f"“{f.header}”" for f in _SPEC[code].fields if f.required)
            rep.add("error", "no_header", f"找不到表头：前 {HEADER_SCAN_ROWS} 行中没有包含 {need} 的行。"
                    "请检查表头文字是否拼写有误。", always=True)
            continue
        sheets[code] = _Sheet(_SPEC[code], grid, *found)
        _header_issues(sheets[code], rep)
    rep.sheet = None
    if not sheets and not rep.has_errors:
        names = "、".join(f"“{s.name}”" for s in SHEETS)
        raise rep.fatal("no_county_sheets", f"没有可识别的工作表：县级数据表应包含 {names} 等工作表。")
    for spec in SHEETS:
        if spec.code in sheets:
            continue
        if spec.code in hidden:
            rep.add("warning", "hidden_sheet", f"工作表“{hidden[spec.code]}”是隐藏的，未读取：{spec.missing_effect}。"
                                               "如需使用，请在 Excel 中取消隐藏该工作表。")
        elif spec.code != "info":
            rep.add("warning", "missing_sheet", f"未找到工作表“{spec.name}”：{spec.missing_effect}。")
    parsed = {code: _rows(s, rep) for code, s in sheets.items()}
    data = _assemble(parsed, sheets, rep, path.name)
    if rep.has_errors:
        raise rep.fail()
    return CountyLoadResult(data, rep.warnings(), path.name, {c: s.grid.sheet for c, s in sheets.items()})


def _header_issues(s: _Sheet, rep: IssueCollector) -> None:
    """Missing required columns (errors, listed first, with the unrecognised headers as a hint;
    ``s.missing`` records them so the row checks needing them are skipped) and unrecognised
    headers (one warning when no error carries them)."""
    rep.sheet = s.grid.sheet
    hrow = s.grid.excel_row(s.row)
    unknown = s.unknown_text()
    hint = f"表中无法识别的列：{unknown}，是否拼写有误？" if unknown else ""
    for f in s.spec.fields:
        if (f.required or f.code in COLUMNS_REQUIRED.get(s.spec.code, ())) and f.code not in s.columns:
            s.missing.add(f.code)
            rep.add("error", "missing_column", f"缺少必填列“{f.header}”。{hint}", row=hrow, always=True)
    headers = {f.code: f.header for f in s.spec.fields}
    for group in ONE_OF.get(s.spec.code, ()):
        if not set(group) & set(s.columns):
            s.missing.update(group)
            need = "或".join(f"“{headers[c]}”" for c in group)
            rep.add("error", "missing_column", f"缺少{need}列（至少要有一列）。{hint}", row=hrow, always=True)
    if unknown and not s.missing:
        rep.add("warning", "unknown_columns", f"以下列无法识别，已忽略：{unknown}，是否拼写有误？", row=hrow,
                always=True)


def _convert(f: CField, raw: str, unit: str | None) -> tuple[object, str | None, str | None]:
    """(value, error, warning) of one cell."""
    if f.kind == "text":
        return raw, None, None
    if f.kind in ENUMS:
        table, allowed = ENUMS[f.kind]
        v = table.get(_key(raw))
        return (v, None, None) if v else (None, f"“{raw}”不是有效值，应为{allowed}之一", None)
    text = raw.strip()
    pct = text.endswith(("%", "％"))
    if pct:
        text = text[:-1]
    (x, problem), = parse_numbers([text])
    if problem is None:
        problem = "not_numeric" if x is None else "negative" if x < 0 else None
    if problem:
        return None, PROBLEM_TEXTS[problem].format(raw=shown_number(raw)), None
    if f.kind in ("int", "year"):
        if x != round(x):
            return None, (PROBLEM_TEXTS["not_integer"] if f.kind == "int" else "年度 {raw} 不是整数").format(raw=raw), None
        x = int(round(x))
        if f.kind == "year" and not 1990 <= x <= 2100:
            return None, f"年度 {raw} 不在 1990–2100 之间", None
        return x, None, None
    if f.kind == "rate":
        return _rate(x, raw, pct)
    factor = MONEY_FACTORS.get((unit, f.unit), 1.0) if unit else 1.0
    return x * factor, None, None


def _rate(x: float, raw: str, pct: bool) -> tuple[object, str | None, str | None]:
    if x > 100:
        return None, f"比例 {raw} 超过 100%", None
    warn = None
    if not pct and 0 < x <= 1:
        warn = f"比例 {raw} 按百分数读取（即 {x:g}%）；如果填的是小数形式（{x:g} = {x * 100:g}%），请改为 {x * 100:g}"
    return x, None, warn


def _rows(s: _Sheet, rep: IssueCollector) -> list[dict]:
    """Data rows of a sheet as dicts of converted values (with ``_row``, the Excel row); cells
    that fail conversion are reported and left out of the dict (key ``_bad`` lists them)."""
    rep.sheet = s.grid.sheet
    fields = {f.code: f for f in s.spec.fields}
    out = []
    formulas = {(f.row, f.col): f for f in s.grid.formulas}
    rows = s.grid.cells.slice(s.row + 1).iter_rows()
    for i, cells in enumerate(rows, start=s.row + 1):
        texts = {code: (None if is_empty_text(cells[j]) else str(cells[j]).strip())
                 for code, (j, _, _) in s.columns.items()}
        if not any(texts.values()):
            continue
        excel_row = s.grid.excel_row(i)
        first = next((t for t in texts.values() if t), "")
        if first.startswith(("注", "说明", "填表", "合计")) and sum(1 for t in texts.values() if t) == 1:
            continue
        rec: dict = {"_row": excel_row, "_bad": set()}
        for code, text in texts.items():
            f = fields[code]
            formula = formulas.get((i, s.columns[code][0]))
            if formula is not None and (formula.kind == "no_value" or text is not None):
                level = "error" if formula.kind == "no_value" else "warning"
                rep.add(level, f"formula_{formula.kind}", FORMULA_TEXTS[formula.kind].format(formula=formula.formula),
                        row=excel_row, column=s.label(code))
                if level == "error":
                    rec["_bad"].add(code)
                    continue
            if text is not None and (problem := text_problem(text, number=f.kind in NUMBER_KINDS or code == "value")):
                rep.add("error", problem[0], problem[1] + "。", row=excel_row, column=s.label(code))
                rec["_bad"].add(code)
                continue
            if text is None:
                if f.required:
                    rep.add("error", "missing_value", f"“{f.header}”不能为空。", row=excel_row, column=s.label(code))
                    rec["_bad"].add(code)
                continue
            value, err, warn = _convert(f, text, s.columns[code][2])
            if err:
                rep.add("error", "bad_value", err + "。", row=excel_row, column=s.label(code))
                rec["_bad"].add(code)
                continue
            if warn:
                rep.add("warning", "rate_as_fraction", warn + "。", row=excel_row, column=s.label(code))
            rec[code] = value
        out.append(rec)
    return out


def _err(rep: IssueCollector, s: _Sheet, code: str | None, message: str, row: int | None, level: str = "error") -> None:
    rep.sheet = s.grid.sheet
    rep.add(level, "invalid", message, row=row, column=s.label(code) if code and code in s.columns else None)


def _first_rows(rows: list[dict], key: str, label: str, s: _Sheet, rep: IssueCollector) -> dict:
    """{value of ``key``: its row}, reporting every repeated value as an error naming both rows."""
    seen: dict = {}
    for r in rows:
        v = r.get(key)
        if v is None:
            continue
        if v in seen:
            _err(rep, s, key, f"{label} {v} 重复（另见第 {seen[v]} 行）。", r["_row"])
        seen[v] = r["_row"]
    return seen


def _finance(rows: list[dict], s: _Sheet, rep: IssueCollector) -> tuple[pl.DataFrame, str | None]:
    years = _first_rows(rows, "year", "年度", s, rep)
    ordered = sorted(years)
    gaps = [y for y in range(ordered[0], ordered[-1] + 1) if y not in years] if ordered else []
    if gaps:
        _err(rep, s, "year", f"年度不连续：缺少 {'、'.join(map(str, gaps))} 年（增长率需逐年计算）。", None)
    if not rows:
        _err(rep, s, None, "经费表没有任何年度数据。", s.grid.excel_row(s.row), "warning")
    elif ordered and len(ordered) < FINANCE_YEARS_FULL:
        _err(rep, s, "year", _years_warning(ordered), None, "warning")
    for r in rows:
        if r.get("students") == 0:
            _err(rep, s, "students", "义务教育在校生数不能为 0。", r["_row"])
        if r.get("regular_revenue_wan") == 0:
            _err(rep, s, "regular_revenue_wan", "财政经常性收入不能为 0（无法计算增长率）。", r["_row"])
        if r.get("boarders") is not None and r.get("students") and r["boarders"] > r["students"]:
            _err(rep, s, "boarders", f"寄宿生数 {r['boarders']} 大于义务教育在校生数 {r['students']}。", r["_row"])
    regions = {r["region"] for r in rows if r.get("region")}
    if len(regions) > 1:
        _err(rep, s, "region", "各年度的“地区”不一致，请只填写一种（东部、中部或西部）。", None)
    present = [c for c in FINANCE_COLUMNS if c in s.columns]
    df = pl.DataFrame([{c: r.get(c) for c in present} for r in rows if r.get("year") is not None],
                      schema={c: FINANCE_COLUMNS[c] for c in present}, orient="row")
    return df.sort("year"), (regions.pop() if len(regions) == 1 else None)


def _years_warning(years: list[int]) -> str:
    """The warning for a finance series shorter than the growth checks need."""
    n = len(years)
    span = f"{years[0]}年" if n == 1 else f"{years[0]}–{years[-1]}年"
    if n < FINANCE_YEARS_NEEDED:
        return (f"经费表只有 {n} 个年度（{span}）：三个增长、两个只增不减需要连续至少 {FINANCE_YEARS_NEEDED} 个年度"
                f"才能计算增长（基本均衡评分表的“近三年”比较需要 {FINANCE_YEARS_FULL} 个年度），这些项目将显示为"
                "“无法判定”；教师工资与公务员工资按该年度比较。请补充前几年的数据。")
    return (f"经费表只有 {n} 个年度（{span}），只能核对 {n - 1} 年的增长；基本均衡评分表的“近三年”三个增长"
            f"需要 {FINANCE_YEARS_FULL} 个年度（3 次逐年比较），将只按已有年度核对。")


def _classes(rows: list[dict], s: _Sheet, rep: IssueCollector) -> pl.DataFrame:
    seen: dict[tuple, int] = {}
    keyed = not ({"school_id", "level"} & s.missing)   # duplicates are per school and level
    for r in rows:
        if r.get("size") == 0:
            _err(rep, s, "size", "班级人数不能为 0。", r["_row"])
        elif r.get("size") is not None and r["size"] > CLASS_SIZE_WARN:
            _err(rep, s, "size", f"班级人数 {r['size']} 超过 {CLASS_SIZE_WARN}，请核对。", r["_row"], "warning")
        if keyed and r.get("class_name"):
            k = (r.get("school_id"), r.get("level"), r["class_name"])
            if k in seen:
                _err(rep, s, "class_name", f"班级“{r['class_name']}”重复（另见第 {seen[k]} 行）。", r["_row"])
            seen[k] = r["_row"]
    return pl.DataFrame(
        [{"school_id": r.get("school_id"), "level": r.get("level"), "class_name": r.get("class_name") or f"第{r['_row']}行",
          "size": r.get("size"), "source_row": r["_row"]} for r in rows],
        schema={"school_id": pl.Utf8, "level": pl.Utf8, "class_name": pl.Utf8, "size": pl.Int64, "source_row": pl.Int64},
        orient="row")


def _schools(rows: list[dict], s: _Sheet, rep: IssueCollector) -> pl.DataFrame:
    _first_rows(rows, "school_id", "学校标识码", s, rep)
    cols = {"school_id": pl.Utf8, "music_rooms": pl.Int64, "art_rooms": pl.Int64,
            "operating_funds_yuan": pl.Float64, "source_row": pl.Int64}
    keep = [c for c in cols if c in s.columns or c == "source_row"]
    return pl.DataFrame([{c: (r["_row"] if c == "source_row" else r.get(c)) for c in keep} for r in rows],
                        schema={c: cols[c] for c in keep}, orient="row")


def _inputs(rows: list[dict], s: _Sheet, rep: IssueCollector) -> dict[str, float]:
    values: dict[str, float] = {}
    where: dict[str, int] = {}
    for r in rows:
        name = r.get("item")
        if not name:
            continue
        code, _ = lookup(_INPUT_INDEX, name)
        if code is None:
            _err(rep, s, "item", f"无法识别的指标“{name}”，已忽略（可识别的指标见填表说明）。", r["_row"], "warning")
            continue
        if code in where:
            _err(rep, s, "item", f"指标“{name}”重复（另见第 {where[code]} 行）。", r["_row"])
            continue
        where[code] = r["_row"]
        raw = r.get("value")
        if raw is None:
            continue
        canonical, unit, _ = INPUT_ITEMS[code]
        kind = "float" if code in RATES_OVER_100 else "rate" if unit == "%" else "int" if unit == "人" else "float"
        f = CField(code, canonical, kind, unit)
        value, err, warn = _convert(f, raw, None)
        if err:
            _err(rep, s, "value", f"“{canonical}”：{err}。", r["_row"])
            continue
        if warn and code not in SMALL_RATES:
            _err(rep, s, "value", f"“{canonical}”：{warn}。", r["_row"], "warning")
        values[code] = float(value)
    e, rot, b = (values.get(k) for k in ("rotation_eligible_teachers", "rotated_teachers", "rotated_backbone_teachers"))
    if e is not None and rot is not None and rot > e:
        _err(rep, s, "value", f"交流轮岗教师数 {rot:g} 大于符合交流条件教师数 {e:g}。", where["rotated_teachers"])
    if rot is not None and b is not None and b > rot:
        _err(rep, s, "value", f"交流轮岗中骨干教师数 {b:g} 大于交流轮岗教师数 {rot:g}。", where["rotated_backbone_teachers"])
    return values


def _known_ids() -> set[str]:
    from junheng.rules.loader import available_packs, load_rules

    return {i.id for p in available_packs() for i in load_rules(p).county_items}


def _answers(rows: list[dict], s: _Sheet, rep: IssueCollector) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    where: dict[str, int] = {}
    known = _known_ids()
    for r in rows:
        item_id = (r.get("id") or "").upper()
        if not item_id or "status" in r["_bad"] or r.get("status") is None:
            continue
        if item_id in where:
            _err(rep, s, "id", f"编号 {item_id} 重复（另见第 {where[item_id]} 行）。", r["_row"])
            continue
        where[item_id] = r["_row"]
        if item_id not in known:
            _err(rep, s, "id", f"编号 {item_id} 不是规则包中的项目编号，已保留但不会使用。", r["_row"], "warning")
        if r["status"] == "met" and not r.get("evidence"):
            _err(rep, s, "status", f"{item_id} 标为达标但没有填写佐证材料。", r["_row"], "warning")
        out[item_id] = Answer(r["status"], r.get("evidence") or "", r.get("score"), r["_row"])
    return out


def _satisfaction(rows: list[dict], s: _Sheet, rep: IssueCollector) -> pl.DataFrame:
    recs = []
    for r in rows:
        valid, sat, rate = r.get("valid"), r.get("satisfied"), r.get("rate")
        if valid is None:
            continue
        if valid == 0:
            _err(rep, s, "valid", "有效问卷数不能为 0。", r["_row"])
            continue
        if sat is None and rate is None:
            if not ({"satisfied", "rate"} & (r["_bad"] | s.missing)):
                _err(rep, s, "satisfied", "请填写“满意数”或“满意度”。", r["_row"])
            continue
        if sat is not None and sat > valid:
            _err(rep, s, "satisfied", f"满意数 {sat:g} 大于有效问卷数 {valid}。", r["_row"])
            continue
        if sat is not None and rate is not None and abs(sat / valid * 100 - rate) > 0.5:
            _err(rep, s, "rate", f"满意度 {rate:g}% 与 满意数 ÷ 有效问卷数 = {sat / valid * 100:.2f}% 不一致，按满意数计算。",
                 r["_row"], "warning")
        recs.append({"group": r.get("group"), "valid": valid,
                     "satisfied": float(sat) if sat is not None else valid * rate / 100, "source_row": r["_row"]})
    return pl.DataFrame(recs, schema={"group": pl.Utf8, "valid": pl.Int64, "satisfied": pl.Float64,
                                      "source_row": pl.Int64}, orient="row")


def _profile_value(code: str, r: dict, unit: str | None, s: _Sheet, rep: IssueCollector) -> float | None:
    """A 基本信息 row of :data:`PROFILE_ITEMS` as a number in its canonical unit, or None (error added)."""
    name, want, kind, _ = PROFILE_ITEMS[code]
    if unit is not None and unit != want:
        _err(rep, s, "key", f"“{r['key']}”的单位应为{want}（{unit}无法换算）。", r["_row"])
        return None
    value, err, _ = _convert(CField(code, name, kind, want), r["value"], None)
    if err:
        _err(rep, s, "value", f"“{name}”：{err}。", r["_row"])
        return None
    return float(value)


def _info(rows: list[dict], s: _Sheet, rep: IssueCollector) -> tuple[dict[str, str], dict[str, float]]:
    """The 基本信息 sheet: identity texts by code (:data:`INFO_KEYS`) and the county profile by code
    (:data:`PROFILE_ITEMS`, numbers in the canonical unit); a row given twice is an error."""
    out: dict[str, str] = {}
    profile: dict[str, float] = {}
    where: dict[str, int] = {}
    for r in rows:
        code, unit = lookup(_INFO_INDEX, r.get("key") or "")
        if code is None and r.get("key"):
            _err(rep, s, "key", f"无法识别的项目“{r['key']}”，已忽略（可识别的项目见填表说明）。", r["_row"], "warning")
        if code is None or not r.get("value"):
            continue
        if code in where:
            _err(rep, s, "key", f"项目“{r['key']}”重复（另见第 {where[code]} 行）。", r["_row"])
            continue
        where[code] = r["_row"]
        if code in PROFILE_ITEMS:
            v = _profile_value(code, r, unit, s, rep)
            if v is not None:
                profile[code] = v
            continue
        if code == "region":
            v = REGIONS.get(_key(r["value"]))
            if v is None:
                _err(rep, s, "value", f"地区“{r['value']}”不是有效值，应为东部、中部、西部之一。", r["_row"])
                continue
            out[code] = v
        else:
            out[code] = r["value"]
    return out, profile


def _assemble(parsed: dict[str, list[dict]], sheets: dict[str, _Sheet], rep: IssueCollector, source: str) -> CountyData:
    info, profile = _info(parsed["info"], sheets["info"], rep) if "info" in parsed else ({}, {})
    finance, region = (pl.DataFrame(schema={"year": pl.Int64}), None)
    if "finance" in parsed:
        finance, region = _finance(parsed["finance"], sheets["finance"], rep)
    if info.get("region") and region and info["region"] != region:
        _err(rep, sheets["finance"], "region", "经费表的“地区”与基本信息表不一致。", None)
    return CountyData(
        finance=finance,
        classes=_classes(parsed["classes"], sheets["classes"], rep) if "classes" in parsed else None,
        schools=_schools(parsed["schools"], sheets["schools"], rep) if "schools" in parsed else None,
        inputs=_inputs(parsed["inputs"], sheets["inputs"], rep) if "inputs" in parsed else {},
        answers=_answers(parsed["answers"], sheets["answers"], rep) if "answers" in parsed else {},
        satisfaction=_satisfaction(parsed["satisfaction"], sheets["satisfaction"], rep) if "satisfaction" in parsed else None,
        region=info.get("region") or region,
        county_code=info.get("county_code"),
        county=info.get("county"),
        source=source,
        profile=profile,
    )
