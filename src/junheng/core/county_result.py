"""Plain result objects of the county-level checks (no I/O; shells format them).

Verdicts are True (met), False (not met) or None (cannot be decided: data missing), everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .findings import Finding
from .funding import FundingResult

#: Chinese names of the parts, by rule pack family. Names (here, ITEM_NAMES, funding.CHECK_NAMES,
#: and the item names of the rule packs) are the official labels the results carry into the JSON;
#: every sentence is a core/findings.Finding worded in report/narrative/findings.py (issue 13).
PART_NAMES = {
    "resource": "资源配置",
    "balance": "校际均衡（差异系数）",
    "school_standard": "省定办学基本标准",
    "score": "县级人民政府推进义务教育均衡发展工作评估",
    "guarantee": "政府保障程度",
    "quality": "教育质量",
    "recognition": "社会认可度",
    "satisfaction": "公众满意度",
    "veto": "一票否决",
    "funding": "经费保障（三个增长、两个只增不减、基准定额）",
}
#: Chinese names of the items the core makes itself (the others are named by the rule pack).
ITEM_NAMES = {
    "cv_primary": "小学校际差异系数",
    "cv_junior": "初中校际差异系数",
    "units": "每所学校资源配置指标达标",
    "school_standard": "所有学校达到省定办学基本标准",
    "total": "评分合计",
}
#: The id of the score-sheet total among the failures (the JSON ``failures[].id``).
TOTAL_ID = "总分"


def combine(verdicts) -> bool | None:
    """False if any is False; None if any is None (or there are none); else True."""
    vs = list(verdicts)
    if any(v is False for v in vs):
        return False
    return None if not vs or any(v is None for v in vs) else True


@dataclass(frozen=True)
class ItemResult:
    """One item of a part.

    id / name / kind / source_status: from the rule pack (source_status CONFIRMED | UNCERTAIN |
    ASSUMPTION | EXAMPLE); passed: the item's verdict; detail: the finding with the measured
    value and the criterion (None for 定性 items); failures: what failed, one finding each (a
    class, a school, a year …; all of them); answer: the 定性 status (met | not_met | na) or None when not answered; evidence:
    佐证材料; value: the main measured number if any (percent for rates); points / score: for
    score-sheet items, the item's points and the points earned (None when undecided); check: the
    rule pack's check code (``class_size`` …, "" for 定性 items); facts / rows: the check's numbers
    and one dict per failing class / school / year, all of them (county_checks.Outcome). The
    core words nothing: report/narrative/findings.py says detail, failures and notes, and
    report/narrative/items.py words the item for the documents (the 定性 answer and evidence are
    not repeated in detail).
    """

    id: str
    part: str
    name: str
    kind: str
    source_status: str
    passed: bool | None
    detail: Finding | None = None
    failures: tuple[Finding, ...] = ()
    answer: str | None = None
    evidence: str = ""
    value: float | None = None
    points: float | None = None
    score: float | None = None
    notes: tuple[Finding, ...] = ()
    check: str = ""
    facts: dict = field(default_factory=dict)
    rows: tuple[dict, ...] = ()


@dataclass(frozen=True)
class PartResult:
    """One part (资源配置, 政府保障程度 …): its items and verdict.

    in_verdict: False for informational parts (e.g. the money checks under quality-2017).
    """

    code: str
    name: str
    passed: bool | None
    items: tuple[ItemResult, ...]
    in_verdict: bool = True
    notes: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Failure:
    """A failing item, named for the verdict: part code and name, item id and name, the reason
    (a ``failure.reason`` finding: the first failures or the detail, whether the part is only
    informational, the points earned; or ``score.total_below``), whether it is a one-veto
    (一票否决) item, and whether it counts in the verdict by itself (:func:`counts_in_verdict`,
    the one place that decides it). report/narrative/findings.failure_line words it."""

    part: str
    part_name: str
    id: str
    name: str
    reason: Finding
    veto: bool = False
    counted: bool = True


def counts_in_verdict(part: PartResult, item_id: str) -> bool:
    """Whether a failing item of ``part`` makes the county verdict fail by itself: only items of
    parts that enter the verdict (``in_verdict``), and of the score sheet (basic-2012) only its
    total (``TOTAL_ID``): an item scoring below its points loses points (失分) but the sheet is
    decided by the total against the pass score. Informational parts (the money checks under
    basic-2012) never count. The documents say “未达到要求” only of counted failures."""
    if not part.in_verdict:
        return False
    return part.code != "score" or item_id == TOTAL_ID


@dataclass(frozen=True)
class AreaScore:
    """One area of the score sheet: id, name, points, score earned (known items only) and
    undecided points (items without data)."""

    id: str
    name: str
    points: float
    score: float
    undecided: float


@dataclass(frozen=True)
class ScoreResult:
    """The county-government score sheet: score (known items), max_possible (score + points of
    undecided items), total, pass_score, passed (True when score ≥ pass_score, False when even
    max_possible < pass_score, else None), areas, and whether the sheet is an EXAMPLE."""

    name: str
    score: float
    max_possible: float
    total: float
    pass_score: float
    passed: bool | None
    areas: tuple[AreaScore, ...]
    example: bool = True


@dataclass(frozen=True)
class CountyChecks:
    """All county-level checks of one county under one rule pack.

    rules: pack id; county_key/code/name: the county of the assessment; verdict: the full verdict
    combining every part with ``in_verdict`` (True / False / None); parts: by code, in display
    order; funding: the yearly money checks; score: the score sheet (basic-2012) or None;
    failures: every failing item (every part, informational ones included, ``in_verdict`` parts
    first); notes: findings (data missing, county mismatch …); profile: the county's
    description from the county workbook (``CountyData.profile``: codes and numbers, for the
    report's 基本情况).
    """

    rules: str
    county_key: str
    county_code: str | None
    county: str | None
    verdict: bool | None
    parts: dict[str, PartResult]
    funding: FundingResult | None = None
    score: ScoreResult | None = None
    failures: tuple[Failure, ...] = ()
    notes: tuple[Finding, ...] = field(default_factory=tuple)
    profile: dict[str, float] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        """True only when the county passed every part."""
        return self.verdict is True
