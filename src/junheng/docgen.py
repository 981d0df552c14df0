"""Generated parts of the method documentation under docs/ (from schema.py and the rule packs).

The documents are written by hand; the tables that repeat what the code holds (the columns of
the school table, the school types, the indicators, thresholds and settings of each rule pack,
the county items) sit between markers and are generated here, so they cannot drift:

    <!-- BEGIN GENERATED: indicators quality-2017 -->
    …
    <!-- END GENERATED -->

``python -m junheng.docgen`` rewrites the blocks of docs/*.md in place; ``--check`` only reports
(exit 1) which blocks differ. tests/test_docs.py runs the check.
"""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from .rules.catalog import available_packs, available_provinces
from .schema import FIELDS, SCHOOL_TYPES, SECTION_NAMES

BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (?P<name>[^>]+?) -->\n)(?P<body>.*?)(<!-- END GENERATED -->)", re.S)
_KIND = {"text": "文本", "int": "整数", "float": "数值", "type": "代码或名称"}
_LEVEL = {"primary": "小学", "junior": "初中"}


def _table(head: list[str], rows: list[list[str]]) -> str:
    esc = [[str(c).replace("|", "\\|") for c in r] for r in rows]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in esc]) + "\n"


def _num(x: float) -> str:
    return f"{x:g}"


def fields_block(group: str) -> str:
    """Columns of one group of the school table (identity | section | school)."""
    rows = []
    for f in FIELDS:
        if f.group != group:
            continue
        syn = "、".join(f.synonyms) or "—"
        sec = SECTION_NAMES.get(f.section, "全校") if group != "identity" else "—"
        rows.append([f.header, syn, f"`{f.code}`", _KIND[f.kind], f.unit or "—", sec, "是" if f.required else "否"])
    return _table(["标准表头", "同义表头", "代码", "类型", "单位", "学段", "必填"], rows)


def school_types_block() -> str:
    """The 办学类型 codes the importer knows, with their compulsory sections."""
    rows, seen = [], set()
    for t in SCHOOL_TYPES.values():
        if t.category == "special":
            if "special" in seen:
                continue
            seen.add("special")
            code = "511–519"
        else:
            code = str(t.code)
        secs = "、".join(SECTION_NAMES[s] for s in t.sections)
        rows.append([code, t.name, "、".join(t.synonyms) or "—", secs, f"`{t.category}`"])
    return _table(["代码", "名称", "也接受", "学段", "类别"], rows)


def urban_rural_block() -> str:
    """The 城乡分类代码 the importer accepts (schema.URBAN_RURAL_CODES)."""
    from .analysis.equity import URBAN_RURAL_CLASSES
    from .schema import URBAN_RURAL_CODES

    return _table(["代码", "名称", "类别"], [[c, n, URBAN_RURAL_CLASSES[c[:2]]] for c, n in URBAN_RURAL_CODES.items()])


def plausibility_block() -> str:
    """The plausibility bounds of the importer (junheng.io.plausibility): setting, environment
    variable, default, meaning."""
    from .io import plausibility

    rows = [[f"`{n}`", f"`{plausibility.ENV_PREFIX}{n}`", _num(getattr(plausibility, n)), meaning]
            for n, meaning in plausibility.MEANINGS.items()]
    return _table(["设置", "环境变量", "缺省值", "含义"], rows)


def _load(pack: str):
    from .rules import load_rules

    return load_rules(pack)


def indicators_block(pack: str) -> str:
    """The indicators of a rule pack: code, official name, formula, unit, thresholds."""
    r = _load(pack)
    rows = []
    for i in r.indicators:
        per = "" if i.per == 1 else f" × {_num(i.per)}"
        thr = "—" if i.threshold is None else f"{_num(i.threshold.primary)} / {_num(i.threshold.junior)}"
        rows.append([f"`{i.code}`", i.name, f"`{i.numerator}`{per} ÷ 在校生数", i.unit, thr])
    return _table(["代码", "指标名称", "计算", "单位", "单校标准（小学 / 初中）"], rows)


#: Meaning of each setting (dotted key); a setting missing here is still listed, with "—".
MEANINGS = {
    "scope.teaching_points": "小学教学点（218）的处理",
    "scope.teaching_point_min_students": "教学点单独计算的最少学生数",
    "scope.private": "民办学校",
    "scope.excluded_authorities": "不参评的隶属关系",
    "scope.special": "特殊教育学校（51x）",
    "scope.vocational": "职业初中（319）",
    "split.nine_year": "九年一贯制 小学 : 初中",
    "split.complete": "完全中学 初中 : 高中",
    "split.twelve_year": "十二年一贯制 小学 : 初中 : 高中",
    "split.resources": "按折算学生数拆分的全校资源",
    "split.indoor_sports_in_sports_area": "室内体育用房计入体育运动场馆面积",
    "dispersion.test": "composite：综合差异系数；each：逐项差异系数",
    "dispersion.composite_threshold": "综合差异系数上限（小学 / 初中，等于即达标）",
    "dispersion.cv_threshold": "各项差异系数上限（小学 / 初中，等于即达标）",
    "dispersion.tolerance": "比较时容许的浮点误差",
    "unit_rule.min_met": "至少达标的指标项数",
    "unit_rule.floor_ratio": "未达标项不低于标准的比例",
    "county_workbook.missing_school": "县级数据表缺少某校时的处理",
}
#: The tables of a rule pack listed as settings, in this order.
SETTING_TABLES = ("scope", "split", "dispersion", "unit_rule", "provisions", "county_workbook")


def _value(key: str, v) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float | int):
        return _num(v)
    if isinstance(v, list):
        return "、".join(f"`{x}`" if key.endswith("resources") else str(x) for x in v) or "（无）"
    if isinstance(v, dict) and set(v) == {"primary", "junior"}:
        return f"{_num(v['primary'])} / {_num(v['junior'])}"
    if isinstance(v, dict):  # split ratios
        return " : ".join(_num(x) for x in v.values())
    return str(v)


def _flatten(prefix: str, data: dict) -> list[tuple[str, object]]:
    """Dotted keys of a settings table; nested tables (provisions.<name>.<key>) are opened, while a
    per-level pair or a table of ratios is one value."""
    out = []
    for k, v in data.items():
        key = f"{prefix}.{k}"
        if v is None:
            continue
        leaf = not isinstance(v, dict) or set(v) == {"primary", "junior"} or all(isinstance(x, int | float) for x in v.values())
        out += [(key, v)] if leaf else _flatten(key, v)
    return out


def settings_block(pack: str) -> str:
    """The settings of a rule pack (scope, split, dispersion, unit rule, …) with their values."""
    r = _load(pack)
    rows = []
    for table in SETTING_TABLES:
        model = getattr(r, table, None)
        if model is None:
            continue
        for key, v in _flatten(table, model.model_dump()):
            rows.append([f"`{key}`", _value(key, v), MEANINGS.get(key, "—")])
    return _table(["设置", "取值", "含义"], rows)


_STATUS = {"CONFIRMED": "已核实", "UNCERTAIN": "未核实", "ASSUMPTION": "假设", "EXAMPLE": "示例"}
_PART = {"guarantee": "政府保障程度", "quality": "教育质量", "recognition": "社会认可度/公众满意度",
         "veto": "一票否决", "score": "县级政府工作评估"}


def county_items_block(pack: str) -> str:
    """The county-level items of a rule pack with how each is decided and how sure it is."""
    r = _load(pack)
    rows = []
    for i in r.county_items:
        how = {"computed": "计算", "qualitative": "定性", "mixed": "计算 + 定性"}[i.kind]
        check = f"`{i.check}`" if i.check else "—"
        pts = _num(i.points) if i.points is not None else "—"
        rows.append([i.id, _PART[i.part], i.name, how, check, pts, _STATUS[i.status]])
    return _table(["编号", "方面", "内容", "判定", "核查", "分值", "核实程度"], rows)


def provinces_block() -> str:
    """The bundled provincial override files."""
    import tomllib
    from importlib import resources

    rows = []
    for code in available_provinces():
        with (resources.files("junheng.rules") / "provinces" / f"{code}.toml").open("rb") as fh:
            d = tomllib.load(fh)
        rows.append([f"`{code}`", str(d.get("name", "")), str(d.get("document", "")), "、".join(d.get("packs", {}))])
    return _table(["代码", "名称", "依据文件", "覆盖的规则包"], rows)


def blocks() -> dict[str, Callable[[], str]]:
    """Every generated block by marker name."""
    out: dict[str, Callable[[], str]] = {f"fields {g}": (lambda g=g: fields_block(g)) for g in ("identity", "section", "school")}
    out["school_types"] = school_types_block
    out["urban_rural_codes"] = urban_rural_block
    out["plausibility"] = plausibility_block
    out["provinces"] = provinces_block
    for p in available_packs():
        out[f"indicators {p}"] = lambda p=p: indicators_block(p)
        out[f"settings {p}"] = lambda p=p: settings_block(p)
        out[f"county_items {p}"] = lambda p=p: county_items_block(p)
    return out


def render(text: str) -> tuple[str, list[str]]:
    """The document with every generated block refreshed, and the names of unknown blocks."""
    known = blocks()
    unknown: list[str] = []

    def sub(m: re.Match) -> str:
        name = m.group("name").strip()
        if name not in known:
            unknown.append(name)
            return m.group(0)
        return m.group(1) + known[name]() + m.group(4)

    return BLOCK.sub(sub, text), unknown


def used_blocks(text: str) -> list[str]:
    """Names of the generated blocks a document contains."""
    return [m.group("name").strip() for m in BLOCK.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    """``python -m junheng.docgen [--check] [DOCS_DIR]``: refresh (or check) docs/*.md blocks."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    root = Path(args[0]) if args else Path("docs")
    stale = []
    for path in sorted(root.glob("*.md")):
        old = path.read_text(encoding="utf-8")
        new, unknown = render(old)
        if unknown:
            print(f"{path}: 未知的生成块 {', '.join(unknown)}", file=sys.stderr)
            return 2
        if new != old:
            stale.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    for p in stale:
        print(f"{'需要更新' if check else '已更新'}：{p}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
