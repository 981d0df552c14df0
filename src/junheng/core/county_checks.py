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
from ..schema import LEVEL_NAMES
from .county_data import FINANCE_HEADERS, CountyData
from .funding import GROUPS, FundingResult, base_amount, column_notes

#: Chinese names of the 指标 inputs used in messages (the importer's dictionary has the headers).
INPUT_NAMES = {
    "rotation_eligible_teachers": "符合交流条件教师数",
    "rotated_teachers": "交流轮岗教师数",
    "rotated_backbone_teachers": "交流轮岗中骨干教师数",
    "migrant_public_rate": "随迁子女在公办学校和政府购买学位就读比例",
    "junior_retention_rate": "初中三年巩固率",
    "disabled_enrolment_rate": "残疾儿童少年入学率",
    "special_school_per_pupil_yuan": "特殊教育学校生均公用经费",
    "training_completion_rate": "教师5年360学时培训完成率",
    "certified_teacher_rate": "专任教师持证上岗率",
    "zoned_primary_rate": "城区和镇区公办小学就近划片入学比例",
    "zoned_junior_rate": "城区和镇区公办初中就近划片入学比例",
    "quota_allocation_rate": "优质高中招生名额分配比例",
    "training_budget_min_rate": "各校教师培训经费占公用经费预算比例（最低值）",
    "primary_enrolment_rate": "小学适龄儿童入学率",
    "junior_gross_enrolment_rate": "初中毛入学率",
    "dropout_primary_rate": "小学辍学率",
    "dropout_junior_rate": "初中辍学率",
    "transfer_payment_rate": "农村税费改革转移支付用于义务教育比例",
}
#: School categories (schema.SCHOOL_TYPES) that count as primary/junior schools for G3/G4/G5.
#: ASSUMPTION: teaching points (218) are left out of the music/art room item (too small to
#: have 12 classes) but are in school size, class size and small-school funding.
REGULAR = ("primary", "junior", "nine_year", "complete", "twelve_year")
COMBINED = ("nine_year", "twelve_year")
MAX_LISTED = 50
#: Schools or ids named in one note or detail before "等".
MAX_NAMED = 10
#: The workbook sheets listing schools, by CountyData attribute, and their Chinese names.
SHEET_NAMES = {"classes": "“班级”工作表", "schools": "“学校”工作表"}
#: Which sheet each per-school check reads.
CHECK_SHEETS = {"class_size": "classes", "music_art_rooms": "schools", "small_school_funding": "schools"}


@dataclass(frozen=True)
class Outcome:
    """What a computed check found.

    passed: True / False / None (undecided); detail: Chinese summary (value vs criterion);
    failures: one Chinese line per failing class/school/year (at most :data:`MAX_LISTED`, then a
    count); value: the main measured number (percent for rates); shortfall: percentage points
    short of a single-rate minimum (for score deductions); failed_count: failed year checks
    (funding growth); zero: the score rule's "0 分" condition holds; notes: Chinese warnings
    (schools of the school table missing from the workbook, data too short …); facts: the
    check's numbers by name (totals, limits; never truncated) and rows: one dict of numbers and
    codes per failing class / school / year (all of them), for report/ to word (issue 13).
    """

    passed: bool | None
    detail: str
    failures: tuple[str, ...] = ()
    value: float | None = None
    shortfall: float | None = None
    failed_count: int = 0
    zero: bool = False
    notes: tuple[str, ...] = ()
    facts: dict[str, float | int | str | None] = field(default_factory=dict)
    rows: tuple[dict[str, float | int | str | None], ...] = ()


def _capped(lines: list[str]) -> tuple[str, ...]:
    if len(lines) <= MAX_LISTED:
        return tuple(lines)
    return tuple(lines[:MAX_LISTED]) + (f"……另有 {len(lines) - MAX_LISTED} 项未列出",)


def named(names: list[str], cap: int = MAX_NAMED) -> str:
    """``甲、乙、丙`` — at most ``cap`` names, then ``等``."""
    return "、".join(names[:cap]) + ("等" if len(names) > cap else "")


def _missing(outcome_lines: list[str], missing: list[str], detail: str, what: str, sheet: str,
             missing_fails: bool, value: float | None = None, facts: dict | None = None,
             rows: tuple[dict, ...] = ()) -> Outcome:
    """The Outcome of a per-school check given its failing lines and the schools (or school
    sections) of the school table absent from the workbook ``sheet`` (``what`` names what is
    missing of them): failed if any line; else,
    with missing schools, failed (``missing_fails``, the rule pack's ``county_workbook.missing_school
    = "fail"``) or undecided; else passed. The missing schools are named in the detail and a note."""
    note = ""
    if missing:
        note = f"县级数据表{sheet}中没有 {len(missing)} 个{what}：{named(missing)}"
        detail += "；" + note
    notes = (note,) if note else ()
    facts = dict(facts or {}, missing=len(missing))
    if outcome_lines:
        return Outcome(False, detail, _capped(outcome_lines), len(outcome_lines), notes=notes, facts=facts, rows=rows)
    if missing:
        if missing_fails:
            lines = [f"{m} 未列入县级数据表{sheet}" for m in missing]
            return Outcome(False, detail, _capped(lines), len(lines), notes=notes, facts=facts)
        return Outcome(None, detail, value=value, notes=notes, facts=facts)
    return Outcome(True, detail, value=0, facts=facts)


def _num(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() or abs(x) >= 1000 else f"{x:.2f}".rstrip("0").rstrip(".")


def _who(r: dict) -> str:
    return f"{r.get('name') or ''}（{r['school_id']}）" if r.get("name") else str(r["school_id"])


#: Why the checks that need class counts are undecided when the school table has no 班数.
NO_CLASS_COUNTS = "学校表没有“小学班数”“初中班数”列"


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
            return Outcome(None, "缺少班级表和学校表，无法核对班额")
        if not has_class_counts(schools):
            return Outcome(None, NO_CLASS_COUNTS + "，也未提供班级表：无法核对班额")
        lines = []
        for r in schools.filter(pl.col("category").is_in(REGULAR + ("teaching_point",))).iter_rows(named=True):
            for lv, s in (("primary", "P"), ("junior", "J")):
                if (r[f"classes_{s}"] or 0) > 0 and r[f"students_{s}"] / r[f"classes_{s}"] > lim[lv]:
                    lines.append(f"{_who(r)} {LEVEL_NAMES[lv]}平均班额 {r[f'students_{s}'] / r[f'classes_{s}']:.1f} 人"
                                 f" > {lim[lv]:g}（至少有一个班超标）")
        if lines:
            return Outcome(False, f"学校表显示 {len(lines)} 个学段平均班额超标（未提供班级表）", _capped(lines), len(lines))
        return Outcome(None, "未提供班级表：平均班额未超标，但无法核对每个班级")
    limit = pl.col("level").replace_strict(lim, return_dtype=pl.Float64)
    over = classes.filter(pl.col("size") > limit).sort("source_row")
    lines = [f"{_who({'school_id': r['school_id'], 'name': names.get(r['school_id'])})} "
             f"{LEVEL_NAMES[r['level']]} {r['class_name']} {r['size']} 人 > {lim[r['level']]:g}"
             for r in over.iter_rows(named=True)]
    detail = f"共 {classes.height} 个班，超过标准的 {over.height} 个（小学 ≤ {lim['primary']:g} 人，初中 ≤ {lim['junior']:g} 人）"
    facts: dict = {"classes": classes.height, "over": over.height, "schools_over": over["school_id"].n_unique()}
    for lv in ("primary", "junior"):
        of_lv = over.filter(pl.col("level") == lv)
        facts |= {f"limit_{lv}": lim[lv], f"classes_{lv}": classes.filter(pl.col("level") == lv).height,
                  f"over_{lv}": of_lv.height, f"schools_over_{lv}": of_lv["school_id"].n_unique()}
    rows = tuple({"school_id": r["school_id"], "name": names.get(r["school_id"]), "level": r["level"],
                  "class_name": r["class_name"], "size": r["size"], "limit": lim[r["level"]]}
                 for r in over.iter_rows(named=True))
    missing = []
    if schools is not None:
        have = set(zip(classes["school_id"].to_list(), classes["level"].to_list()))
        missing = [f"{_who(r)} {LEVEL_NAMES[lv]}"
                   for r in schools.filter(pl.col("category").is_in(REGULAR + ("teaching_point",))).iter_rows(named=True)
                   for lv, s in (("primary", "P"), ("junior", "J"))
                   if r[f"classes_{s}"] and (r["school_id"], lv) not in have]
    return _missing(lines, missing, detail, "学校学段的班级", "“班级”工作表", missing_fails, value=0,
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
        return Outcome(None, "缺少学校表，无法核对学校规模")
    df = schools.filter(pl.col("category").is_in(REGULAR + ("teaching_point",))).with_columns(
        (pl.col("students_P") + pl.col("students_J")).alias("_n"),
        pl.when(pl.col("category").is_in(COMBINED)).then(params["combined"]).otherwise(params["single"]).alias("_lim"))
    over = df.filter(pl.col("_n") > pl.col("_lim"))
    lines = [f"{_who(r)} 义务教育阶段在校生 {int(r['_n'])} 人 > {r['_lim']:g}" for r in over.iter_rows(named=True)]
    biggest = int(df["_n"].max() or 0)
    detail = (f"{df.height} 所学校，最大规模 {biggest} 人（小学、初中 ≤ {params['single']:g}，"
              f"一贯制 ≤ {params['combined']:g}），超标 {over.height} 所")
    facts = {"schools": df.height, "largest": biggest, "limit_single": params["single"],
             "limit_combined": params["combined"], "over": over.height}
    rows = tuple({"school_id": r["school_id"], "name": r.get("name"), "category": r["category"],
                  "students": int(r["_n"]), "limit": r["_lim"]} for r in over.iter_rows(named=True))
    return Outcome(over.height == 0, detail, _capped(lines), over.height, facts=facts, rows=rows)


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
        return Outcome(None, "缺少学校表（班数），无法核对音乐、美术专用教室")
    if not has_class_counts(schools):
        return Outcome(None, NO_CLASS_COUNTS + "：无法按班数核对音乐、美术专用教室")
    if extra is None:
        return Outcome(None, "未提供县级数据表的“学校”工作表（音乐、美术专用教室数），无法核对")
    absent = [h for c, h in (("music_rooms", "音乐专用教室数"), ("art_rooms", "美术专用教室数")) if c not in extra.columns]
    if absent:
        return Outcome(None, "县级数据表“学校”工作表缺少" + "、".join(f"“{h}”" for h in absent) + "列（请检查表头拼写），无法核对")
    per = params["classes_per_room"]
    rooms = {r["school_id"]: r for r in extra.iter_rows(named=True)}
    lines, missing, n, rows = [], [], 0, []
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
        short = [f"{what} {got[key]} 间" for what, key in (("音乐教室", "music_rooms"), ("美术教室", "art_rooms"))
                 if got[key] < need]
        if short:
            lines.append(f"{_who(r)} {classes} 个班，应各有 {need} 间，实有" + "、".join(short))
            rows.append({"school_id": r["school_id"], "name": r.get("name"), "classes": classes, "need": need,
                         "music_rooms": got["music_rooms"], "art_rooms": got["art_rooms"]})
    detail = f"{n} 所学校，每 {per:g} 个班至少各 1 间音乐、美术专用教室；不足 {len(lines)} 所"
    return _missing(lines, missing, detail, "学校的专用教室数", "“学校”工作表", missing_fails,
                    facts={"schools": n, "classes_per_room": per, "short": len(lines)}, rows=tuple(rows))


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
        return Outcome(None, "缺少学校表，无法找出不足100人的学校")
    n_min = funding.small_school_students
    df = schools.filter(pl.col("category").is_in(REGULAR + ("teaching_point",))).with_columns(
        (pl.col("students_P") + pl.col("students_J")).alias("_n"))
    small = df.filter((pl.col("_n") > 0) & (pl.col("_n") < n_min))
    if small.height == 0:
        return Outcome(True, f"无不足{n_min}人的学校", value=0)
    if region is None:
        return Outcome(None, f"{small.height} 所学校不足{n_min}人；未填写地区，无法确定基准定额")
    if extra is None:
        return Outcome(None, f"{small.height} 所学校不足{n_min}人；未提供县级数据表的“学校”工作表（公用经费拨款），无法核对")
    if "operating_funds_yuan" not in extra.columns:
        return Outcome(None, f"{small.height} 所学校不足{n_min}人；县级数据表“学校”工作表缺少“公用经费拨款”列"
                             "（请检查表头拼写），无法核对")
    funds = dict(zip(extra["school_id"].to_list(), extra["operating_funds_yuan"].to_list()))
    lines, missing, rows = [], [], []
    for r in small.iter_rows(named=True):
        p, j = r["students_P"], r["students_J"]
        per = (base_amount(funding, region, "primary") * p + base_amount(funding, region, "junior") * j) / (p + j)
        need = n_min * per
        got = funds.get(r["school_id"])
        if got is None:
            missing.append(_who(r))
        elif got < need:
            lines.append(f"{_who(r)} 在校生 {int(r['_n'])} 人，公用经费 {_num(got)} 元 < 按{n_min}人核定的 {_num(need)} 元")
            rows.append({"school_id": r["school_id"], "name": r.get("name"), "students": int(r["_n"]),
                         "funds": got, "need": need})
    detail = f"不足{n_min}人的学校 {small.height} 所，核定不足 {len(lines)} 所"
    return _missing(lines, missing, detail, f"不足{n_min}人学校的公用经费拨款", "“学校”工作表", missing_fails,
                    facts={"small": small.height, "min_students": n_min, "short": len(lines)}, rows=tuple(rows))


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
            return Outcome(True, "县内无特殊教育学校（不适用）")
        return Outcome(None, f"未填写{INPUT_NAMES['special_school_per_pupil_yuan']}")
    ok = v >= need
    return Outcome(ok, f"特殊教育学校生均公用经费 {_num(v)} 元（标准 ≥ {need:g} 元）",
                   () if ok else (f"{_num(v)} 元 < {need:g} 元",), v)


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
    if any("缺少" in n for n in absent) or finance.height == 0:
        return Outcome(None, "；".join(absent) or "经费表没有任何年度数据，无法比较教师和公务员平均工资")
    r = finance.sort("year").row(-1, named=True)
    lacking = [FINANCE_HEADERS[c] for c in need if r[c] is None] + (
        [] if r["civil_servant_pay_yuan"] is None or r["civil_servant_pay_yuan"] > 0 else ["公务员平均工资（为 0）"])
    if lacking:
        return Outcome(None, f"经费表最近年度（{r['year']}年）未填写" + "、".join(lacking) + "，无法比较")
    ratio = r["teacher_pay_yuan"] / r["civil_servant_pay_yuan"]
    ok = ratio >= params["min_ratio"]
    detail = (f"{r['year']}年（经费表最近年度）教师平均工资 {_num(r['teacher_pay_yuan'])} 元，公务员平均工资 "
              f"{_num(r['civil_servant_pay_yuan'])} 元（教师 ÷ 公务员 = {ratio:.4f}，标准 ≥ {params['min_ratio']:g}）")
    return Outcome(ok, detail, () if ok else (f"{r['year']}年教师平均工资低于公务员",), ratio)


def rotation(inputs: dict[str, float], params: dict[str, float]) -> Outcome:
    """交流轮岗教师 ÷ 符合交流条件教师 ≥ min_rotated % and 骨干 ÷ 交流轮岗教师 ≥ min_backbone %: G11
    (10 % / 20 %, CONFIRMED [S40]); value = the rotation rate in percent.

    References
    ----------
    教督〔2017〕6号 item G11 (≥ 10 % of eligible teachers a year, backbone ≥ 20 % of those); docs/rules.md §2.
    """
    e, r, b = (inputs.get(k) for k in ("rotation_eligible_teachers", "rotated_teachers", "rotated_backbone_teachers"))
    if not e or r is None:
        return Outcome(None, "未填写符合交流条件教师数或交流轮岗教师数")
    rate = r / e * 100
    lines = []
    if rate < params["min_rotated"]:
        lines.append(f"交流轮岗比例 {rate:.2f}% < {params['min_rotated']:g}%")
    detail = f"交流轮岗 {r:g} 人 ÷ 符合条件 {e:g} 人 = {rate:.2f}%（≥ {params['min_rotated']:g}%）"
    if params["min_backbone"] > 0:
        if b is None or r == 0:
            if not lines:
                return Outcome(None, detail + "；未填写交流轮岗中骨干教师数", value=rate)
        else:
            share = b / r * 100
            detail += f"；骨干教师 {b:g} 人占 {share:.2f}%（≥ {params['min_backbone']:g}%）"
            if share < params["min_backbone"]:
                lines.append(f"骨干教师占交流轮岗教师 {share:.2f}% < {params['min_backbone']:g}%")
    shortfall = max(0.0, params["min_rotated"] - rate)
    return Outcome(not lines, detail, tuple(lines), rate, shortfall)


def rates(inputs: dict[str, float], params: dict[str, float], *, at_most: bool = False) -> Outcome:
    """Each named 指标 input ≥ its threshold (``at_most``: ≤), in percent (min_rates / max_rates).

    value and shortfall (percentage points short, for score deductions) are set when the item
    names one input. Missing inputs make it undecided unless another input failed.

    References
    ----------
    the thresholds of the rule pack items (教督〔2017〕6号 guarantee and quality items; 教督〔2012〕3号 score sheet, EXAMPLE); docs/rules.md §1, §2.
    """
    parts, lines, missing = [], [], []
    op = "≤" if at_most else "≥"
    for code, thr in params.items():
        v = inputs.get(code)
        name = INPUT_NAMES.get(code, code)
        if v is None:
            missing.append(name)
            continue
        parts.append(f"{name} {_num(v)}%（{op} {thr:g}%）")
        if (v > thr) if at_most else (v < thr):
            lines.append(f"{name} {_num(v)}% 未达到 {op} {thr:g}%")
    detail = "；".join(parts + [f"未填写{m}" for m in missing])
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
        return Outcome(None, "未提供满意度调查结果")
    valid = float(satisfaction["valid"].sum())
    if valid <= 0:
        return Outcome(None, "有效问卷数为 0")
    rate = float(satisfaction["satisfied"].sum()) / valid * 100
    groups = "、".join(f"{r['group'] or '合计'} {r['satisfied'] / r['valid'] * 100:.2f}%"
                       for r in satisfaction.iter_rows(named=True) if r["valid"])
    ok = rate >= params["min"]
    detail = f"有效问卷 {valid:g} 份，满意率 {rate:.2f}%（≥ {params['min']:g}%）；{groups}"
    return Outcome(ok, detail, () if ok else (f"满意率 {rate:.2f}% < {params['min']:g}%",), rate,
                   max(0.0, params["min"] - rate))


def operating_base(funding: FundingResult | None) -> Outcome:
    """生均公用经费 (primary and junior) ≥ the base amount every year from 2016 (G2's computed part).

    References
    ----------
    国发〔2015〕67号 (生均公用经费基准定额); docs/rules.md §6.
    """
    if funding is None:
        return Outcome(None, "未提供经费表")
    checks = [funding.checks[c] for c in GROUPS["生均公用经费基准定额"]]
    lines = [f"{r.year}年{c.name.replace('不低于基准定额', '')} {_num(r.value)} 元 < 基准 {_num(r.reference)} 元"
             for c in checks for r in c.rows if r.passed is False]
    verdicts = [c.passed for c in checks]
    detail = "；".join(f"{c.name}：" + ("达标" if c.passed else "未达标" if c.passed is False else "无法判定")
                      for c in checks)
    if lines:
        return Outcome(False, detail, _capped(lines), len(lines))
    why = dict.fromkeys(n for c in checks for n in c.notes)     # the check notes name a missing region too
    return Outcome(None if any(v is None for v in verdicts) else True, detail + "".join(f"（{n}）" for n in why))


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
        return Outcome(None, "未提供经费表，无法核对三个增长")
    if len(funding.years) < 2:
        return Outcome(None, f"经费表只有 {len(funding.years)} 个年度，无法核对三个增长（至少需要连续 2 个年度，"
                             f"近{n_cmp}年比较需要 {n_cmp + 1} 个年度）")
    window = set(funding.years[-n_cmp:])
    lines, undecided, rows = [], 0, []
    for code in GROUPS["三个增长"]:
        c = funding.checks[code]
        for r in c.rows:
            if r.year not in window:
                continue
            if r.passed is False:
                margin = f"（{r.margin:+.2f} 个百分点）" if r.margin is not None else ""
                lines.append(f"{r.year}年 {c.name} 未实现{margin}")
                rows.append({"year": r.year, "check": code, "margin": r.margin, "growth": r.growth,
                             "reference": r.reference})
            elif r.passed is None:
                undecided += 1
    growths = [r.growth for r in funding.checks["appropriation_vs_revenue"].rows
               if r.year in window and r.growth is not None]
    zero = bool(growths) and sum(growths) / len(growths) < 0
    compared = sorted(r.year for r in funding.checks["appropriation_vs_revenue"].rows if r.year in window)
    detail = f"近{n_cmp}年（{compared[0]}–{compared[-1]}年）三个增长：未实现 {len(lines)} 项次"
    notes = []
    if len(compared) < n_cmp:
        notes.append(f"经费表只有 {len(funding.years)} 个年度（{funding.years[0]}–{funding.years[-1]}年），"
                     f"只核对了 {len(compared)} 次逐年增长；近{n_cmp}年需要 {n_cmp + 1} 个年度的数据")
    cols = sorted({n for code in GROUPS["三个增长"] for n in funding.checks[code].notes if "经费表" in n})
    if undecided:
        detail += f"，{undecided} 项次数据不全" + (f"（{'；'.join(cols)}）" if cols else "")
    if zero:
        detail += "；教育财政拨款年均负增长"
    if notes:
        detail += "；" + "；".join(notes)
    if lines or zero:
        return Outcome(False, detail, tuple(lines), len(lines), failed_count=len(lines), zero=zero, notes=tuple(notes),
                       facts={"years": n_cmp, "failed": len(lines), "zero": int(zero)}, rows=tuple(rows))
    return Outcome(None if undecided else True, detail, value=0, notes=tuple(notes))


def match_schools(data: CountyData, schools: pl.DataFrame) -> tuple[CountyData, dict[str, tuple[str, ...]]]:
    """The workbook's 班级 and 学校 sheets compared with the county's schools of the school table.

    schools: the county's schools (``school_id``, as from the school table). Rows whose school id
    is not one of them are dropped (never used in a verdict) and listed, by sheet code
    (``classes`` / ``schools``), in a Chinese note (at most :data:`MAX_NAMED` ids, then 等; a
    hint when ids are not 10 digits, e.g. lost leading zeros). Returns the data without those
    rows and the notes. Schools of the table missing from a sheet are found by the checks
    themselves (each knows which schools it needs).
    """
    known = set(schools["school_id"].to_list())
    notes: dict[str, tuple[str, ...]] = {}
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
        where = f"（第 {named([str(r) for r in rows])} 行）" if rows else ""
        hint = "；其中有的不是 10 位，是否丢失了开头的 0？" if any(len(i) != 10 for i in ids) else ""
        notes[attr] = (f"县级数据表{SHEET_NAMES[attr]}中有 {len(ids)} 个学校标识码不是学校数据表中本县的学校，"
                       f"已忽略，不计入结论：{named(ids)}{where}{hint}",)
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
