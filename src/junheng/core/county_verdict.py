"""The full county verdict (pure): the resource part of an assessment combined with the county
workbook's parts.

quality-2017 (教督〔2017〕6号, docs/rules.md §2): 资源配置 (the assessment: every CV and every unit),
政府保障程度 (15 items), 教育质量 (9 items), 社会认可度 (≥ 85 %) and the 一票否决 items, all
required. basic-2012 (教督〔2012〕3号, docs/rules.md §1): the composite CVs, every school meeting the
provincial basic standard (``school_standard`` of the pack, per unit), the county-government score
sheet (≥ ``pass_score``) and 公众满意度 (≥ 85 %). The money checks (docs/rules.md §6) are always shown;
they enter the verdict only when the pack's ``funding.in_verdict`` is true.
"""
from __future__ import annotations

from dataclasses import replace

import polars as pl

from ..rules.loader import CountyItem, RulePack
from .county_checks import CHECK_SHEETS, Outcome, match_schools, run_check
from .county_data import CountyData
from .county_result import (
    ITEM_NAMES,
    counts_in_verdict,
    PART_NAMES,
    TOTAL_ID,
    AreaScore,
    CountyChecks,
    Failure,
    ItemResult,
    PartResult,
    ScoreResult,
    combine,
)
from .findings import finding
from .funding import FundingResult, funding_checks
from .result import Assessment, CountyResult
from .units import KEY, prepare



def county_schools(table: pl.DataFrame | None, county_key: str) -> pl.DataFrame | None:
    """The county's schools from a canonical school table: school_id, name, school_type,
    category, students_P/J (nulls as 0), classes_P/J (null throughout when the table has no
    班数 column: the checks needing class counts then say so). None when no table is given."""
    if table is None:
        return None
    df = prepare(table).filter(pl.col(KEY) == county_key)
    return df.select("school_id", "name", "school_type", "category",
                     *[pl.col(c).cast(pl.Float64).fill_null(0) for c in ("students_P", "students_J")],
                     *[pl.col(c).cast(pl.Float64) for c in ("classes_P", "classes_J")])


def _schools_from_units(a: Assessment, county_key: str) -> pl.DataFrame:
    """School sizes from the assessment's units when no school table is given (classes unknown)."""
    u = a.units_of(county_key)
    return (u.group_by("school_id", maintain_order=True).agg(
        pl.col("name").first(), pl.col("school_type").first(), pl.col("category").first(),
        pl.col("students").filter(pl.col("level") == "primary").sum().cast(pl.Float64).alias("students_P"),
        pl.col("students").filter(pl.col("level") == "junior").sum().cast(pl.Float64).alias("students_J"))
        .with_columns(pl.lit(None, pl.Float64).alias("classes_P"), pl.lit(None, pl.Float64).alias("classes_J")))


def _qualitative(item: CountyItem, data: CountyData) -> tuple[bool | None, str | None, str]:
    a = data.answers.get(item.id)
    if a is None:
        return None, None, ""
    return (a.status != "not_met"), a.status, a.evidence


def evaluate_item(item: CountyItem, data: CountyData, schools: pl.DataFrame | None, rules: RulePack,
                  funding: FundingResult | None, sheet_notes: dict[str, tuple[str, ...]] | None = None) -> ItemResult:
    """One item's result: the computed check, the 定性 answer, or both (mixed: both must hold).

    A 定性 answer of 不适用 counts as met (ASSUMPTION; shown as 不适用); a missing answer is
    undecided. Score items also get their points (see :func:`item_score`). sheet_notes: notes on
    the workbook's per-school sheets by sheet code (ids not in the school table), added to the
    items reading that sheet; the check's own notes (schools missing from a sheet, finance
    series too short) are added too.
    """
    notes: list[str] = []
    out: Outcome | None = None
    if item.kind != "qualitative":
        out = run_check(item, data, schools, rules.funding, funding,
                        missing_fails=rules.county_workbook.missing_school == "fail")
        notes += (sheet_notes or {}).get(CHECK_SHEETS.get(item.check or ""), ())
        notes += out.notes
    q_ok, answer, evidence = (None, None, "") if item.kind == "computed" else _qualitative(item, data)
    if item.kind == "computed":
        passed = out.passed
    elif item.kind == "qualitative":
        passed = q_ok
    else:
        passed = combine([out.passed, q_ok])
    detail = out.detail if out else None   # the 定性 answer and evidence are fields of their own
    if item.kind != "computed":
        if answer is None:
            notes.append(finding("qualitative.no_answer"))
    failures = list(out.failures) if out else []
    if item.kind != "computed" and answer == "not_met":
        failures.append(finding("qualitative.not_met" if item.part != "veto" else "veto.present"))
    result = ItemResult(item.id, item.part, item.name, item.kind, item.status, passed, detail, tuple(failures),
                        answer, evidence, out.value if out else None, item.points, None, tuple(notes),
                        item.check or "", dict(out.facts) if out else {}, out.rows if out else ())
    if item.part == "score":
        score = item_score(item, result, out, data)
        result = replace(result, score=score)
    return result


def item_score(item: CountyItem, result: ItemResult, out: Outcome | None, data: CountyData) -> float | None:
    """Points earned by a score-sheet item (basic-2012 example sheet), never below 0.

    Qualitative: the 得分 entered in the 定性 sheet (capped at the item's points) if any, else
    full points when 达标/不适用 and 0 when 未达标. Computed: full points when met; when not met,
    points − deduct_per_point × shortfall (percentage points, proportional: ASSUMPTION) or
    points − deduct_per_failure × failed year checks (0 when the Outcome's zero rule holds), else
    0. Mixed: the computed score when the 定性 part is met, 0 when not. None when undecided.
    """
    pts = item.points
    a = data.answers.get(item.id)
    if item.kind == "qualitative":
        if a is not None and a.score is not None:
            return min(a.score, pts)
        return None if result.passed is None else (pts if result.passed else 0.0)
    if out.passed is None:
        return None
    if out.passed:
        computed = pts
    elif out.zero:
        computed = 0.0
    elif item.deduct_per_point and out.shortfall is not None:
        computed = max(0.0, pts - item.deduct_per_point * out.shortfall)
    elif item.deduct_per_failure and out.failed_count:
        computed = max(0.0, pts - item.deduct_per_failure * out.failed_count)
    else:
        computed = 0.0
    if item.kind == "mixed":
        if a is None:
            return None
        return 0.0 if a.status == "not_met" else computed
    return computed


def score_sheet(rules: RulePack, items: list[ItemResult]) -> ScoreResult:
    """Total of the score sheet: known points, the maximum still possible, and the verdict
    (≥ pass_score passes; equality passes)."""
    sheet = rules.score_sheet
    by_area = {a.id: [] for a in sheet.areas}
    pack_items = {i.id: i for i in rules.items_of("score")}
    for r in items:
        by_area[pack_items[r.id].area].append(r)
    areas = tuple(AreaScore(a.id, a.name, a.points,
                            sum(r.score for r in by_area[a.id] if r.score is not None),
                            sum(r.points for r in by_area[a.id] if r.score is None)) for a in sheet.areas)
    score = sum(a.score for a in areas)
    best = score + sum(a.undecided for a in areas)
    passed = True if score >= sheet.pass_score else False if best < sheet.pass_score else None
    return ScoreResult(sheet.name, score, best, sheet.total, sheet.pass_score, passed, areas, sheet.example)


def resource_part(a: Assessment, c: CountyResult, code: str) -> PartResult:
    """The assessment's verdict as a part: one item per level (its CV test; ids Z1, Z2) and,
    under a unit rule, one item for the units (every unit meets the per-unit rule; Z3)."""
    items = []
    basic = a.rules.dispersion.test == "composite"
    for k, (level, lv) in enumerate(c.levels.items(), start=1):
        name = ITEM_NAMES[f"cv_{level}"]
        if basic:
            detail = finding("balance.composite", cv=lv.composite_cv, threshold=lv.composite_threshold)
            fails = () if lv.passed is not False else (detail,)
        else:
            bad = [s for s in lv.indicators.values() if s.passed is False]
            detail = finding("balance.indicators", indicators=len(lv.indicators), over=len(bad),
                             threshold=a.rules.dispersion.cv_threshold.get(level))
            fails = tuple(finding("balance.indicator_over", indicator=code, name=s.name, cv=s.cv, threshold=s.threshold)
                          for code, s in lv.indicators.items() if s.passed is False)
        items.append(ItemResult(f"Z{k}", code, name, "computed", "CONFIRMED", lv.passed, detail, fails,
                                notes=lv.notes))
    if a.rules.unit_rule is not None:
        units = a.units_of(c.county_key)
        failed = units.filter(~pl.col("passed"))
        lines = tuple(finding("units.failed", school_id=r["school_id"], name=r["name"], level=r["level"],
                              met_count=r["met_count"], indicators=len(a.rules.indicators))
                      for r in failed.iter_rows(named=True))
        ur = a.rules.unit_rule
        detail = finding("units.summary", units=units.height, indicators=len(a.rules.indicators), min_met=ur.min_met,
                         floor_ratio=ur.floor_ratio, failed=failed.height)
        items.append(ItemResult(f"Z{len(items) + 1}", code, ITEM_NAMES["units"], "computed", "CONFIRMED",
                                failed.height == 0 if units.height else None, detail, lines))
    return PartResult(code, PART_NAMES[code], c.verdict, tuple(items), True, c.notes)


def school_standard_part(a: Assessment, c: CountyResult, rules: RulePack) -> PartResult:
    """Every unit of the county meets the provincial minima (``rules.school_standard``); undecided
    (with a note) when the pack has no standard (choose a province override)."""
    std = rules.school_standard
    if std is None:
        note = finding("school_standard.none")
        item = ItemResult("SS", "school_standard", ITEM_NAMES["school_standard"], "computed", "ASSUMPTION", None, note)
        return PartResult("school_standard", PART_NAMES["school_standard"], None, (item,), True, (note,))
    units = a.units_of(c.county_key)
    items = []
    for k, (code, mins) in enumerate(std.minima.items(), start=1):
        ind = rules.indicator(code)
        need = pl.col("level").replace_strict({"primary": mins.primary, "junior": mins.junior}, return_dtype=pl.Float64)
        below = units.filter(pl.col(code) < need)
        lines = tuple(finding("school_standard.below", school_id=r["school_id"], name=r["name"], level=r["level"],
                              value=r[code], minimum=mins.get(r["level"]), unit=ind.unit)
                      for r in below.iter_rows(named=True))
        detail = finding("school_standard.summary", primary=mins.primary, junior=mins.junior, unit=ind.unit,
                         below=below.height)
        items.append(ItemResult(f"SS{k}", "school_standard", ind.name, "computed",
                                "EXAMPLE" if std.example else "CONFIRMED", below.height == 0 if units.height else None,
                                detail, lines))
    notes = (finding("school_standard.name", name=std.name, example=std.example),)
    return PartResult("school_standard", PART_NAMES["school_standard"], combine(i.passed for i in items),
                      tuple(items), True, notes)


def _funding_part(funding: FundingResult, in_verdict: bool) -> PartResult:
    """The money checks as items F1…F9; an undecided check's detail says why (a missing column,
    too few years, years with blanks)."""
    items = []
    for k, chk in enumerate(funding.checks.values(), start=1):
        fails = tuple(finding("funding.year_failed", year=r.year, margin=r.margin, unit=chk.unit)
                      for r in chk.rows if r.passed is False)
        detail = finding("funding.rule", check=chk.code, params=chk.params, undecided=chk.passed is None,
                         passed=chk.passed, why=list(chk.notes))
        rows = tuple({"year": r.year, "check": chk.code, "margin": r.margin, "growth": r.growth,
                      "reference": r.reference, "value": r.value} for r in chk.rows if r.passed is False)
        items.append(ItemResult(f"F{k}", "funding", chk.name, "computed", "CONFIRMED", chk.passed, detail, fails,
                                notes=chk.notes, check=chk.code, rows=rows))
    return PartResult("funding", PART_NAMES["funding"], funding.passed, tuple(items), in_verdict, funding.notes)


def _pick_county(a: Assessment, data: CountyData, county_key: str | None) -> tuple[CountyResult, list[str]]:
    notes = []
    by_key = {c.county_key: c for c in a.counties}
    if county_key is None:
        match = [c for c in a.counties if data.county_code and c.county_code == data.county_code]
        if match:
            return match[0], notes
        if len(a.counties) != 1:
            raise ValueError("the assessment has several counties: pass county_key or fill the workbook's county code")
        county_key = a.counties[0].county_key
    if county_key not in by_key:
        raise ValueError(f"county {county_key!r} is not in the assessment")
    c = by_key[county_key]
    if data.county_code and c.county_code and data.county_code != c.county_code:
        notes.append(finding("county.code_mismatch", workbook=data.county_code, table=c.county_code))
    return c, notes


def _finance_year_notes(a: Assessment, data: CountyData) -> list[str]:
    """A note when the 经费 sheet's latest year is older than the school table's year (G8 and the
    base amounts then use old figures)."""
    fin = data.finance
    if a.year is None or "year" not in fin.columns or fin.height == 0:
        return []
    last = int(fin["year"].max())
    if last >= a.year - 1:
        return []
    return [finding("finance.old_year", last=last, year=a.year)]


def county_part_codes(rules: RulePack) -> tuple[str, ...]:
    """The codes of the parts (core.county_result.PART_NAMES) that :func:`evaluate_county` adds to
    the school-table part for this pack, in that order: basic-2012 family (a score sheet or the
    composite CV test) ``school_standard``, ``score`` (with a score sheet), ``satisfaction``;
    quality-2017 family ``guarantee``, ``quality``, ``recognition``, ``veto``. Without county data
    these parts are not assessed (the report says so instead of giving an overall verdict)."""
    if rules.score_sheet is not None or rules.dispersion.test == "composite":
        return ("school_standard",) + (("score",) if rules.score_sheet is not None else ()) + ("satisfaction",)
    return ("guarantee", "quality", "recognition", "veto")


def evaluate_county(assessment: Assessment, county_data: CountyData, rules: RulePack | None = None, *,
                    table: pl.DataFrame | None = None, county_key: str | None = None) -> CountyChecks:
    """All county-level checks of one county and the full verdict.

    assessment: :func:`junheng.core.assess.assess` of the school table; county_data: the county
    workbook (``junheng.io.read_county_workbook``); rules: the pack (default: the assessment's);
    table: the canonical school table (for class counts, school sizes, teaching points and
    special schools; without it school sizes come from the assessment's units and class-based
    items are undecided); county_key: which county (default: the workbook's 县(区)代码, else the
    only county). Returns :class:`CountyChecks`; its ``failures`` name every failing item.
    Raises ValueError when the county cannot be chosen. A workbook whose 县(区)代码 differs from
    the county's makes the verdict undecided (with a note). With a table, the 班级 / 学校 sheets'
    school ids are compared with the county's schools: unknown ids are dropped (never in a
    verdict) and listed in the notes and on the items using the sheet; schools of the table
    missing from a sheet are named in the notes and make G3/G5/G6 undecided (or failed, by the
    pack's ``county_workbook.missing_school``).
    """
    rules = rules or assessment.rules
    c, notes = _pick_county(assessment, county_data, county_key)
    schools = county_schools(table, c.county_key) if table is not None else _schools_from_units(assessment, c.county_key)
    sheet_notes: dict[str, tuple[str, ...]] = {}
    if table is not None:
        county_data, sheet_notes = match_schools(county_data, schools)
        notes += [n for ns in sheet_notes.values() for n in ns]
    funding = funding_checks(county_data.finance, rules.funding, county_data.region) if rules.funding else None
    notes += _finance_year_notes(assessment, county_data)

    def items_part(code: str, part: str) -> PartResult:
        rs = tuple(evaluate_item(i, county_data, schools, rules, funding, sheet_notes) for i in rules.items_of(part))
        return PartResult(code, PART_NAMES[code], combine(r.passed for r in rs), rs)

    parts: dict[str, PartResult] = {}
    score = None
    if "school_standard" in county_part_codes(rules):
        parts["balance"] = resource_part(assessment, c, "balance")
        parts["school_standard"] = school_standard_part(assessment, c, rules)
        if rules.score_sheet is not None:
            sp = items_part("score", "score")
            score = score_sheet(rules, list(sp.items))
            parts["score"] = PartResult("score", PART_NAMES["score"], score.passed, sp.items, True,
                                        (finding("score.example", name=score.name),) if score.example else ())
        parts["satisfaction"] = items_part("satisfaction", "recognition")
    else:
        parts["resource"] = resource_part(assessment, c, "resource")
        for code in county_part_codes(rules):
            parts[code] = items_part(code, code)
    if funding is not None:
        parts["funding"] = _funding_part(funding, rules.funding.in_verdict)
    if table is None:
        notes.append(finding("county.no_table"))
    checks_of = {i.id: i.check for i in rules.county_items}
    for p in parts.values():
        for it in p.items:
            if checks_of.get(it.id) in CHECK_SHEETS:
                notes += [finding("item.note", id=it.id, note=n) for n in it.notes
                          if n not in sheet_notes.get(CHECK_SHEETS[checks_of[it.id]], ())]

    failures = []
    for p in sorted(parts.values(), key=lambda p: not p.in_verdict):
        for it in p.items:
            if it.passed is False:
                veto = p.code == "veto" or (it.part == "recognition" and rules.items_of("veto") != [])
                scored = p.in_verdict and p.code == "score" and it.score is not None
                reason = finding("failure.reason", lines=it.failures[:3], more=len(it.failures) > 3, detail=it.detail,
                                 informational=not p.in_verdict, score=it.score if scored else None, points=it.points)
                failures.append(Failure(p.code, p.name, it.id, it.name, reason, veto, counts_in_verdict(p, it.id)))
    if score is not None and score.passed is False:
        failures.append(Failure("score", PART_NAMES["score"], TOTAL_ID, ITEM_NAMES["total"],
                                finding("score.total_below", score=score.score, pass_score=score.pass_score),
                                counted=counts_in_verdict(parts["score"], TOTAL_ID)))
    verdict = combine(p.passed for p in parts.values() if p.in_verdict)
    if any(n.code == "county.code_mismatch" for n in notes):
        verdict = None
    return CountyChecks(rules.id, c.county_key, c.county_code, c.county, verdict, parts, funding, score,
                        tuple(failures), tuple(notes), dict(county_data.profile))
