"""Numbers written the Chinese way for the official outputs (Word, HTML).

CVs and indicator means go through :func:`junheng.fmt.fmt_num` (3 decimals, half-up, RULES.md §4);
this module adds the other forms a county report uses: money in 万元, percentages, plain counts and
thresholds without trailing zeros. All rounding is half-up on the shortest decimal representation.
"""
from __future__ import annotations

from decimal import Decimal

from ..fmt import round_half_up


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
