"""``junheng pair`` on screen, as JSON and as Excel, with the Chinese reason of each pair
(analysis/pair.py gives facts only). docs/pairing.md."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from ...analysis.pair import PairResult
from ...schema import LEVEL_NAMES
from ..narrative.numbers import fmt_num
from ..safe_text import plain_text
from .whatif import _print_setup

#: Why a weak unit stays without a partner.
UNPAIRED = {"no_strong": "本县该学段没有单校达标的学校",
            "no_cover": "没有一所达标学校在其全部未达标指标上都达到标准",
            "too_far": "能覆盖其短板的达标学校都超出距离上限",
            "capacity": "能覆盖其短板的达标学校结对名额已满（每校至多 {k} 所）"}


def _n(v: float | None, places: int = 2) -> str:
    return fmt_num(v, places, undefined="—")


def reason_text(p: dict, names: dict[str, str], *, short: bool = False) -> str:
    """Why this pair: 城带乡, the covered gaps with both values and the threshold, the distance.
    short: the screen form, one line per part (城带乡, each gap as 帮扶校值/受援校值/标准), without
    the lead sentence and the distance (a column of its own on screen)."""
    parts = []
    if p["urban_rural"]:
        parts.append("城带乡")
    if short:
        parts += [f"{names.get(c, c)} {_n(v['strong'])}/{_n(v['weak'])}/{_n(v['threshold'])}" for c, v in p["cover"].items()]
        return "\n".join(parts) or "—"
    if p["cover"]:
        covered = "；".join(f"{names.get(c, c)} {_n(v['strong'])}（受援校 {_n(v['weak'])}，标准 {_n(v['threshold'])}）"
                            for c, v in p["cover"].items())
        parts.append(f"帮扶学校在受援学校未达标的指标上均达到标准：{covered}")
    else:
        parts.append("受援学校各项指标均达标，按单校综合达标情况结对")
    parts.append("距离未知（缺经度、纬度）" if p["km"] is None else f"直线距离 {_n(p['km'], 1)} 公里")
    return "；".join(parts)


def notes(r: PairResult) -> list[dict[str, str]]:
    """Notices about the settings: ``max_km_not_applied`` when --max-km was given but no distance
    could be computed (the table has no 经度 / 纬度)."""
    max_km = r.settings["max_km"]
    if max_km is not None and not r.settings.get("distance_known", True):
        return [{"code": "max_km_not_applied",
                 "text": f"数据表没有经度、纬度，距离上限 {max_km:g} 公里未起作用（结对未按距离限制）。"}]
    return []


def pair_payload(r: PairResult, *, source: str | None = None) -> dict[str, Any]:
    """The JSON document of ``junheng pair`` (docs/pairing.md): pairs with ``reason`` text,
    unpaired weak units with ``reason`` code and ``reason_text``, the strong units' load,
    ``notes`` (:func:`notes`, ``{"code", "text"}``)."""
    k = r.settings["max_per_strong"]
    return {"rules": r.rules, "rules_name": r.rules_name, "source": source, "settings": r.settings,
            "notes": notes(r),
            "pairs": [p | {"reason": reason_text(p, r.names)} for p in r.pairs],
            "unpaired": [u | {"reason_text": UNPAIRED[u["reason"]].format(k=k)} for u in r.unpaired],
            "load": r.load}


def _gaps(u: dict, names: dict[str, str]) -> str:
    return "、".join(names.get(c, c) for c in u["gaps"]) or "—"


def _by_county(rows: list[dict]) -> dict[str, list[dict]]:
    """Pairs or unpaired units grouped by county (screen name), in their order."""
    out: dict[str, list[dict]] = {}
    for x in rows:
        out.setdefault(plain_text(x["county"] or x["county_key"]), []).append(x)
    return out


def print_pair(r: PairResult, con: Console) -> None:
    """The pairs per county and level, then the weak units left without a partner."""
    doc = pair_payload(r)
    s = r.settings
    con.print("精准帮教结对建议")
    con.print(f"规则：{r.rules_name}")
    con.print(f"每所帮扶学校至多 {s['max_per_strong']} 所"
              + (f"；距离不超过 {s['max_km']:g} 公里" if s["max_km"] is not None and not doc["notes"] else ""))
    for n in doc["notes"]:
        con.print(f"注意：{n['text']}", style="yellow")
    # one table per county (the county in the title), so the columns fit 80 cells; numbers never wrap
    for county, pairs in _by_county(r.pairs).items():
        t = Table(box=box.SIMPLE_HEAD, title=f"{county}：结对", title_justify="left", pad_edge=False)
        t.add_column("学段", no_wrap=True)
        reason_w = max((cell_len(x) for p in pairs for x in reason_text(p, r.names, short=True).split("\n")), default=4)
        # rich measures a name without spaces as one word: cap the name columns so the rest fits
        name_w = max(8, (con.width - reason_w - 4 - 5 - 12) // 2)   # 学段, 公里, padding and edges
        t.add_column("受援学校", overflow="fold", max_width=name_w)
        t.add_column("帮扶学校", overflow="fold", max_width=name_w)
        t.add_column("理由：帮扶校/受援校/标准", overflow="fold", min_width=reason_w)
        t.add_column("公里", justify="right", no_wrap=True)
        for p in pairs:
            t.add_row(LEVEL_NAMES[p["level"]], plain_text(p["weak_name"]), plain_text(p["strong_name"]),
                      reason_text(p, r.names, short=True), _n(p["km"], 1))
        con.print(t)
    if doc["unpaired"]:
        for county, rows in _by_county(doc["unpaired"]).items():
            t = Table(box=box.SIMPLE_HEAD, title=f"{county}：未能结对的薄弱学校", title_justify="left", pad_edge=False)
            t.add_column("学段", no_wrap=True)
            for h in ("学校", "未达标指标", "原因"):
                t.add_column(h, overflow="fold")
            for u in rows:
                t.add_row(LEVEL_NAMES[u["level"]], plain_text(u["weak_name"]), _gaps(u, r.names), u["reason_text"])
            con.print(t)
    con.print(f"共 {len(r.pairs)} 对；{len(r.unpaired)} 所薄弱学校未能结对。"
              f"“城带乡”按城乡分类代码：帮扶学校为城区或镇区（1 开头），受援学校为乡村（2 开头）。")


def write_pair_xlsx(r: PairResult, path: str | Path, *, source: str | None = None) -> Path:
    """The workbook (sheets 结对, 未结对) written all-or-nothing. Raises OSError when it cannot be written."""
    from ..files import write_atomic
    from ..safe_xlsx import new_workbook
    from ..xlsx.book import Formats

    doc = pair_payload(r, source=source)

    def write(tmp: Path) -> None:
        wb = new_workbook(tmp)
        F = Formats(wb)
        ws = wb.add_worksheet("结对")
        heads = ("县区", "学段", "受援学校标识码", "受援学校", "未达标指标", "帮扶学校标识码", "帮扶学校", "城带乡",
                 "直线距离（公里）", "结对理由")
        for j, w in enumerate((12, 6, 12, 20, 24, 12, 20, 7, 10, 80)):
            ws.set_column(j, j, w)
        ws.write_row(0, 0, heads, F.head)
        ws.freeze_panes(1, 0)
        _print_setup(ws)
        for i, p in enumerate(doc["pairs"], start=1):
            ws.write_row(i, 0, (p["county"] or p["county_key"], LEVEL_NAMES[p["level"]], p["weak_id"], p["weak_name"],
                                _gaps(p, r.names), p["strong_id"], p["strong_name"], "是" if p["urban_rural"] else "否"),
                         F.text)
            ws.write_number(i, 8, p["km"], F.n2) if p["km"] is not None else ws.write_blank(i, 8, None, F.text)
            ws.write_string(i, 9, p["reason"], F.text)
            ws.set_row(i, 14 * max(1, -(-len(p["reason"]) // 38)))    # 38 CJK characters per line at width 80
        ws = wb.add_worksheet("未结对")
        for j, w in enumerate((12, 6, 14, 24, 30, 50)):
            ws.set_column(j, j, w)
        ws.write_row(0, 0, ("县区", "学段", "学校标识码", "学校", "未达标指标", "原因"), F.head)
        _print_setup(ws)
        for i, u in enumerate(doc["unpaired"], start=1):
            ws.write_row(i, 0, (u["county"] or u["county_key"], LEVEL_NAMES[u["level"]], u["weak_id"], u["weak_name"],
                                _gaps(u, r.names), u["reason_text"]), F.text)
        wb.close()

    return write_atomic(path, write)
