"""Number formatting for people: 3 decimals rounded half-up, as the published tables print.

Computation and comparisons use full precision; only display rounds (docs/rules.md §4).
"""
from __future__ import annotations

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
