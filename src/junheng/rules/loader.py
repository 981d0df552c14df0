"""Rule packs: the numbers of the evaluation method as validated data.

A rule pack is a TOML file under ``junheng/rules`` (``basic-2012.toml``, ``quality-2017.toml``);
a provincial override is ``junheng/rules/provinces/<code>.toml`` whose ``[packs."<id>"]`` tables are
merged over the national pack (tables key by key, everything else replaced). Sources:
教督〔2012〕3号 and 教督〔2017〕6号 as summarised in ``shared/spec/RULES.md``.
"""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import RulesError

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
    """Which schools enter the calculation (RULES.md §1 scope, §2 scope).

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
    """Weighted-enrolment ratios for 九年一贯制 / 完全中学 / 十二年一贯制 (RULES.md §3)."""

    nine_year: dict[Literal["P", "J"], float]
    complete: dict[Literal["J", "S"], float]
    twelve_year: dict[Literal["P", "J", "S"], float]
    resources: list[str]
    indoor_sports_in_sports_area: bool = True

    @model_validator(mode="after")
    def _positive(self) -> "Split":
        for name in ("nine_year", "complete", "twelve_year"):
            if any(v <= 0 for v in getattr(self, name).values()):
                raise ValueError(f"split.{name}: ratios must be positive")
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
            raise ValueError("dispersion.test = composite needs composite_threshold")
        if self.test == "each" and self.cv_threshold is None:
            raise ValueError("dispersion.test = each needs cv_threshold")
        return self


class UnitRule(_Model):
    """Per-unit rule: at least ``min_met`` thresholds met, unmet ones ≥ floor_ratio × threshold."""

    min_met: int = Field(ge=0)
    floor_ratio: float = Field(0.0, ge=0, le=1)


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
            raise ValueError(f"unknown numerator {self.numerator!r}; one of {', '.join(NUMERATORS)}")
        return self


class RulePack(_Model):
    """A validated rule pack, possibly with a provincial override applied (``province``)."""

    id: str
    name: str
    document: str
    version: str
    scope: Scope
    split: Split
    dispersion: Dispersion
    unit_rule: UnitRule | None = None
    indicators: list[Indicator]
    province: str | None = None
    province_name: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "RulePack":
        codes = [i.code for i in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError("indicator codes must be unique")
        if self.unit_rule is not None:
            if any(i.threshold is None for i in self.indicators):
                raise ValueError("unit_rule needs a threshold on every indicator")
            if self.unit_rule.min_met > len(self.indicators):
                raise ValueError("unit_rule.min_met exceeds the number of indicators")
        return self

    def indicator(self, code: str) -> Indicator:
        for i in self.indicators:
            if i.code == code:
                return i
        raise KeyError(code)


def available_packs() -> list[str]:
    """Ids of the bundled national rule packs (file stems)."""
    return sorted(p.name[:-5] for p in resources.files(__package__).iterdir() if p.name.endswith(".toml"))


def available_provinces() -> list[str]:
    """Codes of the bundled provincial override files."""
    d = resources.files(__package__) / "provinces"
    return sorted(p.name[:-5] for p in d.iterdir() if p.name.endswith(".toml"))


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
        raise RulesError(f"规则文件 {path} 格式错误：{e}") from None


def load_rules(pack: str = "basic-2012", province: str | None = None, *, path: str | Path | None = None) -> RulePack:
    """Load and validate a rule pack, with a provincial override if given.

    pack: ``basic-2012`` or ``quality-2017`` (or another bundled id); province: a code of a file
    under ``rules/provinces`` (e.g. ``"52"``) or a path to an override TOML file; path: load the
    pack from this TOML file instead of the bundled one.
    Raises RulesError (Chinese message) for an unknown pack or province, a TOML syntax error, or a
    value that fails validation.
    """
    root = resources.files(__package__)
    src = Path(path) if path is not None else root / f"{pack}.toml"
    if not src.is_file():
        raise RulesError(f"未知的规则包 {pack!r}；可用：{', '.join(available_packs())}")
    data = _read_toml(src)
    if province is not None:
        ppath = Path(province) if str(province).endswith(".toml") else root / "provinces" / f"{province}.toml"
        if not ppath.is_file():
            raise RulesError(f"未找到省份覆盖文件 {province!r}；可用：{', '.join(available_provinces()) or '无'}")
        pdata = _read_toml(ppath)
        over = pdata.get("packs", {}).get(data.get("id", pack), {})
        data = _merge(data, over)
        data["province"] = str(pdata.get("province", province))
        data["province_name"] = pdata.get("name")
    try:
        return RulePack.model_validate(data)
    except ValidationError as e:
        lines = [f"  {'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors()]
        raise RulesError(f"规则包 {pack} 校验失败：\n" + "\n".join(lines)) from None
