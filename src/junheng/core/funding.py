"""County money checks, year by year (pure): 三个增长, 两个只增不减, 生均公用经费基准定额.

Sources: 《教育法》第五十五条 (三个增长), 《义务教育法》第四十二条 (the same for compulsory
education), the 两个只增不减 of the 2018 State Council opinion (document number UNCERTAIN,
国办发〔2018〕82号 from recollection), 国发〔2015〕67号 (base amounts from 2016); docs/rules.md §6. All numbers come from the rule pack's ``[funding]`` table.

Growth g(x, t) = (x_t − x_{t−1}) / x_{t−1}, a fraction (0.5615 for +56.15 %). Margins are in
percentage points: (g_a − g_r) × 100. Everything is computed and compared in full precision;
rounding to 2 decimals (half-up, on the shortest decimal form of the value, ``fmt.round_half_up``)
is for display only and never feeds a comparison.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from ..rules.loader import Funding
from .findings import Finding, finding

#: Chinese names of the checks, in display order.
CHECK_NAMES: dict[str, str] = {
    "appropriation_vs_revenue": "教育财政拨款增长高于财政经常性收入增长",
    "per_pupil_spending_rises": "生均教育财政拨款逐年增长",
    "teacher_pay_rises": "教师工资逐年增长",
    "operating_P_rises": "小学生均公用经费逐年增长",
    "operating_J_rises": "初中生均公用经费逐年增长",
    "budget_not_falling": "一般公共预算教育支出只增不减",
    "budget_per_pupil_not_falling": "按在校生人数平均的一般公共预算教育支出只增不减",
    "operating_base_P": "小学生均公用经费不低于基准定额",
    "operating_base_J": "初中生均公用经费不低于基准定额",
}
#: Which checks belong to which group.
GROUPS: dict[str, tuple[str, ...]] = {
    "三个增长": ("appropriation_vs_revenue", "per_pupil_spending_rises", "teacher_pay_rises",
                 "operating_P_rises", "operating_J_rises"),
    "两个只增不减": ("budget_not_falling", "budget_per_pupil_not_falling"),
    "生均公用经费基准定额": ("operating_base_P", "operating_base_J"),
}
#: Finance columns each check reads (a column the 经费 sheet lacks is named in the check's notes).
NEEDS: dict[str, tuple[str, ...]] = {
    "appropriation_vs_revenue": ("appropriation_wan", "regular_revenue_wan"),
    "per_pupil_spending_rises": ("appropriation_wan", "students"),
    "teacher_pay_rises": ("teacher_pay_yuan",),
    "operating_P_rises": ("operating_per_pupil_P_yuan",),
    "operating_J_rises": ("operating_per_pupil_J_yuan",),
    "budget_not_falling": ("budget_edu_wan",),
    "budget_per_pupil_not_falling": ("budget_edu_wan", "students"),
    "operating_base_P": ("operating_per_pupil_P_yuan",),
    "operating_base_J": ("operating_per_pupil_J_yuan",),
}
#: Checks comparing a year with the year before (they need at least two years).
GROWTH_CHECKS = GROUPS["三个增长"] + GROUPS["两个只增不减"]


def growth(current: float | None, previous: float | None) -> float | None:
    """g = (current − previous) / previous as a fraction; None when either is missing or previous is 0.

    References
    ----------
    《教育法》第五十五条, 《义务教育法》第四十二条 (growth of appropriations); docs/rules.md §6.
    """
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


@dataclass(frozen=True, slots=True)
class YearRow:
    """One year of one check.

    value / previous: the compared quantity this year and the year before (its unit: 万元, 元,
    元/生); growth: g of value (fraction) or None; reference: the growth it must exceed
    (财政经常性收入, fraction) or the minimum it must reach (base amount, 元); margin: by how much
    it passed (+) or failed (−): percentage points for growth comparisons, 元 for levels;
    passed: None when a value is missing.
    """

    year: int
    value: float | None
    previous: float | None
    growth: float | None
    reference: float | None
    margin: float | None
    passed: bool | None


@dataclass(frozen=True)
class FundingCheck:
    """One check over the years: code, Chinese name (:data:`CHECK_NAMES`), the rule's
    parameters (``strict``: growth must exceed, not equal; base checks: ``base_from_year``,
    ``boarder_extra``, ``base`` — the region's standard in 元 per pupil before the boarders'
    supplement, None without a region; report/narrative/findings.rule_text words the rule), rows, verdict.

    passed: False if any year failed; None if no year could be judged (data missing) and none
    failed; True otherwise. ``unit`` is the unit of ``YearRow.margin``: ``pp`` (percentage
    points) or ``yuan`` (元).
    """

    code: str
    name: str
    params: dict
    unit: str
    rows: tuple[YearRow, ...]
    passed: bool | None
    notes: tuple[Finding, ...] = ()

    def failed_years(self) -> list[int]:
        """Years whose comparison failed."""
        return [r.year for r in self.rows if r.passed is False]


@dataclass(frozen=True)
class FundingResult:
    """All money checks of one county: ``checks`` by code (see :data:`CHECK_NAMES`), the region
    used for the base amounts, and notes (findings) on what could not be checked."""

    checks: dict[str, FundingCheck]
    region: str | None
    years: tuple[int, ...]
    notes: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool | None:
        """False if any check failed; None if any could not be decided; else True."""
        verdicts = [c.passed for c in self.checks.values()]
        if any(v is False for v in verdicts):
            return False
        return None if not verdicts or any(v is None for v in verdicts) else True


def _column(df: pl.DataFrame, name: str) -> list[float | None]:
    return df[name].cast(pl.Float64).to_list() if name in df.columns else [None] * df.height


def _verdict(rows: list[YearRow]) -> bool | None:
    if any(r.passed is False for r in rows):
        return False
    return None if not rows or any(r.passed is None for r in rows) else True


def _rises(years: list[int], x: list[float | None], strict: bool, *, pp: bool) -> list[YearRow]:
    """Year-on-year rise (strict or ≥) of a series; margin = growth in percentage points when
    ``pp`` else the absolute change."""
    rows = []
    for k in range(1, len(years)):
        cur, prev = x[k], x[k - 1]
        g = growth(cur, prev)
        if cur is None or prev is None:
            rows.append(YearRow(years[k], cur, prev, g, None, None, None))
            continue
        ok = cur > prev if strict else cur >= prev
        margin = g * 100 if pp and g is not None else cur - prev
        rows.append(YearRow(years[k], cur, prev, g, None, margin, ok))
    return rows


def _per_pupil(money_wan: list[float | None], students: list[float | None]) -> list[float | None]:
    return [None if m is None or not s else m * 10_000 / s for m, s in zip(money_wan, students)]


def appropriation_vs_revenue(years: list[int], appropriation: list[float | None],
                             revenue: list[float | None], strict: bool = True) -> list[YearRow]:
    """三个增长 (1): g(appropriation, t) > g(regular revenue, t) for every consecutive pair of years.

    years: consecutive years, ascending; appropriation / revenue: 万元 per year (None = missing).
    Each YearRow carries the appropriation (value, previous), its growth, the revenue growth as
    ``reference`` and the margin (g_a − g_r) × 100 in percentage points. strict=False allows
    equal growth.

    References
    ----------
    《义务教育法》第四十二条, 《教育法》第五十五条 (三个增长); docs/rules.md §6 (worked county example).
    """
    rows = []
    for k in range(1, len(years)):
        ga = growth(appropriation[k], appropriation[k - 1])
        gr = growth(revenue[k], revenue[k - 1])
        if ga is None or gr is None:
            rows.append(YearRow(years[k], appropriation[k], appropriation[k - 1], ga, gr, None, None))
            continue
        margin = (ga - gr) * 100
        rows.append(YearRow(years[k], appropriation[k], appropriation[k - 1], ga, gr, margin,
                            ga > gr if strict else ga >= gr))
    return rows


def base_amount(funding: Funding, region: str, level: str, students: float | None = None,
                boarders: float | None = None) -> float:
    """Required 生均公用经费 in 元 per pupil: base(region, level) + boarder_extra × boarders / students.

    ASSUMPTION: the county's boarders are spread evenly over its pupils, so the county average
    requirement rises by ``boarder_extra`` × boarder share. Raises KeyError for an unknown region.

    References
    ----------
    国发〔2015〕67号 (base amounts from 2016, 200 元 per boarder); docs/rules.md §6.
    """
    base = funding.base[region].get(level)
    if boarders and students:
        base += funding.boarder_extra * boarders / students
    return base


def _base_rows(years: list[int], values: list[float | None], funding: Funding, region: str | None,
               level: str, students: list[float | None], boarders: list[float | None]) -> list[YearRow]:
    rows = []
    for k, year in enumerate(years):
        if year < funding.base_from_year:
            continue
        v = values[k]
        if v is None or region is None:
            rows.append(YearRow(year, v, None, None, None, None, None))
            continue
        need = base_amount(funding, region, level, students[k], boarders[k])
        rows.append(YearRow(year, v, None, None, need, v - need, v >= need))
    return rows


def funding_checks(finance: pl.DataFrame, funding: Funding, region: str | None = None) -> FundingResult:
    """Every money check of docs/rules.md §6 on a county's yearly finance series.

    finance: one row per year, ascending and consecutive (the importer guarantees it), columns as
    ``core.county_data.FINANCE_COLUMNS`` (missing columns make their checks undecided);
    funding: the rule pack's ``[funding]``; region: east | central | west for the base amounts.
    Growth checks compare each year with the one before (strict ">" when
    ``funding.growth_strict``); 只增不减 allow equality; base-amount checks run from
    ``funding.base_from_year``. Raises ValueError if the years are not ascending and consecutive.

    References
    ----------
    《教育法》第五十五条, 《义务教育法》第四十二条 (三个增长); 两个只增不减: 2018 State Council
    opinion, document number unverified (国办发〔2018〕82号 from recollection); 国发〔2015〕67号
    (base amounts); docs/rules.md §6.
    """
    years = [int(y) for y in finance["year"].to_list()] if "year" in finance.columns else []
    if any(b - a != 1 for a, b in zip(years, years[1:])):
        raise ValueError(f"finance years must be ascending and consecutive, got {years}")
    app = _column(finance, "appropriation_wan")
    rev = _column(finance, "regular_revenue_wan")
    budget = _column(finance, "budget_edu_wan")
    students = _column(finance, "students")
    boarders = _column(finance, "boarders")
    strict = funding.growth_strict
    growth_params = {"strict": strict}
    rules = {
        "appropriation_vs_revenue": (growth_params, "pp", appropriation_vs_revenue(years, app, rev, strict)),
        "per_pupil_spending_rises": (growth_params, "pp", _rises(years, _per_pupil(app, students), strict, pp=True)),
        "teacher_pay_rises": (growth_params, "pp", _rises(years, _column(finance, "teacher_pay_yuan"), strict, pp=True)),
        "operating_P_rises": (growth_params, "pp",
                              _rises(years, _column(finance, "operating_per_pupil_P_yuan"), strict, pp=True)),
        "operating_J_rises": (growth_params, "pp",
                              _rises(years, _column(finance, "operating_per_pupil_J_yuan"), strict, pp=True)),
        "budget_not_falling": ({"strict": False}, "pp", _rises(years, budget, False, pp=True)),
        "budget_per_pupil_not_falling": ({"strict": False}, "pp",
                                         _rises(years, _per_pupil(budget, students), False, pp=True)),
    }
    for level, suffix in (("primary", "P"), ("junior", "J")):
        vals = _column(finance, f"operating_per_pupil_{suffix}_yuan")
        base_params = {"base_from_year": funding.base_from_year, "boarder_extra": funding.boarder_extra,
                       "base": funding.base.get(region or "", {}).get(level)}  # the standard, before boarders
        rules[f"operating_base_{suffix}"] = (base_params, "yuan",
                                             _base_rows(years, vals, funding, region, level, students, boarders))
    notes = []
    few = None
    if len(years) < 2:
        few = finding("finance.too_few_years", years=years)
        notes.append(few)
    if region is None:
        notes.append(finding("finance.no_region"))
    checks = {}
    for code, (params, unit, rows) in rules.items():
        cnotes = list(column_notes(finance, NEEDS[code]))
        if few and code in GROWTH_CHECKS:
            cnotes.append(few)
        if region is None and code.startswith("operating_base") and rows:
            cnotes.append(finding("finance.no_region_base"))
        missing = [r.year for r in rows if r.passed is None]
        if missing and not cnotes:
            cnotes.append(finding("finance.years_incomplete", years=missing))
        checks[code] = FundingCheck(code, CHECK_NAMES[code], dict(params), unit, tuple(rows), _verdict(rows),
                                    tuple(cnotes))
    return FundingResult(checks, region, tuple(years), tuple(notes))


def column_notes(finance: pl.DataFrame, columns: tuple[str, ...]) -> list[Finding]:
    """Findings on the finance columns a check needs that are absent (``finance.columns_absent``:
    经费表缺少“…”列) or have no value in any year (``finance.columns_empty``); empty when all are
    there. ``columns``: canonical names (core.county_data.FINANCE_COLUMNS)."""
    out = []
    absent = [c for c in columns if c not in finance.columns]
    if absent:
        out.append(finding("finance.columns_absent", columns=absent))
    empty = [c for c in columns if c in finance.columns and finance.height and finance[c].null_count() == finance.height]
    if empty:
        out.append(finding("finance.columns_empty", columns=empty))
    return out
