"""The one place a county finding becomes Chinese: :func:`say` words a core
:class:`~junheng.core.findings.Finding` (code + numbers) as the compact line of the JSON document
and the console (``detail``, ``failures``, ``notes``, ``reason`` in docs/json-contract.md);
:func:`say_lines` is the capped failure list, :func:`failure_line` a failing item with its part.
The officialese of the documents (report/narrative/items.py) starts from the same findings.

Numbers are shown as the checks' thresholds are written: :func:`compact` (integers and numbers
from 1000 up as they are, else 2 decimals without trailing zeros); CVs with 3 decimals, rates
with 2, as the county tables of docs/rules.md print them.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

from ...core.county_data import FINANCE_HEADERS
from ...core.findings import Finding
from ...core.funding import CHECK_NAMES
from ...schema import LEVEL_NAMES

#: Chinese names of the 指标 inputs (the importer's dictionary has the headers).
INPUT_NAMES = {
    "rotation_eligible_teachers": "符合交流条件教师数",
    "rotated_teachers": "交流轮岗教师数",
    "rotated_backbone_teachers": "交流轮岗中骨干教师数",
    "migrant_public_rate": "随迁子女在公办学校和政府购买学位就读比例",
    "junior_retention_rate": "初中三年巩固率",
    "disabled_enrolment_rate": "残疾儿童少年入学率",
    "special_school_per_pupil_yuan": "特殊教育学校生均公用经费",
    "training_completion_rate": "教师5年360学时培训完成率",
    "certified_teacher_rate": "专任教师持证上岗率",
    "zoned_primary_rate": "城区和镇区公办小学就近划片入学比例",
    "zoned_junior_rate": "城区和镇区公办初中就近划片入学比例",
    "quota_allocation_rate": "优质高中招生名额分配比例",
    "training_budget_min_rate": "各校教师培训经费占公用经费预算比例（最低值）",
    "primary_enrolment_rate": "小学适龄儿童入学率",
    "junior_gross_enrolment_rate": "初中毛入学率",
    "dropout_primary_rate": "小学辍学率",
    "dropout_junior_rate": "初中辍学率",
    "transfer_payment_rate": "农村税费改革转移支付用于义务教育比例",
}
#: The 地区 of the base amounts (core.funding, CountyData.region).
REGION_NAMES = {"east": "东部", "central": "中部", "west": "西部"}
#: The workbook sheets listing schools, by CountyData attribute.
SHEET_NAMES = {"classes": "“班级”工作表", "schools": "“学校”工作表"}
#: Columns of the workbook's 学校 sheet named in findings.
ROOM_HEADERS = {"music_rooms": "音乐专用教室数", "art_rooms": "美术专用教室数"}
#: Failure lines kept in the JSON ``failures`` list of the per-class and per-school checks (then
#: one line with the count left); the other items list every failure.
MAX_LISTED = 50
#: The checks whose JSON ``failures`` list is capped at :data:`MAX_LISTED` (as it always was).
CAPPED_CHECKS = frozenset({"class_size", "school_size", "music_art_rooms", "small_school_funding", "operating_base"})
#: Schools or ids named in one note before “等”.
MAX_NAMED = 10
#: Why the checks that need class counts are undecided when the school table has no 班数.
NO_CLASS_COUNTS = "学校表没有“小学班数”“初中班数”列"


def compact(x: float) -> str:
    """A measured number as the checks print it: integers and |x| ≥ 1000 as ``%g``, else 2
    decimals without trailing zeros (4.567 → "4.57", 2000.0 → "2000")."""
    return f"{x:g}" if float(x).is_integer() or abs(x) >= 1000 else f"{x:.2f}".rstrip("0").rstrip(".")


def named(names: list[str], cap: int = MAX_NAMED) -> str:
    """``甲、乙、丙`` — at most ``cap`` names, then ``等``."""
    return "、".join(names[:cap]) + ("等" if len(names) > cap else "")


def who(r: dict | Finding) -> str:
    """A school as the findings name it: “名称（标识码）”, or the id alone."""
    name = r.get("name") if isinstance(r, dict) else r.args.get("name")
    return f"{name}（{r['school_id']}）" if name else str(r["school_id"])


def _quoted(headers: Iterable[str]) -> str:
    return "、".join(f"“{h}”" for h in headers)


def _finance(cols: list[str]) -> list[str]:
    return [FINANCE_HEADERS[c] for c in cols]


def _missing_what(a: dict) -> str:
    return {"class_sections": "学校学段的班级", "rooms": "学校的专用教室数",
            "small_school_funds": f"不足{a.get('min_students')}人学校的公用经费拨款"}[a["what"]]


def _missing_school(a: dict) -> str:
    return who(a) + (f" {LEVEL_NAMES[a['level']]}" if a.get("level") else "")


def _class_size_counted(a: dict) -> str:
    return (f"共 {a['classes']} 个班，超过标准的 {a['over']} 个（小学 ≤ {a['limit_primary']:g} 人，"
            f"初中 ≤ {a['limit_junior']:g} 人）")


def _rotation(a: dict) -> str:
    text = f"交流轮岗 {a['rotated']:g} 人 ÷ 符合条件 {a['eligible']:g} 人 = {a['rate']:.2f}%（≥ {a['min_rotated']:g}%）"
    if a.get("backbone_missing"):
        text += "；未填写交流轮岗中骨干教师数"
    if a.get("share") is not None:
        text += f"；骨干教师 {a['backbone']:g} 人占 {a['share']:.2f}%（≥ {a['min_backbone']:g}%）"
    return text


def _rates(a: dict) -> str:
    op = "≤" if a["at_most"] else "≥"
    parts = [f"{INPUT_NAMES.get(r['input'], r['input'])} {compact(r['value'])}%（{op} {r['threshold']:g}%）"
             for r in a["rates"]]
    return "；".join(parts + [f"未填写{INPUT_NAMES.get(m, m)}" for m in a["missing"]])


def _recognition(a: dict) -> str:
    groups = "、".join(f"{g['group'] or '合计'} {g['rate']:.2f}%" for g in a["groups"])
    return f"有效问卷 {a['valid']:g} 份，满意率 {a['rate']:.2f}%（≥ {a['min']:g}%）；{groups}"


def _operating_base(a: dict) -> str:
    verdict = {True: "达标", False: "未达标", None: "无法判定"}
    text = "；".join(f"{CHECK_NAMES[c]}：{verdict[ok]}" for c, ok in a["checks"].items())
    return text + "".join(f"（{say(n)}）" for n in a["why"])


def _growth_summary(a: dict) -> str:
    text = f"近{a['window']}年（{a['first']}–{a['last']}年）三个增长：未实现 {a['failed']} 项次"
    if a["undecided"]:
        cols = sorted(say(n) for n in a["columns"])
        text += f"，{a['undecided']} 项次数据不全" + (f"（{'；'.join(cols)}）" if cols else "")
    if a["zero"]:
        text += "；教育财政拨款年均负增长"
    if a["notes"]:
        text += "；" + "；".join(say(n) for n in a["notes"])
    return text


def _teacher_pay(a: dict) -> str:
    return (f"{a['year']}年（经费表最近年度）教师平均工资 {compact(a['teacher'])} 元，公务员平均工资 "
            f"{compact(a['civil'])} 元（教师 ÷ 公务员 = {a['ratio']:.4f}，标准 ≥ {a['min_ratio']:g}）")


def _too_few_years(a: dict) -> str:
    ys = a["years"]
    span = f"只有 1 个年度（{ys[0]}年）" if ys else "没有任何年度"
    return f"经费表{span}，无法计算增长：至少需要连续 2 个年度"


def _unknown_ids(a: dict) -> str:
    where = f"（第 {named([str(r) for r in a['rows']])} 行）" if a["rows"] else ""
    hint = "；其中有的不是 10 位，是否丢失了开头的 0？" if a["not_ten_digits"] else ""
    return (f"县级数据表{SHEET_NAMES[a['sheet']]}中有 {len(a['ids'])} 个学校标识码不是学校数据表中本县的学校，"
            f"已忽略，不计入结论：{named(a['ids'])}{where}{hint}")


def _failure_reason(a: dict) -> str:
    text = "；".join(say(x) for x in a["lines"]) + ("……" if a["more"] else "") or say(a["detail"])
    if a["informational"]:
        text += "（仅供参考，不计入结论）"
    elif a["score"] is not None:
        text += f"（得分 {a['score']:g}/{a['points']:g}）"
    return text


#: The unit of a money check's yearly margin (core.funding.FundingCheck.unit).
MARGIN_UNITS = {"pp": "百分点", "yuan": "元"}
#: The rule of each money check (growth checks: strict or not; base checks: from which year).
_RULES = {
    "per_pupil_spending_rises": "按在校生人数平均的教育财政拨款逐年增长",
    "teacher_pay_rises": "教师平均工资逐年增长",
    "operating_P_rises": "小学生均公用经费逐年增长",
    "operating_J_rises": "初中生均公用经费逐年增长",
    "budget_not_falling": "一般公共预算教育支出不低于上年",
    "budget_per_pupil_not_falling": "按在校生人数平均的一般公共预算教育支出不低于上年",
}


def rule_text(code: str, params: dict) -> str:
    """The rule of a money check in plain Chinese, as the JSON ``rule`` and the Excel sheet print it:
    “教育财政拨款增长率高于财政经常性收入增长率”, “生均公用经费不低于基准定额（2016年起，寄宿生每生加200元）”."""
    if code == "appropriation_vs_revenue":
        return f"教育财政拨款增长率{'高于' if params['strict'] else '不低于'}财政经常性收入增长率"
    if code.startswith("operating_base"):
        base = f"每生每年{params['base']:g}元，" if params.get("base") is not None else ""
        return (f"生均公用经费不低于基准定额（{base}{params['base_from_year']}年起，"
                f"寄宿生每生加{params['boarder_extra']:g}元）")
    return _RULES[code]


def _funding_rule(a: dict) -> str:
    text = rule_text(a["check"], a["params"])
    if a["undecided"]:
        text += "；无法判定：" + ("；".join(say(n) for n in a["why"]) if a["why"] else "没有可比较的年度")
    return text


#: code → the sentence of its arguments (compact register: numbers with their criterion).
SAY: dict[str, Callable[[dict], str]] = {
    # per-school sheets of the county workbook
    "sheet.missing_schools": lambda a: (f"县级数据表{SHEET_NAMES[a['sheet']]}中没有 {len(a['schools'])} 个"
                                        f"{_missing_what(a)}：{named([_missing_school(m) for m in a['schools']])}"),
    "sheet.school_absent": lambda a: f"{_missing_school(a)} 未列入县级数据表{SHEET_NAMES[a['sheet']]}",
    "sheet.unknown_ids": _unknown_ids,
    # G5 class size
    "class_size.no_tables": lambda a: "缺少班级表和学校表，无法核对班额",
    "class_size.no_class_counts": lambda a: NO_CLASS_COUNTS + "，也未提供班级表：无法核对班额",
    "class_size.average_over": lambda a: (f"{who(a)} {LEVEL_NAMES[a['level']]}平均班额 {a['average']:.1f} 人"
                                          f" > {a['limit']:g}（至少有一个班超标）"),
    "class_size.averages_over": lambda a: f"学校表显示 {a['sections']} 个学段平均班额超标（未提供班级表）",
    "class_size.no_class_list": lambda a: "未提供班级表：平均班额未超标，但无法核对每个班级",
    "class_size.counted": _class_size_counted,
    "class_size.over": lambda a: f"{who(a)} {LEVEL_NAMES[a['level']]} {a['class_name']} {a['size']} 人 > {a['limit']:g}",
    # G4 school size
    "school_size.no_table": lambda a: "缺少学校表，无法核对学校规模",
    "school_size.counted": lambda a: (f"{a['schools']} 所学校，最大规模 {a['largest']} 人（小学、初中 ≤ {a['limit_single']:g}，"
                                      f"一贯制 ≤ {a['limit_combined']:g}），超标 {a['over']} 所"),
    "school_size.over": lambda a: f"{who(a)} 义务教育阶段在校生 {a['students']} 人 > {a['limit']:g}",
    # G3 music and art rooms
    "music_art.no_table": lambda a: "缺少学校表（班数），无法核对音乐、美术专用教室",
    "music_art.no_class_counts": lambda a: NO_CLASS_COUNTS + "：无法按班数核对音乐、美术专用教室",
    "music_art.no_sheet": lambda a: "未提供县级数据表的“学校”工作表（音乐、美术专用教室数），无法核对",
    "music_art.columns_absent": lambda a: (f"县级数据表“学校”工作表缺少{_quoted(ROOM_HEADERS[c] for c in a['columns'])}"
                                           "列（请检查表头拼写），无法核对"),
    "music_art.counted": lambda a: (f"{a['schools']} 所学校，每 {a['classes_per_room']:g} 个班至少各 1 间音乐、美术专用教室；"
                                    f"不足 {a['short']} 所"),
    "music_art.short": lambda a: (f"{who(a)} {a['classes']} 个班，应各有 {a['need']} 间，实有" + "、".join(
        f"{what} {a[k]} 间" for what, k in (("音乐教室", "music_rooms"), ("美术教室", "art_rooms")) if a[k] < a["need"])),
    # G6 small schools
    "small_school.no_table": lambda a: "缺少学校表，无法找出不足100人的学校",
    "small_school.none": lambda a: f"无不足{a['min_students']}人的学校",
    "small_school.no_region": lambda a: f"{a['small']} 所学校不足{a['min_students']}人；未填写地区，无法确定基准定额",
    "small_school.no_sheet": lambda a: (f"{a['small']} 所学校不足{a['min_students']}人；未提供县级数据表的“学校”工作表"
                                        "（公用经费拨款），无法核对"),
    "small_school.no_column": lambda a: (f"{a['small']} 所学校不足{a['min_students']}人；县级数据表“学校”工作表缺少"
                                         "“公用经费拨款”列（请检查表头拼写），无法核对"),
    "small_school.counted": lambda a: f"不足{a['min_students']}人的学校 {a['small']} 所，核定不足 {a['short']} 所",
    "small_school.short": lambda a: (f"{who(a)} 在校生 {a['students']} 人，公用经费 {compact(a['funds'])} 元 < "
                                     f"按{a['min_students']}人核定的 {compact(a['need'])} 元"),
    # G7 special schools, 指标 inputs
    "special_funding.not_applicable": lambda a: "县内无特殊教育学校（不适用）",
    "special_funding.measured": lambda a: f"特殊教育学校生均公用经费 {compact(a['value'])} 元（标准 ≥ {a['min_yuan']:g} 元）",
    "special_funding.below": lambda a: f"{compact(a['value'])} 元 < {a['min_yuan']:g} 元",
    "inputs.missing": lambda a: "未填写" + "、".join(INPUT_NAMES.get(c, c) for c in a["inputs"]),
    # G8 teacher pay
    "teacher_pay.no_data": lambda a: "；".join(say(n) for n in a["notes"]) or "经费表没有任何年度数据，无法比较教师和公务员平均工资",
    "teacher_pay.lacking": lambda a: (f"经费表最近年度（{a['year']}年）未填写" + "、".join(
        _finance(a["columns"]) + (["公务员平均工资（为 0）"] if a["civil_zero"] else [])) + "，无法比较"),
    "teacher_pay.measured": _teacher_pay,
    "teacher_pay.below": lambda a: f"{a['year']}年教师平均工资低于公务员",
    # G11 rotation, rates, recognition
    "rotation.missing": lambda a: "未填写符合交流条件教师数或交流轮岗教师数",
    "rotation.measured": _rotation,
    "rotation.rate_below": lambda a: f"交流轮岗比例 {a['rate']:.2f}% < {a['min_rotated']:g}%",
    "rotation.backbone_below": lambda a: f"骨干教师占交流轮岗教师 {a['share']:.2f}% < {a['min_backbone']:g}%",
    "rates.measured": _rates,
    "rates.off": lambda a: (f"{INPUT_NAMES.get(a['input'], a['input'])} {compact(a['value'])}% 未达到 "
                            f"{'≤' if a['at_most'] else '≥'} {a['threshold']:g}%"),
    "recognition.no_survey": lambda a: "未提供满意度调查结果",
    "recognition.no_valid": lambda a: "有效问卷数为 0",
    "recognition.measured": _recognition,
    "recognition.below": lambda a: f"满意率 {a['rate']:.2f}% < {a['min']:g}%",
    # money
    "funding.no_sheet": lambda a: "未提供经费表",
    "operating_base.below": lambda a: (f"{a['year']}年{CHECK_NAMES[a['check']].replace('不低于基准定额', '')} "
                                       f"{compact(a['value'])} 元 < 基准 {compact(a['reference'])} 元"),
    "operating_base.summary": _operating_base,
    "funding_growth.no_sheet": lambda a: "未提供经费表，无法核对三个增长",
    "funding_growth.too_few_years": lambda a: (f"经费表只有 {a['years']} 个年度，无法核对三个增长（至少需要连续 2 个年度，"
                                               f"近{a['window']}年比较需要 {a['window'] + 1} 个年度）"),
    "funding_growth.failed_year": lambda a: (f"{a['year']}年 {CHECK_NAMES[a['check']]} 未实现"
                                             + (f"（{a['margin']:+.2f} 个百分点）" if a["margin"] is not None else "")),
    "funding_growth.short_series": lambda a: (f"经费表只有 {a['years']} 个年度（{a['first']}–{a['last']}年），"
                                              f"只核对了 {a['compared']} 次逐年增长；近{a['window']}年需要 "
                                              f"{a['window'] + 1} 个年度的数据"),
    "funding_growth.summary": _growth_summary,
    "funding.rule": _funding_rule,
    "funding.year_failed": lambda a: (f"{a['year']}年 未达到（{a['margin']:+.2f} {MARGIN_UNITS[a['unit']]}）"
                                      if a["margin"] is not None
                                      else f"{a['year']}年 未达到"),
    "finance.columns_absent": lambda a: f"经费表缺少{_quoted(_finance(a['columns']))}列（请检查表头拼写）",
    "finance.columns_empty": lambda a: f"经费表{_quoted(_finance(a['columns']))}列没有填写",
    "finance.too_few_years": _too_few_years,
    "finance.no_region": lambda a: "未填写地区（东部/中部/西部），无法核对生均公用经费基准定额",
    "finance.no_region_base": lambda a: "未填写地区（东部/中部/西部），无法确定基准定额",
    "finance.years_incomplete": lambda a: f"{'、'.join(map(str, a['years']))}年数据不全，未能判定",
    "finance.old_year": lambda a: (f"经费表最近年度为 {a['last']} 年，早于学校数据表的 {a['year']} 年：教师工资与公务员工资"
                                   f"比较等按 {a['last']} 年数据核对，请补充近年的经费数据"),
    # the school-table assessment (core/assess.py)
    "assess.mean_zero": lambda a: f"{a['name']}全县均值为0，差异系数无法计算",
    "assess.no_units": lambda a: "该县没有参与计算的学校",
    "assess.cv_undefined": lambda a: "有差异系数无法计算，不能判定为达标",
    # 定性, resource part, school standard, score sheet, county
    "qualitative.no_answer": lambda a: "定性表中没有该项的状态",
    "qualitative.not_met": lambda a: "定性状态为未达标",
    "veto.present": lambda a: "存在该情形",
    "balance.composite": lambda a: (f"综合差异系数 {'无法计算' if a['cv'] is None else format(a['cv'], '.3f')}"
                                    f"（≤ {a['threshold']:.2f}）"),
    "balance.indicators": lambda a: f"{a['indicators']} 项指标差异系数，超标 {a['over']} 项（≤ {a['threshold']:.2f}）",
    "balance.indicator_over": lambda a: f"{a['name']} 差异系数 {a['cv']:.3f} > {a['threshold']:.2f}",
    "units.failed": lambda a: f"{a['name']}（{a['school_id']}）{LEVEL_NAMES[a['level']]} 达标 {a['met_count']} 项",
    "units.summary": lambda a: (f"{a['units']} 个单位，未达到“{a['indicators']}项中至少{a['min_met']}项达标、"
                                f"其余不低于{a['floor_ratio']:.0%}”的 {a['failed']} 个" if a["failed"] else
                                f"{a['units']} 个单位均达到“{a['indicators']}项中至少{a['min_met']}项达标、"
                                f"其余不低于{a['floor_ratio']:.0%}”"),
    "school_standard.none": lambda a: "规则包未配置省定办学基本标准（请使用包含该标准的省级覆盖文件，如 --province 52 示例）",
    "school_standard.below": lambda a: (f"{a['name']}（{a['school_id']}）{LEVEL_NAMES[a['level']]} {a['value']:.3f} < "
                                        f"{a['minimum']:g}"),
    "school_standard.summary": lambda a: (f"小学 ≥ {a['primary']:g}、初中 ≥ {a['junior']:g}{a['unit']}；"
                                          + (f"未达到 {a['below']} 个单位" if a["below"] else "所有单位均已达到")),
    "school_standard.name": lambda a: f"{a['name']}（示例标准，请替换为本省正式标准）" if a["example"] else a["name"],
    "score.example": lambda a: a["name"] if "示例" in a["name"] else f"{a['name']}（示例评分表）",
    "score.total_below": lambda a: f"得分 {a['score']:g} 分 < {a['pass_score']:g} 分",
    "failure.reason": _failure_reason,
    "county.code_mismatch": lambda a: f"县级数据表的县(区)代码 {a['workbook']} 与学校表的 {a['table']} 不一致，结论无法判定",
    "county.no_table": lambda a: "未提供学校表，学校规模取自评估单位，班额和专用教室无法核对",
    "item.note": lambda a: f"{a['id']}：{say(a['note'])}",
}


#: Why a school is outside the calculation, by core.units.REASON_CODES (those naming a 隶属关系,
#: a parent school or the teaching-point size are in :func:`reason_text`).
REASONS = {
    "unknown_type": "未知办学类型",
    "special": "特殊教育学校",
    "vocational": "职业学校",
    "senior": "高级中学（非义务教育学校）",
    "private": "民办学校",
    "teaching_point": "小学教学点，不纳入计算",  # scope.teaching_points = "exclude" only (merged: reason_text)
    "no_pupils": "无义务教育阶段在校生",
}


def reason_text(rules: Any) -> pl.Expr:
    """The Chinese reason of each excluded school (over the ``reason`` code and ``reason_detail``
    columns of ``Assessment.excluded``): “民办学校”, “市属学校（非县属）”, “不足50人的小学教学点”,
    “小学教学点，已并入上级学校 2152000008 计算” … (the JSON ``excluded[].reason``)."""
    code, detail = pl.col("reason"), pl.col("reason_detail")
    n = rules.scope.teaching_point_min_students
    return (pl.when(code == "authority").then(pl.format("{}学校（非县属）", detail))
            .when(code == "small_teaching_point").then(pl.lit(f"不足{n}人的小学教学点"))
            .when(code == "merged").then(pl.format("小学教学点，已并入上级学校 {} 计算", detail))
            .when(code == "parent_out_of_scope")
            .then(pl.format("小学教学点，上级学校 {} 不在参评范围内，无法并入", detail.fill_null("（未填）")))
            .otherwise(code.replace_strict(REASONS, default=code, return_dtype=pl.Utf8)))


def worded_excluded(excluded: pl.DataFrame, rules: Any) -> pl.DataFrame:
    """``excluded`` (rows of ``Assessment.excluded``) with ``reason`` in words (:func:`reason_text`)."""
    return excluded.with_columns(reason_text(rules).alias("reason"))


def say(f: Finding | str | None) -> str:
    """The compact Chinese line of a finding (``""`` for None; a string is already worded: the
    notes of the school-table assessment). A finding carrying a ``note`` (schools missing from
    a workbook sheet) gets it after “；”. Raises KeyError for a code without a wording (a test
    runs every code of the core through here)."""
    if f is None:
        return ""
    if isinstance(f, str):
        return f
    text = SAY[f.code](f.args)
    note = f.args.get("note")
    if note is not None and f.code != "item.note":
        text += "；" + say(note)
    return text


def say_all(fs: Iterable[Finding | str]) -> list[str]:
    """Each finding said, in order."""
    return [say(f) for f in fs]


def say_lines(fs: Iterable[Finding], cap: int = MAX_LISTED) -> list[str]:
    """The failure lines of an item: at most ``cap``, then “……另有 N 项未列出”."""
    lines = say_all(fs)
    if len(lines) <= cap:
        return lines
    return lines[:cap] + [f"……另有 {len(lines) - cap} 项未列出"]


def item_failures(i: Any) -> list[str]:
    """The ``failures`` of an item in the JSON document: every failure said, capped at
    :data:`MAX_LISTED` for the per-class and per-school checks (:data:`CAPPED_CHECKS`)."""
    return say_lines(i.failures) if i.check in CAPPED_CHECKS else say_all(i.failures)


def failure_line(f: Any) -> str:
    """A failing item of the verdict, one line: “【一票否决】政府保障程度 G5 班额：……”."""
    tag = "【一票否决】" if f.veto else ""
    return f"{tag}{f.part_name} {f.id} {f.name}：{say(f.reason)}"
