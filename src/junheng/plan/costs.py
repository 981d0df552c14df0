"""Unit costs and limits of the planner as validated data (TOML), like the rule packs.

Three layers, merged key by key: the national defaults ``plan/costs/default.toml``, a provincial
override ``plan/costs/provinces/<code>.toml`` (``--province``), a user file (``--costs``). A limits
file (``--limits``) caps what a school may get. Format and defaults: docs/plan.md §2.

Every problem is an :class:`junheng.errors.InputError` whose issues name the file, the line and
the key (``第 12 行，键 items.books.yuan``) in Chinese (wording of rules/messages.py); nothing is
loaded when one is found. Pure apart from reading the files named.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from ..errors import InputError, Issue
from ..rules.messages import explain, key_path
from .items import ITEMS

COSTS_LABEL, LIMITS_LABEL = "单价文件", "限额文件"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CostItem(_Model):
    """The unit cost of one item (docs/plan.md §2).

    yuan: 元 per unit (㎡, 元, 台, 册, 间, 人), ≥ 0; kind: ``capital`` (one-off) or ``recurring``
    (per year: salaries, allowances); source: where the number comes from; assumption: True when it
    is not a published price (an ASSUMPTION of this project); equipment_yuan: 元 of each unit booked
    as 教学仪器设备资产值; max_per_school_per_year: at most this many per school (per section for
    teacher items) and year of the plan.
    """

    yuan: float = Field(ge=0, allow_inf_nan=False)
    kind: Literal["capital", "recurring"]
    source: str = Field(min_length=1)
    assumption: bool = False
    equipment_yuan: float = Field(0.0, ge=0, allow_inf_nan=False)
    max_per_school_per_year: int | None = Field(None, ge=0)


class _CostPatch(_Model):
    """One item in an override file: any subset of CostItem's keys, same limits."""

    yuan: float | None = Field(None, ge=0, allow_inf_nan=False)
    kind: Literal["capital", "recurring"] | None = None
    source: str | None = Field(None, min_length=1)
    assumption: bool | None = None
    equipment_yuan: float | None = Field(None, ge=0, allow_inf_nan=False)
    max_per_school_per_year: int | None = Field(None, ge=0)


_Items = create_model("_Items", __base__=_Model, **{c: (CostItem, ...) for c in ITEMS})
_ItemPatches = create_model("_ItemPatches", __base__=_Model, **{c: (_CostPatch | None, None) for c in ITEMS})


class _PerLevel(_Model):
    primary: float = Field(ge=0, allow_inf_nan=False)
    junior: float = Field(ge=0, allow_inf_nan=False)


class RotationSettings(_Model):
    """Settings of the 交流轮岗 plan (``--objective rotation``, docs/plan.md "Objective rotation"); the quota itself
    (≥ 10 % of eligible teachers, ≥ 20 % of those backbone) is the rule pack's.

    min_teachers_per_class: per level, a school section keeps at least ceil(this × its classes)
    teachers (or what it has, when it has fewer); eligible_share: the share (0–1] of the full-time
    teachers of the assessed schools counted as 符合交流条件; eligible_teachers: county code →
    the county's own count (replaces the share); max_rotated_percent: the most the plan moves, in
    percent of the eligible teachers (None: no cap); source / assumption: where the numbers come from.
    """

    min_teachers_per_class: _PerLevel
    eligible_share: float = Field(gt=0, le=1, allow_inf_nan=False)
    eligible_teachers: dict[str, int] = {}
    max_rotated_percent: float | None = Field(None, gt=0, le=100, allow_inf_nan=False)
    source: str = Field(min_length=1)
    assumption: bool = False


class _RotationPatch(_Model):
    min_teachers_per_class: _PerLevel | None = None
    eligible_share: float | None = Field(None, gt=0, le=1, allow_inf_nan=False)
    eligible_teachers: dict[str, int] | None = None
    max_rotated_percent: float | None = Field(None, gt=0, le=100, allow_inf_nan=False)
    source: str | None = Field(None, min_length=1)
    assumption: bool | None = None


class _CostFile(_Model):
    name: str = ""
    document: str = ""
    items: _Items
    rotation: RotationSettings


class _CostFilePatch(_Model):
    name: str | None = None
    document: str | None = None
    items: _ItemPatches = _ItemPatches()
    rotation: _RotationPatch = _RotationPatch()


@dataclass(frozen=True)
class CostTable:
    """The unit costs in force: ``items`` code → CostItem (every code of plan/items.py), the name
    of the cost table, the files it was read from (defaults first) and the 交流轮岗 settings."""

    name: str
    items: dict[str, CostItem]
    files: tuple[str, ...] = ()
    rotation: RotationSettings | None = None

    def objective(self, code: str, years: int) -> float:
        """元 counted for one unit of ``code`` over a plan of ``years`` years: capital once,
        recurring every year."""
        c = self.items[code]
        return c.yuan * (years if c.kind == "recurring" else 1)


_LimitFields = {"closed": (bool, False), "building_m2": (float | None, Field(None, ge=0, allow_inf_nan=False))}
_LimitFields.update({c: (int | None, Field(None, ge=0)) for c in ITEMS})
SchoolLimit = create_model("SchoolLimit", __base__=_Model, **_LimitFields)
SchoolLimit.__doc__ = """Limits of one school: closed (to be closed or merged: gets nothing), building_m2 (㎡ of
teaching and indoor sports area that can still be built on the site), and per item code the most
the school may get over the plan (teacher items: both sections together)."""


class _LimitsFile(_Model):
    schools: dict[str, SchoolLimit] = {}


@dataclass(frozen=True)
class Limits:
    """Per-school limits (school_id → SchoolLimit); empty when no limits file was given."""

    schools: dict[str, object] = field(default_factory=dict)
    file: str | None = None

    def of(self, school_id: str):
        """The school's limits (defaults: not closed, no caps)."""
        return self.schools.get(school_id) or SchoolLimit()


def _read(path, label: str) -> tuple[dict, list[str]]:
    """A TOML settings file (costs, limits, scenario) as (data, lines). Text in UTF-8, UTF-16 or
    GBK/GB18030 (io.grid.decode_csv). Raises InputError (Chinese) for a folder, an Excel or other
    binary file, an unknown encoding and a TOML syntax error (with its line and column)."""
    from ..io.grid import decode_csv, os_reason

    p = path if hasattr(path, "read_bytes") else Path(str(path))
    if p.is_dir():
        raise InputError([Issue("error", f"“{p}”是文件夹，不是{label}：请给出 .toml 文本文件", file=str(path))])
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise InputError([Issue("error", f"无法读取{label}：{os_reason(e)}", file=str(path))]) from None
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or str(p.name).lower().endswith((".xlsx", ".xls", ".xlsm")):
        raise InputError([Issue("error", f"{label}应为 TOML 文本文件（.toml，可用记事本编辑，格式见文档），"
                                         "不是 Excel 工作簿或其他二进制文件", file=str(path))])
    try:
        text, _ = decode_csv(raw)  # UTF-8 (with or without BOM), UTF-16, else GBK/GB18030 (记事本“ANSI”)
    except UnicodeDecodeError:
        raise InputError([Issue("error", "无法识别文件的编码：请在记事本中“另存为”，编码选 UTF-8", file=str(path))]) from None
    try:
        return tomllib.loads(text), text.splitlines()
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(e))
        row = int(m.group(1)) if m else None
        col = f"第 {m.group(2)} 列" if m else None
        raise InputError([Issue("error", "不符合 TOML 语法（检查引号、括号、等号和重复的键）", file=str(path),
                                row=row, column=col)]) from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        from ..rules.loader import TOML_TOO_DEEP

        raise InputError([Issue("error", TOML_TOO_DEEP, file=str(path))]) from None


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(p.strip().strip("\"'") for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text))


def locate(lines: list[str], loc: tuple) -> int | None:
    """The 1-based line of the TOML key at ``loc`` (``("items", "books", "yuan")``): the line whose
    table header and key match the longest prefix of loc (None when nothing matches)."""
    want = tuple(str(p) for p in loc if p != "[key]" and not isinstance(p, int))
    best, best_len, table = None, 0, ()
    for n, line in enumerate(lines, start=1):
        h = _HEADER.match(line)
        if h and "=" not in line.split("#", 1)[0]:
            table = _split_key(h.group(1))
            path = table
        else:
            k = _KEY.match(line)
            if not k:
                continue
            path = table + _split_key(k.group(1))
        common = 0
        for a, b in zip(path, want):
            if a != b:
                break
            common += 1
        if common > best_len:
            best, best_len = n, common
    return best


def _issues(e: ValidationError, model, data: dict, path, lines: list[str], label: str) -> list[Issue]:
    out = []
    for err in e.errors():
        loc = tuple(err.get("loc", ()))
        msg = explain(err, model, data)
        msg = msg.split("：", 1)[-1] if loc else msg
        if err.get("type") == "extra_forbidden" and len(loc) == 2 and loc[0] == "items":
            msg = f"未知的项目 “{loc[1]}”；可用：{'、'.join(ITEMS)}"
        out.append(Issue("error", msg, file=str(path), row=locate(lines, loc), column=f"键 {key_path(loc, data)}",
                         code=f"bad_{'costs' if label == COSTS_LABEL else 'limits'}"))
    return out


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _province_file(province: str | None):
    if province is None:
        return None
    root = resources.files(__package__) / "costs" / "provinces"
    p = root / f"{province}.toml"
    return p if p.is_file() else None


def load_costs(province: str | None = None, path: str | Path | None = None) -> CostTable:
    """The unit costs in force: defaults, the province's override (if the province has one; a
    province without one keeps the defaults), the user file ``path`` (any subset of items and keys).

    Raises InputError (issues in Chinese naming file, line and key) for a TOML syntax error, an
    unknown item or key, a negative or non-numeric price, an unknown ``kind``, an empty source.
    """
    default = resources.files(__package__) / "costs" / "default.toml"
    layers = [(default, _CostFile)]
    if (p := _province_file(province)) is not None:
        layers.append((p, _CostFilePatch))
    if path is not None:
        layers.append((Path(path), _CostFilePatch))
    merged: dict = {}
    issues: list[Issue] = []
    first_lines: list[str] = []
    for src, model in layers:
        data, lines = _read(src, COSTS_LABEL)
        first_lines = first_lines or lines
        try:
            model.model_validate(data)
        except ValidationError as e:
            issues += _issues(e, model, data, src, lines, COSTS_LABEL)
        merged = _merge(merged, data)
    if issues:
        raise InputError(issues)
    try:
        table = _CostFile.model_validate(merged)
    except ValidationError as e:  # a key missing everywhere (the defaults always have it)
        raise InputError(_issues(e, _CostFile, merged, default, first_lines, COSTS_LABEL)) from None
    items = {c: getattr(table.items, c) for c in ITEMS}
    name = str(merged.get("name") or "")
    return CostTable(name, items, tuple(str(s) for s, _ in layers), table.rotation)


def load_limits(path: str | Path | None, school_ids) -> Limits:
    """Per-school limits from a TOML file ``[schools."<school_id>"]`` (docs/plan.md §2).

    school_ids: the school ids of the school table. Raises InputError (Chinese, file, line, key) for
    a syntax error, an unknown key, a negative cap, or a school id that is not in the school table.
    """
    if path is None:
        return Limits()
    data, lines = _read(Path(path), LIMITS_LABEL)
    try:
        parsed = _LimitsFile.model_validate(data)
    except ValidationError as e:
        raise InputError(_issues(e, _LimitsFile, data, path, lines, LIMITS_LABEL)) from None
    known = set(school_ids)
    bad = [Issue("error", f"学校标识码 {sid} 不在学校数据表中", file=str(path), row=locate(lines, ("schools", sid)),
                 column=f"键 schools.{sid}", code="unknown_school") for sid in parsed.schools if sid not in known]
    if bad:
        raise InputError(bad)
    return Limits(dict(parsed.schools), str(path))
