"""The one number formatter of every output (console, Word, HTML, Excel labels).

Computation and comparisons use full precision; only display rounds (docs/rules.md §4). CVs and
indicator means: :func:`fmt_num` (3 decimals, half-up, as the published tables print); the other
forms a county report uses: money in 万元, percentages, plain counts and
thresholds without trailing zeros, a unit's indicator value in words (“生均35.00㎡”, “每百名学生7.58人”)
and full-width brackets in Chinese names. All rounding is half-up on the shortest decimal
representation.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal



def round_half_up(x: float, places: int = 3) -> Decimal:
    """Round a float half-up on its shortest decimal representation (0.0005 → 0.001, 2.5 → 3)."""
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_num(x: float | None, places: int = 3, *, undefined: str = "无法计算") -> str:
    """Display text of a number with ``places`` decimals half-up; ``undefined`` for None."""
    if x is None:
        return undefined
    return f"{round_half_up(x, places):,.{places}f}" if abs(x) >= 1000 else str(round_half_up(x, places))


def fmt_verdict(ok: bool | None) -> str:
    """达标 / 未达标 / 无法判定 for True / False / None."""
    return {True: "达标", False: "未达标", None: "无法判定"}[ok]


def fmt_count(n: float | int) -> str:
    """A head count or a number of schools as a plain integer: 29635 → "29635"."""
    return str(int(round_half_up(n, 0)))


def fmt_plain(x: float) -> str:
    """A rule-pack number without trailing zeros: 4.5 → "4.5", 2000.0 → "2000", 0.65 → "0.65"."""
    d = Decimal(repr(float(x))).normalize()
    return format(d, "f")


def fmt_pct(x: float, places: int = 1) -> str:
    """A share 0–1 as a percentage, half-up: 0.23456 → "23.5%"."""
    return f"{round_half_up(x * 100, places)}%"


def fmt_wan(yuan: float, places: int = 2) -> str:
    """An amount in 元 written in 万元, half-up: 1234567 → "123.46万元"."""
    return f"{round_half_up(yuan / 10_000, places)}万元"


def fmt_growth(g: float | None) -> str:
    """A growth rate (fraction) as a percentage with 2 decimals half-up, as the county console
    shows it: 0.0865 → "8.65%"; None → "—"."""
    return "—" if g is None else f"{round_half_up(g * 100, 2)}%"


def fmt_pp(x: float | None) -> str:
    """A margin in percentage points (or 元), signed, 2 decimals half-up: 3.3205 → "+3.32"; None → "—"."""
    return "—" if x is None else f"{round_half_up(x, 2):+}"


def fmt_amount(x: float | None) -> str:
    """An amount (万元, 元) with at most 2 decimals half-up, no trailing zeros: 56500.0 → "56500",
    11935.947 → "11935.95"; None → "—"."""
    return "—" if x is None else format(round_half_up(x, 2).normalize(), "f")


def fmt_yuan(x: float | None) -> str:
    """Money per pupil (元) with exactly 2 decimals half-up, as the official tables print it:
    635.998 → "636.00", 740 → "740.00", 11935.947 → "11935.95"; None → "—"."""
    return "—" if x is None else f"{round_half_up(x, 2):.2f}"


def fmt_stat(x: float | None, unit: str) -> str:
    """A county mean or SD of an indicator in the 差异系数表, as the official workbook prints it
    (xlsx/book.value_format): 元 per pupil with 2 decimals, the rest with 3, no thousands
    separator: (3287.215, "元") → "3287.22"; (4.4364, "㎡") → "4.436"; None → "无法计算"."""
    if x is None:
        return "无法计算"
    return fmt_yuan(x) if unit == "元" else f"{round_half_up(x, 3):.3f}"


#: Decimals of an indicator value written in a sentence, by the indicator's unit (default 2):
#: money in whole 元, books to 0.1 册, teachers per pupil (人/生, about 0.05) to 3 places.
VALUE_PLACES = {"元": 0, "册": 1, "人/生": 3}
_ASCII_BRACKET = re.compile(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)")


def cn_brackets(text: str) -> str:
    """Half-width brackets around Chinese text made full-width, for display (the rule pack keeps
    its own spelling): "体育、艺术(美术、音乐)专任教师" → "体育、艺术（美术、音乐）专任教师"; "x (1).xlsx" is kept."""
    return _ASCII_BRACKET.sub(r"（\1）", text)


def per_phrase(per: float) -> str:
    """How an indicator's ``per`` reads before its value: 1 → "生均", 100 → "每百名学生"."""
    if per == 1:
        return "生均"
    return "每百名学生" if per == 100 else f"每{fmt_plain(per)}名学生"


def fmt_value(x: float, unit: str, per: float, places: int | None = None) -> str:
    """A unit's indicator value in words, per its definition (value = amount × per / pupils):
    (35.0, "㎡", 1) → "生均35.00㎡"; (7.5757, "人", 100) → "每百名学生7.58人"; (0.0543, "人/生", 1) →
    "生均0.054人". Decimals: ``places`` or VALUE_PLACES by unit, half-up."""
    n = VALUE_PLACES.get(unit, 2) if places is None else places
    return f"{per_phrase(per)}{round_half_up(x, n)}{unit.removesuffix('/生')}"


def value_unit(unit: str, per: float) -> str:
    """The unit of an indicator value as plotted (value = amount × per / pupils): ("㎡", 1) →
    "㎡/生"; ("人", 100) → "人/百名学生"; ("人/生", 1) → "人/生"."""
    if unit.endswith("/生"):
        return unit
    if per == 1:
        return f"{unit}/生"
    return f"{unit}/百名学生" if per == 100 else f"{unit}/{fmt_plain(per)}名学生"


def fmt_standard(x: float, unit: str, per: float) -> str:
    """A per-unit standard (threshold) in words, without trailing zeros: (7.5, "㎡", 1) → "生均7.5㎡"."""
    return f"{per_phrase(per)}{fmt_plain(x)}{unit.removesuffix('/生')}"
