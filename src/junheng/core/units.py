"""Scope and units: which schools enter the calculation, and one unit per compulsory section.

Sources: docs/rules.md §1 and §2 (scope), §3 (splitting 一贯制 schools and 完全中学 by weighted
enrolment 1 : 1.1, 1 : 1.2, 1 : 1.1 : 1.32), §4 (a unit with no pupils in a level is not a unit).
Input is the canonical school table (schema.py); output are polars frames, nothing is printed.
"""
from __future__ import annotations

import polars as pl

from ..rules.loader import RulePack
from ..schema import FIELDS, SCHOOL_TYPES, SPLIT_RESOURCES, TEACHER_COUNTS

KEY = "county_key"
_TEXT = [f.code for f in FIELDS if f.kind == "text"]
_NUMERIC = [f.code for f in FIELDS if f.kind in ("int", "float")]
_CATEGORY = {code: t.category for code, t in SCHOOL_TYPES.items()}
LEVEL_OF_SECTION = {"P": "primary", "J": "junior"}


def county_key(columns) -> pl.Expr:
    """The county grouping key of a school row: county_code, else county name, else "".

    columns: the table's column names (absent ones are skipped). Every county-level grouping and
    filtering uses this key, so results, reports and county checks agree on what a county is.
    """
    parts = [pl.col(c) for c in ("county_code", "county") if c in columns]
    return pl.coalesce(*parts, pl.lit(""))


def prepare(table: pl.DataFrame) -> pl.DataFrame:
    """Complete a canonical table: add absent optional columns, nulls → 0 in numeric columns,
    default 公办 / 县属, the school category and a grouping key per county.

    table: canonical school table (schema.py), any subset of the optional columns.
    Raises ValueError if school_id, name or school_type is missing.
    """
    for c in ("school_id", "name", "school_type"):
        if c not in table.columns:
            raise ValueError(f"school table lacks required column {c!r}")
    add = [pl.lit(None, pl.Utf8).alias(c) for c in _TEXT if c not in table.columns]
    add += [pl.lit(0.0).alias(c) for c in _NUMERIC if c not in table.columns]
    if "source_row" not in table.columns:
        add.append(pl.int_range(pl.len()).cast(pl.Int64).alias("source_row"))
    df = table.with_columns(add) if add else table
    pe_art = []
    for s in ("P", "J"):
        parts = [f"pe_teachers_{s}", f"music_teachers_{s}", f"art_teachers_{s}"]
        pe_art.append(
            pl.when(pl.col(f"pe_art_teachers_{s}").is_null() | (pl.col(f"pe_art_teachers_{s}") == 0))
            .then(pl.sum_horizontal([pl.col(p).fill_null(0) for p in parts]))
            .otherwise(pl.col(f"pe_art_teachers_{s}"))
            .alias(f"pe_art_teachers_{s}")
        )
    df = df.with_columns(pe_art)
    return df.with_columns(
        [pl.col(c).cast(pl.Float64).fill_null(0.0) for c in _NUMERIC]
        + [
            pl.col("school_type").cast(pl.Int64),
            pl.col("school_type").cast(pl.Int64).replace_strict(_CATEGORY, default="unknown", return_dtype=pl.Utf8).alias("category"),
            pl.col("ownership").fill_null("公办"),
            pl.col("authority").fill_null("县属"),
            county_key(df.columns).alias(KEY),
        ]
    )


#: Exclusion reason codes (``Assessment.excluded["reason"]``; report/narrative/findings.py words
#: them, with ``reason_detail``: the 隶属关系 for ``authority``, the parent id for the merge codes).
REASON_CODES = ("unknown_type", "special", "vocational", "senior", "private", "authority", "teaching_point",
                "small_teaching_point", "no_pupils", "merged", "parent_out_of_scope")


def exclusion_reason(rules: RulePack) -> pl.Expr:
    """Polars expression giving each school's exclusion reason code (:data:`REASON_CODES`), null
    when in scope.

    Reasons, first match wins: unknown school type, special education, vocational, senior-only
    school, 民办 (when ``scope.private = exclude``), 隶属关系 in ``scope.excluded_authorities``,
    teaching-point rules (``scope.teaching_points``; ``small_teaching_point`` below
    ``scope.teaching_point_min_students``), no compulsory-stage pupils.
    """
    sc = rules.scope
    cat = pl.col("category")
    compulsory = pl.col("students_P") + pl.col("students_J")
    tp = cat == "teaching_point"
    r = pl.when(cat == "unknown").then(pl.lit("unknown_type"))
    if sc.special == "exclude":
        r = r.when(cat == "special").then(pl.lit("special"))
    if sc.vocational == "exclude":
        r = r.when(cat == "vocational").then(pl.lit("vocational"))
    r = r.when(cat == "senior").then(pl.lit("senior"))
    if sc.private == "exclude":
        r = r.when(pl.col("ownership") == "民办").then(pl.lit("private"))
    if sc.excluded_authorities:
        r = r.when(pl.col("authority").is_in(sc.excluded_authorities)).then(pl.lit("authority"))
    if sc.teaching_points == "exclude":
        r = r.when(tp).then(pl.lit("teaching_point"))
    elif sc.teaching_points == "include_if_large":
        r = r.when(tp & (pl.col("students_P") < sc.teaching_point_min_students)).then(pl.lit("small_teaching_point"))
    return r.when(compulsory <= 0).then(pl.lit("no_pupils")).otherwise(pl.lit(None, pl.Utf8))


def reason_detail() -> pl.Expr:
    """What an exclusion reason names besides its code: the 隶属关系 (``authority``) or the parent
    id (``merged``, ``parent_out_of_scope``; null when not filled in); null otherwise."""
    code = pl.col("reason")
    return (pl.when(code == "authority").then(pl.col("authority"))
            .when(code.is_in(["merged", "parent_out_of_scope"])).then(pl.col("parent_id").cast(pl.Utf8))
            .otherwise(pl.lit(None, pl.Utf8)))


_MERGED = (list(SPLIT_RESOURCES) + [f"{c}_{s}" for c in TEACHER_COUNTS for s in ("P", "J")] + ["students_P"]
           + ["visiting_pe_art_teachers_P", "visiting_pe_art_teachers_J", "extra_sports_m2"])


def merge_teaching_points(df: pl.DataFrame) -> pl.DataFrame:
    """Add in-scope teaching points' pupils, teachers and resources to their 上级学校 (parent_id).

    df: prepared table with a ``reason`` column. A point whose parent is not an in-scope school
    of the same county gets the reason ``parent_out_of_scope``; merged points get ``merged``
    (they are listed with the excluded schools, not as units; :func:`reason_detail` names the
    parent). Returns df.
    """
    tp = (pl.col("category") == "teaching_point") & pl.col("reason").is_null()
    points = df.filter(tp)
    if points.height == 0:
        return df
    parents = df.filter(~tp & pl.col("reason").is_null()).select(KEY, pl.col("school_id").alias("parent_id"), pl.lit(True).alias("_ok"))
    points = points.join(parents, on=[KEY, "parent_id"], how="left")
    ok = points.filter(pl.col("_ok").fill_null(False))
    sums = ok.group_by([KEY, "parent_id"]).agg([pl.col(c).sum().alias(f"_add_{c}") for c in _MERGED])
    df = df.join(sums, left_on=[KEY, "school_id"], right_on=[KEY, "parent_id"], how="left")
    is_parent = pl.col(f"_add_{_MERGED[0]}").is_not_null() & ~tp
    df = df.with_columns([pl.when(is_parent).then(pl.col(c) + pl.col(f"_add_{c}")).otherwise(pl.col(c)).alias(c) for c in _MERGED])
    df = df.drop([f"_add_{c}" for c in _MERGED])
    status = points.select("school_id", KEY, pl.col("_ok").fill_null(False).alias("_merged"))
    df = df.join(status, on=["school_id", KEY], how="left")
    reason = (
        pl.when(pl.col("_merged").fill_null(False)).then(pl.lit("merged"))
        .when(pl.col("_merged").is_not_null()).then(pl.lit("parent_out_of_scope"))
        .otherwise(pl.col("reason"))
    )
    return df.with_columns(reason.alias("reason")).drop("_merged")


def _ratio(rules: RulePack, section: str) -> pl.Expr:
    """Weighted-enrolment ratio of a section for each school's category (1 for single-section types)."""
    expr = None
    for cat in ("nine_year", "complete", "twelve_year"):
        ratios = rules.split.ratios(cat) or {}
        val = ratios.get(section, 0.0)
        cond = pl.col("category") == cat
        expr = pl.when(cond).then(pl.lit(val)) if expr is None else expr.when(cond).then(pl.lit(val))
    return expr.otherwise(pl.lit(0.0 if section == "S" else 1.0))


def split_units(schools: pl.DataFrame, rules: RulePack) -> pl.DataFrame:
    """One unit per compulsory section with pupils, resources split by weighted enrolment.

    schools: prepared, in-scope schools. For a school with sections s (pupils n_s, ratios r_s from
    ``rules.split``) the share of section s is r_s·n_s / Σ_t r_t·n_t (docs/rules.md §3; 九年一贯制 primary
    share A / (A + 1.1 B)). Resources listed in ``rules.split.resources`` are multiplied by the share;
    other resources go whole to every section. Teachers are the section's own counts.
    Returns columns: county_key, county_code, county, school_id, name, school_type, category,
    township, urban_rural_code, source_row, level, students, share, and the unit quantities of
    rules/loader.NUMERATORS (teaching_area, sports_area, …, pe_art_teachers), and the raw inputs
    of core/provisions.py (the section's visiting_pe_art_teachers, the school's whole
    extra_sports_m2, central_urban and school_students = 小学 + 初中 pupils).

    References
    ----------
    Split ratios 1 : 1.1 (九年一贯制), 1 : 1.2 (完全中学), 1 : 1.1 : 1.32 (十二年一贯制) and the worked
    example 23226 / (166 + 1.1 × 210): the published method notes (document name unverified),
    docs/rules.md §3 and §5.2. Moving indoor sports area to the sports indicator is an ASSUMPTION
    of this project (setting ``split.indoor_sports_in_sports_area``).
    """
    denom = sum(_ratio(rules, s) * pl.col(f"students_{s}") for s in ("P", "J", "S"))
    split = set(rules.split.resources)
    keep = [KEY, "county_code", "county", "school_id", "name", "school_type", "category", "township", "urban_rural_code", "source_row"]
    frames = []
    for s, level in LEVEL_OF_SECTION.items():
        part = schools.filter(pl.col(f"students_{s}") > 0)
        share = (_ratio(rules, s) * pl.col(f"students_{s}") / denom).alias("share")
        part = part.with_columns(share)

        def amt(c: str) -> pl.Expr:
            return pl.col(c) * pl.col("share") if c in split else pl.col(c)

        if rules.split.indoor_sports_in_sports_area:
            teaching = amt("teaching_area_m2") - amt("indoor_sports_m2")
            sports = amt("sports_ground_m2") + amt("indoor_sports_m2")
        else:
            teaching, sports = amt("teaching_area_m2"), amt("sports_ground_m2")
        frames.append(
            part.select(
                *keep,
                pl.lit(level).alias("level"),
                pl.col(f"students_{s}").cast(pl.Int64).alias("students"),
                "share",
                teaching.alias("teaching_area"),
                sports.alias("sports_area"),
                *(amt(c).alias(c) for c in ("equipment_value_yuan", "teaching_computers", "books", "multimedia_rooms")),
                *(pl.col(f"{c}_{s}").alias(c) for c in TEACHER_COUNTS),
                pl.col(f"visiting_pe_art_teachers_{s}").alias("visiting_pe_art_teachers"),
                "extra_sports_m2", "central_urban",
                (pl.col("students_P") + pl.col("students_J")).alias("school_students"),
            )
        )
    return pl.concat(frames, how="vertical")
