"""Writes county workbooks (县级数据表): the bundled sample county's and the blank template.

(The reader is :mod:`junheng.io.county_workbook`.)

``python -m junheng.sample.county_writer`` rewrites ``sample/data/sample_county_data.xlsx`` from
the bundled school table's generator (均衡示例县 529901): one class list entry per class of every
school (pupils spread evenly over the school's classes, so schools whose average class is above
45 / 50 have oversized classes), music/art rooms and operating funds per school, five years of
finance, the numeric items, every qualitative item of both rule packs and a satisfaction survey.
The numbers are fictional but deterministic; a few items are set to fail on purpose (the
2022 三个增长, music rooms of some schools, one small school's funding) so the report shows both.
"""
from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path

import polars as pl

from junheng.io.county_fields import (ANSWERS, CLASSES, FINANCE, INFO, INPUT_ITEMS, INPUTS, PROFILE_ITEMS, SATISFACTION,
                                      profile_label,
                                      SCHOOLS)
from junheng.report.safe_xlsx import new_workbook
from junheng.rules.loader import available_packs, load_rules
from junheng.sample.profiles import SAMPLE_COUNTY, SAMPLE_COUNTY_CODE

SAMPLE_COUNTY_XLSX = Path(__file__).parent / "data" / "sample_county_data.xlsx"
#: The sample county's profile (基本信息; synthetic, of the size of a western county of ~100 schools).
SAMPLE_PROFILE = {"area_km2": 2316.0, "townships": 18, "registered_population": 48.6, "resident_population": 41.2,
                  "gdp": 186.4, "public_budget_revenue": 12.7}

YEARS = (2019, 2020, 2021, 2022, 2023)
#: Sheet → (headers, rows). Headers are the canonical Chinese headers with their unit.
Sheets = dict[str, tuple[list[str], list[list]]]

_GENERAL = (
    "县级数据表（县域义务教育均衡发展督导评估 县级部分）填表说明",
    "本表与学校数据表一起使用：junheng assess 学校数据表.xlsx --county-data 本表.xlsx。本说明表导入时忽略。",
    "一、通用规则",
    "1. 文件必须是 Excel 工作簿（.xlsx 或 .xls），不能另存为 CSV（需要多个工作表）。",
    "2. 工作表名称不要修改：基本信息、经费、班级、学校、指标、定性、满意度；没有的数据可以整表删除（相关项目显示为“无法判定”）。",
    "3. 表头文字必须保留、不要改写（可在表头上方加标题行，列的顺序可以调整）；无法识别的表头会给出警告并被忽略。",
    "4. 金额单位见表头括号：经费表的合计金额为万元，工资和生均经费为元；表头写明“(元)”或“(万元)”时按表头单位换算。",
    "5. 比例按百分数填写：96.5 或 96.5% 都表示 96.5%。",
    "6. 学校标识码与学校数据表一致（10 位，保留开头的 0，建议把该列设为文本格式）。",
    "7. 有任何错误时整个文件不导入，每条错误都指明工作表、行号和列。",
    "二、各工作表",
)
#: One line per sheet: what a row is and what to watch for (the columns are listed from the spec).
_SHEET_NOTES = {
    "基本信息": "两列“项目、内容”。县(区)代码填 6 位代码，应与学校数据表一致；地区填 东部、中部 或 西部（决定生均公用经费基准定额）；"
                 "面积、乡镇（街道）个数、人口、地区生产总值和一般公共预算收入写入自评报告的基本情况，不填的在报告中留作【请填写】。",
    "经费": ("每年一行，年度必须连续。三个增长、两个只增不减逐年计算增长，至少需要 2 个年度；基本均衡评分表“近三年”的"
             "三个增长需要 4 个年度（3 次逐年比较）。教师平均工资与公务员平均工资按最近一个年度比较，最近年度两项都要填写。"),
    "班级": ("每个班一行；学段填 小学 或 初中；同一学校同一学段的班级名称不能重复；人数超过 100 会给出警告。"
             "学校数据表中本县有班级的学校都要列出，否则班额无法判定；不在学校数据表中的学校标识码不计入结论。"),
    "学校": ("每校一行，学校标识码不能重复。音乐、美术专用教室每 12 个班至少各 1 间；公用经费拨款为本年度拨给该校的金额（元），"
             "不足 100 人的学校应按 100 人核定。学校数据表中本县的小学、初中、一贯制学校和教学点都要列出。"),
    "指标": "每个指标一行，指标名称用模板中的写法；数值留空表示未填写；交流轮岗教师数不能大于符合交流条件教师数。",
    "定性": ("每个项目一行；编号为规则包中的项目编号（优质均衡 G、Q、V 开头，基本均衡评分表 B 开头）；状态填 达标、未达标 或 不适用，"
             "留空表示未填写；达标应填写佐证材料；得分只用于基本均衡评分表；一票否决项目（V 开头）填“达标”表示不存在该情形。"
             "“适用规则包”列说明项目属于哪个规则包（basic-2012 基本均衡、quality-2017 优质均衡），仅供参考，导入时忽略。"),
    "满意度": "每类调查对象一行；满意数不能大于有效问卷数；只填满意度时按 有效问卷数 × 满意度 折算；全县满意度 = Σ满意数 ÷ Σ有效问卷数。",
}
_MORE = "更多说明：junheng 的 README“县级数据表”一节，及源代码仓库中的 docs/county-workbook.md。"
_SPECS = {"基本信息": INFO, "经费": FINANCE, "班级": CLASSES, "学校": SCHOOLS, "指标": INPUTS, "定性": ANSWERS,
          "满意度": SATISFACTION}


def instructions() -> list[str]:
    """The lines of the 说明 sheet: general rules, then per sheet what a row is, its columns
    (必填 marked) and what to watch for; self-sufficient (the docs are not installed)."""
    lines = list(_GENERAL)
    for name, note in _SHEET_NOTES.items():
        spec = _SPECS[name]
        cols = "、".join(_head(f) + ("（必填）" if f.required else "") for f in spec.fields)
        if name == "定性":
            cols += "、适用规则包"
        lines.append(f"【{name}】{note}")
        lines.append(f"    列：{cols}")
    lines.append(_MORE)
    return lines


def _head(f) -> str:
    return f"{f.header}({f.unit})" if f.unit in ("元", "万元", "%") else f.header


def _headers(spec) -> list[str]:
    return [_head(f) for f in spec.fields]


def _qualitative_items() -> list:
    seen, out = set(), []
    for pack in available_packs():
        for item in load_rules(pack).county_items:
            if item.kind != "computed" and item.id not in seen:
                seen.add(item.id)
                out.append((pack, item))
    return out


def template_sheets() -> Sheets:
    """The blank workbook: headers of every sheet, the 指标 names with units, and every
    qualitative item of the bundled rule packs (编号, 项目) with an empty 状态."""
    inputs = [[name, None, unit, ""] for name, unit, _ in INPUT_ITEMS.values()]
    answers = [[item.id, item.name, None, "", None, pack] for pack, item in _qualitative_items()]
    return {
        "基本信息": (_headers(INFO), [["县(区)代码", None], ["县(区)名称", None], ["地区", None],
                                  *([profile_label(c), None] for c in PROFILE_ITEMS)]),
        "经费": (_headers(FINANCE), []),
        "班级": (_headers(CLASSES), []),
        "学校": (_headers(SCHOOLS), []),
        "指标": (_headers(INPUTS), inputs),
        "定性": (_headers(ANSWERS) + ["适用规则包"], answers),
        "满意度": (_headers(SATISFACTION), []),
    }


def _class_names(level: str, n: int) -> list[str]:
    grades = 6 if level == "小学" else 3
    names = []
    for i in range(n):
        g = i * grades // n
        first = next(k for k in range(n) if k * grades // n == g)
        names.append(f"{'一二三四五六'[g] if level == '小学' else '七八九'[g]}年级({i - first + 1})班")
    return names


def sample_sheets(table: pl.DataFrame | None = None) -> Sheets:
    """The sample county's workbook content, consistent with ``junheng.sample.generate()``
    (or the canonical school ``table`` given, one county)."""
    if table is None:
        from junheng.sample.generate import generate

        table = generate()
    t = table.with_columns([pl.col(c).fill_null(0) for c in ("students_P", "students_J", "classes_P", "classes_J")])
    t = t.filter(~pl.col("school_type").is_between(511, 519)).sort("school_id")
    pupils = int(t["students_P"].sum() + t["students_J"].sum())
    classes, schools = [], []
    for k, r in enumerate(t.iter_rows(named=True)):
        for level, s in (("小学", "P"), ("初中", "J")):
            n, kids = int(r[f"classes_{s}"]), int(r[f"students_{s}"])
            if n <= 0 or kids <= 0:
                continue
            sizes = [kids // n + (1 if i < kids % n else 0) for i in range(n)]
            classes += [[r["school_id"], r["name"], level, name, size]
                        for name, size in zip(_class_names(level, n), sizes)]
        n_cls = int(r["classes_P"] + r["classes_J"])
        kids = int(r["students_P"] + r["students_J"])
        need = max(1, math.ceil(n_cls / 12)) if n_cls else 0
        short = 1 if k % 17 == 5 and need > 1 else 0       # a few schools lack a music room
        base = (600 * r["students_P"] + 800 * r["students_J"]) / max(kids, 1)
        funded = max(kids, 100) if k % 23 != 7 else kids   # one small school funded by headcount
        schools.append([r["school_id"], r["name"], need - short, need, round(base * funded + 200 * kids * 0.18, 0)])
    finance = []
    growth_pupils = (0.97, 0.98, 0.99, 0.995, 1.0)
    app = (52_000, 56_500, 60_800, 63_100, 67_900)
    rev = (150_000, 158_000, 163_000, 171_000, 176_500)
    budget = (61_000, 64_200, 66_900, 69_800, 73_500)
    teacher = (78_000, 81_000, 84_000, 86_500, 89_000)
    civil = (80_000, 82_000, 84_500, 86_000, 88_500)
    op_p, op_j = (720, 740, 760, 780, 800), (950, 980, 1000, 1020, 1050)
    for i, y in enumerate(YEARS):
        n = round(pupils * growth_pupils[i])
        finance.append([y, app[i], rev[i], budget[i], n, teacher[i], civil[i], op_p[i], op_j[i], round(n * 0.18), "西部"])
    values = {"rotation_eligible_teachers": 2400, "rotated_teachers": 260, "rotated_backbone_teachers": 58,
              "migrant_public_rate": 91.5, "junior_retention_rate": 96.2, "disabled_enrolment_rate": 95.8,
              "special_school_per_pupil_yuan": 6500, "training_completion_rate": 100, "certified_teacher_rate": 100,
              "zoned_primary_rate": 100, "zoned_junior_rate": 96.5, "quota_allocation_rate": 55,
              "training_budget_min_rate": 5.2, "primary_enrolment_rate": 99.92, "junior_gross_enrolment_rate": 101.3,
              "dropout_primary_rate": 0.3, "dropout_junior_rate": 0.9, "transfer_payment_rate": 62}
    inputs = [[INPUT_ITEMS[c][0], v, INPUT_ITEMS[c][1], "2023年数据"] for c, v in values.items()]
    answers = [[item.id, item.name, "达标", f"{SAMPLE_COUNTY}〔2023〕{int(item.id[1:]) + 10}号文件及台账", None, pack]
               for pack, item in _qualitative_items()]
    survey = [["学生", 1200, 1130, None], ["家长", 1500, 1380, None], ["教师", 400, 352, None],
              ["社会人士", 300, 262, None]]
    return {
        "基本信息": (_headers(INFO), [["县(区)代码", SAMPLE_COUNTY_CODE], ["县(区)名称", SAMPLE_COUNTY], ["地区", "西部"],
                                  *([profile_label(c), SAMPLE_PROFILE[c]] for c in PROFILE_ITEMS)]),
        "经费": (_headers(FINANCE), finance),
        "班级": (_headers(CLASSES), classes),
        "学校": (_headers(SCHOOLS), schools),
        "指标": (_headers(INPUTS), inputs),
        "定性": (_headers(ANSWERS) + ["适用规则包"], answers),
        "满意度": (_headers(SATISFACTION), survey),
    }


def write_county_workbook(sheets: Sheets, path: str | Path, *, title: str | None = None) -> Path:
    """Write sheets (name → (headers, rows)) as an .xlsx with a 说明 sheet first; each sheet has a
    title row, the header row (bold, frozen) and the rows; ids are written as text. Returns the path."""
    path = Path(path)
    wb = new_workbook(path)
    wb.set_properties({"title": title or "县级数据表", "author": "junheng", "created": _dt.datetime(2026, 9, 1)})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    big = wb.add_format({"bold": True, "font_size": 13})
    text = wb.add_format({"num_format": "@"})
    ws = wb.add_worksheet("说明")
    ws.set_column(0, 0, 110)
    for i, line in enumerate(instructions()):
        ws.write_string(i, 0, line, big if i == 0 else None)
    for name, (headers, rows) in sheets.items():
        ws = wb.add_worksheet(name)
        ws.write_string(0, 0, f"{title or '县级数据表'}：{name}", big)
        for j, h in enumerate(headers):
            ws.write_string(1, j, h, bold)
            ws.set_column(j, j, 44 if h in ("项目", "指标名称", "佐证材料", "说明") else 14)
        ws.freeze_panes(2, 0)
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(i, j, v, text)
                else:
                    ws.write_number(i, j, v)
    wb.close()
    return path


def write_template(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the blank county workbook (说明 sheet, headers, 指标 names, every qualitative item of
    the bundled rule packs) to ``path`` and return it.

    The entry point of ``junheng template county -o 县级数据模板.xlsx``. A path without a suffix
    gets ``.xlsx``. Raises FileExistsError when the file exists and ``overwrite`` is false, and
    ValueError (Chinese message) for a suffix other than .xlsx (the writer makes .xlsx only).
    """
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".xlsx")
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"县级数据表模板只能保存为 .xlsx 文件：{path.name}")
    if path.exists() and not overwrite:
        raise FileExistsError(f"文件已存在：{path}（如需覆盖请指定 --force）")
    from junheng.report.files import write_atomic

    return write_atomic(path, lambda p: write_county_workbook(template_sheets(), p, title="县级数据表（模板）"))


if __name__ == "__main__":
    SAMPLE_COUNTY_XLSX.parent.mkdir(parents=True, exist_ok=True)
    print(write_county_workbook(sample_sheets(), SAMPLE_COUNTY_XLSX, title=f"{SAMPLE_COUNTY}县级数据表（示例）"))
