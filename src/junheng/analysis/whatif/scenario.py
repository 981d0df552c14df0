"""The scenario file of ``junheng whatif``: layout changes as validated data (TOML), like the rule packs.

Format (docs/whatif.md)::

    name = "撤并农村初中部"                  # optional title
    [settings]                              # optional; defaults from the rule pack, else SIZE_DEFAULTS
    school_size_single = 2000               # 小学、初中 at most this many compulsory pupils
    school_size_combined = 2500             # 九年一贯制、十二年一贯制
    [[open]]     school_id, name, school_type, like = "<school in the same county>", township, urban_rural_code,
                 longitude, latitude, [open.values] { <numeric column code> = number }
    [[merge]]    schools = [...], into = "..."           (optional classes_P / classes_J: the new class count)
    [[close_point]] school = "<小学教学点>", into = "..."   (same options)
    [[move_section]] section = "初中" | "小学", schools = [...], into = "...", move_resources = false

Changes are applied in this order: open, merge, close_point, move_section (so a new school can
receive sections). Every problem is an :class:`junheng.errors.InputError` whose issues name the
file, the line and the key in Chinese; nothing is computed when one is found. Pure apart from
reading the file named.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ...errors import InputError, Issue
from ...plan.costs import _read, locate
from ...rules.messages import explain, key_path
from ...schema import FIELDS, LATITUDE_RANGE, LONGITUDE_RANGE, SCHOOL_TYPES

LABEL = "情景文件"
#: Section names accepted in ``move_section.section`` → schema section letter.
SECTIONS = {"小学": "P", "初中": "J", "P": "P", "J": "J", "primary": "P", "junior": "J"}
#: Numeric columns a new school may be given in ``[open.values]`` (not the position: own keys).
VALUE_CODES = tuple(f.code for f in FIELDS if f.kind in ("int", "float") and f.code not in ("longitude", "latitude"))
#: Default settings when neither the scenario nor the rule pack says (教督〔2017〕6号 G4, G5;
#: 大班额 56 and 超大班额 66: 教育部 the national definitions of oversized classes).
SIZE_DEFAULTS = {"school_size_single": 2000.0, "school_size_combined": 2500.0,
                 "class_size_primary": 45.0, "class_size_junior": 50.0,
                 "large_class": 56.0, "huge_class": 66.0}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_Id = Field(min_length=1)


class Settings(_Model):
    """Thresholds of the size warnings (None: the rule pack's G4 / G5 params, else SIZE_DEFAULTS)."""

    school_size_single: float | None = Field(None, gt=0, allow_inf_nan=False)
    school_size_combined: float | None = Field(None, gt=0, allow_inf_nan=False)
    class_size_primary: float | None = Field(None, gt=0, allow_inf_nan=False)
    class_size_junior: float | None = Field(None, gt=0, allow_inf_nan=False)
    large_class: float | None = Field(None, gt=0, allow_inf_nan=False)
    huge_class: float | None = Field(None, gt=0, allow_inf_nan=False)


class _Receiving(_Model):
    into: str = _Id
    classes_P: int | None = Field(None, ge=0)
    classes_J: int | None = Field(None, ge=0)


class Merge(_Receiving):
    """Schools closed into ``into``: all their pupils, teachers and resources move there."""

    schools: list[str] = Field(min_length=1)


class ClosePoint(_Receiving):
    """A 小学教学点 (218) closed into ``into``: its pupils, teachers and resources move there."""

    school: str = _Id


class MoveSection(_Receiving):
    """The ``section`` (小学 / 初中) of each school in ``schools`` moves to ``into``: its pupils,
    classes and teachers; with ``move_resources`` also the section's share (weighted enrolment,
    rules.md §3) of the movable resources (:data:`MOVABLE`)."""

    section: Literal["小学", "初中", "P", "J", "primary", "junior"]
    schools: list[str] = Field(min_length=1)
    move_resources: bool = False


class Open(_Model):
    """A new school with its resources (``values``: numeric column codes of the school table)."""

    school_id: str = _Id
    name: str = _Id
    school_type: int
    like: str | None = None
    county_code: str | None = None
    county: str | None = None
    township: str | None = None
    urban_rural_code: str | None = None
    longitude: float | None = Field(None, ge=LONGITUDE_RANGE[0], le=LONGITUDE_RANGE[1])
    latitude: float | None = Field(None, ge=LATITUDE_RANGE[0], le=LATITUDE_RANGE[1])
    values: dict[str, float] = {}

    @field_validator("school_type")
    @classmethod
    def _type(cls, v: int) -> int:
        if v not in SCHOOL_TYPES:
            raise ValueError(f"未知的办学类型代码 {v}；可用：{'、'.join(str(c) for c in SCHOOL_TYPES)}")
        return v

    @field_validator("values")
    @classmethod
    def _values(cls, v: dict[str, float]) -> dict[str, float]:
        bad = [k for k in v if k not in VALUE_CODES]
        if bad:
            raise ValueError(f"未知的列代码 {'、'.join(bad)}（应为学校表的数值列代码，见 docs/data-dictionary.md，"
                             f"如 students_P、teaching_area_m2）")
        neg = [k for k, x in v.items() if not x >= 0 or x == float("inf")]
        if neg:
            raise ValueError(f"{'、'.join(neg)} 应为不小于 0 的有限数字")
        return v


#: Resources that may move with a section (``move_resources``): the rest are buildings and grounds.
MOVABLE = ("equipment_value_yuan", "teaching_computers", "books")


class _File(_Model):
    name: str = ""
    description: str = ""
    settings: Settings = Settings()
    open: list[Open] = []
    merge: list[Merge] = []
    close_point: list[ClosePoint] = []
    move_section: list[MoveSection] = []


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its title, settings and changes per kind (in the order applied), and
    the file it came from (for messages)."""

    name: str
    description: str
    settings: Settings
    open: tuple[Open, ...]
    merge: tuple[Merge, ...]
    close_point: tuple[ClosePoint, ...]
    move_section: tuple[MoveSection, ...]
    file: str = ""
    lines: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """True when the scenario changes nothing."""
        return not (self.open or self.merge or self.close_point or self.move_section)


def _line(lines: list[str], loc: tuple) -> int | None:
    """The line of ``loc`` (``("merge", 1, "into")``): the key's line inside the n-th ``[[merge]]``
    table (that table's header line when the key is not written there), else
    :func:`junheng.plan.costs.locate`."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        head = f"[[{loc[0]}]]"
        starts = [n for n, t in enumerate(lines, 1) if t.split("#", 1)[0].strip() == head]
        if loc[1] < len(starts):
            start = starts[loc[1]]
            if len(loc) >= 3:
                sub, sub_line = None, None  # inside [kind.sub] (e.g. [open.values]) of this entry
                for n in range(start + 1, len(lines) + 1):
                    text = lines[n - 1].split("#", 1)[0].strip()
                    if text.startswith("[") and not text.startswith(f"[{loc[0]}."):
                        break
                    if text.startswith(f"[{loc[0]}.") and text.endswith("]"):
                        sub = text[len(loc[0]) + 2:-1].strip()
                        if sub == str(loc[2]):
                            sub_line = n
                        continue
                    key = text.split("=", 1)[0].strip().strip("\"'")
                    if sub is None and key == str(loc[2]):
                        return n
                    if sub == str(loc[2]) and len(loc) >= 4 and key == str(loc[3]):
                        return n
                if sub_line is not None:
                    return sub_line
            return start
    return locate(lines, loc)


def _issue(message: str, path, lines, loc: tuple, data, code: str) -> Issue:
    return Issue("error", message, file=str(path), row=_line(lines, loc),
                 column=f"设置项 {key_path(loc, data)}" if loc else None, code=code)


def load_scenario(path: str | Path, table: pl.DataFrame) -> Scenario:
    """Read and validate a scenario file against the school table it applies to.

    table: the canonical school table (schema.py). Raises InputError (Chinese, naming the file,
    line and key) for a TOML syntax error, an unknown key, a value of the wrong kind, a school id
    that is not in the table (or is opened twice, or already exists), a school used by two
    changes, a receiving school that is also given up, a 教学点 change on a school that is not a
    teaching point, a change across counties, a 特殊教育学校 merged with (or moving a section to or
    from) an ordinary school, and a move of a section the school has no pupils in.
    """
    path = Path(path)
    data, lines = _read(path, LABEL)
    try:
        parsed = _File.model_validate(data)
    except ValidationError as e:
        issues = []
        for err in e.errors():
            loc = tuple(err.get("loc", ()))
            msg = explain(err, _File, data)
            msg = msg.split("：", 1)[-1] if loc else msg
            issues.append(_issue(msg, path, lines, loc, data, "bad_scenario"))
        raise InputError(issues) from None
    issues = _check_ids(parsed, table, path, lines, data)
    if issues:
        raise InputError(issues)
    return Scenario(parsed.name, parsed.description, parsed.settings, tuple(parsed.open), tuple(parsed.merge),
                    tuple(parsed.close_point), tuple(parsed.move_section), str(path), tuple(lines))


def _check_ids(f: _File, table: pl.DataFrame, path, lines, data) -> list[Issue]:
    """The school ids of the changes against the table (see :func:`load_scenario`)."""
    from ...core.units import county_key

    keys = dict(table.select("school_id", county_key(table.columns).alias("k")).iter_rows())
    types = dict(table.select("school_id", "school_type").iter_rows())
    names = dict(table.select("school_id", "name").iter_rows())
    pupils = {s: {r["school_id"]: r.get(f"students_{s}") or 0 for r in table.iter_rows(named=True)} for s in "PJ"}
    issues: list[Issue] = []

    def bad(msg: str, loc: tuple) -> None:
        issues.append(_issue(msg, path, lines, loc, data, "bad_scenario"))

    for i, o in enumerate(f.open):
        if o.school_id in keys:
            bad(f"学校标识码 {o.school_id} 已在学校数据表中，新建学校需要新的标识码", ("open", i, "school_id"))
            continue
        if o.like is not None and o.like not in keys:
            bad(f"学校标识码 {o.like} 不在学校数据表中", ("open", i, "like"))
            continue
        key = keys[o.like] if o.like is not None else (o.county_code or o.county)
        if key is None:
            distinct = set(keys.values())
            if len(distinct) != 1:
                bad("表中有多个县（区）：请用 like（同县的一所学校）或 county_code 指明新学校所在的县", ("open", i))
                continue
            key = next(iter(distinct))
        keys[o.school_id] = key
        types[o.school_id] = o.school_type
        names[o.school_id] = o.name
        for sec in "PJ":
            pupils[sec][o.school_id] = o.values.get(f"students_{sec}") or 0
    used: dict[str, str] = {}
    changes = ([("merge", i, c, c.schools) for i, c in enumerate(f.merge)]
               + [("close_point", i, c, [c.school]) for i, c in enumerate(f.close_point)]
               + [("move_section", i, c, c.schools) for i, c in enumerate(f.move_section)])
    receivers = {c.into for _, _, c, _ in changes}
    for kind, i, c, sources in changes:
        if c.into not in keys:
            bad(f"学校标识码 {c.into} 不在学校数据表中（也不是 [[open]] 新建的学校）", (kind, i, "into"))
            continue
        key_name = "school" if kind == "close_point" else "schools"
        for sid in sources:
            where = f"{kind}[{i + 1}]"
            if sid not in keys:
                bad(f"学校标识码 {sid} 不在学校数据表中", (kind, i, key_name))
            elif sid == c.into:
                bad(f"学校 {sid} 不能并入自己", (kind, i, key_name))
            elif keys[sid] != keys[c.into]:
                bad(f"学校 {sid} 与接收学校 {c.into} 不在同一个县（区），不能跨县调整", (kind, i, key_name))
            elif kind == "close_point" and SCHOOL_TYPES.get(types[sid]) is not None \
                    and SCHOOL_TYPES[types[sid]].category != "teaching_point":
                bad(f"学校 {sid} 的办学类型是 {types[sid]}（{SCHOOL_TYPES[types[sid]].name}），不是小学教学点（218）；"
                    f"撤并学校请用 [[merge]]", (kind, i, key_name))
            elif _special(types[sid]) != _special(types[c.into]):
                sp, other = (sid, c.into) if _special(types[sid]) else (c.into, sid)
                bad(f"学校 {sp}（{names.get(sp, '')}）是特殊教育学校，不能与普通学校 {other}（{names.get(other, '')}）"
                    f"合并或互迁学段（特殊教育学校另行评估，不计入义务教育学校的差异系数）", (kind, i, key_name))
            elif kind == "move_section" and not pupils[SECTIONS[c.section]].get(sid):
                sec = "小学" if SECTIONS[c.section] == "P" else "初中"
                bad(f"学校 {sid}（{names.get(sid, '')}）没有{sec}学段（{sec}在校生为 0 或空），无法迁移{sec}",
                    (kind, i, key_name))
            elif sid in used:
                bad(f"学校 {sid} 已在 {used[sid]} 中撤并，不能再次调整", (kind, i, key_name))
            elif kind != "move_section" and sid in receivers:
                bad(f"学校 {sid} 被撤并，却又是其他调整的接收学校", (kind, i, key_name))
            else:
                if kind != "move_section":
                    used[sid] = where
        if c.into in used:
            bad(f"接收学校 {c.into} 已在 {used[c.into]} 中撤并", (kind, i, "into"))
    return issues


def _special(school_type: int | None) -> bool:
    """True for a 特殊教育学校 (category ``special``)."""
    t = SCHOOL_TYPES.get(school_type)
    return t is not None and t.category == "special"


def section_of(m: MoveSection) -> str:
    """The schema section letter (P / J) of a move."""
    return SECTIONS[m.section]

