"""The self-evaluation report (自评报告) as a Word document, from the blocks of narrative.py.

The document starts from a template (default ``templates/self_evaluation.docx``, built by
``python -m junheng.report.docx.make_template``; or the user's own .docx): its page setup, styles,
header and footer are kept. The generated text goes where the template has the paragraph
``{{报告正文}}`` (required: a template without it is refused with a ValueError); the placeholders
``{{标题}}``, ``{{县区}}``, ``{{年度}}``, ``{{规则}}``, ``{{日期}}`` are replaced everywhere, headers
and footers included, and an unknown ``{{…}}`` is refused (docx/template.py). When the template
gives the title (the default one does, with ``{{标题}}``) the body starts at the preface. Styles used: Title, Subtitle, Heading 1–3, Normal, Caption,
表格文字, 图, 注释 (docx/style.py; missing ones are added). Tables get single black borders, a
repeated header row, widths over the text block; a cell marked bad is bold on grey shading (text black).
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from docx.enum.text import WD_COLOR_INDEX

from ..narrative.common import title_break
from ..narrative.blocks import FILL, Annex, Block, Figure, Heading, Para, Table, listlike
from .style import FIGURE_STYLE, TABLE_STYLE, ensure_styles
from .template import check_template, cn_date, fill, has_title, marker_paragraph
from .make_template import TEMPLATE

#: Cell shading of a ``bad`` mark (the text stays black and bold, GB/T 9704 tables are black).
SHADE = "D9D9D9"
#: Tables with at most this many rows are kept on one page …
KEEP_TOGETHER_ROWS = 15
#: … when their text is at most this many lines of 5号 (half an A4 text block): a taller table
#: kept whole would leave a near-empty page before it; it then keeps its caption, header and first
#: row together, and its last three rows (no orphaned total row on the next page).
KEEP_TOGETHER_LINES = 24
#: The last rows of a taller table kept together (kept_rows): at most this many lines of 5号.
KEEP_TAIL_LINES = 8
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


def header_widths(header: list[str], widths: list[int], rows: list[list[str]] = ()) -> list[int]:
    """Column widths (EMU) widened so that no header wraps one character a line: a header of up
    to 4 characters fits on one line, a longer one on two; the width is taken from the widest
    columns. 5号 bold header text, 0.19 cm cell margins each side."""
    def chars(h: str) -> int:  # an explicit break (“达标\n单位数”) sets the lines; else 4 a line, then 2 lines
        lines = h.split("\n")
        if len(lines) > 1:
            return max(len(x) for x in lines)
        return len(h) if len(h) <= 4 else -(-len(h) // 2)
    need = [int(Pt(10.5 * chars(h) + 12)) for h in header]
    for cells in rows:  # a short value (“2019年”, “+164.00”, “12000㎡”) is never broken either
        for j, x in enumerate(cells):
            w = _half_width(str(x))
            if "\n" not in str(x) and w <= SHORT_VALUE:
                need[j] = max(need[j], int(Pt(5.25 * 1.2 * w + 14)))  # digits of CJK fonts are wider than 0.5 em
    out = list(widths)
    for j, n in enumerate(need):
        while out[j] < n:
            k = max(range(len(out)), key=lambda i: out[i] - need[i])
            spare = out[k] - need[k]
            if k == j or spare <= 0:
                break
            give = min(spare, n - out[j])
            out[k] -= give
            out[j] += give
    return out


def _runs(p, text: str, *, bold: bool = False) -> None:
    """Add ``text`` to paragraph ``p``; each 【请填写：…】 field is its own run, highlighted yellow."""
    k = 0
    for m in FILL.finditer(text):
        if m.start() > k:
            p.add_run(text[k:m.start()]).bold = bold or None
        r = p.add_run(m.group())
        r.font.highlight_color = WD_COLOR_INDEX.YELLOW
        r.bold = bold or None
        k = m.end()
    if k < len(text) or not text:
        p.add_run(text[k:]).bold = bold or None


def _hang(p, chars: int) -> None:
    """Hanging indent: the first line keeps the body's 2-character indent, the wrapped lines start
    ``chars`` characters further in (w:ind in hundredths of a character, with twips for readers
    that ignore the character units; 三号 = 16 pt a character)."""
    em = Pt(16)
    pf = p.paragraph_format
    pf.left_indent = em * (2 + chars)
    pf.first_line_indent = -em * chars
    ind = p._p.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:leftChars"), str(100 * (2 + chars)))
    ind.set(qn("w:hangingChars"), str(100 * chars))


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _table(doc, t: Table) -> None:
    if t.caption:
        doc.add_paragraph(t.caption, style="Caption").paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table)
    total = _text_width(doc)
    widths = header_widths(t.header, [int(total * w / sum(t.widths)) for w in t.widths], t.rows)
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
            mark = t.marks[i - 1][j] if i > 0 and t.marks else None
            bold = i == 0 or (t.bold_last and i == len(t.rows)) or mark == "bad"
            _runs(p, text, bold=bold)
            if mark == "bad":
                _shade(cell, SHADE)
    _repeat_header(table.rows[0])
    for row in kept_rows(table.rows, row_lines(t, widths)):
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True
    for row, lines in zip(table.rows, row_lines(t, widths)):
        if lines <= SPLIT_ROW_LINES:  # a tall row may break across pages (no page left half empty)
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    doc.add_paragraph("", style=FIGURE_STYLE)


#: Cell values up to this many half-width units are kept on one line (header_widths).
SHORT_VALUE = 10


def _half_width(text: str) -> int:
    """Width in half-width units: 2 for a wide (CJK) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: Rows of at most this many lines never break across pages; taller ones may.
SPLIT_ROW_LINES = 10


def row_lines(t: Table, widths: list[int]) -> list[int]:
    """Estimated printed lines of each row, header first (5号 text, 0.19 cm cell margins): the
    tallest cell, wide characters at 10.5 pt, narrow ones at half that."""
    per_line = [max(1, int((w - Pt(12)) / Pt(5.25))) for w in widths]  # half-width units a line
    return [max(sum(max(1, -(-_half_width(part) // per_line[j])) for part in str(x).split("\n"))
                for j, x in enumerate(cells)) for cells in [t.header] + t.rows]


def kept_rows(rows: list, lines: list[int]) -> list:
    """The rows (header first, ``lines`` their :func:`row_lines`) whose paragraphs keep with the
    next row. A table of at most KEEP_TOGETHER_ROWS rows and KEEP_TOGETHER_LINES lines is kept
    whole (all rows but the last). A taller one keeps only its header with the first row and its
    last rows together, at most 3 and at most KEEP_TAIL_LINES lines (no total row orphaned on the
    next page) — never a chain of tall rows, which would push half a table to the next page and
    leave a near-empty page before it."""
    if sum(lines) <= KEEP_TOGETHER_LINES and len(rows) <= KEEP_TOGETHER_ROWS + 1:
        return list(rows[:-1])
    tail, height = [], lines[-1]
    for k in (len(rows) - 2, len(rows) - 3):
        if k < 1 or height + lines[k] > KEEP_TAIL_LINES:
            break
        height += lines[k]
        tail.insert(0, rows[k])
    return list(rows[:1]) + tail


def text_lines(t: Table, widths: list[int]) -> int:
    """Estimated printed lines of a table (:func:`row_lines` summed)."""
    return sum(row_lines(t, widths))


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
            p = doc.add_paragraph(style="注释" if b.note else "Normal")
            _runs(p, b.text)
            if listlike(b.text) or b.hang:
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            if b.hang:
                _hang(p, b.hang)
        elif isinstance(b, Annex):
            label = doc.add_paragraph(b.label, style="Heading 1")
            label.paragraph_format.page_break_before = True
            label.paragraph_format.first_line_indent = 0
            doc.add_paragraph(b.title, style="Title")
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Figure):
            _figure(doc, b)
        else:  # pragma: no cover - blocks.Block is closed
            raise TypeError(f"unknown block {b!r}")




def _keep(el, on: bool = True) -> None:
    """Set (or clear) keep-with-next on a body paragraph, or on every paragraph of a table row."""
    for p in ([el] if el.tag == qn("w:p") else el.iter(qn("w:p"))):
        Paragraph(p, None).paragraph_format.keep_with_next = on or None


def _keep_ending(first) -> None:
    """Keep what the body ends with on the page of the ending block that starts at paragraph
    ``first`` (the 附件说明 or the 落款): the blank lines before it and the last text; when the
    body ends with a table, only its last row — the table may then break across the pages (its
    header repeats) instead of moving whole and leaving half a page empty before it."""
    el = first._p.getprevious()
    while el is not None and el.tag == qn("w:p") and not "".join(t.text or "" for t in el.iter(qn("w:t"))).strip():
        _keep(el)
        el = el.getprevious()
    if el is None:
        return
    if el.tag == qn("w:tbl"):
        rows = el.findall(qn("w:tr"))
        for k, row in enumerate(rows):
            _keep(row, k == 0 or k == len(rows) - 1)  # header with the first row; the last row with the 落款
    elif el.tag == qn("w:p"):
        _keep(el)


def _signature(doc, signer: str | None, date: str) -> None:
    """GB/T 9704 §7.3.5.2: the date 右空四字, the 署名 centred over it (its right indent is the
    date's plus half the difference in length); a 署名 longer than the date stays 右空二字 and the
    date moves in to sit centred under it. The 落款 never stands alone on a page (_keep_ending)."""
    paras = doc.paragraphs
    if not signer:  # no 署名: the date alone never stands on a page of its own
        k = next((k for k in range(len(paras) - 1, -1, -1) if paras[k].text.strip() == date), None)
        if k is not None:
            _keep_ending(paras[k])
        return
    for k, p in enumerate(paras[:-1]):
        if p.text.strip() == signer and paras[k + 1].text.strip() == date:
            d = paras[k + 1]
            # the 落款 never stands alone on a page: the 附件说明 (the whole list), the blank lines
            # between and the body's end keep with it
            p.paragraph_format.keep_with_next = True
            j = k - 1
            while j >= 0 and not paras[j].text.strip():
                paras[j].paragraph_format.keep_with_next = True
                j -= 1
            top = j
            while top > 0 and paras[top].text.startswith("\u3000" * 3):  # the whole 附件说明 list
                top -= 1
            if j >= 0 and paras[top].text.startswith("附件"):
                for q in paras[top:j + 1]:
                    q.paragraph_format.keep_with_next = True
                _keep_ending(paras[top])
            else:
                _keep_ending(paras[j + 1])
            em = Pt(16)
            diff = len(date) - len(signer)
            for q in (p, d):
                q.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                q.paragraph_format.first_line_indent = 0
            if diff >= 0:
                d.paragraph_format.right_indent = 4 * em
                p.paragraph_format.right_indent = int(4 * em + diff * em / 2)
            else:
                p.paragraph_format.right_indent = 2 * em
                d.paragraph_format.right_indent = int(2 * em - diff * em / 2)
            return


def _title_lines(doc, title: str | None) -> None:
    """The filled-in title paragraph broken at a word boundary (common.title_break)."""
    if not title or title_break(title) == title:
        return
    for p in doc.paragraphs:
        if p.text == title and p.runs:
            p.runs[0].text = title_break(title)
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            return


def _properties(doc, title: str | None, signer: str | None) -> None:
    """Title and author (the signing unit) of the file; nothing of the tool that wrote it."""
    from ..safe_text import xml_text

    cp = doc.core_properties
    # Word's file properties hold at most 255 characters (python-docx refuses more) and no controls
    cp.title = xml_text(title or "")[:255]
    cp.author = cp.last_modified_by = xml_text(signer or "")[:255]
    cp.comments = cp.subject = cp.keywords = cp.category = ""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    cp.created = cp.modified = now
    cp.revision = 1


def _without_title(blocks: list[Block], doc=None) -> list[Block]:
    """The blocks without the leading title (the template gives it); a subtitle (level -1, as the
    monitoring's “（2022—2024年）”) goes too only when the template ``doc`` has a Subtitle of its own."""
    own = doc is None or any(p.style is not None and p.style.name == "Subtitle" and p.text.strip()
                             for p in doc.paragraphs)
    drop = (0, -1) if own else (0,)
    k = 0
    out = []
    while k < len(blocks) and isinstance(blocks[k], Heading) and blocks[k].level in (0, -1):
        if blocks[k].level not in drop:
            out.append(blocks[k])
        k += 1
    return out + blocks[k:]


def build_docx(blocks: list[Block], *, template: str | Path | None = None, values: dict[str, str] | None = None):
    """A python-docx Document of the blocks on the template (module doc). values: placeholder →
    text (``{{日期}}`` defaults to today). Raises ValueError (no marker, unknown placeholder:
    template.check_template), FileNotFoundError / docx errors for a bad template."""
    doc = Document(str(template or TEMPLATE))
    check_template(doc)
    if has_title(doc):
        blocks = _without_title(blocks, doc)
    values = {"{{日期}}": cn_date(dt.date.today()), **(values or {})}
    fill(doc, values)
    ensure_styles(doc)
    body = doc.element.body
    marker = marker_paragraph(doc)
    before = len(body)
    cut = next((k for k, b in enumerate(blocks) if isinstance(b, Annex)), len(blocks))
    blocks, annexes = blocks[:cut], blocks[cut:]
    _render(doc, blocks)
    # _render appends before the final w:sectPr: move what it added to the marker's place
    children = list(body)
    has_sect = children[-1].tag == qn("w:sectPr")
    added = children[before - 1:-1] if has_sect else children[before:]
    for el in added:
        marker._p.addprevious(el)
    marker._p.getparent().remove(marker._p)
    _signature(doc, values.get("{{落款}}"), values["{{日期}}"])
    _title_lines(doc, values.get("{{标题}}"))
    _render(doc, annexes)  # after the 落款 and date (GB/T 9704 §8)
    _properties(doc, values.get("{{标题}}"), values.get("{{落款}}"))
    return doc


def write_docx(blocks: list[Block], path: str | Path, *, template: str | Path | None = None,
               values: dict[str, str] | None = None) -> Path:
    """Write the report to ``path`` (the caller makes it atomic; bundle.py writes into a temp
    folder). Returns the path."""
    doc = build_docx(blocks, template=template, values=values)
    doc.save(str(path))
    return Path(path)
