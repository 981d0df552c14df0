"""The 交流轮岗 plan on screen and in the workbook: the quota and what the moves achieve, the
teacher indicators' CVs before and after, and the list of moves (sheet 交流轮岗名单: 调出学校,
调入学校, 教师类别, 人数). Formatting only."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ...report.narrative.numbers import fmt_count, fmt_num, fmt_pct
from ...schema import LEVEL_NAMES
from ..run import PlanResult
from ..rotation_text import KIND_NAMES, STATUS


def quota_line(cp) -> str:
    """The quota and the plan's counts as one sentence."""
    r = cp.rotation
    share = r["backbone_rotated"] / r["rotated"] if r["rotated"] else 0.0
    cap = f"，上限 {r['max_rotated']} 人" if r.get("max_rotated") is not None else ""
    e = r["eligible_teachers"]
    return (f"符合交流条件教师 {fmt_count(e) if e == int(e) else fmt_num(e, 1)} 人，须交流不少于 {r['required_rotated']} 人"
            f"（{r['min_rotated_percent']:g}%{cap}），其中骨干教师不低于 {r['min_backbone_percent']:g}%；"
            f"本方案交流 {r['rotated']} 人，其中骨干教师 {r['backbone_rotated']} 人（{fmt_pct(share)}）")


def _moves(cp) -> list[dict]:
    return [a for a in cp.actions if a["action"] == "move_out"]


def print_rotation(p: PlanResult, con: Console) -> None:
    """Print the rotation plan of every county to ``con``."""
    before = {c.county_key: c for c in p.before.counties}
    after = {c.county_key: c for c in p.after.counties}
    for cp in p.counties:
        con.print(f"{cp.county or cp.county_key}（{p.rules.short or p.rules.name}，交流轮岗方案）", style="bold")
        con.print(f"状态：{STATUS[cp.status]}")
        if cp.status == "infeasible":
            con.print("受以下约束限制：", style="red")
            for b in cp.blocking[:30]:
                con.print(f"  {b['text']}", markup=False)
            continue
        if cp.rotation is None:
            continue
        r = cp.rotation
        con.print(quota_line(cp))
        con.print(f"教师类指标全部达标的学校（学段）：{r['units_meeting_before']} → {r['units_meeting_after']}"
                  f" / {r['units_with_needs']}（可证明的最多 {r['bound_units']}）")
        b, a = before[cp.county_key], after[cp.county_key]
        t = Table(title="教师类指标差异系数（实施前 → 实施后）")
        for h in ("学段", "指标", "实施前", "实施后", "标准"):
            t.add_column(h)
        for lv, lr in b.levels.items():
            for code in r["teacher_indicators"]:
                s = lr.indicators.get(code)
                if s is None:
                    continue
                t.add_row(LEVEL_NAMES[lv], s.name, fmt_num(s.cv), fmt_num(a.levels[lv].indicators[code].cv),
                          "" if s.threshold is None else f"{s.threshold:g}")
        con.print(t)
        sums: dict[tuple[str, str], list[int]] = {}
        for m in _moves(cp):
            s = sums.setdefault((m["level"], m["kind"]), [0, 0])
            s[0] += m["quantity"]
            s[1] += 1
        t = Table(title="交流人数（按学段、教师类别）")
        for h in ("学段", "教师类别", "人数", "调动对数"):
            t.add_column(h)
        for (lv, kind), (q, n) in sorted(sums.items(), key=lambda kv: (kv[0][0] != "primary", list(KIND_NAMES).index(kv[0][1]))):
            t.add_row(LEVEL_NAMES[lv], KIND_NAMES[kind], fmt_count(q), fmt_count(n))
        con.print(t)
        con.print("逐校名单请用 --format xlsx（交流轮岗名单）或 --format json 查看。", style="dim")


def _page(ws) -> None:
    """A4 landscape, one page wide."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()


def rotation_sheets(wb, F, p: PlanResult) -> None:
    """Sheets 交流轮岗汇总 (per county: quota, counts, units meeting their teacher indicators) and
    交流轮岗名单 (per move: 县区, 学段, 调出学校, 调入学校, 教师类别, 人数)."""
    ws = wb.add_worksheet("交流轮岗汇总")
    heads = ("县区", "状态", "符合交流条件教师数", "应交流人数", "交流人数", "其中骨干教师", "骨干占比",
             "教师类指标达标学校（实施前）", "教师类指标达标学校（实施后）", "说明")
    for j, w in enumerate((12, 12, 10, 8, 8, 8, 8, 12, 12, 44)):
        ws.set_column(j, j, w)
    _page(ws)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, len(heads) - 1, "义务教育学校教师交流轮岗方案汇总", F.title)
    ws.set_row(1, 42)
    ws.write_row(1, 0, heads, F.head)
    for r, cp in enumerate(p.counties, start=2):
        ws.set_row(r, 15 * (2 + len(cp.blocking) if cp.status == "infeasible" else 4))
        ws.write_row(r, 0, (cp.county or cp.county_key, STATUS[cp.status]), F.text)
        q = cp.rotation
        if cp.status == "infeasible" or q is None or "rotated" not in q:
            for j in range(2, 9):
                ws.write_blank(r, j, None, F.text)
            ws.write_string(r, 9, "；".join(b["text"] for b in cp.blocking), F.text)
            continue
        ws.write_number(r, 2, q["eligible_teachers"], F.gen)
        for j, k in ((3, "required_rotated"), (4, "rotated"), (5, "backbone_rotated")):
            ws.write_number(r, j, q[k], F.int)
        ws.write_number(r, 6, q["backbone_rotated"] / q["rotated"] if q["rotated"] else 0.0, F.pct)
        ws.write_number(r, 7, q["units_meeting_before"], F.int)
        ws.write_number(r, 8, q["units_meeting_after"], F.int)
        ws.write_string(r, 9, quota_line(cp), F.text)
    ws = wb.add_worksheet("交流轮岗名单")
    heads = ("县区", "学段", "调出学校标识码", "调出学校", "调出学校乡镇", "调入学校标识码", "调入学校", "调入学校乡镇",
             "教师类别", "人数")
    for j, w in enumerate((10, 6, 12, 24, 10, 12, 24, 10, 26, 6)):
        ws.set_column(j, j, w)
    _page(ws)
    ws.repeat_rows(1)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, len(heads) - 1, "义务教育学校教师交流轮岗名单", F.title)
    ws.set_row(1, 30)
    ws.write_row(1, 0, heads, F.head)
    r = 2
    for cp in p.counties:
        acts = cp.actions
        for out, inn in zip(acts[0::2], acts[1::2]):
            ws.write_row(r, 0, (cp.county or cp.county_key, LEVEL_NAMES[out["level"]], out["school_id"],
                                out.get("name") or "", out.get("township") or "", inn["school_id"],
                                inn.get("name") or "", inn.get("township") or "", KIND_NAMES[out["kind"]]), F.text)
            ws.write_number(r, 9, out["quantity"], F.int)
            r += 1
    ws.freeze_panes(2, 0)
