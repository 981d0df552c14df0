"""Plain result objects of an assessment (no I/O; shells format them)."""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..rules.loader import RulePack
from .findings import Finding


@dataclass(slots=True)
class IndicatorStat:
    """County statistics of one indicator in one level.

    mean: enrolment-weighted mean X̄ (indicator unit); sd: weighted SD S; cv: S / X̄, None when
    X̄ = 0 (undefined); threshold / passed: the CV test under rule packs that test every indicator
    (``dispersion.test = each``), None otherwise. All values unrounded.
    """

    code: str
    name: str
    unit: str
    mean: float
    sd: float
    cv: float | None
    threshold: float | None
    passed: bool | None


@dataclass(slots=True)
class LevelResult:
    """Result of one level (primary | junior) of one county.

    units: number of units; students: their pupils; composite_cv: mean of the CVs (the official
    综合差异系数 under basic-2012, informational under quality-2017), None if a CV is undefined;
    passed: the dispersion test of this level alone, None when it cannot be decided (undefined CV).
    """

    level: str
    units: int
    students: int
    indicators: dict[str, IndicatorStat]
    composite_cv: float | None
    composite_threshold: float | None
    passed: bool | None
    notes: tuple[Finding, ...] = ()      # assess.mean_zero (report/narrative/findings.py words it)


@dataclass(frozen=True)
class CountyResult:
    """Result for one county: its levels and the overall verdict.

    verdict combines the levels' dispersion tests and, where the rule pack has a unit rule
    (quality-2017), every unit passing: True, False, or None when it cannot be decided (an undefined
    CV and nothing else failing, or no units at all). passed is ``verdict is True``.
    units_failed counts the units failing the unit rule.
    """

    county_key: str
    county_code: str | None
    county: str | None
    verdict: bool | None
    levels: dict[str, LevelResult]
    units_failed: int = 0
    notes: tuple[Finding, ...] = ()      # assess.no_units, assess.cv_undefined

    @property
    def passed(self) -> bool:
        """True only when the county passed; False when it failed or could not be decided."""
        return self.verdict is True


@dataclass
class Assessment:
    """Everything the assessment computed, for every county in the table.

    units: one row per unit (county_key, school_id, name, level, students, share, one column per
    indicator code, ``contrib_<code>`` = the unit's share of that indicator's variance in its level,
    and under a unit rule ``meets_<code>``, ``met_count`` and ``passed``);
    excluded: school_id, name, county_key, school_type, reason (a code, core.units.REASON_CODES),
    reason_detail (the 隶属关系 or parent id the reason names, else null).
    """

    rules: RulePack
    counties: list[CountyResult]
    units: pl.DataFrame
    excluded: pl.DataFrame
    year: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every county passed."""
        return all(c.passed for c in self.counties)

    def units_of(self, county_key: str) -> pl.DataFrame:
        """Unit rows of one county (see ``units``)."""
        return self.units.filter(pl.col("county_key") == county_key)

    def excluded_of(self, county_key: str) -> pl.DataFrame:
        """Excluded schools of one county with their reasons."""
        return self.excluded.filter(pl.col("county_key") == county_key)
