"""Chinese wording of the 交流轮岗 plan (kinds of teachers moved, blocking limits); numbers
through report/narrative/numbers.py. No computation here."""
from __future__ import annotations

from ..report.narrative.numbers import fmt_count, fmt_num
from ..schema import LEVEL_NAMES

#: The teacher moved, per kind of plan/rotation.KINDS (the profile the counts are checked for).
KIND_NAMES = {
    "backbone_teachers": "县级以上骨干教师",
    "senior_title_teachers": "中级及以上职称教师（非骨干）",
    "pe_teachers": "体育教师",
    "music_teachers": "音乐教师",
    "art_teachers": "美术教师",
    "qualified_teachers": "其他专任教师（高于规定学历）",
    "teachers": "其他专任教师（未达高于规定学历）",
}
#: Status words of a rotation plan (plan/text.STATUS says 达标 for the purchase plans).
STATUS = {"optimal": "已证明最优（达标学校数）", "feasible": "可行方案（未证明最优）", "infeasible": "无法满足交流轮岗比例"}
COLUMN_NAMES = {
    "qualified_teachers": "高于规定学历教师", "senior_title_teachers": "中级及以上职称教师",
    "backbone_teachers": "县级以上骨干教师", "pe_teachers": "体育教师", "music_teachers": "音乐教师",
    "art_teachers": "美术教师",
}


def _who(b: dict, names: dict[str, str]) -> str:
    sid = b.get("school_id")
    return f"{names.get(sid) or ''}（{sid}）{LEVEL_NAMES.get(b.get('level') or '', '')}"


def blocking_sentence(b: dict, names: dict[str, str]) -> str:
    """One blocking constraint of a rotation plan (plan/rotation._blocking) as a sentence."""
    label = b["label"]
    kind = label[0]
    if kind == "quota":
        if b.get("short") is None:
            return (f"交流轮岗人数：按规则包须交流至少 {label[2]} 人，按整人计算无法同时满足各项限制"
                    "（连续松弛下可以满足）")
        return (f"交流轮岗人数：按规则包须交流至少 {label[2]} 人（符合交流条件教师的 {label[1]:g}%），"
                f"在下列限制下还差约 {fmt_num(b['short'], 1)} 人")
    if kind == "backbone_share":
        return (f"骨干教师比例：交流轮岗教师中骨干教师须不低于 {label[1]:g}%，"
                f"在下列限制下还差约 {fmt_num(b['short'], 1)} 人")
    if kind == "max_rotated":
        return f"交流人数上限（单价文件 [rotation] max_rotated_percent = {label[1]:g}%）：至多 {label[2]} 人"
    if kind == "count":
        return f"{_who(b, names)}：{COLUMN_NAMES[label[3]]}只有 {fmt_count(label[4])} 人，不能再调出"
    if kind == "count_without":
        return f"{_who(b, names)}：{COLUMN_NAMES[label[3]]}以外的教师只有 {fmt_count(label[4])} 人，不能再调出"
    if kind == "min_teachers":
        return (f"{_who(b, names)}：{fmt_count(label[4])} 个班按每班至少 {label[5]:g} 名教师"
                f"（[rotation] min_teachers_per_class）须保留 {fmt_count(label[3])} 名专任教师，不能再净调出")
    if kind == "self":
        return f"{_who(b, names)}：同学段其他学校能接收的教师不足（教师不能调往本校）"
    if kind == "pe_art_total":
        return f"{_who(b, names)}：填报的体育艺术教师总数不能减到 0"
    if kind == "closed":
        return f"{_who(b, names)}：列为撤并学校（限额文件 closed），不接收交流教师"
    return f"{_who(b, names)}：{kind}"
