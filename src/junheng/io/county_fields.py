"""The data dictionary of the county workbook (县级数据表): sheets, Chinese headers, codes, kinds.

docs/county-workbook.md describes the same for people. Headers are matched after
``io.headers.normalise`` (whitespace, full-width brackets and a trailing unit in brackets
ignored); a money header's unit in brackets (元 / 万元) converts the values to the field's unit.
Rates are percentages: ``96.5`` or ``96.5%`` both mean 96.5 %.

Columns are :class:`junheng.schema.Field` objects (imported here as ``CField``) whose ``kind`` is
``text`` | ``int`` | ``float`` | ``year`` | ``rate`` | ``level`` | ``status`` | ``region`` and whose
``unit`` is the unit values are stored in (元, 万元, %, 人 …).
"""
from __future__ import annotations

from dataclasses import dataclass

from junheng.schema import Field as CField


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: code, canonical name, accepted names, fields, and what is lost without it."""

    code: str
    name: str
    synonyms: tuple[str, ...]
    fields: tuple[CField, ...]
    missing_effect: str


FINANCE = SheetSpec("finance", "经费", ("经费投入", "财政经费", "教育经费", "经费情况"), (
    CField("year", "年度", "year", "", ("年份", "年"), required=True),
    CField("appropriation_wan", "教育财政拨款", "float", "万元",
           ("义务教育财政拨款", "教育财政拨款额", "义务教育财政拨款额", "财政教育拨款")),
    CField("regular_revenue_wan", "财政经常性收入", "float", "万元", ("本级财政经常性收入",)),
    CField("budget_edu_wan", "一般公共预算教育支出", "float", "万元", ("一般公共预算教育经费", "公共财政预算教育支出")),
    CField("students", "义务教育在校生数", "int", "人", ("在校生数", "义务教育阶段在校生数")),
    CField("teacher_pay_yuan", "教师平均工资", "float", "元", ("教师年平均工资", "教师平均工资收入")),
    CField("civil_servant_pay_yuan", "公务员平均工资", "float", "元", ("公务员年平均工资", "当地公务员平均工资")),
    CField("operating_per_pupil_P_yuan", "小学生均公用经费", "float", "元", ("生均公用经费(小学)", "小学生均公用经费支出")),
    CField("operating_per_pupil_J_yuan", "初中生均公用经费", "float", "元", ("生均公用经费(初中)", "初中生均公用经费支出")),
    CField("boarders", "寄宿生数", "int", "人", ("寄宿学生数",)),
    CField("region", "地区", "region", "", ("所属地区", "东中西部")),
), "三个增长、两个只增不减、生均公用经费基准定额和教师工资无法核对")

CLASSES = SheetSpec("classes", "班级", ("班额", "班级名单", "班级情况", "班级人数"), (
    CField("school_id", "学校标识码", "text", "", ("学校代码", "标识码"), required=True),
    CField("name", "学校名称", "text", "", ("校名",)),
    CField("level", "学段", "level", "", ("学段(小学/初中)",), required=True),
    CField("class_name", "班级", "text", "", ("班级名称", "班名")),
    CField("size", "人数", "int", "人", ("班级人数", "学生数", "班额"), required=True),
), "班额（每个班级人数）无法逐班核对")

SCHOOLS = SheetSpec("schools", "学校", ("学校补充信息", "专用教室", "学校信息", "学校经费"), (
    CField("school_id", "学校标识码", "text", "", ("学校代码", "标识码"), required=True),
    CField("name", "学校名称", "text", "", ("校名",)),
    CField("music_rooms", "音乐专用教室数", "int", "间", ("音乐专用教室", "音乐教室数")),
    CField("art_rooms", "美术专用教室数", "int", "间", ("美术专用教室", "美术教室数")),
    CField("operating_funds_yuan", "公用经费拨款", "float", "元", ("公用经费", "年度公用经费拨款", "公用经费拨款额")),
), "音乐美术专用教室和小规模学校公用经费无法核对")

INPUTS = SheetSpec("inputs", "指标", ("量化指标", "数值指标", "统计指标", "指标数据"), (
    CField("item", "指标名称", "text", "", ("指标", "项目", "项目名称", "名称"), required=True),
    CField("value", "数值", "text", "", ("数据", "值", "填报数")),
    CField("unit", "单位", "text", "", ("计量单位",)),
    CField("remark", "说明", "text", "", ("备注",)),
), "交流轮岗、随迁子女、巩固率、入学率等数值项目无法核对")

ANSWERS = SheetSpec("answers", "定性", ("定性指标", "定性项目", "定性评估", "佐证材料"), (
    CField("id", "编号", "text", "", ("项目编号", "指标编号", "序号"), required=True),
    CField("item", "项目", "text", "", ("项目名称", "指标名称", "内容")),
    CField("status", "状态", "status", "", ("达标情况", "是否达标", "结论")),
    CField("evidence", "佐证材料", "text", "", ("佐证", "证明材料", "备注")),
    CField("score", "得分", "float", "分", ("评分",)),
), "定性项目均为“未填写”，无法判定")

SATISFACTION = SheetSpec("satisfaction", "满意度", ("满意度调查", "社会认可度", "公众满意度", "问卷调查"), (
    CField("group", "调查对象", "text", "", ("群体", "对象", "问卷类别")),
    CField("valid", "有效问卷数", "int", "份", ("有效问卷", "有效样本数"), required=True),
    CField("satisfied", "满意数", "float", "份", ("满意问卷数", "满意人数", "满意及比较满意数")),
    CField("rate", "满意度", "rate", "%", ("满意率", "认可度", "满意度(%)")),
), "社会认可度（公众满意度）无法判定")

INFO = SheetSpec("info", "基本信息", ("县基本信息", "县(区)信息", "封面"), (
    CField("key", "项目", "text", "", ("名称",), required=True),
    CField("value", "内容", "text", "", ("值", "填写"), required=False),
), "县(区)代码未知：按学校表中唯一的县核对")

#: Columns that must exist although their cells may be blank (a blank is "not filled in": the
#: item stays undecided), by sheet code.
COLUMNS_REQUIRED: dict[str, tuple[str, ...]] = {"inputs": ("value",), "answers": ("status",)}

SHEETS: tuple[SheetSpec, ...] = (INFO, FINANCE, CLASSES, SCHOOLS, INPUTS, ANSWERS, SATISFACTION)
#: Sheets that explain and are ignored without a warning.
IGNORED_SHEETS = ("说明", "填表说明", "使用说明", "readme")

#: Rows of the 基本信息 sheet: item text (and synonyms) → code.
INFO_KEYS: dict[str, tuple[str, ...]] = {
    "county_code": ("县(区)代码", "县区代码", "县代码", "行政区划代码"),
    "county": ("县(区)名称", "县(区)", "县区名称", "县名称"),
    "region": ("地区", "所属地区", "东中西部"),
}

#: Rows of the 基本信息 sheet that describe the county for the 自评报告's 基本情况 (optional; a
#: missing one stays a 【请填写】 field of the report): code → (canonical item, unit, kind, synonyms).
#: The item may carry its unit in brackets, e.g. “全县总面积（平方公里）”; any other unit is an error.
PROFILE_ITEMS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "area_km2": ("全县总面积", "平方公里", "float", ("县域面积", "总面积", "国土面积", "县域总面积")),
    "townships": ("辖乡镇（街道）个数", "个", "int", ("乡镇（街道）个数", "乡镇（街道）数", "乡镇数", "辖乡镇数")),
    "registered_population": ("户籍人口", "万人", "float", ("户籍总人口",)),
    "resident_population": ("常住人口", "万人", "float", ("常住总人口",)),
    "gdp": ("上年地区生产总值", "亿元", "float", ("地区生产总值", "GDP", "生产总值")),
    "public_budget_revenue": ("上年一般公共预算收入", "亿元", "float",
                              ("一般公共预算收入", "地方一般公共预算收入", "一般公共财政预算收入")),
}


def profile_label(code: str) -> str:
    """The 基本信息 item of a :data:`PROFILE_ITEMS` code as the template writes it and the report
    asks for it: “全县总面积（平方公里）”; a count (unit 个) without its unit: “辖乡镇（街道）个数”."""
    name, unit, _, _ = PROFILE_ITEMS[code]
    return name if unit == "个" else f"{name}（{unit}）"

#: Rows of the 指标 sheet: code (rules.loader.COUNTY_INPUTS) → (canonical name, unit, synonyms).
#: Unit ``%`` is a rate in percent; 人 a count; 元 money per pupil.
INPUT_ITEMS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "rotation_eligible_teachers": ("符合交流条件教师数", "人", ("符合交流轮岗条件教师数", "符合交流条件的教师数")),
    "rotated_teachers": ("交流轮岗教师数", "人", ("交流轮岗教师人数", "年度交流轮岗教师数")),
    "rotated_backbone_teachers": ("交流轮岗中骨干教师数", "人", ("交流轮岗骨干教师数", "其中:骨干教师数")),
    "migrant_public_rate": ("随迁子女在公办学校和政府购买学位就读比例", "%",
                            ("随迁子女在公办学校和政府购买服务的民办学校就读比例", "随迁子女公办学校就读比例")),
    "junior_retention_rate": ("初中三年巩固率", "%", ("初中巩固率",)),
    "disabled_enrolment_rate": ("残疾儿童少年入学率", "%", ("三类残疾儿童少年入学率", "残疾儿童入学率")),
    "special_school_per_pupil_yuan": ("特殊教育学校生均公用经费", "元", ("特教生均公用经费", "特殊教育生均公用经费")),
    "training_completion_rate": ("教师5年360学时培训完成率", "%", ("教师培训完成率", "360学时培训完成率")),
    "certified_teacher_rate": ("专任教师持证上岗率", "%", ("教师资格证持证上岗率", "持证上岗率")),
    "zoned_primary_rate": ("城区和镇区公办小学就近划片入学比例", "%", ("小学就近划片入学比例",)),
    "zoned_junior_rate": ("城区和镇区公办初中就近划片入学比例", "%", ("初中就近划片入学比例",)),
    "quota_allocation_rate": ("优质高中招生名额分配比例", "%", ("优质高中招生名额分配到初中比例", "名额分配比例")),
    "training_budget_min_rate": ("各校教师培训经费占公用经费预算比例最低值", "%",
                                 ("教师培训经费占公用经费比例", "教师培训经费占公用经费预算比例")),
    "primary_enrolment_rate": ("小学适龄儿童入学率", "%", ("小学入学率",)),
    "junior_gross_enrolment_rate": ("初中毛入学率", "%", ()),
    "dropout_primary_rate": ("小学辍学率", "%", ()),
    "dropout_junior_rate": ("初中辍学率", "%", ()),
    "transfer_payment_rate": ("农村税费改革转移支付用于义务教育比例", "%", ("转移支付资金用于义务教育比例",)),
}
