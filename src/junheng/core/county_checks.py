"""The computed county items (pure): class size, school size, music/art rooms, small-school and
special-school funding, teacher pay, rotation, rates, recognition, funding growth.

Each check takes the county's data and returns an :class:`Outcome`; the numbers come from the
item's ``params`` in the rule pack (or its ``[funding]`` table). Sources: 教督〔2017〕6号 (the
15 government-guarantee and 9 quality items; wording UNCERTAIN except where the pack says
CONFIRMED), 教督〔2012〕3号 (score sheet), 国发〔2015〕67号 (funding); docs/rules.md §2, §6. Comparisons: "≥ x" and "≤ x" pass on equality; values are
compared unrounded. Percentages are numbers (85 means 85 %).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import polars as pl

from ..rules.loader import CountyItem, Funding
from .county_data import CountyData
from .findings import Finding, finding
from .funding import GROUPS, FundingResult, base_amount, column_notes

#: School categories (schema.SCHOOL_TYPES) that count as primary/junior schools for G3/G4/G5.
#: ASSUMPTION: teaching points (218) are left out of the music/art room item (too small to
#: have 12 classes) but are in school size, class size and small-school funding.
REGULAR = ("primary", "junior", "nine_year", "complete", "twelve_year")
#: The categories of the school size, class size and small-school funding items (REGULAR and
#: teaching points); the report's class totals count the same schools.
COUNTED = REGULAR + ("teaching_point",)
COMBINED = ("nine_year", "twelve_year")
#: Which sheet each per-school check reads (CountyData attribute: ``classes`` / ``schools``).
CHECK_SHEETS = {"class_size": "classes", "music_art_rooms": "schools", "small_school_funding": "schools"}


@dataclass(frozen=True)
class Outcome:
    """What a computed check found (codes and numbers; report/narrative/findings.py words it).

    passed: True / False / None (undecided); detail: the summary finding (value vs criterion);
    failures: one finding per failing class/school/year, all of them (display caps the list);
    value: the main measured number (percent for rates); shortfall: percentage points short of a
    single-rate minimum (for score deductions); failed_count: failed year checks (funding
    growth); zero: the score rule's "0 分" condition holds; notes: findings to warn about
    (schools of the school table missing from the workbook, data too short …); facts: the
    check's numbers by name (totals, limits; never truncated) and rows: one dict of numbers and
    codes per failing class / school / year (all of them), for report/ to word (issue 13).
    """

    passed: bool | None
    detail: Finding
    failures: tuple[Finding, ...] = ()
    value: float | None = None
    shortfall: float | None = None
    failed_count: int = 0
    zero: bool = False
    notes: tuple[Finding, ...] = ()
    facts: dict[str, float | int | str | None] = field(default_factory=dict)
    rows: tuple[dict[str, float | int | str | None], ...] = ()


def _missing(failures: list[Finding], missing: list[dict], detail: Finding, what: str, sheet: str,
             missing_fails: bool, value: float | None = None, facts: dict | None = None,
             rows: tuple[dict, ...] = (), **what_args) -> Outcome:
    """The Outcome of a per-school check given its failures and the schools (or school sections:
    dicts of school_id, name, level) of the school table absent from the workbook ``sheet``
    (``classes`` / ``schools``; ``what`` codes what is missing of them): failed if any failure;
    else, with missing schools, failed (``missing_fails``, the rule pack's
    ``county_workbook.missing_school = "fail"``) or undecided; else passed. The missing schools
    are a note, also attached to the detail (``note``)."""
    notes: tuple[Finding, ...] = ()
    if missing:
        note = finding("sheet.missing_schools", sheet=sheet, what=what, schools=missing, **what_args)
        detail = Finding(detail.code, detail.args | {"note": note})
        notes = (note,)
    facts = dict(facts or {}, missing=len(missing))
    if failures:
        return Outcome(False, detail, tuple(failures), len(failures), notes=notes, facts=facts, rows=rows)
    if missing:
        if missing_fails:
            lines = [finding("sheet.school_absent", sheet=sheet, **m) for m in missing]
            return Outcome(False, detail, tuple(lines), len(lines), notes=notes, facts=facts)
        return Outcome(None, detail, value=value, notes=notes, facts=facts)
    return Outcome(True, detail, value=0, facts=facts)


def _who(r: dict) -> dict:
    return {"school_id": r["school_id"], "name": r.get("name")}


def has_class_counts(schools: pl.DataFrame) -> bool:
    """True when the schools frame has any class count (the school table had a 班数 column)."""
    return any(c in schools.columns and schools[c].is_not_null().any() for c in ("classes_P", "classes_J"))


def class_size(classes: pl.DataFrame | None, schools: pl.DataFrame | None, params: dict[str, float], *,
               missing_fails: bool = False) -> Outcome:
    """Every class ≤ params[level] pupils (primary 45, junior 50): G5 of 教督〔2017〕6号.

    classes: one row per class (school_id, level, class_name, size); schools: the county's
    schools (school_id, name, category, students_P/J, classes_P/J) or None. Without a class list
    the school table's average class size can only prove a failure (an average above the limit
    means some class is above it); otherwise the item is undecided. Schools of the school table
    with classes of a level but no class rows of it are named; they leave the item undecided
    unless it failed (``missing_fails``: they fail it).

    References
    ----------
    教督〔2017〕6号 政府保障程度 (every class ≤ 45 primary / ≤ 50 junior; as a 2017 item UNCERTAIN); docs/rules.md §2.
    """
    lim = {"primary": params["primary"], "junior": params["junior"]}
    names = {} if schools is None else dict(zip(schools["school_id"].to_list(), schools["name"].to_list()))
    if classes is None or classes.height == 0:
        if schools is None:
            return Outcome(None, finding("class_size.no_tables"))
        if not has_class_counts(schools):
            return Outcome(None, finding("class_size.no_class_counts"))
        lines = []
        for r in schools.filter(pl.col("category").is_in(COUNTED)).iter_rows(named=True):
            for lv, s in (("primary", "P"), ("junior", "J")):
                if (r[f"classes_{s}"] or 0) > 0 and r[f"students_{s}"] / r[f"classes_{s}"] > lim[lv]:
                    lines.append(finding("class_size.average_over", **_who(r), level=lv,
                                         average=r[f"students_{s}"] / r[f"classes_{s}"], limit=lim[lv]))
        if lines:
            return Outcome(False, finding("class_size.averages_over", sections=len(lines)), tuple(lines), len(lines))
        return Outcome(None, finding("class_size.no_class_list"))
    limit = pl.col("level").replace_strict(lim, return_dtype=pl.Float64)
    over = classes.filter(pl.col("size") > limit).sort("source_row")
    rows = tuple({"school_id": r["school_id"], "name": names.get(r["school_id"]), "level": r["level"],
                  "class_name": r["class_name"], "size": r["size"], "limit": lim[r["level"]]}
                 for r in over.iter_rows(named=True))
    lines = [finding("class_size.over", **r) for r in rows]
    detail = finding("class_size.counted", classes=classes.height, over=over.height,
                     limit_primary=lim["primary"], limit_junior=lim["junior"])
    facts: dict = {"classes": classes.height, "over": over.height, "schools_over": over["school_id"].n_unique()}
    for lv in ("primary", "junior"):
        of_lv = over.filter(pl.col("level") == lv)
        facts |= {f"limit_{lv}": lim[lv], f"classes_{lv}": classes.filter(pl.col("level") == lv).height,
                  f"over_{lv}": of_lv.height, f"schools_over_{lv}": of_lv["school_id"].n_unique()}
    missing = []
    if schools is not None:
        have = set(zip(classes["school_id"].to_list(), classes["level"].to_list()))
        missing = [_who(r) | {"level": lv}
                   for r in schools.filter(pl.col("category").is_in(COUNTED)).iter_rows(named=True)
                   for lv, s in (("primary", "P"), ("junior", "J"))
                   if r[f"classes_{s}"] and (r["school_id"], lv) not in have]
    return _missing(lines, missing, detail, "class_sections", "classes", missing_fails, value=0,
                    facts=facts, rows=rows)

def school_size(schools: pl.DataFrame | None, params: dict[str, float]) -> Outcome:
    """Compulsory pupils per school ≤ params.single (小学, 初中, 完全中学's junior part, teaching
    points) or ≤ params.combined (九年一贯制, 十二年一贯制): G4. schools: the county's schools
    with category and students_P/J, or None (undecided).

    References
    ----------
    教督〔2017〕6号 政府保障程度 (≤ 2000 pupils, ≤ 2500 for 一贯制 schools); docs/rules.md §2.
    """
    if schools is None:
        return Outcome(None, finding("school_size.no_table"))
    df = schools.filter(pl.col("category").is_in(COUNTED)).with_columns(
        (pl.col("students_P") + pl.col("students_J")).alias("_n"),
        pl.when(pl.col("category").is_in(COMBINED)).then(params["combined"]).otherwise(params["single"]).alias("_lim"))
    over = df.filter(pl.col("_n") > pl.col("_lim"))
    biggest = int(df["_n"].max() or 0)
    facts = {"schools": df.height, "largest": biggest, "limit_single": params["single"],
             "limit_combined": params["combined"], "over": over.height}
    rows = tuple({"school_id": r["school_id"], "name": r.get("name"), "category": r["category"],
                  "students": int(r["_n"]), "limit": r["_lim"]} for r in over.iter_rows(named=True))
    lines = tuple(finding("school_size.over", **r) for r in rows)
    return Outcome(over.height == 0, finding("school_size.counted", **facts), lines, over.height,
                   facts=facts, rows=rows)

def music_art_rooms(extra: pl.DataFrame | None, schools: pl.DataFrame | None, params: dict[str, float], *,
                    missing_fails: bool = False) -> Outcome:
    """Each school has ≥ max(1, ceil(classes / classes_per_room)) music rooms and as many art
    rooms (每12个班级配备音乐、美术专用教室1间以上): G3. extra: the workbook's 学校 sheet
    (school_id, music_rooms, art_rooms); schools: the county's schools with classes_P/J. A school
    without a 学校 row (or without its room counts) is named; it leaves the item undecided unless
    another school failed (``missing_fails``: it fails the item).

    References
    ----------
    教督〔2017〕6号 政府保障程度 (每12个班级 one music and one art room); docs/rules.md §2.
    """
    if schools is None:
        return Outcome(None, finding("music_art.no_table"))
    if not has_class_counts(schools):
        return Outcome(None, finding("music_art.no_class_counts"))
    if extra is None:
        return Outcome(None, finding("music_art.no_sheet"))
    absent = [c for c in ("music_rooms", "art_rooms") if c not in extra.columns]
    if absent:
        return Outcome(None, finding("music_art.columns_absent", columns=absent))
    per = params["classes_per_room"]
    rooms = {r["school_id"]: r for r in extra.iter_rows(named=True)}
    missing, n, rows = [], 0, []
    for r in schools.filter(pl.col("category").is_in(REGULAR)).iter_rows(named=True):
        classes = int((r["classes_P"] or 0) + (r["classes_J"] or 0))
        if classes <= 0:
            continue
        n += 1
        need = max(1, math.ceil(classes / per))
        got = rooms.get(r["school_id"])
        if got is None or got.get("music_rooms") is None or got.get("art_rooms") is None:
            missing.append(_who(r))
            continue
        if got["music_rooms"] < need or got["art_rooms"] < need:
            rows.append({"school_id": r["school_id"], "name": r.get("name"), "classes": classes, "need": need,
                         "music_rooms": got["music_rooms"], "art_rooms": got["art_rooms"]})
    detail = finding("music_art.counted", schools=n, classes_per_room=per, short=len(rows))
    return _missing([finding("music_art.short", **r) for r in rows], missing, detail, "rooms", "schools",
                    missing_fails, facts={"schools": n, "classes_per_room": per, "short": len(rows)}, rows=tuple(rows))

def small_school_funding(extra: pl.DataFrame | None, schools: pl.DataFrame | None, funding: Funding,
                         region: str | None, *, missing_fails: bool = False) -> Outcome:
    """Schools with fewer than ``funding.small_school_students`` compulsory pupils receive at
    least that many pupils' worth of the base amount: 公用经费拨款 ≥ 100 × (base_P·P + base_J·J)/(P+J)
    元 (G6; base by region, 国发〔2015〕67号). extra: 学校 sheet with operating_funds_yuan. A small
    school without its 公用经费拨款 is named; it leaves the item undecided unless another failed
    (``missing_fails``: it fails the item).

    References
    ----------
    国发〔2015〕67号 (schools under 100 pupils funded as 100); 教督〔2017〕6号 item G6; docs/rules.md §2, §6.
    """
    if schools is None:
        return Outcome(None, finding("small_school.no_table"))
    n_min = funding.small_school_students
    df = schools.filter(pl.col("category").is_in(COUNTED)).with_columns(
        (pl.col("students_P") + pl.col("students_J")).alias("_n"))
    small = df.filter((pl.col("_n") > 0) & (pl.col("_n") < n_min))
    if small.height == 0:
        return Outcome(True, finding("small_school.none", min_students=n_min), value=0)
    if region is None:
        return Outcome(None, finding("small_school.no_region", small=small.height, min_students=n_min))
    if extra is None:
        return Outcome(None, finding("small_school.no_sheet", small=small.height, min_students=n_min))
    if "operating_funds_yuan" not in extra.columns:
        return Outcome(None, finding("small_school.no_column", small=small.height, min_students=n_min))
    funds = dict(zip(extra["school_id"].to_list(), extra["operating_funds_yuan"].to_list()))
    missing, rows = [], []
    for r in small.iter_rows(named=True):
        p, j = r["students_P"], r["students_J"]
        per = (base_amount(funding, region, "primary") * p + base_amount(funding, region, "junior") * j) / (p + j)
        need = n_min * per
        got = funds.get(r["school_id"])
        if got is None:
            missing.append(_who(r))
        elif got < need:
            rows.append({"school_id": r["school_id"], "name": r.get("name"), "students": int(r["_n"]),
                         "funds": got, "need": need})
    facts = {"small": small.height, "min_students": n_min, "short": len(rows)}
    lines = [finding("small_school.short", **r, min_students=n_min) for r in rows]
    return _missing(lines, missing, finding("small_school.counted", **facts), "small_school_funds", "schools",
                    missing_fails, facts=facts, rows=tuple(rows), min_students=n_min)

def special_funding(inputs: dict[str, float], schools: pl.DataFrame | None, params: dict[str, float]) -> Outcome:
    """特殊教育学校生均公用经费 ≥ params.min_yuan (6000 元): G7. Without the input, a county whose
    school table has no special school (51x) passes as not applicable; otherwise undecided.

    References
    ----------
    教督〔2017〕6号 item G7 (special-school funding ≥ 6000 元 per pupil); docs/rules.md §2.
    """
    v = inputs.get("special_school_per_pupil_yuan")
    need = params["min_yuan"]
    if v is None:
        if schools is not None and schools.filter(pl.col("category") == "special").height == 0:
            return Outcome(True, finding("special_funding.not_applicable"))
        return Outcome(None, finding("inputs.missing", inputs=["special_school_per_pupil_yuan"]))
    ok = v >= need
    return Outcome(ok, finding("special_funding.measured", value=v, min_yuan=need),
                   () if ok else (finding("special_funding.below", value=v, min_yuan=need),), v)

def teacher_pay(finance: pl.DataFrame, params: dict[str, float]) -> Outcome:
    """Teachers' average pay ≥ min_ratio × civil servants' average pay in the LATEST year of the
    经费 sheet: G8 (CONFIRMED [S34][S39]); value = the ratio. The detail names the year. A latest
    year lacking either pay is undecided (an older year is not used in its place).

    References
    ----------
    《义务教育法》(teacher pay not below local civil servants; article number unverified); 教督〔2017〕6号 item G8; docs/rules.md §2.
    """
    need = ("teacher_pay_yuan", "civil_servant_pay_yuan")
    absent = column_notes(finance, need) if finance.height else []
    if any(n.code == "finance.columns_absent" for n in absent) or finance.height == 0:
        return Outcome(None, finding("teacher_pay.no_data", notes=absent))
    r = finance.sort("year").row(-1, named=True)
    lacking = [c for c in need if r[c] is None]
    zero = r["civil_servant_pay_yuan"] is not None and r["civil_servant_pay_yuan"] <= 0
    if lacking or zero:
        return Outcome(None, finding("teacher_pay.lacking", year=r["year"], columns=lacking, civil_zero=zero))
    ratio = r["teacher_pay_yuan"] / r["civil_servant_pay_yuan"]
    ok = ratio >= params["min_ratio"]
    detail = finding("teacher_pay.measured", year=r["year"], teacher=r["teacher_pay_yuan"],
                     civil=r["civil_servant_pay_yuan"], ratio=ratio, min_ratio=params["min_ratio"])
    return Outcome(ok, detail, () if ok else (finding("teacher_pay.below", year=r["year"]),), ratio)

def rotation(inputs: dict[str, float], params: dict[str, float]) -> Outcome:
    """交流轮岗教师 ÷ 符合交流条件教师 ≥ min_rotated % and 骨干 ÷ 交流轮岗教师 ≥ min_backbone %: G11
    (10 % / 20 %, CONFIRMED [S40]); value = the rotation rate in percent.

    References
    ----------
    教督〔2017〕6号 item G11 (≥ 10 % of eligible teachers a year, backbone ≥ 20 % of those); docs/rules.md §2.
    """
    e, r, b = (inputs.get(k) for k in ("rotation_eligible_teachers", "rotated_teachers", "rotated_backbone_teachers"))
    if not e or r is None:
        return Outcome(None, finding("rotation.missing"))
    rate = r / e * 100
    lines = []
    if rate < params["min_rotated"]:
        lines.append(finding("rotation.rate_below", rate=rate, min_rotated=params["min_rotated"]))
    measured = {"rotated": r, "eligible": e, "rate": rate, "min_rotated": params["min_rotated"]}
    if params["min_backbone"] > 0:
        if b is None or r == 0:
            if not lines:
                return Outcome(None, finding("rotation.measured", **measured, backbone_missing=True), value=rate)
        else:
            share = b / r * 100
            measured |= {"backbone": b, "share": share, "min_backbone": params["min_backbone"]}
            if share < params["min_backbone"]:
                lines.append(finding("rotation.backbone_below", share=share, min_backbone=params["min_backbone"]))
    shortfall = max(0.0, params["min_rotated"] - rate)
    return Outcome(not lines, finding("rotation.measured", **measured), tuple(lines), rate, shortfall)

def rates(inputs: dict[str, float], params: dict[str, float], *, at_most: bool = False) -> Outcome:
    """Each named 指标 input ≥ its threshold (``at_most``: ≤), in percent (min_rates / max_rates).

    value and shortfall (percentage points short, for score deductions) are set when the item
    names one input. Missing inputs make it undecided unless another input failed.

    References
    ----------
    the thresholds of the rule pack items (教督〔2017〕6号 guarantee and quality items; 教督〔2012〕3号 score sheet, EXAMPLE); docs/rules.md §1, §2.
    """
    measured, lines, missing = [], [], []
    for code, thr in params.items():
        v = inputs.get(code)
        if v is None:
            missing.append(code)
            continue
        measured.append({"input": code, "value": v, "threshold": thr})
        if (v > thr) if at_most else (v < thr):
            lines.append(finding("rates.off", input=code, value=v, threshold=thr, at_most=at_most))
    detail = finding("rates.measured", rates=measured, missing=missing, at_most=at_most)
    one = len(params) == 1 and not missing
    value = inputs.get(next(iter(params))) if one else None
    shortfall = None
    if one:
        thr = next(iter(params.values()))
        shortfall = max(0.0, (value - thr) if at_most else (thr - value))
    if lines:
        return Outcome(False, detail, tuple(lines), value, shortfall)
    return Outcome(None if missing else True, detail, (), value, shortfall)

def recognition(satisfaction: pl.DataFrame | None, params: dict[str, float]) -> Outcome:
    """Σ 满意数 ÷ Σ 有效问卷数 × 100 ≥ params.min (85 %): 社会认可度 / 公众满意度.

    ASSUMPTION: the groups surveyed (学生, 家长, 教师 …) are pooled by questionnaire count; a
    province that weights the groups differently enters the pooled rate in one row.

    References
    ----------
    教督〔2017〕6号 (社会认可度 ≥ 85 %); 教督〔2012〕3号 (公众满意度 ≥ 85 %); docs/rules.md §1, §2.
    """
    if satisfaction is None or satisfaction.height == 0:
        return Outcome(None, finding("recognition.no_survey"))
    valid = float(satisfaction["valid"].sum())
    if valid <= 0:
        return Outcome(None, finding("recognition.no_valid"))
    rate = float(satisfaction["satisfied"].sum()) / valid * 100
    groups = [{"group": r["group"], "rate": r["satisfied"] / r["valid"] * 100}
              for r in satisfaction.iter_rows(named=True) if r["valid"]]
    ok = rate >= params["min"]
    detail = finding("recognition.measured", valid=valid, rate=rate, min=params["min"], groups=groups)
    return Outcome(ok, detail, () if ok else (finding("recognition.below", rate=rate, min=params["min"]),), rate,
                   max(0.0, params["min"] - rate))

def operating_base(funding: FundingResult | None) -> Outcome:
    """生均公用经费 (primary and junior) ≥ the base amount every year from 2016 (G2's computed part).

    References
    ----------
    国发〔2015〕67号 (生均公用经费基准定额); docs/rules.md §6.
    """
    if funding is None:
        return Outcome(None, finding("funding.no_sheet"))
    checks = [funding.checks[c] for c in GROUPS["生均公用经费基准定额"]]
    lines = [finding("operating_base.below", year=r.year, check=c.code, value=r.value, reference=r.reference)
             for c in checks for r in c.rows if r.passed is False]
    verdicts = {c.code: c.passed for c in checks}
    if lines:
        return Outcome(False, finding("operating_base.summary", checks=verdicts, why=[]), tuple(lines), len(lines))
    why = list(dict.fromkeys(n for c in checks for n in c.notes))     # the check notes name a missing region too
    return Outcome(None if any(v is None for v in verdicts.values()) else True,
                   finding("operating_base.summary", checks=verdicts, why=why))

def funding_growth(funding: FundingResult | None, params: dict[str, float]) -> Outcome:
    """三个增长 in the last ``years`` yearly comparisons (basic-2012 B8): every growth check of
    ``funding.GROUPS['三个增长']`` in each of those years. failed_count = failed year checks;
    zero = the mean appropriation growth over the window is negative ("3年年均出现负增长为0分").
    A series too short for ``years`` comparisons (fewer than years + 1 years) is judged on the
    comparisons it has, and the detail and notes say so; columns the checks need that the 经费
    sheet lacks are named.

    References
    ----------
    《教育法》第五十五条, 《义务教育法》第四十二条 (三个增长); docs/rules.md §6.
    """
    n_cmp = int(params["years"])
    if funding is None:
        return Outcome(None, finding("funding_growth.no_sheet"))
    if len(funding.years) < 2:
        return Outcome(None, finding("funding_growth.too_few_years", years=len(funding.years), window=n_cmp))
    window = set(funding.years[-n_cmp:])
    undecided, rows = 0, []
    for code in GROUPS["三个增长"]:
        c = funding.checks[code]
        for r in c.rows:
            if r.year not in window:
                continue
            if r.passed is False:
                rows.append({"year": r.year, "check": code, "margin": r.margin, "growth": r.growth,
                             "reference": r.reference})
            elif r.passed is None:
                undecided += 1
    lines = [finding("funding_growth.failed_year", **r) for r in rows]
    growths = [r.growth for r in funding.checks["appropriation_vs_revenue"].rows
               if r.year in window and r.growth is not None]
    zero = bool(growths) and sum(growths) / len(growths) < 0
    compared = sorted(r.year for r in funding.checks["appropriation_vs_revenue"].rows if r.year in window)
    notes = []
    if len(compared) < n_cmp:
        notes.append(finding("funding_growth.short_series", years=len(funding.years), first=funding.years[0],
                             last=funding.years[-1], compared=len(compared), window=n_cmp))
    cols = list(dict.fromkeys(n for code in GROUPS["三个增长"] for n in funding.checks[code].notes
                              if n.code.startswith("finance.columns")))
    detail = finding("funding_growth.summary", window=n_cmp, first=compared[0], last=compared[-1], failed=len(lines),
                     undecided=undecided, columns=cols if undecided else [], zero=zero, notes=notes)
    if lines or zero:
        return Outcome(False, detail, tuple(lines), len(lines), failed_count=len(lines), zero=zero, notes=tuple(notes),
                       facts={"years": n_cmp, "failed": len(lines), "zero": int(zero)}, rows=tuple(rows))
    return Outcome(None if undecided else True, detail, value=0, notes=tuple(notes))

def match_schools(data: CountyData, schools: pl.DataFrame) -> tuple[CountyData, dict[str, tuple[Finding, ...]]]:
    """The workbook's 班级 and 学校 sheets compared with the county's schools of the school table.

    schools: the county's schools (``school_id``, as from the school table). Rows whose school id
    is not one of them are dropped (never used in a verdict) and listed, by sheet code
    (``classes`` / ``schools``), in a ``sheet.unknown_ids`` finding (with the rows, and whether
    some ids are not 10 digits, e.g. lost leading zeros). Returns the data without those
    rows and the notes. Schools of the table missing from a sheet are found by the checks
    themselves (each knows which schools it needs).
    """
    known = set(schools["school_id"].to_list())
    notes: dict[str, tuple[Finding, ...]] = {}
    changes = {}
    for attr in ("classes", "schools"):
        df = getattr(data, attr)
        if df is None or df.height == 0 or "school_id" not in df.columns:
            continue
        bad = df.filter(~pl.col("school_id").is_in(sorted(known)) | pl.col("school_id").is_null())
        if bad.height == 0:
            continue
        ids = list(dict.fromkeys(str(i) for i in bad["school_id"].to_list()))
        rows = sorted(bad["source_row"].to_list()) if "source_row" in bad.columns else []
        notes[attr] = (finding("sheet.unknown_ids", sheet=attr, ids=ids, rows=rows,
                               not_ten_digits=any(len(i) != 10 for i in ids)),)
        changes[attr] = df.filter(pl.col("school_id").is_in(sorted(known)))
    return (replace(data, **changes) if changes else data), notes

def run_check(item: CountyItem, data: CountyData, schools: pl.DataFrame | None,
              funding_rules: Funding | None, funding: FundingResult | None, *, missing_fails: bool = False) -> Outcome:
    """Dispatch an item's ``check`` to its function. missing_fails: a school absent from the
    workbook's per-school sheet fails G3/G5/G6 (rule pack ``county_workbook.missing_school``).
    Raises KeyError for an unknown check (the rule-pack loader already refuses those)."""
    p = item.params
    match item.check:
        case "class_size":
            return class_size(data.classes, schools, p, missing_fails=missing_fails)
        case "school_size":
            return school_size(schools, p)
        case "music_art_rooms":
            return music_art_rooms(data.schools, schools, p, missing_fails=missing_fails)
        case "small_school_funding":
            return small_school_funding(data.schools, schools, funding_rules, data.region, missing_fails=missing_fails)
        case "special_funding":
            return special_funding(data.inputs, schools, p)
        case "operating_base":
            return operating_base(funding)
        case "teacher_pay":
            return teacher_pay(data.finance, p)
        case "rotation":
            return rotation(data.inputs, p)
        case "min_rates":
            return rates(data.inputs, p)
        case "max_rates":
            return rates(data.inputs, p, at_most=True)
        case "recognition":
            return recognition(data.satisfaction, p)
        case "funding_growth":
            return funding_growth(funding, p)
    raise KeyError(item.check)
