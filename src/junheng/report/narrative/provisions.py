"""The special provisions (docs/rules.md §2, core/provisions.py) in words, for every output.

Built on :func:`junheng.core.trace.provisions_used` (one row per unit and provision with data):
:func:`provision_rows` gives display rows (the screen, the Word/HTML table and the Excel sheet:
report/console/provisions.py, report/xlsx/provisions.py), :func:`provision_blocks` a paragraph
and a table per level for the Word/HTML report. Displayed indicator values have 3 decimals
half-up (docs/rules.md §4).
"""
from __future__ import annotations

from collections.abc import Callable

from ...core.result import Assessment, CountyResult
from ...core.trace import provisions_used
from ...schema import LEVEL_NAMES
from .blocks import Block, Para, Table
from .numbers import cn_brackets, fmt_num, fmt_plain, fmt_standard, round_half_up

#: Official-style names of the provisions (docs/rules.md §2).
NAMES = {
    "visiting_pe_art_teachers": "农村小规模学校和教学点计入走教、兼职、交流轮岗体育艺术教师",
    "extra_sports_area": "中心城区学校计入改造的专用活动场地和校外租赁运动场地",
}
#: Short labels for table cells.
SHORT = {"visiting_pe_art_teachers": "走教等体艺教师", "extra_sports_area": "改造及租赁场地"}
_BASIS = {"rural_code": "乡村学校", "code_missing": "未填城乡分类代码，按乡村学校计（假定）",
          "teaching_point": "小学教学点"}
#: Column titles of the provision table (screen, Excel; the Word/HTML table per level drops 学段).
HEADER = ["学校名称", "学段", "在校生", "项目", "填报", "计入", "计入前", "计入后", "说明"]


def _qty(p: str, x: float) -> str:
    if p == "extra_sports_area":
        return f"{fmt_plain(float(round_half_up(x, 1)))}㎡"
    return f"{int(round_half_up(x, 0))}人"


def _band(a: Assessment) -> str:
    st = a.rules.provisions.visiting_pe_art_teachers
    return f"{st.min_students}至{st.max_students - 1}人"


def status_text(r: dict, a: Assessment) -> str:
    """Why the provision was or was not counted for one row of ``provisions_used``, and (when
    counted) what it did to the per-unit threshold."""
    s = r["status"]
    if s == "counted":
        if r["provision"] == "visiting_pe_art_teachers":
            text = f"已计入：{_BASIS.get(r['basis'] or '', '')}，规模{r['size']}人"
        else:
            text = "已计入：中心城区学校"
        ind = a.rules.indicator(r["indicator"])
        return text + effect_text(r, ind.unit, ind.per)
    if s == "disabled":
        return "未计入：所用规则（省级覆盖）不采用此项规定"
    if s == "size_out_of_band":
        return f"未计入：规模{r['size']}人，不在{_band(a)}之间"
    if s == "not_rural":
        code = r.get("urban_rural_code")
        return f"未计入：非乡村学校（城乡分类代码{code}）" if code else "未计入：非乡村学校"
    if s == "not_central_urban":
        return "未计入：未标为中心城区学校"
    return s or ""


def effect_text(r: dict, unit: str, per: float) -> str:
    """What a counted amount did to the per-unit threshold, the standard written with the
    indicator's unit (numbers.fmt_standard): “；计入后达到每百名学生0.9人的标准”, “；计入前已达到标准”,
    “；计入后仍低于生均10.2㎡的标准”; '' without a threshold or when nothing was counted."""
    if r["threshold"] is None or r["added"] == 0:
        return ""
    std = fmt_standard(r["threshold"], unit, per)
    if r["decisive"]:
        return f"；计入后达到{std}的标准"
    return "；计入前已达到标准" if r["meets_before"] else f"；计入后仍低于{std}的标准"


def provision_rows(a: Assessment, county_key: str, level: str | None = None) -> list[dict]:
    """Display rows of one county (optionally one level): the trace row plus ``cells``, the
    texts under :data:`HEADER`. Empty when no provision data were given or the pack has none."""
    t = provisions_used(a, county_key)
    if level is not None:
        t = t.filter(t["level"] == level)
    out = []
    for r in t.iter_rows(named=True):
        p = r["provision"]
        cells = [r["name"], LEVEL_NAMES[r["level"]], str(r["students"]), SHORT[p], _qty(p, r["given"]),
                 _qty(p, r["added"]), fmt_num(r["before"]), fmt_num(r["after"]), status_text(r, a)]
        out.append({**r, "cells": cells})
    return out


def provision_summary(a: Assessment, rows: list[dict]) -> str:
    """One sentence per provision: how many units counted it, how much, and how many it decided."""
    parts = []
    for p in NAMES:
        mine = [r for r in rows if r["provision"] == p]
        if not mine:
            continue
        counted = [r for r in mine if r["status"] == "counted"]
        ind = cn_brackets(a.rules.indicator(mine[0]["indicator"]).name)
        text = f"按指标说明中的特殊规定（{NAMES[p]}），"
        if counted:
            total = _qty(p, sum(r["added"] for r in counted))
            decided = sum(1 for r in counted if r["decisive"])
            text += f"{len(counted)}个单位计入{total}"
            text += f"，其中{decided}个单位计入后达到“{ind}”的标准" if decided else "，计入后各单位该项达标情况没有变化"
        else:
            text += "没有单位符合计入条件"
        left = len(mine) - len(counted)
        if left:
            text += f"；另有{left}个单位填报了数据但不符合条件，未计入"
        parts.append(text + "。")
    return "".join(parts)


def provision_blocks(a: Assessment, c: CountyResult, level: str, caption: Callable[[], str]) -> list[Block]:
    """A paragraph and a table on the provisions used in one level (nothing when none). The
    table leaves out 学段 (one level) and 项目 when a single provision is listed.

    caption: called once, only when there is a table (it numbers the table, narrative._Numbering)."""
    rows = provision_rows(a, c.county_key, level)
    if not rows:
        return []
    drop = {1} if len({r["provision"] for r in rows}) > 1 else {1, 3}  # 学段; 项目 when one provision
    header = [h for k, h in enumerate(HEADER) if k not in drop]
    cells = [[v for k, v in enumerate(r["cells"]) if k not in drop] for r in rows]
    widths = [w for k, w in enumerate([2.8, 0, 1.0, 1.3, 1.1, 1.1, 1.1, 1.1, 4.6]) if k not in drop]  # 说明 wide: rows of 2 lines
    marks = [[None] * (len(header) - 2) + ["good" if r["decisive"] else None, None] for r in rows]
    table = Table(header, cells, caption(), widths, marks, left=(0, len(header) - 1))
    return [Para(provision_summary(a, rows)), table]
