"""The Chinese wording of the annual monitoring (年度监测复查, analysis/monitor.py): the names of
the 预警 levels, changes and regressions, one sentence per finding, and the 监测复查 report as blocks
(narrative/blocks.py) for the Word and HTML writers. The screen table (report/console/monitor.py)
and the Excel workbook (report/xlsx/monitor.py) take their words from here.
"""
from __future__ import annotations

from typing import Any

from ...analysis.monitor import SEVERITIES, MonitorResult, counts
from ...schema import LEVEL_NAMES
from .blocks import Block, Figure, Heading, Para, Table
from .common import Numbering, cn, title_break
from .numbers import fmt_count, fmt_num, fmt_pct, fmt_plain, fmt_verdict

SEVERITY_NAMES = {"red": "红色预警", "orange": "橙色预警", "yellow": "黄色预警"}
CHANGE_NAMES = {"new": "新增", "closed": "撤销或停办", "renamed": "更名", "merged": "疑似并入"}
KIND_NAMES = {"county": "全县结论", "composite": "综合差异系数", "indicator_cv": "差异系数", "unit": "单校达标"}
BAND_NAMES = {"big": "大班额", "huge": "超大班额"}
SOURCE_NAMES = {"class_list": "县级数据表班级名单（逐班）", "average": "学校表班数（按校平均班额）", None: "无班数数据"}


def severity_meaning(sev: str, m: MonitorResult) -> str:
    """What a 预警 level means under the run's settings (docs/monitor.md)."""
    s = m.settings
    return {"red": "未达到标准",
            "orange": f"达到标准，但与标准的差距在 {fmt_pct(s.margin, 0)} 以内",
            "yellow": f"连续 {s.worse_years} 年变差（差异系数上升或单校达标项数减少）"}[sev]


def county_label(c: dict[str, Any]) -> str:
    """The county's name, else its code, else 本县."""
    return c["county"] or c["county_code"] or "本县"


def year_span(years: list[int]) -> str:
    """“2022—2024年”."""
    return f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"


def indicator_names(m: MonitorResult) -> dict[str, str]:
    return {i.code: i.name for i in m.rules.indicators}


def item_text(r: dict[str, Any], m: MonitorResult) -> str:
    """What a regression or 预警 is about: “小学生均图书册数差异系数”, “初中综合差异系数”,
    “第四小学（小学部分）单校达标”, “全县结论”."""
    lv = LEVEL_NAMES.get(r.get("level") or "", "")
    if r["kind"] == "indicator_cv":
        return f"{lv}{indicator_names(m).get(r['indicator'], r['indicator'])}差异系数"
    if r["kind"] == "composite":
        return f"{lv}综合差异系数"
    if r["kind"] == "unit":
        return f"{r.get('name') or r.get('school_id')}（{lv}）单校达标"
    return "全县评估结论"


def regression_text(r: dict[str, Any], m: MonitorResult) -> str:
    """One regression as a sentence fragment: “2024年小学生均图书册数差异系数由0.482升至0.531（标准≤0.50），由达标变为未达标”."""
    what = item_text(r, m)
    if r["kind"] in ("indicator_cv", "composite"):
        return (f"{r['year']}年{what}由{fmt_num(r['before'])}升至{fmt_num(r['after'])}"
                f"（标准≤{fmt_num(r['threshold'], 2)}），由达标变为未达标")
    return f"{r['year']}年{what}由达标变为未达标"


def warning_value(w: dict[str, Any]) -> str:
    """The current value of a 预警 item as display text."""
    if w["kind"] == "unit":
        return "—" if w["value"] is None else f"{w['value']}项达标"
    return fmt_num(w["value"], undefined="—")


def change_text(kind: str, row: dict[str, Any]) -> str:
    """One school change: “均衡示例县第四小学（2152000004，在校生2157人）”, “原名…，现名…”, “…疑似并入…”."""
    if kind == "renamed":
        return f"原名{row['old_name']}，现名{row['name']}（{row['school_id']}）"
    if kind == "merged":
        return (f"{row['name']}（{row['school_id']}，在校生{row['pupils']}人）疑似并入{row['into_name']}"
                f"（{row['into_id']}，在校生增加{row['increase']}人）")
    pupils = f"，在校生{row['pupils']}人" if row.get("pupils") is not None else ""
    return f"{row['name']}（{row['school_id']}{pupils}）"


def missing_text(c: dict[str, Any], m: MonitorResult) -> str:
    """The one warning for a county absent from some years' tables (``missing_years``), or "":
    “监测示例县：2023年的学校数据表（2023.xlsx）中没有该县（区）的学校，该年度无法评估，学校变动不与该年度比较；请补齐该年度的数据。”."""
    gone = c.get("missing_years") or []
    if not gone:
        return ""
    files = "、".join(f"{y}年的学校数据表（{m.sources.get(y) or '未命名'}）" for y in gone)
    return (f"{county_label(c)}：{files}中没有该县（区）的学校，"
            f"{'该年度' if len(gone) == 1 else '这些年度'}无法评估，学校变动不与{'该年度' if len(gone) == 1 else '这些年度'}比较"
            f"（不按撤销或新增计）；请补齐数据。")


def class_size_text(cs: dict[str, Any], m: MonitorResult) -> str:
    """One year's class sizes as a sentence."""
    s = m.settings
    if cs.get("source") is None:
        return "学校表中没有班数，无法统计班额。"
    if cs["source"] == "class_list":
        return (f"逐班统计，共{cs['classes']}个班，其中大班额（{s.big_class}—{s.huge_class - 1}人）{cs['big']}个、"
                f"超大班额（{s.huge_class}人及以上）{cs['huge']}个。")
    return (f"按学校表班数计算平均班额（在校生数÷班数，为平均值，个别班级超员而平均不超的不能发现），"
            f"{cs['sections']}个学校学段中平均班额在{s.big_class}—{s.huge_class - 1}人的{cs['big']}个、"
            f"{s.huge_class}人及以上的{cs['huge']}个。")


def school_size_text(ss: dict[str, Any] | None, m: MonitorResult) -> str:
    if ss is None:
        return ""
    lim = m.school_size_limits
    return (f"义务教育学校{ss['schools']}所，最大规模{ss['largest']}人；超过规模上限（一贯制学校{fmt_plain(lim['combined'])}人，"
            f"其他学校{fmt_plain(lim['single'])}人）的{ss['over']}所。")


def monitor_title(m: MonitorResult) -> str:
    """“均衡示例县义务教育均衡发展年度监测复查报告” (one county) or “义务教育均衡发展年度监测复查报告”."""
    who = county_label(m.counties[0]) if len(m.counties) == 1 else ""
    return f"{who}义务教育均衡发展年度监测复查报告"


def _cv_table(c: dict[str, Any], level: str, m: MonitorResult, num: Numbering) -> Table:
    lv = c["levels"][level]
    years = m.years
    rows, marks = [], []
    for code, s in lv["indicators"].items():
        rows.append([s["name"], *[fmt_num(p["cv"], undefined="—") for p in s["series"]],
                     "—" if s["threshold"] is None else fmt_num(s["threshold"], 2)])
        marks.append([None, *["bad" if p["passed"] is False else None for p in s["series"]], None])
    comp = lv["composite"]
    rows.append(["综合差异系数", *[fmt_num(p["cv"], undefined="—") for p in comp["series"]],
                 "—" if comp["threshold"] is None else fmt_num(comp["threshold"], 2)])
    marks.append([None, *["bad" if p["passed"] is False else None for p in comp["series"]], None])
    return Table(["指标", *[f"{y}年" for y in years], "标准（≤）"], rows,
                 num.t(f"{county_label(c)}{LEVEL_NAMES[level]}各项指标差异系数（{year_span(years)}）"),
                 [4.0, *[1.0] * len(years), 1.0], marks, bold_last=True, left=(0,))


def county_blocks(c: dict[str, Any], m: MonitorResult, charts: dict[str, tuple[bytes, str]], num: Numbering,
                  top: int) -> list[Block]:
    """The 监测复查 section of one county; top: the heading level of its parts (1 or 2)."""
    years = m.years
    out: list[Block] = []
    k = 0

    def head(text: str) -> None:
        nonlocal k
        k += 1
        out.append(Heading(f"{cn(k)}、{text}" if top == 1 else f"（{cn(k)}）{text}", top))

    head("评估结论")
    gone = set(c.get("missing_years") or [])
    verdicts = "；".join(f"{y}年{'无数据' if int(y) in gone else fmt_verdict(v)}" for y, v in c["verdicts"].items())
    n = counts(c)
    out.append(Para(f"按{m.rules.name}的资源配置指标逐年评估：{verdicts}。"
                    f"{years[-1]}年共有红色预警{n['red']}项、橙色预警{n['orange']}项、黄色预警{n['yellow']}项"
                    + (f"，比上一年退步{n['regressions_last_year']}项。" if n["regressions_last_year"] else "。")))

    head("学校变动情况")
    said = False
    if gone:
        said = True
        out.append(Para(missing_text(c, m)))
    for y, ch in c["schools"].items():
        parts = []
        for kind in ("new", "closed", "renamed", "merged"):
            if ch[kind]:
                parts.append(f"{CHANGE_NAMES[kind]}{len(ch[kind])}所：" + "；".join(change_text(kind, r) for r in ch[kind]))
        if parts:
            said = True
            out.append(Para(f"{y}年与上一年相比，" + "。".join(parts) + "。"))
    if not said:
        out.append(Para("各年度学校（按学校标识码）没有新增、撤销或更名。"))
    out.append(Para("学校按学校标识码逐年对应；“疑似并入”指撤销的学校所在乡镇（街道）另有一所学校在校生增加了"
                    f"该校在校生的{fmt_pct(m.settings.merge_share, 0)}以上，需核实。", note=True))

    head("差异系数变化情况")
    for level in c["levels"]:
        out.append(_cv_table(c, level, m, num))
        key = f"{level}_trend"
        if key in charts:
            png, caption = charts[key]
            out.append(Figure(png, num.f(f"{county_label(c)}{caption}")))

    head("退步情况")
    regs = [r for r in c["regressions"] if r["kind"] != "unit"]
    units = [r for r in c["regressions"] if r["kind"] == "unit"]
    if regs:
        out.append(Para("；".join(regression_text(r, m) for r in regs) + "。"))
    if units:
        by_year: dict[int, list[str]] = {}
        for r in units:
            by_year.setdefault(r["year"], []).append(f"{r['name']}（{LEVEL_NAMES[r['level']]}）")
        out.append(Para("由达标变为未达标的学校：" + "；".join(f"{y}年{len(v)}所：{'、'.join(v)}" for y, v in by_year.items())
                        + "。"))
    if not regs and not units:
        out.append(Para("各年度没有由达标变为未达标的指标、学段或学校。"))
    if m.rules.unit_rule is not None and c["units"]:
        per = []
        for y in years:
            marks = [u["marks"][str(y)] for u in c["units"] if u["marks"][str(y)] is not None]
            per.append(f"{y}年{sum(marks)}/{len(marks)}")
        out.append(Para("达标学校（学段）数/参评数：" + "，".join(per) + "。"))

    head(f"{years[-1]}年预警")
    warns = [w for w in c["warnings"] if w["kind"] != "unit"]
    if warns:
        rows = [[SEVERITY_NAMES[w["severity"]], item_text(w, m), warning_value(w),
                 "—" if w["threshold"] is None else f"≤{fmt_num(w['threshold'], 2)}"] for w in warns]
        marks = [["bad" if w["severity"] == "red" else None, None, None, None] for w in warns]
        out.append(Table(["预警级别", "项目", "当前值", "标准"], rows, num.t(f"{county_label(c)}{years[-1]}年差异系数预警清单"),
                         [1.2, 4.0, 1.3, 1.0], marks, left=(1,)))
    schools = [w for w in c["warnings"] if w["kind"] == "unit"]
    for sev in SEVERITIES:
        mine = [w for w in schools if w["severity"] == sev]
        if mine:
            out.append(Para(f"单校{SEVERITY_NAMES[sev]}{len(mine)}所（学段）："
                            + "、".join(f"{w['name']}（{LEVEL_NAMES[w['level']]}，{warning_value(w)}）" for w in mine) + "。"))
    if not c["warnings"]:
        out.append(Para("没有需要预警的指标和学校。"))
    out.append(Para("预警级别：" + "；".join(f"{SEVERITY_NAMES[s]}为{severity_meaning(s, m)}" for s in SEVERITIES)
                    + "。同一项目按最高级别计。", note=True))

    head("班额与学校规模")
    rows = []
    for y in years:
        cs, ss = c["class_size"][str(y)], c["school_size"][str(y)]
        src = cs.get("source")
        rows.append([f"{y}年", SOURCE_NAMES[src], "—" if src is None else fmt_count(cs["big"]),
                     "—" if src is None else fmt_count(cs["huge"]), "—" if ss is None else fmt_count(ss["over"]),
                     "—" if ss is None else fmt_count(ss["largest"])])
    out.append(Table(["年度", "班额数据", "大班额", "超大班额", "超规模学校", "最大校额"], rows,
                     num.t(f"{county_label(c)}大班额、超大班额与超规模学校（{year_span(years)}）"),
                     [1.0, 3.2, 1.0, 1.1, 1.1, 1.1], left=(1,)))
    last = c["class_size"][str(years[-1])]
    out.append(Para(f"{years[-1]}年：" + class_size_text(last, m) + school_size_text(c["school_size"][str(years[-1])], m)))
    flagged = [r for r in last.get("rows", [])][:15]
    if flagged:
        named = "、".join(f"{r['name']}（{LEVEL_NAMES[r['level']]}，"
                         + (f"{r['class_name']}{r['size']}人" if "size" in r else f"平均{fmt_num(r['average'], 1)}人")
                         + "）" for r in flagged)
        more = len(last["rows"]) - len(flagged)
        out.append(Para(f"{BAND_NAMES['big']}及{BAND_NAMES['huge']}：{named}" + (f"等（另有{more}处）" if more > 0 else "") + "。"))
    return out


def monitor_blocks(m: MonitorResult, charts: dict[str, dict[str, tuple[bytes, str]]]) -> list[Block]:
    """The whole 监测复查 report: title, preface, then per county its section (:func:`county_blocks`).
    charts: per county key, chart key (``{level}_trend``) → (PNG, caption)."""
    num = Numbering()
    out: list[Block] = [Heading(title_break(monitor_title(m)), 0), Heading(f"（{year_span(m.years)}）", -1)]
    who = county_label(m.counties[0]) if len(m.counties) == 1 else f"{len(m.counties)}个县（区）"
    out.append(Para(f"依据{m.rules.document}，对{who}{year_span(m.years)}义务教育学校基础数据"
                    f"逐年进行监测复查：按同一评估办法计算各项指标的差异系数和综合差异系数，逐年对照，"
                    f"列出学校变动、由达标变为未达标的项目（退步）、预警以及大班额、超大班额和超规模学校情况。"))
    several = len(m.counties) > 1
    for k, c in enumerate(m.counties, 1):
        key = c["county_code"] or c["county"]
        if several:
            out.append(Heading(f"{cn(k)}、{county_label(c)}", 1))
        out += county_blocks(c, m, charts.get(key, {}), num, 2 if several else 1)
    return out
