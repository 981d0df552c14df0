"""``junheng whatif`` on screen, as JSON and as Excel: before/after CVs and verdicts, unit marks,
school and class sizes, travel distances, with the Chinese wording of every code
(analysis/whatif/apply.py gives facts only). docs/whatif.md."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from ...analysis.whatif.apply import WhatIfResult
from ...schema import FIELD_BY_CODE, LEVEL_NAMES, SECTION_NAMES, school_type_name
from ..narrative.numbers import fmt_amount, fmt_num, fmt_wan
from ..safe_text import plain_text

#: Change kinds → Chinese.
KINDS = {"open": "新建学校", "merge": "合并学校", "close_point": "撤并教学点", "move_section": "迁移学段"}
#: Size flags → Chinese (``{limit}``, ``{avg}`` filled in).
FLAGS = {"school_size_over": "学校规模超过 {limit:g} 人",
         "class_over_standard": "{sec}平均班额超过 {climit:g} 人（标准班额）",
         "large_class": "{sec}平均班额 ≥ {large:g} 人（大班额）",
         "huge_class": "{sec}平均班额 ≥ {huge:g} 人（超大班额）"}


def _verdict(v: bool | None) -> str:
    return "未定" if v is None else "达标" if v else "未达标"


def _mark(v: bool | None) -> str:
    return "—" if v is None else "达标" if v else "未达标"


def flag_text(doc: dict, code: str, st: dict) -> str:
    """One size flag of a school (:data:`FLAGS`) as Chinese text."""
    base, _, s = code.rpartition("_") if code[-2:] in ("_P", "_J") else (code, "", "")
    return FLAGS[base].format(limit=doc["limit"], sec=SECTION_NAMES.get(s, ""),
                              climit=doc.get(f"class_limit_{s}") or 0, large=st["large_class"], huge=st["huge_class"])


def resource_text(code: str, value: float) -> str:
    """A column of the school table with its value, in Chinese (schema.py header and unit):
    ``equipment_value_yuan`` 10647700 → "教学仪器设备资产值 1064.77万元", ``teaching_area_m2``
    7384.09 → "教学及辅助用房面积 7384.09㎡"."""
    f = FIELD_BY_CODE.get(code)
    if f is None:
        return f"{code} {fmt_amount(value)}"
    if code == "equipment_value_yuan":
        return f"{f.header} {fmt_wan(value)}"
    return f"{f.header} {fmt_amount(value)}{f.unit}"


def note_text(n: dict) -> str:
    """One note of the edit (apply.Applied.notes) as Chinese text."""
    if n["code"] == "type_changed":
        return (f"{n['name']}（{n['school_id']}）办学类型由 {n['from_type']}（{school_type_name(n['from_type'])}）"
                f"变为 {n['to_type']}（{school_type_name(n['to_type'])}）")
    left = "、".join(resource_text(k, v) for k, v in n["resources"].items())
    return (f"{n['name']}（{n['school_id']}）已无在校生，视为撤销"
            + (f"；留在原址、不再计入的办学条件：{left}" if left else ""))


def whatif_payload(r: WhatIfResult, *, source: str | None = None) -> dict[str, Any]:
    """The JSON document of ``junheng whatif`` (docs/whatif.md §输出): full precision, null where
    undefined; codes in English, each with its Chinese text where it is a message."""
    after = {c.county_key: c for c in r.after.counties}
    counties = []
    for b in r.before.counties:
        a = after.get(b.county_key)
        levels = {}
        for lv, lb in b.levels.items():
            la = a.levels.get(lv) if a else None
            inds = {code: {"name": s.name, "cv_before": s.cv, "cv_after": la.indicators[code].cv if la else None,
                           "threshold": s.threshold, "passed_before": s.passed,
                           "passed_after": la.indicators[code].passed if la else None}
                    for code, s in lb.indicators.items()}
            levels[lv] = {"composite_before": lb.composite_cv, "composite_after": la.composite_cv if la else None,
                          "composite_threshold": lb.composite_threshold, "passed_before": lb.passed,
                          "passed_after": la.passed if la else None, "indicators": inds}
        counties.append({"county_code": b.county_code, "county": b.county, "verdict_before": b.verdict,
                         "verdict_after": a.verdict if a else None, "units_failed_before": b.units_failed,
                         "units_failed_after": a.units_failed if a else None, "levels": levels})
    schools = [s | {"flag_texts": [flag_text(s, f, r.settings) for f in s["flags"]]} for s in r.sizes]
    return {"rules": r.before.rules.id, "rules_name": r.before.rules.name, "source": source,
            "scenario": {"name": r.scenario.name, "file": Path(r.scenario.file).name if r.scenario.file else None,
                         "description": r.scenario.description},
            "settings": r.settings, "counties": counties, "moves": r.applied.moves,
            "notes": [n | {"text": note_text(n)} for n in r.applied.notes], "schools": schools,
            "units": r.units, "travel": r.travel}


def _f(v: float | None, places: int = 3) -> str:
    return fmt_num(v, places, undefined="—")


def travel_text(t: dict) -> str:
    """The travel summary as one Chinese sentence."""
    if not t["pupils_moved"]:
        return "没有学生需要转学。"
    if t["mean_km"] is None:
        return (f"涉及 {t['pupils_moved']} 名学生转学；学校没有填写经度、纬度，无法计算上学距离的变化。")
    part = "" if t["pupils_known"] == t["pupils_moved"] else \
        f"（其中 {t['pupils_known']} 名学生的两所学校都有经纬度）"
    return (f"涉及 {t['pupils_moved']} 名学生转学{part}：原校到新校的直线距离按学生加权平均 {_f(t['mean_km'], 1)} 公里，"
            f"最远 {_f(t['max_km'], 1)} 公里，合计 {_f(t['pupil_km'], 0)} 人·公里（直线距离，实际路程更长）。")


def print_whatif(r: WhatIfResult, con: Console) -> None:
    """Screen tables: per county and level the CVs before/after, the verdicts, the changed
    schools' sizes and unit marks, the moves and the travel summary."""
    doc = whatif_payload(r)
    con.print(f"布局调整情景：{plain_text(r.scenario.name or Path(r.scenario.file).name)}")
    con.print(f"规则：{r.before.rules.name}")
    for c in doc["counties"]:
        name = plain_text(c["county"] or c["county_code"] or "")
        units = (f"；未达标单位 {c['units_failed_before']} → {c['units_failed_after']}"
                 if r.before.rules.unit_rule is not None else "")
        con.print(f"{name}：调整前 {_verdict(c['verdict_before'])}，调整后 {_verdict(c['verdict_after'])}{units}")
        for lv, l in c["levels"].items():
            t = Table(title=f"{name} {LEVEL_NAMES.get(lv, lv)}：差异系数", title_justify="left", box=box.SIMPLE_HEAD)
            for h, j in (("指标", "left"), ("调整前", "right"), ("调整后", "right"), ("变化", "right"), ("标准", "right"),
                         ("调整后", "center")):
                # the indicator name wraps; numbers and marks never do
                t.add_column(h, justify=j, overflow="fold") if h == "指标" else t.add_column(h, justify=j, no_wrap=True)
            for code, s in l["indicators"].items():
                d = None if s["cv_before"] is None or s["cv_after"] is None else s["cv_after"] - s["cv_before"]
                t.add_row(s["name"], _f(s["cv_before"]), _f(s["cv_after"]), ("+" if d and d > 0 else "") + _f(d),
                          _f(s["threshold"]), _mark(s["passed_after"]))
            t.add_row("综合差异系数", _f(l["composite_before"]), _f(l["composite_after"]), "",
                      _f(l["composite_threshold"]), _mark(l["passed_after"]) if l["composite_threshold"] else "")
            con.print(t)
    t = Table(title="涉及的学校：规模与平均班额（学生数为调整前→后）", title_justify="left", box=box.SIMPLE_HEAD)
    # school names, types and hints wrap; numbers never do (short heads so the table fits 80 columns)
    for h, wrap in (("学校", True), ("办学类型", True), ("学生数", False), ("上限", False), ("小学", False),
                    ("初中", False), ("提示", True)):
        t.add_column(h, overflow="fold", justify="left" if wrap else "right", no_wrap=not wrap)
    for s in doc["schools"]:
        typ = school_type_name(s["school_type"])
        if s["school_type_before"] not in (None, s["school_type"]):
            typ = f"{school_type_name(s['school_type_before'])}→{typ}"
        before = "新建" if s["pupils_before"] is None else str(s["pupils_before"])
        t.add_row(plain_text(s["name"]), typ, f"{before}→{s['pupils']}", f"{s['limit']:g}", _f(s["avg_class_P"], 1),
                  _f(s["avg_class_J"], 1), "\n".join(x.replace("（", " （") for x in s["flag_texts"]) or "—")
    con.print(t)
    if doc["units"] and any(u["passed_before"] is not None or u["passed_after"] is not None for u in doc["units"]):
        t = Table(title="涉及的评估单位：单校达标（调整前→后）", title_justify="left", box=box.SIMPLE_HEAD)
        for h in ("学校", "学段", "学生数", "达标指标数", "单校达标"):
            t.add_column(h, overflow="fold", no_wrap=h != "学校")
        for u in doc["units"]:
            t.add_row(plain_text(u["name"]), LEVEL_NAMES[u["level"]],
                      f"{u['students_before'] or '—'}→{u['students_after'] or '撤销'}",
                      f"{u['met_before'] if u['met_before'] is not None else '—'}→"
                      f"{u['met_after'] if u['met_after'] is not None else '—'}",
                      f"{_mark(u['passed_before'])}→{_mark(u['passed_after'])}")
        con.print(t)
    t = Table(title="学生转移与上学距离（直线，公里）", title_justify="left", box=box.SIMPLE_HEAD)
    for h in ("调整", "原学校", "接收学校", "学段", "学生数", "公里"):
        t.add_column(h, overflow="fold", no_wrap=h in ("学段", "学生数", "公里"),
                     justify="right" if h in ("学生数", "公里") else "left")
    for m in doc["moves"]:
        t.add_row(f"{KINDS[m['kind']]} {m['index']}", plain_text(m["from_name"]), plain_text(m["to_name"]),
                  "全部" if m["section"] == "all" else SECTION_NAMES[m["section"]], str(m["pupils"]), _f(m["km"], 1))
    con.print(t)
    con.print(travel_text(doc["travel"]))
    for n in doc["notes"]:
        con.print(f"注：{plain_text(n['text'])}", style="yellow")


def _print_setup(ws) -> None:
    """Landscape A4, one page wide, the header row on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def write_whatif_xlsx(r: WhatIfResult, path: str | Path, *, source: str | None = None) -> Path:
    """The workbook (sheets 差异系数, 学校规模, 单校达标, 学生转移) written all-or-nothing.
    Raises OSError when it cannot be written."""
    from ..files import write_atomic
    from ..safe_xlsx import new_workbook
    from ..xlsx.book import Formats

    doc = whatif_payload(r, source=source)
    n1_fmt = None

    def sheet(wb, F, name: str, heads: tuple, widths: tuple, rows: list[tuple], notes: list[str] = (),
              n1=None) -> None:
        """A table sheet; floats as 0.000 except the columns in ``n1`` (0.0); ``notes`` under it, each
        merged over the sheet's width with a row height for its length."""
        ws = wb.add_worksheet(name)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        ws.write_row(0, 0, heads, F.head)
        ws.freeze_panes(1, 0)
        _print_setup(ws)
        for i, row in enumerate(rows, start=1):
            for j, v in enumerate(row):
                if v is None:
                    ws.write_blank(i, j, None, F.text)
                elif isinstance(v, bool) or isinstance(v, str):
                    ws.write_string(i, j, v if isinstance(v, str) else _mark(v), F.text)
                elif isinstance(v, int) or (isinstance(v, float) and v.is_integer() and j not in (n1 or ())):
                    ws.write_number(i, j, v, F.int)
                else:
                    ws.write_number(i, j, v, n1_fmt if j in (n1 or ()) else F.n3)
        r = len(rows) + 2
        chars = sum(widths) * 0.9 / 2          # CJK characters per line across the merged width
        for text in notes:
            ws.merge_range(r, 0, r, len(heads) - 1, text, F.sub)
            ws.set_row(r, 15 * max(1, -(-len(text) // int(chars))))
            r += 1

    def write(tmp: Path) -> None:
        nonlocal n1_fmt
        wb = new_workbook(tmp)
        F = Formats(wb)
        n1_fmt = F.cell(num_format="0.0")
        cv = []
        for c in doc["counties"]:
            for lv, l in c["levels"].items():
                for s in l["indicators"].values():
                    cv.append((c["county"] or c["county_code"], LEVEL_NAMES[lv], s["name"], s["cv_before"], s["cv_after"],
                               s["threshold"], _mark(s["passed_before"]), _mark(s["passed_after"])))
                cv.append((c["county"] or c["county_code"], LEVEL_NAMES[lv], "综合差异系数", l["composite_before"],
                           l["composite_after"], l["composite_threshold"],
                           *((_mark(l["passed_before"]), _mark(l["passed_after"])) if l["composite_threshold"] is not None
                             else ("—", "—"))))
            cv.append((c["county"] or c["county_code"], "", "县（区）结论", None, None, None, _verdict(c["verdict_before"]),
                       _verdict(c["verdict_after"])))
        sheet(wb, F, "差异系数", ("县区", "学段", "指标", "调整前", "调整后", "标准", "调整前结论", "调整后结论"),
              (14, 8, 40, 12, 12, 10, 12, 12), cv)
        sheet(wb, F, "学校规模", ("学校标识码", "学校名称", "原办学类型", "办学类型", "调整前学生数", "调整后学生数", "规模上限",
                              "小学平均班额", "初中平均班额", "提示"), (14, 26, 16, 16, 12, 12, 10, 12, 12, 40),
              [(s["school_id"], s["name"], school_type_name(s["school_type_before"]) if s["school_type_before"] else "新建",
                school_type_name(s["school_type"]), s["pupils_before"], s["pupils"], s["limit"], s["avg_class_P"],
                s["avg_class_J"], "；".join(s["flag_texts"])) for s in doc["schools"]], n1=(7, 8))
        sheet(wb, F, "单校达标", ("学校标识码", "学校名称", "学段", "调整前学生数", "调整后学生数", "调整前达标指标数",
                              "调整后达标指标数", "调整前", "调整后"), (14, 26, 8, 12, 12, 14, 14, 10, 10),
              [(u["school_id"], u["name"], LEVEL_NAMES[u["level"]], u["students_before"], u["students_after"],
                u["met_before"], u["met_after"], _mark(u["passed_before"]), _mark(u["passed_after"])) for u in doc["units"]])
        sheet(wb, F, "学生转移", ("调整", "原学校标识码", "原学校", "接收学校标识码", "接收学校", "学段", "学生数", "直线距离（公里）"),
              (14, 14, 26, 14, 26, 8, 10, 16),
              [(f"{KINDS[m['kind']]} {m['index']}", m["from_id"], m["from_name"], m["to_id"], m["to_name"],
                "全部" if m["section"] == "all" else SECTION_NAMES[m["section"]], m["pupils"], m["km"]) for m in doc["moves"]],
              notes=[travel_text(doc["travel"])] + [f"注：{n['text']}" for n in doc["notes"]], n1=(7,))
        wb.close()

    return write_atomic(path, write)
