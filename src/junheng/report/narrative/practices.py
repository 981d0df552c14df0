"""主要做法: what the county did, which only the county can tell — written as 【请填写：…】 prompts,
each opened by the data of this run that supports it (the funding series of the 经费 sheet, the
school table's floor area, equipment and teachers, the rotation figures of the 指标 sheet).
Nothing here is invented: a sentence of data is written only when the number exists."""
from __future__ import annotations

from ...core.county_result import CountyChecks
from ...core.result import Assessment, CountyResult
from .blocks import Block, Heading, Para
from .items import official
from .numbers import fmt_growth, fmt_plain, fmt_wan, round_half_up


def _funding_data(checks: CountyChecks | None) -> str:
    f = checks.funding if checks is not None else None
    chk = f.checks.get("appropriation_vs_revenue") if f is not None else None
    rows = [r for r in chk.rows if r.value is not None] if chk is not None else []
    if len(rows) < 1:
        return ""
    first, last = rows[0], rows[-1]
    text = f"{first.year}—{last.year}年，全县教育财政拨款由{fmt_plain(float(round_half_up(first.value, 2)))}万元增加到" \
           f"{fmt_plain(float(round_half_up(last.value, 2)))}万元"
    span = last.year - first.year
    if span > 0 and first.value > 0:
        text += f"，年均增长{fmt_growth(average_growth(first.value, last.value, span))}"
    return text + "。"


def average_growth(first: float, last: float, years: int) -> float:
    """年均增长率 from two amounts ``years`` apart (a fraction): (last / first)^(1/years) − 1, the
    compound rate, so that a reader gets it back from the two amounts the sentence gives
    (56 500 → 67 900 万元 over 3 years: 6.32 %, not the 6.91 % mean of the yearly rates). Raises ZeroDivisionError for years = 0."""
    return (last / first) ** (1 / years) - 1


def _conditions_data(a: Assessment, c: CountyResult) -> str:
    u = a.units_of(c.county_key)
    parts = []
    for col, what, unit in (("teaching_area", "教学及辅助用房", "㎡"), ("sports_area", "体育运动场馆", "㎡")):
        if col in u.columns:
            parts.append(f"{what}{fmt_plain(float(round_half_up(float(u[col].fill_null(0).sum()), 0)))}{unit}")
    if "equipment_value_yuan" in u.columns:
        parts.append(f"教学仪器设备值{fmt_wan(float(u['equipment_value_yuan'].fill_null(0).sum()))}")
    if not parts:
        return ""
    return "目前，全县参评学校共有" + "、".join(parts) + "。"


def _teachers_data(a: Assessment, c: CountyResult, checks: CountyChecks | None) -> str:
    u = a.units_of(c.county_key)
    text = ""
    if "teachers" in u.columns:
        text = f"全县参评学校共有专任教师{int(u['teachers'].fill_null(0).sum())}人。"
    if checks is not None:
        for p in checks.parts.values():
            for i in p.items:
                if i.check == "rotation" and i.detail and i.passed is not None:
                    text += official(i.detail) + "。"
                    return text
    return text


def practices(a: Assessment, c: CountyResult, checks: CountyChecks | None) -> list[Block]:
    """The 主要做法 section: four headings, each with its supporting data and a prompt."""
    out: list[Block] = [Heading("主要做法", 1)]
    sections = [
        ("加大经费投入", _funding_data(checks),
         "【请填写：落实经费保障的主要措施，如教育经费单列、“三个增长”“两个只增不减”的落实情况和专项资金安排】"),
        ("改善办学条件", _conditions_data(a, c),
         "【请填写：近年新建、改扩建校舍面积（平方米）和运动场地面积，新增教学仪器设备、图书、计算机情况】"),
        ("加强教师队伍建设", _teachers_data(a, c, checks),
         "【请填写：教师补充、县管校聘、校长教师交流轮岗、培训和待遇保障的主要措施】"),
        ("推进教育公平和质量提升", "",
         "【请填写：学校布局调整、控辍保学、随迁子女和留守儿童关爱、课程改革和质量监测等主要措施】"),
    ]
    for title, data, prompt in sections:
        out.append(Heading(title, 2))
        out.append(Para(data + prompt))
    return out

