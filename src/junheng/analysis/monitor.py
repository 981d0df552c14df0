"""Annual monitoring (年度监测复查) over school tables of several years (pure: tables in, results out).

Input: one canonical school table per statistical year (``junheng.io``), a rule pack and the
:class:`MonitorSettings`; optionally per year and county a class list (the county workbook's 班级
sheet). Every year is assessed by the unchanged engine (:func:`junheng.core.assess`); this module
only lines the years up. Output: a :class:`MonitorResult` whose ``counties`` are plain data in the
shape of the ``monitor`` JSON contract (docs/json-contract.md, docs/monitor.md):

* schools matched across years by 学校标识码 (``school_id``): new, closed, renamed (same id, other
  name) and suspected merges (:func:`school_changes`);
* per county, level and indicator the series of means, SDs and CVs, and of the composite;
* per unit (school section) the pass marks over the years (rule packs with a unit rule);
* regressions between consecutive years (a CV, composite, level, county or unit that passed and
  now fails) and the 预警 level of every series value and unit (:func:`severity`);
* 大班额 / 超大班额 (class sizes ≥ 56 / ≥ 66: exact from a class list, else the school table's
  average class size per school section, flagged as an average) and oversized schools
  (:func:`junheng.core.county_checks.school_size`).

Sources: monitoring after recognition, 教督〔2012〕3号 / 教督〔2017〕6号 (the same indicators and
CVs re-checked yearly; docs/monitor.md); class-size bands 大班额 56–65 and 超大班额 66
and more: 教育部《关于做好消除义务教育大班额工作的通知》（教基厅函〔2018〕号 series） and the
national 2018–2020 plan to end large classes (ASSUMPTION-grade citation; the figures are named
settings). The 预警 levels are this project's definition (docs/monitor.md), not an official rule.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from ..core import assess
from ..core.county_checks import COUNTED, school_size
from ..core.result import Assessment
from ..core.units import KEY, prepare
from ..rules.loader import RulePack

#: 预警 levels, most severe first (JSON codes; the Chinese names are in report/narrative/monitor.py).
SEVERITIES = ("red", "orange", "yellow")
#: School size limits used when the rule pack has no ``school_size`` county item (basic-2012):
#: the figures of 教督〔2017〕6号 (≤ 2000 pupils, ≤ 2500 for 九年/十二年一贯制).
DEFAULT_SCHOOL_SIZE = {"single": 2000, "combined": 2500}
#: A four-digit year in a file name (1990–2099) not part of a longer number (a 6-digit county code).
_YEAR_IN_NAME = re.compile(r"(?<!\d)(199\d|20\d\d)(?!\d)")


class YearError(ValueError):
    """The year of a file cannot be determined or is ambiguous (Chinese message naming the file)."""


@dataclass(frozen=True)
class MonitorSettings:
    """The named settings of the monitoring (docs/monitor.md; all settable on the command line).

    margin: orange 预警 when a passing CV or composite is at least ``threshold × (1 − margin)``
    (within ``margin`` of its threshold), or a passing unit has an indicator below
    ``threshold × (1 + margin)``; worse_years: yellow 预警 when the value got worse (a CV up, a
    unit's met count down) in each of the last ``worse_years`` year-on-year steps; big_class /
    huge_class: 大班额 and 超大班额 lower bounds (pupils per class, inclusive); merge_share: a
    closed school is reported as 疑似并入 a school of the same county and 乡镇 whose compulsory
    pupils grew by at least ``merge_share`` × the closed school's pupils.
    """

    margin: float = 0.10
    worse_years: int = 2
    big_class: int = 56
    huge_class: int = 66
    merge_share: float = 0.5

    def __post_init__(self) -> None:
        if not 0 <= self.margin < 1:
            raise ValueError("预警临界幅度（margin）应在 0 与 1 之间（如 0.1 表示 10%）")
        if self.worse_years < 1:
            raise ValueError("连续变差年数（worse_years）至少为 1")
        if not 0 < self.big_class < self.huge_class:
            raise ValueError(f"大班额人数（{self.big_class}）应为正数，且小于超大班额人数（{self.huge_class}）")
        if not 0 < self.merge_share <= 1:
            raise ValueError("并入判定比例（merge_share）应在 0 与 1 之间")

    def as_dict(self) -> dict[str, float | int]:
        """The settings as in the JSON ``settings`` object."""
        return {"margin": self.margin, "worse_years": self.worse_years, "big_class": self.big_class,
                "huge_class": self.huge_class, "merge_share": self.merge_share}


@dataclass(frozen=True)
class YearInput:
    """One year of input: year, canonical school table (schema.py), the file name it came from,
    and optionally class lists by county (county code or name → frame with ``school_id``,
    ``level``, ``class_name``, ``size``: the county workbook's 班级 sheet, core.county_data)."""

    year: int
    table: pl.DataFrame
    source: str = ""
    classes: Mapping[str, pl.DataFrame] = field(default_factory=dict)


@dataclass
class MonitorResult:
    """The monitoring of every county over the years.

    years: ascending; sources: year → file name; batch: the engine's Assessment of all years at
    once (county keys tagged with the year, :func:`assess_years`; per year: :meth:`assessment`);
    counties: per county the JSON-shaped dict of docs/json-contract.md (``monitor``), sorted by
    county key; school_size_limits: the limits used (from the pack's G4 item or the default).
    """

    rules: RulePack
    years: list[int]
    sources: dict[int, str]
    settings: MonitorSettings
    batch: Assessment
    counties: list[dict[str, Any]]
    school_size_limits: dict[str, float]

    def assessment(self, year: int) -> Assessment:
        """The engine's Assessment of one year (the batch's counties, units and exclusions of that
        year, county keys untagged); KeyError for a year not monitored."""
        if year not in self.years:
            raise KeyError(year)
        return split_batch(self.batch, year)


# ---------------------------------------------------------------------------------------------
# The year of a file
# ---------------------------------------------------------------------------------------------

def year_in_text(text: str) -> int | None:
    """The first four-digit year 1990–2099 in a cell text (“2023”, “2023年”, “2023-2024学年” → 2023:
    the 学年初 statistics are of the school year's first calendar year); None if there is none."""
    m = _YEAR_IN_NAME.search(str(text))
    return int(m.group(1)) if m else None


def resolve_year(name: str, *, given: int | None = None, column: Iterable[str | None] = (),
                 place: str = "", rows: Iterable[int] = ()) -> tuple[int, str]:
    """The statistical year of one file and how it was found: ``(year, "option" | "column" | "name" | "folder")``.

    Precedence (docs/monitor.md): ``given`` (``--year 2023=file``) wins; else the table's year
    column (统计年度 / 年度 / 学年…, its values ``column``: all rows must give one year); else one
    distinct four-digit year in the file name ``name`` (a path relative to the folder given, as
    ``hist/2023/学校数据.xlsx``: the base name, else its folders nearest first → ``"folder"``).
    Raises :class:`YearError` (Chinese, naming the
    file) when the column holds several years or a value without a year, or when neither column nor
    name gives exactly one year. place: where the column is, as the messages name it (“工作表“学校”，AS列”);
    rows: the Excel row of each value of ``column`` (messages name the row of a bad value).
    A plain number must be a whole year: “2024.5” is an error, “2024.0” is 2024.
    """
    if given is not None:
        return given, "option"
    at_row = list(rows)
    cells = [(str(v).strip(), at_row[i] if i < len(at_row) else None) for i, v in enumerate(column)
             if v is not None and str(v).strip()]
    where = f"（{place}）" if place else ""
    at = lambda r: f"第{r}行" if r is not None else ""  # noqa: E731
    if cells:
        found: dict[int, int | None] = {}
        for v, r in cells:
            y = _cell_year(v)
            if y is None:
                raise YearError(f"{name}{where}：年度列{at(r)}的“{v}”不是年份（应写作 2024 或 2024年）；"
                                f"请改正，或用 --year 年度={name} 指定。")
            found.setdefault(y, r)
        if len(found) > 1:
            parts = "、".join(f"{y}（{at(r)}起）" if r is not None else str(y) for y, r in sorted(found.items()))
            raise YearError(f"{name}{where}：年度列中有多个年度：{parts}，一个文件只能是一个年度；请按年度分成多个文件。")
        return next(iter(found)), "column"
    parts = name.replace("\\", "/").split("/")
    for k, part in enumerate(reversed(parts)):  # the file name, then its folders, nearest first
        found = sorted({int(y) for y in _YEAR_IN_NAME.findall(part)})
        if len(found) == 1:
            return found[0], "name" if k == 0 else "folder"
        if found:
            what = "文件名" if k == 0 else f"文件夹名“{part}”"
            raise YearError(f"{name}：{what}中有多个年份（{'、'.join(map(str, found))}），无法确定统计年度；"
                            f"请用 --year 年度={name} 指定。")
    raise YearError(f"{name}：无法确定统计年度（表中没有“统计年度”列，文件名和所在文件夹名中也没有年份）；"
                    f"请用 --year 年度={name} 指定，或在文件名中写明年份（如 2024年学校数据.xlsx）。")


def _cell_year(text: str) -> int | None:
    """The year of one year-column cell: a plain number must be a whole year 1990–2099 (2024,
    2024.0; not 2024.5), other text its first year (:func:`year_in_text`); else None."""
    if re.fullmatch(r"\d+(\.\d*)?", text):
        x = float(text)
        return int(x) if x == int(x) and 1990 <= x <= 2099 else None
    return year_in_text(text)


# ---------------------------------------------------------------------------------------------
# School changes
# ---------------------------------------------------------------------------------------------

def _roster(table: pl.DataFrame) -> pl.DataFrame:
    """school_id, name, county key/code/name, township, category and compulsory pupils of a table."""
    df = table if "category" in table.columns else prepare(table)
    return df.select("school_id", "name", KEY, "county_code", "county", "township", "category",
                     (pl.col("students_P") + pl.col("students_J")).alias("pupils"))


def school_changes(before: pl.DataFrame, after: pl.DataFrame, settings: MonitorSettings) -> pl.DataFrame:
    """Schools that changed between two consecutive years, one row per change.

    before / after: rosters (:func:`_roster`: school_id, name, county_key, township, pupils).
    Returns columns ``county_key, change, school_id, name, old_name, into_id, into_name, pupils,
    increase``; change is ``new`` (id only in ``after``), ``closed`` (only in ``before``),
    ``renamed`` (same id, other name: ``old_name`` → ``name``) or ``merged``: a closed school
    whose pupils appear at a school of the same county and 乡镇 present both years (the school with
    the largest growth in compulsory pupils, ``increase``, at least ``merge_share`` × the closed
    school's ``pupils``). ASSUMPTION (docs/monitor.md): a merge is inferred from the pupils, not
    declared; it is reported as 疑似并入 and the school also counts as closed. Closed schools
    without a township, or with no pupils, are never inferred as merged.
    """
    return _changes(before, after, settings, [])


def _changes(before: pl.DataFrame, after: pl.DataFrame, settings: MonitorSettings, by: list[str]) -> pl.DataFrame:
    """:func:`school_changes` for many pairs of years at once: rows are matched on ``school_id``
    and the columns ``by`` (a step number: ``after``'s year and the year before it share it)."""
    b = before.select("school_id", *by, pl.col("name").alias("old_name"), pl.col(KEY).alias("_key0"),
                      pl.col("township").alias("_town0"), pl.col("pupils").alias("_p0"))
    both = after.join(b, on=["school_id", *by], how="full", coalesce=True)
    key = pl.coalesce(KEY, "_key0").alias(KEY)
    new = both.filter(pl.col("_key0").is_null()).select(
        *by, key, pl.lit("new").alias("change"), "school_id", "name", pl.lit(None, pl.Utf8).alias("old_name"),
        pl.col("pupils").alias("pupils"))
    closed = both.filter(pl.col(KEY).is_null()).select(
        *by, key, pl.lit("closed").alias("change"), "school_id", pl.col("old_name").alias("name"),
        pl.lit(None, pl.Utf8).alias("old_name"), pl.col("_p0").alias("pupils"), pl.col("_town0").alias("township"))
    renamed = both.filter(pl.col(KEY).is_not_null() & pl.col("_key0").is_not_null()
                          & (pl.col("name") != pl.col("old_name"))).select(
        *by, key, pl.lit("renamed").alias("change"), "school_id", "name", "old_name", pl.col("pupils"))
    growth = both.filter(pl.col(KEY).is_not_null() & pl.col("_key0").is_not_null()).select(
        *by, KEY, "township", pl.col("school_id").alias("into_id"), pl.col("name").alias("into_name"),
        (pl.col("pupils") - pl.col("_p0")).alias("increase"))
    merged = (closed.filter(pl.col("township").is_not_null() & (pl.col("pupils") > 0))
              .join(growth, on=[*by, KEY, "township"], how="inner")
              .filter(pl.col("increase") >= settings.merge_share * pl.col("pupils"))
              .sort([*by, "school_id", "increase", "into_id"], descending=[False] * len(by) + [False, True, False])
              .unique([*by, "school_id"], keep="first", maintain_order=True)
              .select(*by, KEY, pl.lit("merged").alias("change"), "school_id", "name", "old_name", "into_id",
                      "into_name", "pupils", "increase"))
    cols = {**{c: pl.Int64 for c in by}, KEY: pl.Utf8, "change": pl.Utf8, "school_id": pl.Utf8, "name": pl.Utf8,
            "old_name": pl.Utf8, "into_id": pl.Utf8, "into_name": pl.Utf8, "pupils": pl.Float64,
            "increase": pl.Float64}

    def norm(df: pl.DataFrame) -> pl.DataFrame:
        return df.select([(pl.col(c) if c in df.columns else pl.lit(None)).cast(t).alias(c) for c, t in cols.items()])

    return pl.concat([norm(new), norm(closed.drop("township")), norm(renamed), norm(merged)]).sort(
        [*by, KEY, "change", "school_id"])


# ---------------------------------------------------------------------------------------------
# 预警
# ---------------------------------------------------------------------------------------------

def severity(values: list[float | None], passed: list[bool | None], threshold: float | None,
             settings: MonitorSettings, *, higher_is_worse: bool = True) -> list[str | None]:
    """The 预警 level of each year of one series (docs/monitor.md).

    values: the series (a CV, a composite, a unit's met count), None where undefined; passed: the
    engine's verdict for each year (None: no test or undecided); threshold: the value's limit, None
    when it has none. Per year: ``red`` when the engine says it fails (passed False); ``orange`` when
    it passes but lies within ``margin`` of the threshold (CV ≥ threshold × (1 − margin)); ``yellow``
    when it got worse (higher, or lower with ``higher_is_worse`` False) in each of the last
    ``worse_years`` steps; else None. The most severe applies.
    """
    out: list[str | None] = []
    k = settings.worse_years
    for t, (v, ok) in enumerate(zip(values, passed)):
        if ok is False:
            out.append("red")
        elif v is not None and threshold is not None and ok is True and v >= threshold * (1 - settings.margin):
            out.append("orange")
        elif t >= k and all(values[t - j] is not None and values[t - j - 1] is not None
                            and (values[t - j] > values[t - j - 1] if higher_is_worse
                                 else values[t - j] < values[t - j - 1]) for j in range(k)):
            out.append("yellow")
        else:
            out.append(None)
    return out


def _regressions(years: list[int], passed: list[bool | None]) -> list[int]:
    """The years in which a series that passed the year before now fails."""
    return [years[t] for t in range(1, len(years)) if passed[t - 1] is True and passed[t] is False]


# ---------------------------------------------------------------------------------------------
# Class and school size
# ---------------------------------------------------------------------------------------------

def _school_size_limits(rules: RulePack) -> dict[str, float]:
    item = next((i for i in rules.county_items if i.check == "school_size"), None)
    return dict(item.params) if item is not None else dict(DEFAULT_SCHOOL_SIZE)


def class_sizes(table: pl.DataFrame, classes: Mapping[str, pl.DataFrame], settings: MonitorSettings,
                limits: Mapping[str, float]) -> dict[str, dict[str, Any]]:
    """Per county of one year's table: 大班额 / 超大班额 and oversized schools.

    table: canonical school table (or its :func:`junheng.core.units.prepare` form); classes: class lists by county key (county workbook, exact
    sizes). Only schools of :data:`junheng.core.county_checks.COUNTED` categories count (as the G4
    / G5 items). Returns ``{county_key: {"class_size": {...}, "school_size": {...}}}`` where
    class_size is, with a class list, ``{"source": "class_list", "classes", "big", "huge",
    "rows": [{"school_id", "name", "level", "class_name", "size", "band"}]}`` (band ``big`` for
    big_class ≤ size < huge_class, ``huge`` for size ≥ huge_class); without one, from the school
    table's 班数 ``{"source": "average", "sections", "big", "huge", "rows": [{"school_id", "name",
    "level", "students", "classes", "average", "band"}]}`` counting school sections whose average
    class size (pupils ÷ classes) falls in a band — an average, so a school with some large
    classes but a small average is not seen; ``{"source": null}`` when the table has no 班数.
    school_size: :func:`junheng.core.county_checks.school_size` with ``limits`` (``single``,
    ``combined``): ``{"schools", "largest", "over", "rows": [{"school_id", "name", "students",
    "limit"}]}``.
    """
    df = (table if "category" in table.columns else prepare(table)).filter(pl.col("category").is_in(COUNTED))
    has_counts = any(c in table.columns and table[c].is_not_null().any() for c in ("classes_P", "classes_J"))
    # rows are identified by position: a school id recurs across the years of a batch (tagged keys)
    sizes = school_size(df.select(pl.int_range(pl.len()).cast(pl.Utf8).alias("school_id"), "name", "category",
                                  "students_P", "students_J"), dict(limits))
    at = [int(r["school_id"]) for r in sizes.rows]
    who = df[at].select("school_id", KEY).rows() if at else []
    over: dict[str, list[dict[str, Any]]] = {}
    for r, (sid, key) in zip(sizes.rows, who):
        over.setdefault(key, []).append({"school_id": sid, "name": r["name"], "students": int(r["students"]),
                                         "limit": r["limit"]})
    band = (pl.when(pl.col("_v") >= settings.huge_class).then(pl.lit("huge"))
            .when(pl.col("_v") >= settings.big_class).then(pl.lit("big")).otherwise(None))
    heads = df.group_by(KEY).agg(pl.len().alias("n"), (pl.col("students_P") + pl.col("students_J")).max().alias("largest"))
    out: dict[str, dict[str, Any]] = {
        key: {"class_size": {"source": None},
              "school_size": {"schools": n, "largest": int(big or 0), "over": len(over.get(key, ())),
                              "rows": over.get(key, [])}}
        for key, n, big in heads.iter_rows()}
    if has_counts:
        secs = pl.concat([df.filter(pl.col(f"classes_{s}") > 0).select(
            KEY, "school_id", "name", pl.lit(lv).alias("level"), pl.col(f"students_{s}").alias("students"),
            pl.col(f"classes_{s}").alias("classes"), (pl.col(f"students_{s}") / pl.col(f"classes_{s}")).alias("_v"))
            for s, lv in (("P", "primary"), ("J", "junior"))]).with_columns(band.alias("band"))
        per = secs.group_by(KEY).agg(pl.len().alias("sections"), (pl.col("band") == "big").sum().alias("big"),
                                     (pl.col("band") == "huge").sum().alias("huge"))
        for key, n, big, huge in per.iter_rows():
            out[key]["class_size"] = {"source": "average", "sections": n, "big": int(big), "huge": int(huge), "rows": []}
        for key in out:  # counted schools with no classes at all: no sections
            if out[key]["class_size"]["source"] is None:
                out[key]["class_size"] = {"source": "average", "sections": 0, "big": 0, "huge": 0, "rows": []}
        for r in secs.filter(pl.col("band").is_not_null()).sort("_v", descending=True).iter_rows(named=True):
            out[r[KEY]]["class_size"]["rows"].append(
                {"school_id": r["school_id"], "name": r["name"], "level": r["level"], "students": int(r["students"]),
                 "classes": int(r["classes"]), "average": r["_v"], "band": r["band"]})
    for key, cl in classes.items():
        if key not in out or cl is None or cl.height == 0:
            continue
        names = {i: n for i, n, k in zip(df["school_id"].to_list(), df["name"].to_list(), df[KEY].to_list()) if k == key}
        flagged = cl.with_columns(pl.col("size").alias("_v")).with_columns(band.alias("band")).filter(
            pl.col("band").is_not_null()).sort("size", descending=True)
        out[key]["class_size"] = {
            "source": "class_list", "classes": cl.height,
            "big": flagged.filter(pl.col("band") == "big").height,
            "huge": flagged.filter(pl.col("band") == "huge").height,
            "rows": [{"school_id": r["school_id"], "name": names.get(r["school_id"]), "level": r["level"],
                      "class_name": r["class_name"], "size": int(r["size"]), "band": r["band"]}
                     for r in flagged.iter_rows(named=True)]}
    return out


# ---------------------------------------------------------------------------------------------
# All years in one engine call
# ---------------------------------------------------------------------------------------------

#: Separator of the year tag on county codes and names in the batch (a control character: the
#: importer refuses it in cells, so it never occurs in data).
TAG = "\x1f"


def _tag(table: pl.DataFrame, year: int) -> pl.DataFrame:
    """The table with ``TAG + year`` appended to county_code (where given) and county (blank → ""),
    so that :func:`junheng.core.units.county_key` gives each (county, year) its own key."""
    add = [pl.col("county").fill_null("").add(f"{TAG}{year}").alias("county") if "county" in table.columns
           else pl.lit(f"{TAG}{year}").alias("county")]
    if "county_code" in table.columns:
        add.append((pl.col("county_code") + f"{TAG}{year}").alias("county_code"))
    return table.with_columns(add)


def _untag(text: str | None) -> str | None:
    if text is None:
        return None
    return text.rsplit(TAG, 1)[0] or None


def _untag_expr(col: str) -> pl.Expr:
    base = pl.col(col).str.replace(f"{TAG}\\d+$", "")
    return pl.when(base == "").then(None).otherwise(base).alias(col)


def assess_years(tables: Mapping[int, pl.DataFrame], rules: RulePack) -> Assessment:
    """Every year's table assessed by :func:`junheng.core.assess` in one call.

    The engine groups by county key (county_code, else county), so tagging each county with its
    year (:func:`_tag`) makes each (county, year) a group of its own: every number equals one
    ``assess`` call per year (tested), with one pass over the indicators instead of one per year.
    Returns the batch Assessment (keys tagged; :func:`split_batch` gives one year).
    """
    return assess(_batch_table(tables), rules)


def _batch_table(tables: Mapping[int, pl.DataFrame]) -> pl.DataFrame:
    """The years' tables, county keys tagged (:func:`_tag`), one below the other."""
    return pl.concat([_tag(t, y) for y, t in tables.items()], how="diagonal_relaxed")


def split_batch(batch: Assessment, year: int) -> Assessment:
    """One year of :func:`assess_years`' batch, with county keys, codes and names untagged."""
    from dataclasses import replace

    suffix = f"{TAG}{year}"
    counties = [replace(c, county_key=_untag(c.county_key) or "", county_code=_untag(c.county_code),
                        county=_untag(c.county)) for c in batch.counties if c.county_key.endswith(suffix)]

    def part(df: pl.DataFrame) -> pl.DataFrame:
        return df.filter(pl.col(KEY).str.ends_with(suffix)).with_columns(
            _untag_expr(KEY).fill_null(""), *[_untag_expr(c) for c in ("county_code", "county") if c in df.columns])

    return Assessment(batch.rules, counties, part(batch.units), part(batch.excluded), year)


# ---------------------------------------------------------------------------------------------
# The monitoring
# ---------------------------------------------------------------------------------------------

def _unit_marks(units: pl.DataFrame, years: list[int], rules: RulePack,
                settings: MonitorSettings) -> dict[str, list[dict[str, Any]]]:
    """Per county key, one dict per unit (school section) with its marks over the years; units:
    the batch's unit frame (county keys tagged with the year)."""
    if rules.unit_rule is None or units.height == 0:
        return {}
    codes = [i.code for i in rules.indicators]
    thr = {c: (i.threshold.primary, i.threshold.junior) for c, i in zip(codes, rules.indicators)}
    near = pl.any_horizontal([
        pl.col(c) < pl.when(pl.col("level") == "primary").then(thr[c][0]).otherwise(thr[c][1]) * (1 + settings.margin)
        for c in codes])
    long = units.select(_untag_expr(KEY).fill_null(""), "school_id", "name", "level",
                        pl.col(KEY).str.extract(f"{TAG}(\\d+)$").cast(pl.Int64).alias("year"), "passed", "met_count",
                        near.alias("near"))
    ids = [KEY, "school_id", "level"]
    wide = long.pivot(on="year", index=ids, values=["name", "passed", "met_count", "near"],
                      aggregate_function=None, sort_columns=True).sort(ids)
    got = {int(c.rsplit("_", 1)[1]) for c in wide.columns if c.startswith("passed_")}
    wide = wide.with_columns(
        *[pl.lit(None, pl.Boolean).alias(f"{v}_{y}") for y in years if y not in got for v in ("passed", "near")],
        *[pl.lit(None, pl.Int64).alias(f"met_count_{y}") for y in years if y not in got],
        *[pl.lit(None, pl.Utf8).alias(f"name_{y}") for y in years if y not in got])
    wide = wide.select(*ids, pl.coalesce([pl.col(f"name_{y}") for y in reversed(years)]).alias("name"),
                       *[pl.col(f"passed_{y}").alias(f"p{y}") for y in years],
                       *[pl.col(f"met_count_{y}").alias(f"m{y}") for y in years],
                       *[pl.col(f"near_{y}").alias(f"n{y}") for y in years])
    P = [pl.col(f"p{y}") for y in years]
    M = [pl.col(f"m{y}") for y in years]
    regressed = pl.concat_list([pl.when(P[t - 1] & ~P[t]).then(pl.lit(years[t])) for t in range(1, len(years))]
                               ).list.drop_nulls()
    k = settings.worse_years
    worse = (pl.all_horizontal([(M[-1 - j] < M[-2 - j]).fill_null(False) for j in range(k)])
             if len(years) > k else pl.lit(False))
    # the 预警 of the last year (severity(): red failing; orange passing with an indicator within the
    # margin above its standard; yellow fewer indicators met k years running), absent units none
    warn = (pl.when(P[-1].is_null()).then(None).when(~P[-1]).then(pl.lit("red"))
            .when(pl.col(f"n{years[-1]}")).then(pl.lit("orange")).when(worse).then(pl.lit("yellow")).otherwise(None))
    wide = wide.with_columns(regressed.alias("_reg"), warn.alias("_warn"))
    out: dict[str, list[dict[str, Any]]] = {}
    keys = [str(y) for y in years]
    col = {c: wide[c].to_list() for c in (KEY, "school_id", "name", "level", "_reg", "_warn")}
    marks = list(zip(*[wide[f"p{y}"].to_list() for y in years]))
    met = list(zip(*[wide[f"m{y}"].to_list() for y in years]))
    for i, key in enumerate(col[KEY]):
        out.setdefault(key, []).append({
            "school_id": col["school_id"][i], "name": col["name"][i], "level": col["level"][i],
            "marks": dict(zip(keys, marks[i])), "met_count": dict(zip(keys, met[i])),
            "regressions": col["_reg"][i], "warning": col["_warn"][i]})
    return out


def monitor(inputs: list[YearInput], rules: RulePack, settings: MonitorSettings | None = None) -> MonitorResult:
    """Assess every year with the engine and line the years up (module doc; docs/monitor.md).

    inputs: at least two :class:`YearInput` with distinct years (any order). Returns a
    :class:`MonitorResult`; ``counties`` holds, per county present in any year (keyed by county
    code, else name, as the engine does), the JSON object of docs/json-contract.md (``monitor``).
    Raises ValueError for fewer than two inputs or a repeated year. Series values are the engine's
    unrounded numbers (core.assess; formulas docs/rules.md §1–§2). A county absent from a year's
    table lists that year in ``missing_years``; its schools are not counted as closed or new in
    the steps into and out of that year (its ``schools`` lists for them stay empty).
    """
    settings = settings or MonitorSettings()
    if len(inputs) < 2:
        raise ValueError("年度监测复查至少需要两个年度的学校数据表")
    ys = [i.year for i in inputs]
    if len(set(ys)) != len(ys):
        dup = sorted({y for y in ys if ys.count(y) > 1})
        raise ValueError(f"同一年度有多个文件：{'、'.join(map(str, dup))}")
    inputs = sorted(inputs, key=lambda i: i.year)
    years = [i.year for i in inputs]
    limits = _school_size_limits(rules)
    big = _batch_table({i.year: i.table for i in inputs})
    batch = assess(big, rules)
    prepared = prepare(big)  # once for the rosters and the sizes of every year (tagged keys)
    year = pl.col(KEY).str.extract(f"{TAG}(\\d+)$").cast(pl.Int64)
    step = year.replace_strict({y: k for k, y in enumerate(years)}, return_dtype=pl.Int64)
    roster = _roster(prepared).with_columns(step.alias("_t"), _untag_expr(KEY).fill_null(""))
    n = len(years)
    changed = _changes(roster.filter(pl.col("_t") < n - 1).with_columns(pl.col("_t") + 1),
                       roster.filter(pl.col("_t") > 0), settings, ["_t"])
    # a county absent from a year's table: its schools are neither closed nor new in the steps
    # touching that year (the data are missing, not the schools)
    present = roster.select("_t", KEY).unique()
    changed = (changed.join(present.with_columns(pl.col("_t") + 1), on=["_t", KEY], how="semi")
               .join(present, on=["_t", KEY], how="semi"))
    tagged_classes = {f"{k}{TAG}{i.year}": df for i in inputs for k, df in i.classes.items()}
    sizes: dict[int, dict[str, Any]] = {y: {} for y in years}
    for k, v in class_sizes(prepared, tagged_classes, settings, limits).items():
        sizes[int(k.rsplit(TAG, 1)[1])][_untag(k) or ""] = v
    changes = {years[t]: g.drop("_t") for (t,), g in changed.partition_by("_t", as_dict=True).items()}
    units = _unit_marks(batch.units, years, rules, settings)
    by_key: dict[int, dict[str, Any]] = {y: {} for y in years}
    for c in batch.counties:
        y = int(c.county_key.rsplit(TAG, 1)[1])
        by_key[y][_untag(c.county_key) or ""] = c

    heads: dict[str, dict[str, Any]] = {}
    for y in years:
        for key, c in by_key[y].items():
            code, name = _untag(c.county_code), _untag(c.county)
            h = heads.setdefault(key, {"county_code": code, "county": name})
            h.update({k: v for k, v in (("county_code", code), ("county", name)) if v})
    rows = {y: _change_rows(changes[y]) if y in changes else {} for y in years[1:]}
    counties = []
    for key in sorted(heads):
        per_year = {y: by_key[y].get(key) for y in years}
        county = _county(key, heads[key], per_year, years, rules, settings, units.get(key, []),
                         {y: rows[y].get(key) for y in years[1:]}, {y: sizes[y].get(key) for y in years})
        county["missing_years"] = [y for y in years if per_year[y] is None]
        counties.append(county)
    return MonitorResult(rules, years, {i.year: i.source for i in inputs}, settings, batch, counties, limits)


def _change_rows(df: pl.DataFrame) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Per county key, the changes of :func:`school_changes` as JSON lists by kind (one pass)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for r in df.iter_rows(named=True):
        row = {"school_id": r["school_id"], "name": r["name"]}
        if r["change"] == "renamed":
            row["old_name"] = r["old_name"]
        elif r["change"] == "merged":
            row |= {"into_id": r["into_id"], "into_name": r["into_name"], "pupils": int(r["pupils"]),
                    "increase": int(r["increase"])}
        elif r["pupils"] is not None:
            row["pupils"] = int(r["pupils"])
        out.setdefault(r[KEY], {"new": [], "closed": [], "renamed": [], "merged": []})[r["change"]].append(row)
    return out


def _county(key: str, head: dict, per_year: dict, years: list[int], rules: RulePack, settings: MonitorSettings,
            units: list[dict], changes: dict[int, dict | None], sizes: dict[int, dict | None]) -> dict[str, Any]:
    """The JSON object of one county (docs/json-contract.md, ``monitor``)."""
    regressions: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    verdicts = [per_year[y].verdict if per_year[y] is not None else None for y in years]
    for y in _regressions(years, verdicts):
        regressions.append({"year": y, "kind": "county", "level": None, "indicator": None})
    levels: dict[str, Any] = {}
    for level in ("primary", "junior"):
        lvs = [per_year[y].levels.get(level) if per_year[y] is not None else None for y in years]
        if all(lv is None for lv in lvs):
            continue
        inds: dict[str, Any] = {}
        for ind in rules.indicators:
            stats = [lv.indicators[ind.code] if lv is not None else None for lv in lvs]
            thr = next((s.threshold for s in stats if s is not None), None)
            cvs = [s.cv if s is not None else None for s in stats]
            ok = [s.passed if s is not None else None for s in stats]
            sev = severity(cvs, ok, thr, settings)
            inds[ind.code] = {"name": ind.name, "threshold": thr, "series": [
                {"year": y, "mean": s.mean if s else None, "sd": s.sd if s else None, "cv": cv, "passed": p,
                 "warning": w} for y, s, cv, p, w in zip(years, stats, cvs, ok, sev)]}
            kind = "indicator_cv"
            for y in _regressions(years, ok):
                regressions.append({"year": y, "kind": kind, "level": level, "indicator": ind.code,
                                    "before": cvs[years.index(y) - 1], "after": cvs[years.index(y)], "threshold": thr})
            if sev[-1]:
                warnings.append({"severity": sev[-1], "kind": kind, "level": level, "indicator": ind.code,
                                 "value": cvs[-1], "threshold": thr})
        comp = [lv.composite_cv if lv is not None else None for lv in lvs]
        cthr = next((lv.composite_threshold for lv in lvs if lv is not None), None)
        cok = [lv.passed if lv is not None else None for lv in lvs] if cthr is not None else [None] * len(years)
        csev = severity(comp, cok, cthr, settings)
        lok = [lv.passed if lv is not None else None for lv in lvs]
        if cthr is not None:
            for y in _regressions(years, cok):
                t = years.index(y)
                regressions.append({"year": y, "kind": "composite", "level": level, "indicator": None,
                                    "before": comp[t - 1], "after": comp[t], "threshold": cthr})
        # every 预警 marked in a series is listed (a composite without threshold can still be yellow)
        if csev[-1]:
            warnings.append({"severity": csev[-1], "kind": "composite", "level": level, "indicator": None,
                             "value": comp[-1], "threshold": cthr})
        levels[level] = {
            "units": {str(y): (lv.units if lv is not None else None) for y, lv in zip(years, lvs)},
            "students": {str(y): (lv.students if lv is not None else None) for y, lv in zip(years, lvs)},
            "passed": {str(y): p for y, p in zip(years, lok)},
            "composite": {"threshold": cthr, "series": [
                {"year": y, "cv": v, "passed": p, "warning": w} for y, v, p, w in zip(years, comp, cok, csev)]},
            "indicators": inds,
        }
    for u in units:
        for y in u["regressions"]:
            regressions.append({"year": y, "kind": "unit", "level": u["level"], "indicator": None,
                                "school_id": u["school_id"], "name": u["name"]})
        if u["warning"]:
            warnings.append({"severity": u["warning"], "kind": "unit", "level": u["level"], "indicator": None,
                             "school_id": u["school_id"], "name": u["name"],
                             "value": u["met_count"][str(years[-1])], "threshold": None})
    order = {s: k for k, s in enumerate(SEVERITIES)}
    warnings.sort(key=lambda w: (order[w["severity"]], w["kind"] == "unit", w["level"] or "", w["indicator"] or "",
                                 w.get("school_id") or ""))
    regressions.sort(key=lambda r: (r["year"], ("county", "composite", "indicator_cv", "unit").index(r["kind"]),
                                    r["level"] or "", r["indicator"] or "", r.get("school_id") or ""))
    return {
        "county_code": head["county_code"], "county": head["county"],
        "verdicts": {str(y): v for y, v in zip(years, verdicts)},
        "schools": {str(y): ch or {"new": [], "closed": [], "renamed": [], "merged": []} for y, ch in changes.items()},
        "levels": levels,
        "units": units,
        "regressions": regressions,
        "warnings": warnings,
        "class_size": {str(y): (s["class_size"] if s else {"source": None}) for y, s in sizes.items()},
        "school_size": {str(y): (s["school_size"] if s else None) for y, s in sizes.items()},
    }


def counts(county: dict[str, Any]) -> dict[str, int]:
    """Summary counts of one county object: 预警 by severity, regressions in the last year."""
    last = max((int(y) for y in county["verdicts"]), default=None)
    out = {s: sum(w["severity"] == s for w in county["warnings"]) for s in SEVERITIES}
    out["regressions_last_year"] = sum(r["year"] == last for r in county["regressions"])
    return out


__all__ = ["DEFAULT_SCHOOL_SIZE", "MonitorResult", "MonitorSettings", "SEVERITIES", "YearError",
           "YearInput", "class_sizes", "counts", "monitor", "resolve_year", "school_changes", "severity",
           "year_in_text"]
