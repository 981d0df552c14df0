"""Optional raw teacher breakdowns and the counts derived from them.

Files exported from the statistics often give, per section, the full-time teachers by highest
qualification (研究生 / 本科 / 专科 / 高中及以下) and by professional title (正高级 / 高级 / 一级 /
二级 / 三级 / 未定职级, or the pre-2015 names 中学高级 / 中学一级 / 小学高级). From them:

* ``qualified_teachers_P`` = 研究生 + 本科 + 专科 (primary: 专科 or higher);
  ``qualified_teachers_J`` = 研究生 + 本科 (junior: 本科 or higher);
* ``senior_title_teachers_X`` = 正高级 + 高级 + 一级 (+ 中学高级 + 中学一级 + 小学高级, the old
  names of titles at 中级 or above).

A derived column is filled from the breakdown when the file lacks it; when the file has both and
they disagree, the import fails (``breakdown_mismatch``). A null breakdown cell counts as 0 unless
the whole breakdown of that row is empty.
"""
from __future__ import annotations

import polars as pl

from junheng.schema import Field

_PREFIX = {"P": "小学", "J": "初中"}

#: (code stem, Chinese name, extra synonyms without section) of the qualification breakdown.
QUALIFICATIONS = (
    ("edu_postgraduate", "研究生", ("研究生毕业", "研究生学历")),
    ("edu_bachelor", "本科", ("本科毕业", "本科学历")),
    ("edu_associate", "专科", ("专科毕业", "专科学历", "大专")),
    ("edu_highschool_or_below", "高中及以下", ("高中阶段及以下", "高中及以下学历", "高中阶段毕业及以下")),
)
#: (code stem, Chinese name, extra synonyms) of the title breakdown, new (2015) and old names.
TITLES = (
    ("title_full_senior", "正高级", ("正高级教师",)),
    ("title_senior", "高级", ("高级教师",)),
    ("title_first", "一级", ("一级教师",)),
    ("title_second", "二级", ("二级教师",)),
    ("title_third", "三级", ("三级教师",)),
    ("title_none", "未定职级", ("未定职级教师", "未评职称")),
    ("title_old_ms_senior", "中学高级", ("中学高级教师",)),
    ("title_old_ms_first", "中学一级", ("中学一级教师",)),
    ("title_old_ps_senior", "小学高级", ("小学高级教师",)),
)

#: Which breakdown stems add up to each derived count, per section (all must be in the file).
DERIVED = {
    "qualified_teachers": {
        "P": ("edu_postgraduate", "edu_bachelor", "edu_associate"),
        "J": ("edu_postgraduate", "edu_bachelor"),
    },
    "senior_title_teachers": {
        "P": ("title_full_senior", "title_senior", "title_first"),
        "J": ("title_full_senior", "title_senior", "title_first"),
    },
}
#: Added to the senior-title sum when present (old title names at 中级 or above).
OPTIONAL_SENIOR_TITLES = ("title_old_ms_senior", "title_old_ms_first", "title_old_ps_senior")


def _fields() -> list[Field]:
    out = []
    for s, pre in _PREFIX.items():
        for stem, name, syns in QUALIFICATIONS:
            alts = [f"{pre}{n}" for n in (name, *syns)]
            alts += [f"{pre}专任教师{name}", f"{pre}{name}学历专任教师", f"{pre}{name}学历教师数",
                     f"{pre}{name}毕业专任教师数"]
            out.append(Field(f"{stem}_{s}", f"{pre}{name}学历专任教师数", "int", "人", tuple(alts),
                             section=s, group="breakdown"))
        for stem, name, syns in TITLES:
            alts = [f"{pre}{n}" for n in (name, *syns)]
            alts += [f"{pre}专任教师{name}", f"{pre}{name}职称", f"{pre}{name}教师数"]
            out.append(Field(f"{stem}_{s}", f"{pre}{name}职称专任教师数", "int", "人", tuple(alts),
                             section=s, group="breakdown"))
    return out


#: The breakdown columns, matched by the importer like the fields of ``schema.FIELDS``.
BREAKDOWN_FIELDS: tuple[Field, ...] = tuple(_fields())


def sum_or_null(cols: list[str]) -> pl.Expr:
    """Row sum of ``cols`` with null as 0, null when every one is null."""
    return (pl.when(pl.any_horizontal(pl.col(c).is_not_null() for c in cols))
            .then(pl.sum_horizontal(pl.col(c).fill_null(0) for c in cols)))


def derivations(present: set[str]) -> list[tuple[str, list[str], pl.Expr]]:
    """Derived counts computable from the breakdown columns in ``present``.

    Returns ``(target code, source codes, expression)`` for each target whose required
    breakdown columns are all present; the expression is the row sum (Int64, null when the
    sources are all null).
    """
    out = []
    for target, by_section in DERIVED.items():
        for s, stems in by_section.items():
            sources = [f"{stem}_{s}" for stem in stems]
            if not all(c in present for c in sources):
                continue
            if target == "senior_title_teachers":
                sources += [f"{stem}_{s}" for stem in OPTIONAL_SENIOR_TITLES if f"{stem}_{s}" in present]
            out.append((f"{target}_{s}", sources, sum_or_null(sources)))
    return out
