"""What one workbook covers: an Assessment and the counties written (one for ``report``, all of
them for ``assess -o x.xlsx``), the input file's name and the 填报单位."""
from __future__ import annotations

from dataclasses import dataclass

from ...core.result import Assessment, CountyResult
from ..narrative.common import county_name
from .book import bureau_of


@dataclass(frozen=True)
class Scope:
    """a: the Assessment; counties: the counties written, in order; source: the input file name
    (shown under titles); bureau: the 填报单位 (None: each county's education bureau, see
    book.bureau_of); full: the county-level checks are in the workbook too; fills: {county_key:
    plan/fill.Fill}, the 补足资源测算 (None: not measured, no school table)."""

    a: Assessment
    counties: tuple[CountyResult, ...]
    source: str | None = None
    bureau: str | None = None
    full: bool = False
    fills: dict | None = None

    @property
    def many(self) -> bool:
        """Several counties: list sheets get leading 县区代码 / 县区 columns."""
        return len(self.counties) > 1

    def lead_head(self) -> list[str]:
        return ["县区代码", "县区"] if self.many else []

    def lead(self, c: CountyResult) -> list[str]:
        return [c.county_code or "", c.county or ""] if self.many else []

    def bureau_for(self, c: CountyResult) -> str:
        """The 填报单位 of one county's block."""
        return self.bureau or bureau_of(county_name(c))

    def sheet_bureau(self) -> str | None:
        """The 填报单位 of a sheet listing every county (blank to fill in when several)."""
        return self.bureau or (None if self.many else self.bureau_for(self.counties[0]))

    def who(self) -> str:
        """Title prefix: the county's name, or “N个县（区）”."""
        return f"{len(self.counties)}个县（区）" if self.many else county_name(self.counties[0])
