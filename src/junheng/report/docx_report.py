"""The self-evaluation report (自评报告) as a Word document, from the blocks of narrative.py.

The document starts from a template (default ``templates/self_evaluation.docx``, built by
``python -m junheng.report.make_template``; or the user's own .docx): its page setup, styles,
header and footer are kept. The generated text goes where the template has the paragraph
``{{报告正文}}`` (required: a template without it is refused with a ValueError); the placeholders
``{{标题}}``, ``{{县区}}``, ``{{年度}}``, ``{{规则}}``, ``{{日期}}`` are replaced everywhere, headers
and footers included, and an unknown ``{{…}}`` is refused (docx_template.py). When the template
gives the title (the default one does, with ``{{标题}}``) the body starts at the preface. Styles used: Title, Subtitle, Heading 1–3, Normal, Caption,
表格文字, 图, 注释 (docx_style.py; missing ones are added). Tables get single black borders, a
repeated header row, widths over the text block; cells marked good/bad get green/red text.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor

from .blocks import Block, Figure, Heading, Para, Table
from .docx_style import FIGURE_STYLE, TABLE_STYLE, ensure_styles
from .docx_template import check_template, cn_date, fill, has_title, marker_paragraph
from .make_template import TEMPLATE

COLORS = {"good": RGBColor(0x00, 0x61, 0x00), "bad": RGBColor(0xC0, 0x00, 0x00)}
#: Tables with at most this many rows are kept on one page.
KEEP_TOGETHER_ROWS = 15
HEADING_STYLE = {0: "Title", -1: "Subtitle", 1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}


def _borders(table) -> None:
    tblpr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        b.append(el)
    tblpr.append(b)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _text_width(doc) -> int:
    s = doc.sections[-1]
    return s.page_width - s.left_margin - s.right_margin


def _table(doc, t: Table) -> None:
    doc.add_paragraph(t.caption, style="Caption").paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    total = _text_width(doc)
    widths = [int(total * w / sum(t.widths)) for w in t.widths]
    for j, w in enumerate(widths):
        table.columns[j].width = w
    for i, cells in enumerate([t.header] + t.rows):
        row = table.rows[i]
        for j, text in enumerate(cells):
            cell = row.cells[j]
            cell.width = widths[j]
            p = cell.paragraphs[0]
            p.style = doc.styles[TABLE_STYLE]
            if j in t.left and i > 0:
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            run = p.add_run(text)
            mark = t.marks[i - 1][j] if i > 0 and t.marks else None
            if i == 0 or (t.bold_last and i == len(t.rows)):
                run.bold = True
            if mark in COLORS:
                run.font.color.rgb = COLORS[mark]
    _repeat_header(table.rows[0])
    if len(t.rows) <= KEEP_TOGETHER_ROWS:  # a short table stays on one page
        for row in table.rows[:-1]:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.add_paragraph("", style=FIGURE_STYLE)


def _figure(doc, f: Figure) -> None:
    p = doc.add_paragraph(style=FIGURE_STYLE)
    p.paragraph_format.keep_with_next = True
    width = min(Mm(f.width_mm), _text_width(doc))
    p.add_run().add_picture(io.BytesIO(f.png), width=width)
    doc.add_paragraph(f.caption, style="Caption")


def _render(doc, blocks: list[Block]) -> None:
    for b in blocks:
        if isinstance(b, Heading):
            doc.add_paragraph(b.text, style=HEADING_STYLE.get(b.level, "Heading 3"))
        elif isinstance(b, Para):
            doc.add_paragraph(b.text, style="注释" if b.note else "Normal")
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Figure):
            _figure(doc, b)
        else:  # pragma: no cover - blocks.Block is closed
            raise TypeError(f"unknown block {b!r}")


def _without_title(blocks: list[Block]) -> list[Block]:
    """The blocks without the leading title and subtitle (the template gives them)."""
    k = 0
    while k < len(blocks) and isinstance(blocks[k], Heading) and blocks[k].level in (0, -1):
        k += 1
    return blocks[k:]


def build_docx(blocks: list[Block], *, template: str | Path | None = None, values: dict[str, str] | None = None):
    """A python-docx Document of the blocks on the template (module doc). values: placeholder →
    text (``{{日期}}`` defaults to today). Raises ValueError (no marker, unknown placeholder:
    docx_template.check_template), FileNotFoundError / docx errors for a bad template."""
    doc = Document(str(template or TEMPLATE))
    check_template(doc)
    if has_title(doc):
        blocks = _without_title(blocks)
    fill(doc, {"{{日期}}": cn_date(dt.date.today()), **(values or {})})
    ensure_styles(doc)
    body = doc.element.body
    marker = marker_paragraph(doc)
    before = len(body)
    _render(doc, blocks)
    # _render appends before the final w:sectPr: move what it added to the marker's place
    children = list(body)
    has_sect = children[-1].tag == qn("w:sectPr")
    added = children[before - 1:-1] if has_sect else children[before:]
    for el in added:
        marker._p.addprevious(el)
    marker._p.getparent().remove(marker._p)
    return doc


def write_docx(blocks: list[Block], path: str | Path, *, template: str | Path | None = None,
               values: dict[str, str] | None = None) -> Path:
    """Write the report to ``path`` (the caller makes it atomic; bundle.py writes into a temp
    folder). Returns the path."""
    doc = build_docx(blocks, template=template, values=values)
    doc.save(str(path))
    return Path(path)
