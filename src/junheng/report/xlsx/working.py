"""计算过程: the CVs as live Excel formulas over the per-unit values, so an inspector can recompute
them in Excel or WPS and see that they equal ours.

One block per county and level: per unit 学校标识码, 学校名称, 在校生数 P_i, the weight
``=P_i/SUM(P)`` and one column X_i per indicator; under them, per indicator (the
enrolment-weighted population form, docs/rules.md §1; core/dispersion.py):

    全县平均值  X̄  = SUMPRODUCT(P, X) / SUM(P)
    方差        S² = SUMPRODUCT(P, (X − X̄)^2) / SUM(P)
    标准差      S  = SQRT(S²)
    差异系数    CV = S / X̄          (“无法计算” when X̄ = 0)

then junheng's own CVs as plain numbers beside them (row 差异系数（核对值）, docs/report.md), and 综合差异系数 (basic-2012) or the
informational mean of the CVs (quality-2017) as ``=AVERAGE`` of the CV row. Every formula carries
junheng's value as its cached result, so a viewer that does not recalculate shows the right
number; Excel, WPS and LibreOffice recalculate it from the cells.
"""
from __future__ import annotations

import polars as pl
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from ...schema import LEVEL_NAMES
from ..narrative.numbers import cn_brackets
from ..narrative.common import county_name
from .book import Formats, page_setup, sign_line, wrapped_height, write_head
from .scope import Scope

SHEET = "计算过程"
X0 = 5  # first indicator column
UNDEFINED = "无法计算"


def working_sheet(wb, F: Formats, s: Scope) -> None:
    """Add 计算过程 with one block per county and level of the scope."""
    a = s.a
    inds = a.rules.indicators
    ws = wb.add_worksheet(SHEET)
    last = X0 + len(inds) - 1
    widths = [6, 12, 26, 10, 10] + [13] * len(inds)
    for col, w in enumerate(widths):
        ws.set_column(col, col, w)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, last, f"{s.who()}差异系数计算过程", F.title)
    method = ("按在校生数加权（总体标准差）：全县平均值 X̄ = SUMPRODUCT(P, X) ÷ SUM(P)；"
              "方差 S² = SUMPRODUCT(P, (X − X̄)²) ÷ SUM(P)；标准差 S = √S²；差异系数 = S ÷ X̄。"
              "下列平均值、方差、标准差和差异系数均为公式，可在 Excel / WPS 中重新计算核对。")
    ws.set_row(1, wrapped_height([(method, sum(widths))]))
    ws.merge_range(1, 0, 1, last, method, F.sub)
    ws.set_row(2, 20)
    ws.merge_range(2, 0, 2, last, sign_line(s.sheet_bureau()), F.sign)
    head = ["序号", "学校标识码", "学校名称", "在校生数 P（人）", "权重 P÷ΣP"]
    head += [f"{cn_brackets(i.name)}（{i.unit}）" for i in inds]
    widths = write_head(ws, 3, head, widths, F.head)
    r = 4
    for c in s.counties:
        units = a.units_of(c.county_key)
        for level, lv in c.levels.items():
            u = units.filter(pl.col("level") == level)
            r = _block(ws, F, s, c, level, lv, u, r) + 1
    ws.freeze_panes(4, 3)
    page_setup(ws, repeat=(3, 3))


def _block(ws, F: Formats, s: Scope, c, level: str, lv, u: pl.DataFrame, r: int) -> int:
    """One county and level from row r: a title row, the units, the formulas; returns the last row."""
    inds = s.a.rules.indicators
    last = X0 + len(inds) - 1
    ws.merge_range(r, 0, r, last, f"{county_name(c)}　{LEVEL_NAMES[level]}（{lv.units}个单位，在校生{lv.students}人）",
                   F.boldtext)
    first = r + 1
    end = first + max(u.height, 1) - 1
    P = f"$D${first + 1}:$D${end + 1}"
    total = int(u["students"].sum())
    for k, row in enumerate(u.iter_rows(named=True)):
        i = first + k
        ws.write_number(i, 0, k + 1, F.center)
        ws.write_string(i, 1, row["school_id"], F.text)
        ws.write_string(i, 2, row["name"], F.text)
        ws.write_number(i, 3, int(row["students"]), F.int)
        ws.write_formula(i, 4, f"=D{i + 1}/SUM({P})", F.n6, row["students"] / total if total else 0)
        for j, ind in enumerate(inds):
            ws.write_number(i, X0 + j, row[ind.code], F.value(ind))
    r = end + 1
    rows = {"sum": r, "mean": r + 1, "var": r + 2, "sd": r + 3, "cv": r + 4, "ours": r + 5, "composite": r + 6}
    ws.merge_range(r, 0, r, 2, "合计", F.boldtext)
    ws.write_formula(r, 3, f"=SUM({P})", F.int, total)
    ws.write_formula(r, 4, f"=SUM($E${first + 1}:$E${end + 1})", F.n6, 1 if total else 0)
    for j in range(len(inds)):
        ws.write_blank(r, X0 + j, None, F.text)
    labels = {"mean": "全县平均值 X̄", "var": "方差 S²", "sd": "标准差 S", "cv": "差异系数 S÷X̄",
              "ours": "差异系数（核对值）"}
    for key, label in labels.items():
        i = rows[key]
        ws.merge_range(i, 0, i, 4, label, F.boldtext)
        for j, ind in enumerate(inds):
            st = lv.indicators[ind.code]
            col = xl_col_to_name(X0 + j)
            X = f"{col}${first + 1}:{col}${end + 1}"
            mean, var, sd = (xl_rowcol_to_cell(rows[k], X0 + j) for k in ("mean", "var", "sd"))
            cv = st.cv if st.cv is not None else UNDEFINED
            if key == "mean":
                ws.write_formula(i, X0 + j, f"=SUMPRODUCT({P},{X})/SUM({P})", F.value(ind, "bold"), st.mean)
            elif key == "var":
                ws.write_formula(i, X0 + j, f"=SUMPRODUCT({P},({X}-{mean})^2)/SUM({P})",
                                 F.n2 if ind.unit == "元" else F.n6, st.sd ** 2)
            elif key == "sd":
                ws.write_formula(i, X0 + j, f"=SQRT({var})", F.value(ind, "bold"), st.sd)
            elif key == "cv":
                ws.write_formula(i, X0 + j, f'=IF({mean}=0,"{UNDEFINED}",{sd}/{mean})', F.n6, cv)
            else:
                ws.write(i, X0 + j, cv, F.n6)
    i = rows["composite"]
    quality = s.a.rules.dispersion.test == "each"
    label = "综合差异系数（各项差异系数的平均值）" if not quality else "各项差异系数的平均值（仅供参考，无标准）"
    ws.merge_range(i, 0, i, 4, label, F.boldtext)
    cvs = f"{xl_rowcol_to_cell(rows['cv'], X0)}:{xl_rowcol_to_cell(rows['cv'], last)}"
    value = lv.composite_cv if lv.composite_cv is not None else UNDEFINED
    ws.write_formula(i, X0, f'=IF(COUNT({cvs})={len(inds)},AVERAGE({cvs}),"{UNDEFINED}")', F.n6, value)
    for j in range(1, len(inds)):
        ws.write_blank(i, X0 + j, None, F.text)
    return i
