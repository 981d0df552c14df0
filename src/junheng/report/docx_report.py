"""The self-evaluation report (自评报告) as a Word document, from the blocks of narrative.py.

The document starts from a template (default ``templates/self_evaluation.docx``, built by
``python -m junheng.report.make_template``; or the user's own .docx): its page setup, styles,
header and footer are kept. The generated text goes where the template has a paragraph
``{{报告正文}}`` (else at the end); ``{{县区}}``, ``{{年度}}``, ``{{规则}}``, ``{{日期}}`` in the
template's paragraphs are replaced. Styles used: Title, Subtitle, Heading 1–3, Normal, Caption,
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
from .make_template import TEMPLATE

MARKER = "{{报告正文}}"
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


def _replace(paragraph, values: dict[str, str]) -> None:
    text = paragraph.text
    if "{{" not in text:
        return
    new = text
    for k, v in values.items():
        new = new.replace(k, v)
    if new != text:
        runs = paragraph.runs
        runs[0].text = new
        for r in runs[1:]:
            r.text = ""


def build_docx(blocks: list[Block], *, template: str | Path | None = None, values: dict[str, str] | None = None):
    """A python-docx Document of the blocks on the template (module doc). values: placeholder →
    text for the template's own paragraphs. Raises FileNotFoundError / docx errors for a bad
    template (a .docx that python-docx cannot open)."""
    doc = Document(str(template or TEMPLATE))
    ensure_styles(doc)
    body = doc.element.body
    marker = next((p for p in doc.paragraphs if p.text.strip() == MARKER), None)
    before = len(body)
    _render(doc, blocks)
    if marker is not None:
        # _render appends before the final w:sectPr: move what it added to the marker's place
        children = list(body)
        has_sect = children[-1].tag == qn("w:sectPr")
        added = children[before - 1:-1] if has_sect else children[before:]
        for el in added:
            marker._p.addprevious(el)
        marker._p.getparent().remove(marker._p)
    vals = {"{{日期}}": dt.date.today().strftime("%Y年%m月%d日"), **(values or {})}
    for p in doc.paragraphs:
        _replace(p, vals)
    return doc


def write_docx(blocks: list[Block], path: str | Path, *, template: str | Path | None = None,
               values: dict[str, str] | None = None) -> Path:
    """Write the report to ``path`` (the caller makes it atomic; bundle.py writes into a temp
    folder). Returns the path."""
    doc = build_docx(blocks, template=template, values=values)
    doc.save(str(path))
    return Path(path)
