"""Chinese messages for rule-pack validation errors (no English fragment reaches the user).

pydantic reports each problem as ``{"type", "loc", "input", "ctx"}``; :func:`explain` turns one
into ``<key>：<reason>`` in Chinese, with a spelling hint for unknown keys. Messages of our own
validators are raised in Chinese (``ValueError``) and passed through unchanged.
"""
from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel

#: pydantic error type → Chinese reason; ``{…}`` are filled from the error's ctx.
REASONS = {
    "missing": "缺少必填的设置项",
    "extra_forbidden": "未知的设置项",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数（不能有小数）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文字（加英文引号）",
    "list_type": "应为列表（[…]）",
    "dict_type": "应为表（{…} 或 [表名]）",
    "model_type": "应为表（{…} 或 [表名]）",
    "model_attributes_type": "应为表（{…} 或 [表名]）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "finite_number": "应为有限的数字",
    "literal_error": "取值应为 {expected} 之一",
    "too_short": "至少需要 {min_length} 项",
    "too_long": "至多 {max_length} 项",
}


def key_path(loc: tuple, data: Any = None) -> str:
    """``indicators[3].numerator`` from a pydantic loc; list items also show their ``code``/``id``
    from ``data`` when present (``indicators[3]（code = books_per_student）.numerator``)."""
    out, node = "", data
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part + 1}]"
            item = node[part] if isinstance(node, list) and part < len(node) else None
            ident = item.get("code") or item.get("id") if isinstance(item, dict) else None
            if ident:
                out += f"（{ident}）"
            node = item
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "（整个文件）"


def message_loc(err: dict) -> tuple:
    """The key an error is about: its loc, or for a whole-pack check the key its message starts
    with (``unit_rule.min_met：…`` → ``("unit_rule", "min_met")``)."""
    loc = tuple(err.get("loc", ()))
    if loc or err.get("type") != "value_error":
        return loc
    head = str((err.get("ctx") or {}).get("error", "")).split("：", 1)[0]
    parts = []
    for p in head.split("."):
        p = p.split("（", 1)[0].split("[", 1)[0]
        if not p.isascii() or not p.replace("_", "").isalnum():
            return ()
        parts.append(p)
    return tuple(parts)


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model that holds the last key of loc (for a spelling hint)."""
    cur: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or part == "[key]":
            continue
        fields = getattr(cur, "model_fields", None)
        if not fields or part not in fields:
            return []
        cur = _model_of(fields[part].annotation)
        if cur is None:
            return []
    return list(getattr(cur, "model_fields", {}) or {})


def _model_of(tp: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as ``list[Indicator]`` or ``Funding | None``."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in typing.get_args(tp):
        m = _model_of(arg)
        if m is not None:
            return m
    return None


def _show(v: Any) -> str:
    if isinstance(v, str):
        return f"“{v}”"
    if isinstance(v, (dict, list)):
        return "表" if isinstance(v, dict) else "列表"
    if isinstance(v, bool):
        return str(v).lower()
    return f"{v:g}" if isinstance(v, float) else str(v)


def explain(err: dict, model: type[BaseModel], data: Any = None) -> str:
    """One pydantic error as Chinese text ``<key>：<reason>`` (never pydantic's English msg)."""
    loc = tuple(err.get("loc", ()))
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    where = key_path(loc, data)
    if kind == "value_error":
        reason = str(ctx.get("error", "取值无效")).removeprefix("Value error, ")
        return f"{where}：{reason}" if loc else reason
    if kind == "extra_forbidden":
        known = _fields_at(model, loc)
        near = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6) if loc else []
        hint = f"，是否应为 {near[0]}？" if near else (f"；可用：{'、'.join(known)}" if known else "")
        return f"{where}：未知的设置项{hint}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", "、").replace("'", "")
        reason = f"取值应为 {expected} 之一"
    elif kind in REASONS:
        reason = REASONS[kind].format(**{k: _show(v) for k, v in ctx.items()})
    else:
        reason = "取值无效"
    if kind != "missing" and "input" in err:
        reason += f"（现为 {_show(err['input'])}）"
    return f"{where}：{reason}"
