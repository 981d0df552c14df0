"""Sentences of the self-evaluation report that need care (narrative.py uses them).

- :func:`province_citation`: the provincial document cited next to the national one;
- :func:`exclusion_sentence`: the schools not entering the calculation, grouped by kind (teaching
  points merged into their 上级学校 are said once, apart from the true exclusions);
- :func:`fewest_met`: the units failing the unit rule, those with the fewest thresholds met first;
- :func:`shortfall_sentence`: how many units fall below one threshold and the lowest of them
  (a value of zero is said as “没有…”);
- :func:`contributor_text`: the units behind an indicator's variance, their values per pupil.

Every number is read from the Assessment's frames; nothing is recomputed beyond sorting.
"""
from __future__ import annotations

import re
from collections import Counter

import polars as pl

from ...rules.loader import Indicator, RulePack
from .numbers import cn_brackets, fmt_pct, fmt_standard, fmt_value
from .shortfalls import RESOURCES

#: How many schools a sentence names at most before “等”.
NAMES_IN_TEXT = 5
#: The reason core.units gives a teaching point merged into its parent (the parent code varies).
MERGED = re.compile(r"^小学教学点，已并入上级学校 .* 计算$")
#: A school code inside a reason (removed so that reasons group by their kind).
_CODE = re.compile(r"\s*(\d{6,}|（未填）)\s*")


def province_citation(rules: RulePack) -> str:
    """“和…” after the national document, or "" without a provincial override. An example
    override (its name or document says 示例) is cited as a field to fill in (the document never
    says 示例; the 说明 file tells the user the override is an example); otherwise the
    override's document when the pack carries one (``province_document``), else its name."""
    if rules.province is None:
        return ""
    name = rules.province_name or ""
    doc = rules.province_document or ""
    if "示例" in name or "示例" in doc:
        return "和【请填写：省级实施细则的名称和文号】"
    if doc:
        return f"和{doc}"
    return f"和{name}省级实施细则" if name else "和省级实施细则"


def reason_kind(reason: str) -> str:
    """A reason without school codes: “小学教学点，上级学校 2152000008 不在参评范围内，无法并入” →
    “小学教学点，上级学校不在参评范围内，无法并入”."""
    return _CODE.sub("", reason)


def exclusion_sentence(reasons: list[str]) -> str:
    """The sentence on schools outside the calculation, from their reasons (one per school), or ""
    when there are none: “小学教学点22所并入所属上级学校计算，不单独作为评估单位；未纳入差异系数计算的学校2所：
    民办学校1所、特殊教育学校1所。” A reason “X，detail” is written “X n所（detail）”."""
    merged = sum(1 for r in reasons if MERGED.match(r))
    kinds = Counter(reason_kind(r) for r in reasons if not MERGED.match(r))
    parts = []
    if merged:
        parts.append(f"小学教学点{merged}所并入所属上级学校计算，不单独作为评估单位")
    if kinds:
        shown = []
        for kind, n in kinds.most_common():
            head, _, detail = kind.partition("，")
            shown.append(f"{head}{n}所" + (f"（{detail}）" if detail else ""))
        parts.append(f"未纳入差异系数计算的学校{sum(kinds.values())}所：" + "、".join(shown))
    return ("按评估办法规定，" + "；".join(parts) + "。") if parts else ""


def private_sentence(n: int, include: bool) -> str:
    """How the county's 民办学校 are treated, from the pack's ``scope.private``: “民办学校1所，纳入差异系数
    计算。” (include) / “民办学校1所，按评估办法规定未纳入差异系数计算。” (exclude); "" when n is 0."""
    if not n:
        return ""
    return f"民办学校{n}所，" + ("纳入差异系数计算。" if include else "按评估办法规定未纳入差异系数计算。")


def fewest_met(units: pl.DataFrame, rules: RulePack, level: str) -> pl.DataFrame:
    """The units of one level failing the unit rule, sorted: thresholds met ascending, then the
    total relative gap Σ (1 − X/T) over the thresholds not met descending, then name. Adds
    column ``gap``."""
    failing = units.filter(~pl.col("passed"))
    gap = pl.lit(0.0)
    for ind in rules.indicators:
        t = ind.threshold.get(level)
        gap = gap + pl.when(pl.col(f"meets_{ind.code}")).then(0.0).otherwise((1 - pl.col(ind.code) / t).clip(0.0))
    return failing.with_columns(gap.alias("gap")).sort(["met_count", "gap", "name"], descending=[False, True, False])


def fewest_met_sentence(units: pl.DataFrame, rules: RulePack, level: str, level_name: str) -> str:
    """“小学共有58个单位未达到单校标准，其中达标项数最少的5个单位是A（7项中达标2项）、…。”, with few
    units “…未达到单校标准，分别是A（…）、B（…）。”, or ""."""
    ranked = fewest_met(units, rules, level)
    n = ranked.height
    if not n:
        return ""
    k = len(rules.indicators)
    shown = [f"{r['name']}（{k}项中达标{r['met_count']}项）" for r in ranked.head(NAMES_IN_TEXT).iter_rows(named=True)]
    if n > len(shown):
        who = f"其中达标项数最少的{len(shown)}个单位是"
    else:
        who = "即" if n == 1 else "分别是"
    return f"{level_name}共有{n}个单位未达到单校标准，{who}{'、'.join(shown)}。"


def shortfall_sentence(bad: pl.DataFrame, ind: Indicator, threshold: float) -> str:
    """One indicator's units below the threshold (``bad``, at least one row): “生均体育运动场馆面积有26个
    单位低于生均7.5㎡的标准，最低的X为生均1.35㎡，仅为标准的18.0%”, or for zero values “…，其中X、Y没有网络多媒体教室”, with more than
    NAMES_IN_TEXT such units “…，其中7个单位没有县级以上骨干教师（如A、B、C、D、E）”."""


    head = f"{cn_brackets(ind.name)}有{bad.height}个单位低于{fmt_standard(threshold, ind.unit, ind.per)}的标准"
    zero = bad.filter(pl.col(ind.code) <= 0).sort("name")["name"].to_list()
    if zero:
        what = RESOURCES[ind.numerator][0]
        if len(zero) > NAMES_IN_TEXT:  # the count is the total; the names are marked as a part of it
            return f"{head}，其中{len(zero)}个单位没有{what}（如" + "、".join(zero[:NAMES_IN_TEXT]) + "）"
        return f"{head}，其中{'、'.join(zero)}没有{what}"
    low = bad.sort(ind.code).row(0, named=True)
    return (f"{head}，最低的{low['name']}为{fmt_value(low[ind.code], ind.unit, ind.per)}，"
            f"仅为标准的{fmt_pct(low[ind.code] / threshold)}")


def contributor_text(top: pl.DataFrame, ind: Indicator, mean: float | None = None) -> str:
    """“差异主要来自个别学校与全县平均水平（生均6.76㎡）偏离较大：岩脚乡九年制学校生均35.00㎡，高于平均水平；…”
    from trace.top_contributors rows with a positive share (the schools adding most to the
    variance), each with the direction of its deviation; "" when none."""
    rows = [r for r in top.iter_rows(named=True) if r["share"] > 0]
    if not rows:
        return ""
    avg = f"（{fmt_value(mean, ind.unit, ind.per)}）" if mean is not None else ""
    who = "；".join(f"{r['name']}{fmt_value(r['value'], ind.unit, ind.per)}，"
                   + ("高于" if mean is None or r["value"] > mean else "低于") + "平均水平" for r in rows)
    return f"差异主要来自个别学校与全县平均水平{avg}偏离较大：{who}"
