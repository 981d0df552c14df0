"""Chinese wording of the planner's results (status, actions, blocking constraints); numbers
through report/narrative/numbers.py. No computation here."""
from __future__ import annotations

from ..report.narrative.numbers import fmt_num, fmt_pct, fmt_wan
from ..rules.loader import RulePack
from ..schema import LEVEL_NAMES

STATUS = {"optimal": "已证明最优", "feasible": "可行方案（未证明最优）", "infeasible": "无法达标"}
ACTIONS = {"build": "新建", "buy": "购置", "hire": "招聘", "train": "学历提升", "designate": "认定骨干",
           "promote": "晋升中级职称", "move_out": "交流调出", "move_in": "交流调入"}
ITEM_NAMES = {
    "teaching_area_m2": "教学及辅助用房", "indoor_sports_m2": "室内体育用房", "sports_ground_m2": "运动场地",
    "equipment_value_yuan": "教学仪器设备", "teaching_computers": "教学用计算机", "books": "图书",
    "multimedia_rooms": "网络多媒体教室", "qualified_teachers": "专任教师（高于规定学历）",
    "pe_teachers": "体育教师", "music_teachers": "音乐教师", "art_teachers": "美术教师",
    "backbone_teachers": "县级以上骨干教师", "train_qualified_teachers": "在职教师学历提升",
    "designate_backbone_teachers": "认定县级骨干教师", "promote_senior_title_teachers": "晋升中级职称",
}
SECTION_NAMES = {"P": "小学", "J": "初中"}


def item_label(action: dict) -> str:
    """``体育教师（小学）`` for a section item, ``图书`` for a whole-school one."""
    name = ITEM_NAMES[action["cost_item"]]
    suffix = action["item"].rsplit("_", 1)[-1]
    return f"{name}（{SECTION_NAMES[suffix]}）" if suffix in SECTION_NAMES and action["item"] != action["cost_item"] else name


def blocking_text(b: dict, rules: RulePack, names: dict[str, str]) -> str:
    """One blocking constraint (plan/diagnose.py) as a sentence (worded already when it has ``text``)."""
    if "text" in b:
        return b["text"]
    lv = LEVEL_NAMES.get(b.get("level") or "", "")
    ind = next((i for i in rules.indicators if i.code == b["item"]), None)
    what = ind.name if ind else b["item"]
    if b["reason"] in ("unit_rule", "school_standard"):
        who = f"{names.get(b['school_id'], '')}（{b['school_id']}）{lv}"
        std = "单校标准" if b["reason"] == "unit_rule" else "省定办学基本标准"
        if b.get("closed"):
            return f"{who}：学校已列为撤并，不安排投入，{what}为 {fmt_num(b['reach'])}，达不到{std} {b['need']:g}"
        return f"{who}：即使各项投入用足限额，{what}最多只能达到 {fmt_num(b['reach'])}，达不到{std} {b['need']:g}"
    if b["reason"] == "cv":
        return f"{lv}{what}：各校均能单独达标，但在限额内差异系数无法降到标准以内"
    return f"{lv}{what}：各校均能单独达标，但各项限额同时生效时无法全部达标"


def status_text(status: str, gap: float) -> str:
    """The status with the gap when not proven optimal."""
    s = STATUS[status]
    return f"{s}，与下界相差不超过 {fmt_pct(gap, 2)}" if status == "feasible" else s


def yuan_wan(x: float) -> str:
    """元 as 万元 text."""
    return fmt_wan(x)
