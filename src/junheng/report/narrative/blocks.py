"""The report as a list of plain blocks, rendered alike into Word (docx/writer.py) and HTML
(html/writer.py). narrative/report.py builds the blocks; nothing here knows a file format.

Blocks: :class:`Heading` (level 0 = document title, 1 = “一、”, 2 = “（一）”), :class:`Para`
(a body paragraph, optionally a note in smaller type), :class:`Table` (header + rows of display
text, with a per-cell mark: shaded and bold when short, never coloured text), :class:`Figure` (a PNG
chart and its caption), :class:`Annex` (starts an attachment after the 落款 and date, GB/T 9704 §8).

A field the county fills in by hand is written in the text as 【请填写：…】 (:data:`FILL`); the
writers highlight it and :func:`fill_fields` lists them for the CLI and the 说明 file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

#: A field to fill in by hand: “【请填写：全县总面积（平方公里）】”.
FILL = re.compile(r"【请填写：[^】]*】")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 title, -1 subtitle under it, 1 “一、” (黑体), 2 “（一）” (楷体), 3 “1.” (仿宋 bold)


@dataclass(frozen=True)
class Para:
    text: str
    note: bool = False  # a note / source line (smaller, no first-line indent)
    # wrapped lines start this many characters after the first line's start (GB/T 9704 §7.3.4:
    # a long 附件 name wraps under its first character); 0: the usual 2-character first-line indent
    hang: int = 0


@dataclass(frozen=True)
class Table:
    """header: column titles; rows: display text; marks: same shape as rows, each cell
    ``"good"`` / ``"bad"`` / ``None`` (``bad``: bold on grey shading, text black); widths: relative column widths;
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


@dataclass(frozen=True)
class Annex:
    """The start of an attachment: label (“附表1”, 黑体 top left) and title (centred); it and every
    block after it go after the 落款 and date, each Annex on a new page."""

    label: str
    title: str


Block = Heading | Para | Table | Figure | Annex


def fill_fields(blocks: list[Block]) -> list[str]:
    """Every 【请填写：…】 field of the blocks, in document order (duplicates kept: each is a place)."""
    out: list[str] = []
    for b in blocks:
        texts = [b.text] if isinstance(b, (Heading, Para)) else (
            [c for row in b.rows for c in row] if isinstance(b, Table) else [])
        for t in texts:
            out += FILL.findall(t)
    return out


def listlike(text: str) -> bool:
    """A paragraph that is mostly a list of figures (“分别为56500万元、60800万元、…”): justified,
    its few line breaks would stretch the spaces, so the writers set it flush left."""
    digits = sum(ch.isdigit() for ch in text)
    return digits > 0.25 * len(text) or text.count("、") >= 6 or "\n" in text
