"""The report as a list of plain blocks, rendered alike into Word (docx_report.py) and HTML
(html_report.py). narrative.py builds the blocks; nothing here knows a file format.

Blocks: :class:`Heading` (level 0 = document title, 1 = “一、”, 2 = “（一）”), :class:`Para`
(a body paragraph, optionally a note in smaller type), :class:`Table` (header + rows of display
text, with a per-cell mark for red/green), :class:`Figure` (a PNG chart and its caption).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 title, -1 subtitle under it, 1 “一、” (黑体), 2 “（一）” (楷体), 3 “1.” (仿宋 bold)


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False  # a note / source line (smaller, no first-line indent)


@dataclass(frozen=True)
class Table:
    """header: column titles; rows: display text; marks: same shape as rows, each cell
    ``"good"`` / ``"bad"`` / ``None`` (rendered green / red); widths: relative column widths;
    caption: the table title placed above it (“表1 …”); bold_last: the last row is a total;
    left: indexes of the columns aligned left."""

    header: list[str]
    rows: list[list[str]]
    caption: str
    widths: list[float]
    marks: list[list[str | None]] = field(default_factory=list)
    bold_last: bool = False
    left: tuple[int, ...] = (1,)  # columns aligned left (names, long text); the others centred


@dataclass(frozen=True)
class Figure:
    """png: the chart image (bytes); caption: placed under it (“图1 …”); width_mm on the page."""

    png: bytes
    caption: str
    width_mm: float = 150.0


Block = Heading | Para | Table | Figure
