"""The 采购/建设清单 workbook of ``junheng plan`` (the list a 县政府常务会议 approves): per school and
item the quantity, unit price and amount; totals per item, per township and overall, capital
(一次性) and recurring (每年) apart; the CVs before and after; the unit costs and their sources.
Made with the workbook factory of report/xlsx/book.py (text stays text); written all-or-nothing."""
from __future__ import annotations

from pathlib import Path

from ...report.files import write_atomic
from ...report.safe_xlsx import new_workbook
from ...report.xlsx.book import Formats
from ...schema import LEVEL_NAMES
from ..run import PlanResult
from ..text import ACTIONS, ITEM_NAMES, item_label, status_text
from .curve import SHEET, write_curve_sheet

KIND = {False: "一次性投入", True: "每年支出"}


def _list_sheet(wb, F: Formats, p: PlanResult) -> None:
    ws = wb.add_worksheet("采购建设清单")
    heads = ("县区", "乡镇(街道)", "学校标识码", "学校名称", "措施", "项目", "单位", "数量", "单价（元）", "金额（元）", "类别")
    widths = (12, 14, 14, 26, 10, 24, 6, 10, 12, 14, 10)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    ws.merge_range(0, 0, 0, len(heads) - 1, "义务教育学校填平补齐采购/建设清单", F.title)
    ws.write_row(1, 0, heads, F.head)
    r = 2
    for cp in p.counties:
        for a in cp.actions:
            ws.write_row(r, 0, (cp.county or cp.county_key, a.get("township") or "", a["school_id"], a.get("name") or "",
                                ACTIONS[a["action"]], item_label(a), a["unit"]), F.text)
            ws.write_number(r, 7, a["quantity"], F.int)
            ws.write_number(r, 8, a["unit_cost_yuan"], F.n2)
            ws.write_number(r, 9, a["amount_yuan"], F.n2)
            ws.write_string(r, 10, KIND[a["recurring"]], F.center)
            r += 1


def _totals_sheet(wb, F: Formats, p: PlanResult) -> None:
    ws = wb.add_worksheet("汇总")
    for j, w in enumerate((14, 26, 16, 18, 18)):
        ws.set_column(j, j, w)
    ws.merge_range(0, 0, 0, 4, "填平补齐投入汇总", F.title)
    r = 1
    for cp in p.counties:
        ws.merge_range(r, 0, r, 4, f"{cp.county or cp.county_key}：{status_text(cp.status, cp.gap)}；"
                                   f"经常性支出按 {p.years} 年计", F.sub)
        r += 1
        ws.write_row(r, 0, ("分组", "名称", "一次性投入（元）", "每年支出（元）", f"{p.years} 年合计（元）"), F.head)
        r += 1
        groups: dict[tuple[str, str], list[float]] = {}
        for a in cp.actions:
            for key in (("按项目", f"{ACTIONS[a['action']]}：{ITEM_NAMES[a['cost_item']]}"),
                        ("按乡镇", a.get("township") or "（未填乡镇）")):
                g = groups.setdefault(key, [0.0, 0.0])
                g[1 if a["recurring"] else 0] += a["amount_yuan"]
        rows = sorted(groups.items(), key=lambda kv: (kv[0][0] != "按项目", kv[0][1]))
        rows.append((("合计", "全县"), [cp.capital_yuan, cp.recurring_yuan_per_year]))
        for (group, name), (cap, rec) in rows:
            ws.write_row(r, 0, (group, name), F.text)
            ws.write_number(r, 2, cap, F.n2)
            ws.write_number(r, 3, rec, F.n2)
            ws.write_number(r, 4, cap + rec * p.years, F.n2)
            r += 1
        r += 1


def _cv_sheet(wb, F: Formats, p: PlanResult) -> None:
    ws = wb.add_worksheet("实施前后")
    for j, w in enumerate((14, 8, 40, 12, 12, 10)):
        ws.set_column(j, j, w)
    ws.write_row(0, 0, ("县区", "学段", "指标", "实施前差异系数", "实施后差异系数", "标准"), F.head)
    after = {c.county_key: c for c in p.after.counties}
    r = 1
    for b in p.before.counties:
        a = after[b.county_key]
        for lv, lr in b.levels.items():
            for code, s in lr.indicators.items():
                ws.write_row(r, 0, (b.county or b.county_key, LEVEL_NAMES[lv], s.name), F.text)
                for j, v in ((3, s.cv), (4, a.levels[lv].indicators[code].cv),
                             (5, s.threshold if s.threshold is not None else lr.composite_threshold)):
                    ws.write_number(r, j, v, F.n3) if v is not None else ws.write_blank(r, j, None, F.text)
                r += 1
        ws.write_row(r, 0, (b.county or b.county_key, "", "未达标单位数"), F.text)
        ws.write_number(r, 3, b.units_failed, F.int)
        ws.write_number(r, 4, a.units_failed, F.int)
        ws.write_blank(r, 5, None, F.text)
        r += 1


def _costs_sheet(wb, F: Formats, p: PlanResult) -> None:
    ws = wb.add_worksheet("单价依据")
    for j, w in enumerate((26, 12, 10, 10, 80)):
        ws.set_column(j, j, w)
    ws.write_row(0, 0, ("项目", "单价（元）", "类别", "是否假设", "依据"), F.head)
    for r, (code, c) in enumerate(p.costs.items.items(), start=1):
        ws.write_string(r, 0, ITEM_NAMES[code], F.text)
        ws.write_number(r, 1, c.yuan, F.n2)
        ws.write_row(r, 2, (KIND[c.kind == "recurring"], "是" if c.assumption else "否", c.source), F.text)


def write_plan_xlsx(p: PlanResult, path: str | Path) -> Path:
    """Write the workbook to ``path`` all-or-nothing (sheets 汇总, 采购建设清单, 实施前后, 单价依据;
    with a curve, 投入达标曲线 per county, plan/output/curve.py; for the rotation plan 交流轮岗汇总,
    交流轮岗名单, 实施前后).
    Raises OSError when it cannot be written."""
    def write(tmp: Path) -> None:
        wb = new_workbook(tmp)
        F = Formats(wb)
        if p.objective == "rotation":  # the 交流轮岗 plan: no purchases
            from .rotation import rotation_sheets

            rotation_sheets(wb, F, p)
            _cv_sheet(wb, F, p)
        else:
            _totals_sheet(wb, F, p)
            _list_sheet(wb, F, p)
            _cv_sheet(wb, F, p)
            _costs_sheet(wb, F, p)
        for k, cp in enumerate(c for c in p.counties if c.county_key in p.curves):
            name = SHEET if len(p.curves) == 1 else f"{SHEET}{k + 1}"
            write_curve_sheet(wb, F, p.curves[cp.county_key], p.rules.unit_rule is not None,
                              f"{cp.county or cp.county_key}投入—达标曲线", name)
        wb.close()

    return write_atomic(path, write)
