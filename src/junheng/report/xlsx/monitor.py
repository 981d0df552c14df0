"""The Excel workbook of the annual monitoring (``junheng monitor -f xlsx``): sheets 差异系数逐年,
学校变动, 单校达标, 退步, 预警, 班额校额 and 大班额明细; the workbook comes from
report/safe_xlsx.new_workbook (text stays text) with the shared formats of report/xlsx/book.py, and
is written all-or-nothing. Numbers are full precision with the Ministry's display format; words
from report/narrative/monitor.py."""
from __future__ import annotations

from pathlib import Path

from ...analysis.monitor import MonitorResult
from ...schema import LEVEL_NAMES
from ..files import write_atomic
from ..narrative.monitor import (BAND_NAMES, CHANGE_NAMES, KIND_NAMES, SEVERITY_NAMES, SOURCE_NAMES, county_label, item_text,
                                 severity_meaning)
from ..safe_xlsx import new_workbook
from .book import CV_FORMAT, SHORT, Formats, page_setup, wrapped_height


#: The sheets of this workbook: a file with these is junheng's own output, not a school table
#: (``junheng monitor 文件夹`` skips it).
SHEETS = ("差异系数逐年", "学校变动", "单校达标", "退步", "预警", "班额校额", "大班额明细")


def _sheet(wb, F: Formats, name: str, title: str, heads: list[str], widths: list[int]):
    """A sheet as report/xlsx lays them out: title row 30 pt high, the wrapped header row as high as
    its longest head, frozen below the header, A4 landscape one page wide with the header repeated."""
    ws = wb.add_worksheet(name)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, len(heads) - 1, title, F.title)
    ws.set_row(1, wrapped_height(list(zip(heads, widths))))
    ws.write_row(1, 0, heads, F.head)
    ws.freeze_panes(2, 0)
    page_setup(ws, repeat=(1, 1))
    ws.widths = widths  # for _text_row's heights
    return ws


def _text_row(ws, r: int, values, F: Formats, first: int = 0) -> None:
    """Wrapped text cells from column ``first``; the row as high as its longest text."""
    ws.write_row(r, first, values, F.text)
    ws.set_row(r, wrapped_height([(str(v), ws.widths[first + j]) for j, v in enumerate(values)]))


def _num(ws, r: int, j: int, v, fmt, F: Formats) -> None:
    if v is None:
        ws.write_string(r, j, "—", F.center)
    else:
        ws.write_number(r, j, v, fmt)


def _series_sheet(wb, F: Formats, m: MonitorResult) -> None:
    years = m.years
    heads = ["县区", "学段", "指标", *[f"{y}年差异系数" for y in years], "标准（≤）", f"{years[-1]}年预警",
             *[f"{y}年均值" for y in years]]
    ws = _sheet(wb, F, "差异系数逐年", f"差异系数逐年变化（{m.rules.name}）", heads,
                [14, 6, 30, *[11] * len(years), 9, 10, *[11] * len(years)])
    bad = F.cell(num_format=CV_FORMAT, align="center", **SHORT)  # failing: grey, bold, still 0.000
    r = 2
    for c in m.counties:
        for level, lv in c["levels"].items():
            items = [(s["name"], s["series"], s["threshold"]) for s in lv["indicators"].values()]
            items.append(("综合差异系数", lv["composite"]["series"], lv["composite"]["threshold"]))
            for name, series, thr in items:
                _text_row(ws, r, (county_label(c), LEVEL_NAMES[level], name), F)
                for j, p in enumerate(series):
                    _num(ws, r, 3 + j, p["cv"], bad if p["passed"] is False else F.n3, F)
                _num(ws, r, 3 + len(years), thr, F.limit, F)
                w = series[-1]["warning"]
                ws.write_string(r, 4 + len(years), SEVERITY_NAMES.get(w, "") if w else "", F.center)
                for j, p in enumerate(series):
                    if "mean" in p:  # the composite has no mean
                        _num(ws, r, 5 + len(years) + j, p["mean"], F.n3, F)
                    else:
                        ws.write_string(r, 5 + len(years) + j, "", F.center)
                r += 1


def _changes_sheet(wb, F: Formats, m: MonitorResult) -> None:
    ws = _sheet(wb, F, "学校变动", "学校变动（按学校标识码逐年对应）",
                ["县区", "年度", "变动", "学校标识码", "学校名称", "原名称", "并入学校标识码", "并入学校", "在校生", "并入学校在校生增加"],
                [14, 7, 10, 13, 26, 26, 13, 26, 9, 12])
    r = 2
    for c in m.counties:
        for y, ch in c["schools"].items():
            for kind in ("new", "closed", "renamed", "merged"):
                for row in ch[kind]:
                    _text_row(ws, r, (county_label(c), f"{y}年", CHANGE_NAMES[kind], row["school_id"], row["name"] or "",
                                      row.get("old_name") or "", row.get("into_id") or "", row.get("into_name") or ""), F)
                    _num(ws, r, 8, row.get("pupils"), F.int, F)
                    _num(ws, r, 9, row.get("increase"), F.int, F)
                    r += 1


def _units_sheet(wb, F: Formats, m: MonitorResult) -> None:
    years = m.years
    ws = _sheet(wb, F, "单校达标", "各学校（学段）逐年达标情况",
                ["县区", "学校标识码", "学校名称", "学段", *[f"{y}年" for y in years],
                 *[f"{y}年达标项数" for y in years], f"{years[-1]}年预警"],
                [14, 13, 26, 6, *[8] * len(years), *[10] * len(years), 10])
    r = 2
    for c in m.counties:
        for u in c["units"]:
            _text_row(ws, r, (county_label(c), u["school_id"], u["name"] or "", LEVEL_NAMES[u["level"]]), F)
            for j, y in enumerate(years):
                mark = u["marks"][str(y)]
                ws.write_string(r, 4 + j, {True: "达标", False: "未达标", None: "—"}[mark],
                                F.verdict(mark) if mark is not None else F.center)
                _num(ws, r, 4 + len(years) + j, u["met_count"][str(y)], F.int, F)
            ws.write_string(r, 4 + 2 * len(years), SEVERITY_NAMES.get(u["warning"], "") if u["warning"] else "", F.center)
            r += 1
    if m.rules.unit_rule is None:
        ws.write_string(r, 0, f"{m.rules.name}没有单校达标标准，本表为空。", F.sub)


def _list_sheets(wb, F: Formats, m: MonitorResult) -> None:
    ws = _sheet(wb, F, "退步", "退步：由达标变为未达标", ["县区", "年度", "类别", "项目", "上一年", "本年", "标准（≤）"],
                [14, 7, 12, 40, 10, 10, 9])
    r = 2
    for c in m.counties:
        for g in c["regressions"]:
            _text_row(ws, r, (county_label(c), f"{g['year']}年", KIND_NAMES[g["kind"]], item_text(g, m)), F)
            _num(ws, r, 4, g.get("before"), F.n3, F)
            _num(ws, r, 5, g.get("after"), F.n3, F)
            _num(ws, r, 6, g.get("threshold"), F.limit, F)
            r += 1
    ws = _sheet(wb, F, "预警", f"{m.years[-1]}年预警", ["县区", "预警级别", "项目", "当前值", "标准（≤）", "含义"],
                [14, 10, 40, 10, 9, 40])
    r = 2
    for c in m.counties:
        for w in c["warnings"]:
            _text_row(ws, r, (county_label(c), SEVERITY_NAMES[w["severity"]], item_text(w, m), "", "",
                              severity_meaning(w["severity"], m)), F)
            if w["kind"] == "unit":
                _num(ws, r, 3, w["value"], F.int, F)
            else:
                _num(ws, r, 3, w["value"], F.n3, F)
            _num(ws, r, 4, w["threshold"], F.limit, F)
            r += 1


def _size_sheets(wb, F: Formats, m: MonitorResult) -> None:
    s = m.settings
    ws = _sheet(wb, F, "班额校额", "大班额、超大班额与超规模学校",
                ["县区", "年度", "班额数据", "统计的班（学段）数", f"大班额（{s.big_class}—{s.huge_class - 1}人）",
                 f"超大班额（{s.huge_class}人及以上）", "学校数", "超规模学校", "最大校额（人）"],
                [14, 7, 30, 12, 14, 14, 8, 10, 12])
    r = 2
    for c in m.counties:
        for y in m.years:
            cs, ss = c["class_size"][str(y)], c["school_size"][str(y)]
            _text_row(ws, r, (county_label(c), f"{y}年", SOURCE_NAMES[cs.get("source")]), F)
            _num(ws, r, 3, cs.get("classes", cs.get("sections")), F.int, F)
            _num(ws, r, 4, cs.get("big"), F.int, F)
            _num(ws, r, 5, cs.get("huge"), F.int, F)
            for j, k in ((6, "schools"), (7, "over"), (8, "largest")):
                _num(ws, r, j, None if ss is None else ss[k], F.int, F)
            r += 1
    ws = _sheet(wb, F, "大班额明细", "大班额、超大班额明细（按平均班额统计时为该校学段的平均值）",
                ["县区", "年度", "学校标识码", "学校名称", "学段", "班级", "类别", "人数（平均班额）", "在校生", "班数"],
                [14, 7, 13, 26, 6, 12, 10, 14, 9, 8])
    r = 2
    for c in m.counties:
        for y in m.years:
            for row in c["class_size"][str(y)].get("rows", []):
                _text_row(ws, r, (county_label(c), f"{y}年", row["school_id"], row["name"] or "",
                                  LEVEL_NAMES[row["level"]], row.get("class_name") or "（平均）", BAND_NAMES[row["band"]]), F)
                _num(ws, r, 7, row.get("size", row.get("average")), F.n2 if "average" in row else F.int, F)
                _num(ws, r, 8, row.get("students"), F.int, F)
                _num(ws, r, 9, row.get("classes"), F.int, F)
                r += 1


def write_monitor_xlsx(m: MonitorResult, path: str | Path) -> Path:
    """Write the workbook (module doc) to ``path`` all-or-nothing; returns the path. Raises
    OSError when it cannot be written."""
    def write(p: Path) -> None:
        wb = new_workbook(p)
        F = Formats(wb)
        for sheets in (_series_sheet, _changes_sheet, _units_sheet, _list_sheets, _size_sheets):
            sheets(wb, F, m)
        wb.close()

    return write_atomic(path, write)
