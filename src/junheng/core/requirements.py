"""Which school-table columns a rule pack needs, so a file lacking one is refused before computing.

A missing column would silently become 0 and make a CV undefined (or wrong); the shells call
:func:`missing_fields` with the codes the importer found and refuse the file instead.
"""
from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from ..rules.loader import RulePack
from ..schema import FIELD_BY_CODE, Field

#: School-table columns behind each indicator numerator (per-section ones end in ``_{s}``).
NUMERATOR_FIELDS: dict[str, tuple[str, ...]] = {
    "teaching_area": ("teaching_area_m2",),
    "sports_area": ("sports_ground_m2",),
    "equipment_value_yuan": ("equipment_value_yuan",),
    "teaching_computers": ("teaching_computers",),
    "books": ("books",),
    "multimedia_rooms": ("multimedia_rooms",),
    "teachers": ("teachers_{s}",),
    "qualified_teachers": ("qualified_teachers_{s}",),
    "senior_title_teachers": ("senior_title_teachers_{s}",),
    "backbone_teachers": ("backbone_teachers_{s}",),
    "pe_art_teachers": ("pe_art_teachers_{s}",),
}


def needed_fields(rules: RulePack, sections: Iterable[str] = ("P", "J")) -> list[Field]:
    """The fields the indicators of ``rules`` read, for the given sections (P primary, J junior).

    Returns schema Fields in rule-pack order, without duplicates.
    """
    out: dict[str, Field] = {}
    for ind in rules.indicators:
        for code in NUMERATOR_FIELDS[ind.numerator]:
            for s in sections if "{s}" in code else ("",):
                c = code.format(s=s)
                out.setdefault(c, FIELD_BY_CODE[c])
    return list(out.values())


def missing_fields(present: Iterable[str], table: pl.DataFrame, rules: RulePack) -> list[Field]:
    """Fields that ``rules`` needs and the file lacks, for the sections that have pupils in ``table``.

    present: canonical codes of the columns found in the file (``LoadResult.present``);
    table: the canonical school table. Returns the missing Fields (empty when all are there).
    """
    have = set(present)
    sections = [s for s in ("P", "J") if f"students_{s}" in table.columns and (table[f"students_{s}"].fill_null(0) > 0).any()]
    return [f for f in needed_fields(rules, sections) if f.code not in have]
