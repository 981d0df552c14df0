"""Rule packs: the numbers of the evaluation method as validated data.

A rule pack is a TOML file under ``junheng/rules`` (``basic-2012.toml``, ``quality-2017.toml``);
a provincial override is ``junheng/rules/provinces/<code>.toml`` whose ``[packs."<id>"]`` tables are
merged over the national pack (tables key by key, everything else replaced). Sources:
教督〔2012〕3号 and 教督〔2017〕6号 as summarised in docs/rules.md.
"""
from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import RulesError
from .catalog import available_packs, available_provinces
from .messages import explain, message_loc

Level = Literal["primary", "junior"]

#: Unit-level quantities an indicator may divide by the unit's pupils (see core/units.py).
NUMERATORS = (
    "teaching_area",
    "sports_area",
    "equipment_value_yuan",
    "teaching_computers",
    "books",
    "multimedia_rooms",
    "teachers",
    "qualified_teachers",
    "senior_title_teachers",
    "backbone_teachers",
    "pe_art_teachers",
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PerLevel(_Model):
    """A number per school level (小学 primary / 初中 junior)."""

    primary: float
    junior: float

    def get(self, level: str) -> float:
        return self.primary if level == "primary" else self.junior


class Scope(_Model):
    """Which schools enter the calculation (docs/rules.md §1 scope, §2 scope).

    teaching_points: ``exclude`` every 小学教学点; ``merge_into_parent`` adds a point's pupils,
    teachers and resources to its 上级学校 (parent_id); ``include_if_large`` keeps points with at
    least ``teaching_point_min_students`` pupils as their own units and excludes the rest;
    ``include`` keeps all.
    """

    teaching_points: Literal["exclude", "merge_into_parent", "include_if_large", "include"] = "exclude"
    teaching_point_min_students: int = Field(0, ge=0)
    private: Literal["exclude", "include"] = "exclude"
    excluded_authorities: list[str] = []
    special: Literal["exclude", "include"] = "exclude"
    vocational: Literal["exclude", "include"] = "exclude"


class Split(_Model):
    """Weighted-enrolment ratios for 九年一贯制 / 完全中学 / 十二年一贯制 (docs/rules.md §3)."""

    nine_year: dict[Literal["P", "J"], float]
    complete: dict[Literal["J", "S"], float]
    twelve_year: dict[Literal["P", "J", "S"], float]
    resources: list[str]
    indoor_sports_in_sports_area: bool = True

    @model_validator(mode="after")
    def _positive(self) -> "Split":
        for name in ("nine_year", "complete", "twelve_year"):
            if any(v <= 0 for v in getattr(self, name).values()):
                raise ValueError(f"{name} 的折算系数必须大于 0")
        return self

    def ratios(self, category: str) -> dict[str, float] | None:
        """Section ratios for a school category, or None for single-section schools."""
        return getattr(self, category, None) if category in ("nine_year", "complete", "twelve_year") else None


class Dispersion(_Model):
    """How the CVs are tested: ``composite`` (mean of CVs ≤ composite_threshold) or ``each``."""

    test: Literal["composite", "each"]
    composite_threshold: PerLevel | None = None
    cv_threshold: PerLevel | None = None
    tolerance: float = Field(1e-12, ge=0)

    @model_validator(mode="after")
    def _thresholds(self) -> "Dispersion":
        if self.test == "composite" and self.composite_threshold is None:
            raise ValueError("test = \"composite\" 时须设置 composite_threshold（综合差异系数标准）")
        if self.test == "each" and self.cv_threshold is None:
            raise ValueError("test = \"each\" 时须设置 cv_threshold（各项差异系数标准）")
        return self


class UnitRule(_Model):
    """Per-unit rule: at least ``min_met`` thresholds met, unmet ones ≥ floor_ratio × threshold."""

    min_met: int = Field(ge=0)
    floor_ratio: float = Field(gt=0, le=1)


class Indicator(_Model):
    """One indicator: value = numerator × per / pupils of the unit, threshold per level if any.

    name: the official Chinese name; short: a short label for narrow tables (defaults to name).
    """

    code: str
    name: str
    short: str = ""
    unit: str
    numerator: str
    per: float = 1
    threshold: PerLevel | None = None

    @property
    def label(self) -> str:
        """Short label for narrow tables."""
        return self.short or self.name

    @model_validator(mode="after")
    def _known(self) -> "Indicator":
        if self.numerator not in NUMERATORS:
            raise ValueError(f"numerator：未知的分子 “{self.numerator}”；可用：{'、'.join(NUMERATORS)}")
        return self


#: Numeric inputs of the county workbook's 指标 sheet that rule-pack items may name (codes only;
#: the Chinese names live in ``junheng.io.county_fields``). Rates are percentages (85 means 85 %).
COUNTY_INPUTS = (
    "rotation_eligible_teachers",
    "rotated_teachers",
    "rotated_backbone_teachers",
    "migrant_public_rate",
    "junior_retention_rate",
    "disabled_enrolment_rate",
    "special_school_per_pupil_yuan",
    "training_completion_rate",
    "certified_teacher_rate",
    "zoned_primary_rate",
    "zoned_junior_rate",
    "quota_allocation_rate",
    "training_budget_min_rate",
    "primary_enrolment_rate",
    "junior_gross_enrolment_rate",
    "dropout_primary_rate",
    "dropout_junior_rate",
    "transfer_payment_rate",
)

Region = Literal["east", "central", "west"]

#: Computed checks a county item may use, with the ``params`` each requires (docs/rules.md §2, §6).
#: ``min_rates`` / ``max_rates`` take workbook inputs (COUNTY_INPUTS) as keys instead.
COUNTY_CHECKS: dict[str, tuple[str, ...]] = {
    "class_size": ("primary", "junior"),
    "school_size": ("single", "combined"),
    "music_art_rooms": ("classes_per_room",),
    "small_school_funding": (),
    "special_funding": ("min_yuan",),
    "operating_base": (),
    "teacher_pay": ("min_ratio",),
    "rotation": ("min_rotated", "min_backbone"),
    "min_rates": (),
    "max_rates": (),
    "recognition": ("min",),
    "funding_growth": ("years",),
}
#: Checks that need the pack's [funding] table.
FUNDING_CHECKS = ("small_school_funding", "operating_base", "funding_growth")


class Funding(_Model):
    """County money rules (docs/rules.md §6; 教育法 / 义务教育法 第四十二条; base amounts 国发〔2015〕67号).

    base: 生均公用经费基准定额 in 元 per pupil and year by region (east 东部, central 中部, west
    西部) and level, applied from ``base_from_year``; boarder_extra: 元 added per boarder;
    small_school_students: schools with fewer pupils are funded as if they had this many;
    growth_strict: 三个增长 need a strict rise (">", ASSUMPTION for "逐步增长"); the 两个只增不减
    always allow equality ("≥"); in_verdict: whether the growth checks enter the county verdict
    (they feed the basic-2012 score sheet item instead when false).
    """

    document: str = ""
    base: dict[Region, PerLevel]
    base_from_year: int = 2016
    boarder_extra: float = Field(200, ge=0)
    small_school_students: int = Field(100, ge=0)
    growth_strict: bool = True
    in_verdict: bool = False


class CountyItem(_Model):
    """One county-level item (government guarantee, quality, recognition, one-veto, score sheet).

    id: stable code (G1…, Q1…, R1, V1…, B1…; the 编号 of the workbook's 定性 sheet); part:
    ``guarantee`` 政府保障程度 | ``quality`` 教育质量 | ``recognition`` 社会认可度/公众满意度 |
    ``veto`` 一票否决 | ``score`` 县级政府工作评估 (basic-2012 score sheet); name: the Chinese text;
    kind: ``computed`` (a check in COUNTY_CHECKS with ``params``), ``qualitative`` (a checklist
    status with evidence) or ``mixed`` (both must be met); status: how sure the wording and numbers
    are (CONFIRMED | UNCERTAIN | ASSUMPTION | EXAMPLE). Score-sheet items also carry ``area``,
    ``points`` and a deduction rule: ``deduct_per_point`` (points per percentage point short of a
    single-rate criterion) or ``deduct_per_failure`` (points per failed year check of
    ``funding_growth``); otherwise all or nothing. Percentages are numbers (85 means 85 %).
    """

    id: str
    part: Literal["guarantee", "quality", "recognition", "veto", "score"]
    name: str
    short: str = ""
    kind: Literal["computed", "qualitative", "mixed"]
    check: str | None = None
    params: dict[str, float] = {}
    status: Literal["CONFIRMED", "UNCERTAIN", "ASSUMPTION", "EXAMPLE"] = "UNCERTAIN"
    note: str = ""
    area: str | None = None
    points: float | None = Field(None, gt=0)
    deduct_per_point: float | None = Field(None, gt=0)
    deduct_per_failure: float | None = Field(None, gt=0)

    @property
    def label(self) -> str:
        """Short label for narrow tables."""
        return self.short or self.name

    @model_validator(mode="after")
    def _check(self) -> "CountyItem":
        if self.kind == "qualitative":
            if self.check is not None:
                raise ValueError("定性项目（kind = \"qualitative\"）不能设置 check")
            return self
        if self.check not in COUNTY_CHECKS:
            raise ValueError(f"check：未知的核查 “{self.check}”；可用：{'、'.join(COUNTY_CHECKS)}")
        if self.check in ("min_rates", "max_rates"):
            if not self.params:
                raise ValueError(f"check = {self.check} 须在 params 中给出 {{县级数据项 = 标准}}")
            bad = [k for k in self.params if k not in COUNTY_INPUTS]
            if bad:
                raise ValueError(f"params：未知的县级数据项 {'、'.join(bad)}；可用：{'、'.join(COUNTY_INPUTS)}")
        else:
            missing = [k for k in COUNTY_CHECKS[self.check] if k not in self.params]
            extra = [k for k in self.params if k not in COUNTY_CHECKS[self.check]]
            if missing or extra:
                raise ValueError(f"params：核查 {self.check} 的参数应为 {'、'.join(COUNTY_CHECKS[self.check]) or '（无）'}")
        if self.part == "score" and self.points is None:
            raise ValueError("评分项目（part = \"score\"）须设置 points（分值）")
        return self


class ScoreArea(_Model):
    """An area (一级指标) of the county-government score sheet: id, Chinese name, points."""

    id: str
    name: str
    points: float = Field(gt=0)


class ScoreSheet(_Model):
    """The county-government work score sheet (basic-2012: 4 areas, 17 items, 100 points, ≥ 85).

    example: True when the items and points are an EXAMPLE sheet (the national text was not
    available; provinces publish their own). Items are ``county_items`` with ``part = "score"``.
    """

    name: str
    document: str = ""
    example: bool = True
    total: float = Field(100, gt=0)
    pass_score: float = Field(85, ge=0)
    areas: list[ScoreArea]


class SchoolStandard(_Model):
    """A provincial basic standard (省定办学基本标准) as per-unit minima of indicators.

    minima: indicator code of the pack → minimum per level (a unit passes when its value ≥ the
    minimum); name/document: the provincial document (EXAMPLE values unless replaced).
    """

    name: str
    document: str = ""
    example: bool = True
    minima: dict[str, PerLevel]


class CountyWorkbook(_Model):
    """How the county workbook's per-school lists are read against the school table.

    missing_school: what a school of the school table (of the county, of the categories an item
    covers) that is absent from the workbook's 班级 or 学校 sheet does to the items needing that
    list (G3 music/art rooms, G5 class size, G6 small-school funding): ``undecided`` (default,
    ASSUMPTION: missing data, the item cannot be decided unless another school failed) or
    ``fail`` (the rule requires every school to be listed: the item fails and names the school).
    Workbook ids that are not schools of the county in the school table are always left out of
    the verdicts and listed in a warning.
    """

    missing_school: Literal["undecided", "fail"] = "undecided"


class VisitingTeachers(_Model):
    """Provision for ``pe_art_teachers_per_100`` (docs/rules.md §2, ASSUMPTION-grade): at rural
    small-scale schools and teaching points with at least ``min_students`` and fewer than
    ``max_students`` pupils, PE and art teachers who come by rotation (交流轮岗), part-time posts
    (兼职) or itinerant teaching (走教), column ``visiting_pe_art_teachers_P`` / ``_J``, are added
    to the section's PE/art teachers.

    size_basis: ``school`` (the school's compulsory pupils, 小学 + 初中, after any teaching-point
    merge) or ``unit`` (the section's own pupils); rural: 城乡分类代码 starting with one of
    ``rural_code_prefixes`` (2xx 乡村: 210 乡中心区, 220 村庄); ``rural_if_code_missing``: a
    school without the code counts as rural (ASSUMPTION); ``teaching_points_rural``: 小学教学点
    (218) count as rural whatever the code (ASSUMPTION: the text names teaching points).
    """

    enabled: bool = True
    min_students: int = Field(50, ge=0)
    max_students: int = Field(100, ge=1)
    size_basis: Literal["school", "unit"] = "school"
    rural_code_prefixes: list[str] = ["2"]
    rural_if_code_missing: bool = True
    teaching_points_rural: bool = True

    @model_validator(mode="after")
    def _band(self) -> "VisitingTeachers":
        if self.min_students >= self.max_students:
            raise ValueError(f"min_students（{self.min_students}）须小于 max_students（{self.max_students}）")
        return self


class ExtraSportsArea(_Model):
    """Provision for ``sports_area_per_student`` (docs/rules.md §2, ASSUMPTION-grade): schools flagged
    中心城区 (``central_urban`` = 是) add ``extra_sports_m2`` (converted spaces, rented venues
    nearby) to the sports area, split between sections like the sports ground."""

    enabled: bool = True


class Provisions(_Model):
    """The special provisions of the indicator notes (docs/rules.md §2); a missing table means the
    provision does not exist in this pack (basic-2012)."""

    visiting_pe_art_teachers: VisitingTeachers | None = None
    extra_sports_area: ExtraSportsArea | None = None


#: Provision code → the unit quantity (NUMERATORS) it adds to.
PROVISION_NUMERATORS = {"visiting_pe_art_teachers": "pe_art_teachers", "extra_sports_area": "sports_area"}


class RulePack(_Model):
    """A validated rule pack, possibly with a provincial override applied (``province``)."""

    id: str
    name: str
    short: str = ""
    document: str
    version: str
    scope: Scope
    split: Split
    dispersion: Dispersion
    unit_rule: UnitRule | None = None
    indicators: list[Indicator]
    province: str | None = None
    province_name: str | None = None
    province_document: str | None = None
    funding: Funding | None = None
    county_items: list[CountyItem] = []
    score_sheet: ScoreSheet | None = None
    school_standard: SchoolStandard | None = None
    county_workbook: CountyWorkbook = CountyWorkbook()
    provisions: Provisions = Provisions()

    @model_validator(mode="after")
    def _consistent(self) -> "RulePack":
        codes = [i.code for i in self.indicators]
        numerators = {i.numerator for i in self.indicators}
        for code, num in PROVISION_NUMERATORS.items():
            if getattr(self.provisions, code) is not None and num not in numerators:
                raise ValueError(f"provisions.{code}：本规则包没有分子为 {num} 的指标，不能使用这项特殊规定")
        if len(set(codes)) != len(codes):
            raise ValueError("indicators：指标代码（code）重复")
        ids = [i.id for i in self.county_items]
        if len(set(ids)) != len(ids):
            raise ValueError("county_items：项目编号（id）重复")
        if self.funding is None and any(i.check in FUNDING_CHECKS for i in self.county_items):
            raise ValueError("county_items：使用经费核查的项目需要 [funding] 表")
        scored = [i for i in self.county_items if i.part == "score"]
        if scored and self.score_sheet is None:
            raise ValueError("county_items：评分项目需要 [score_sheet] 表")
        if self.score_sheet is not None:
            areas = {a.id: a for a in self.score_sheet.areas}
            for i in scored:
                if i.area not in areas:
                    raise ValueError(f"county_items（{i.id}）.area：未知的评分方面 “{i.area}”")
            for a in areas.values():
                got = sum(i.points for i in scored if i.area == a.id)
                if abs(got - a.points) > 1e-9:
                    raise ValueError(f"score_sheet.areas（{a.id}）：各项分值合计 {got:g}，与该方面分值 {a.points:g} 不符")
            if abs(sum(a.points for a in areas.values()) - self.score_sheet.total) > 1e-9:
                raise ValueError("score_sheet：各方面分值合计与 total 不符")
        if self.school_standard is not None:
            unknown = [k for k in self.school_standard.minima if k not in codes]
            if unknown:
                raise ValueError(f"school_standard.minima：未知的指标 {'、'.join(unknown)}")
        if self.unit_rule is not None:
            if any(i.threshold is None for i in self.indicators):
                raise ValueError("unit_rule：使用单校标准时每项指标都须设置 threshold")
            if self.unit_rule.min_met > len(self.indicators):
                raise ValueError(f"unit_rule.min_met：{self.unit_rule.min_met} 超过指标个数 {len(self.indicators)}")
        return self

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)

    def items_of(self, part: str) -> list[CountyItem]:
        """County items of one part, in pack order."""
        return [i for i in self.county_items if i.part == part]


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read_toml(path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise RulesError(f"规则文件 {path} 格式错误：{_toml_reason(e)}") from None
    except UnicodeDecodeError:
        raise RulesError(f"规则文件 {path} 格式错误：文件不是 UTF-8 编码的文本") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise RulesError(f"规则文件 {path} 格式错误：{TOML_TOO_DEEP}") from None


#: A TOML file nested deeper than the parser can follow (``a = [[[[…]]]]`` thousands deep).
TOML_TOO_DEEP = "括号或内联表嵌套层数过多，不是正常的设置文件"


def _toml_reason(e: tomllib.TOMLDecodeError) -> str:
    """tomllib's message (English) as Chinese: the line and column it gives, the rest as a hint."""
    import re

    m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
    where = f"第 {m.group(1)} 行第 {m.group(2)} 列" if m else "某处"
    return f"{where}不符合 TOML 语法（检查引号、括号、等号和重复的键）"


#: Top-level keys of a provincial override file.
PROVINCE_KEYS = ("province", "name", "document", "packs")


def _province_problems(pdata: dict, ppath) -> list[str]:
    """Structural problems of an override file: unknown top-level keys or rule-pack ids."""
    out = []
    for k in pdata:
        if k not in PROVINCE_KEYS:
            near = difflib.get_close_matches(k, PROVINCE_KEYS, n=1, cutoff=0.6)
            out.append(f"  {k}：未知的设置项" + (f"，是否应为 {near[0]}？" if near else f"；可用：{'、'.join(PROVINCE_KEYS)}"))
    packs = pdata.get("packs", {})
    if not isinstance(packs, dict):
        out.append("  packs：应为表（[packs.\"规则包\"]）")
        return out
    for pid, over in packs.items():
        if pid not in available_packs():
            out.append(f"  packs.{pid}：未知的规则包；可用：{'、'.join(available_packs())}")
        elif not isinstance(over, dict):
            out.append(f"  packs.{pid}：应为表")
    return out


def _origin(loc: tuple, over: dict) -> bool:
    """Whether the value at loc (or the key that is wrong there) was written in the override."""
    node = over
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return False
    return True


def load_rules(pack: str = "basic-2012", province: str | None = None, *, path: str | Path | None = None) -> RulePack:
    """Load and validate a rule pack, with a provincial override if given.

    pack: a bundled id (:func:`available_packs`, e.g. ``basic-2012``, ``quality-2017``); province: a
    code of a file under ``rules/provinces`` (e.g. ``"52"``) or a path to an override TOML file;
    path: load the pack from this TOML file instead of the bundled one.
    Raises RulesError with a Chinese message naming the file and the key for an unknown pack or
    province, a TOML syntax error, an unknown key (a typo), or a value that fails validation
    (a split ratio ≤ 0, ``min_met`` above the number of indicators, ``floor_ratio`` outside (0, 1],
    an unknown numerator, …). Settings: docs/rules.md.
    """
    root = resources.files(__package__)
    src = Path(path) if path is not None else root / f"{pack}.toml"
    if not src.is_file():
        raise RulesError(f"未知的规则包 {pack!r}；可用：{', '.join(available_packs())}")
    data = _read_toml(src)
    over: dict = {}
    ppath = None
    if province is not None:
        ppath = Path(province) if str(province).endswith(".toml") else root / "provinces" / f"{province}.toml"
        if not ppath.is_file():
            raise RulesError(f"未找到省份覆盖文件 {province!r}；可用：{', '.join(available_provinces()) or '无'}")
        pdata = _read_toml(ppath)
        problems = _province_problems(pdata, ppath)
        if problems:
            raise RulesError(f"省份覆盖文件 {ppath} 校验失败：\n" + "\n".join(problems))
        over = pdata.get("packs", {}).get(data.get("id", pack), {})
        data = _merge(data, over)
        data["province"] = str(pdata.get("province", province))
        data["province_name"] = pdata.get("name")
        data["province_document"] = pdata.get("document")
    try:
        return RulePack.model_validate(data)
    except ValidationError as e:
        by_file: dict[str, list[str]] = {}
        for err in e.errors():
            loc = message_loc(err)
            # a key missing from a list item the override wrote (lists replace) is the override's
            if err.get("type") == "missing" and len(loc) > 1 and isinstance(loc[-2], int):
                loc = loc[:-1]
            name = str(ppath) if ppath is not None and loc and _origin(loc, over) else str(src)
            by_file.setdefault(name, []).append("  " + explain(err, RulePack, data))
        parts = [f"规则文件 {name} 校验失败（规则包 {data.get('id', pack)}）：\n" + "\n".join(lines)
                 for name, lines in by_file.items()]
        raise RulesError("\n".join(parts)) from None
