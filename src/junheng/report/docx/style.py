"""The official document style (GB/T 9704-2012 《党政机关公文格式》) for the Word report.

Page: A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 × 225 mm),
22 lines of 3号 text per page (exact line spacing 28.95 pt). Fonts, each set in the East-Asian
font attribute ``w:eastAsia`` (Word uses only that one for Chinese text), with Times New Roman for
Latin letters and digits, and the theme-font attributes removed so nothing overrides them:

| style | font | size |
|---|---|---|
| Title (标题) | 方正小标宋简体 | 2号 22 pt, centred |
| Normal (正文) | 仿宋_GB2312 | 3号 16 pt, first line indented 2 characters |
| Heading 1 (一、) | 黑体 | 3号 |
| Heading 2 (（一）) | 楷体_GB2312 | 3号 |
| Heading 3 (1.) | 仿宋_GB2312 bold | 3号 |
| 表格文字 (table text) | 仿宋_GB2312 | 5号 10.5 pt, single spacing |
| 图 (figure paragraph), Caption (图表题) | 仿宋_GB2312 | 4号 14 pt (caption), centred |
| Footer (page number “— 1 —”) | 宋体 | 4号, odd pages right, even pages left, one character in |

Fallbacks for machines without the official fonts: the font table (word/fontTable.xml) gives each
official font a ``w:altName`` (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 黑体),
the alternative Word and LibreOffice use when the named font is missing, and the GB2312 charset.

:func:`apply_official_style` builds all of it on a document (make_template.py uses it for the
shipped template); :func:`ensure_styles` only adds styles a user's template lacks, so the user's
edits to fonts, sizes or margins in their template are kept.
"""
from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

LATIN = "Times New Roman"
FANGSONG, HEITI, KAITI, XIAOBIAOSONG, SONGTI = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
#: Official font → the font Word / LibreOffice use when it is not installed (w:altName).
ALT_NAMES = {FANGSONG: "仿宋", KAITI: "楷体", XIAOBIAOSONG: HEITI, HEITI: "SimHei", SONGTI: "SimSun"}
LINE = Pt(28.95)  # 225 mm / 22 lines
TABLE_STYLE = "表格文字"
FIGURE_STYLE = "图"

#: style name → (type, East-Asian font, size pt, bold, alignment, first-line indent pt, exact line spacing?)
STYLES: dict[str, tuple] = {
    "Normal": (WD_STYLE_TYPE.PARAGRAPH, FANGSONG, 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 32, True),
    "Title": (WD_STYLE_TYPE.PARAGRAPH, XIAOBIAOSONG, 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "Subtitle": (WD_STYLE_TYPE.PARAGRAPH, KAITI, 16, False, WD_ALIGN_PARAGRAPH.CENTER, 0, True),
    "Heading 1": (WD_STYLE_TYPE.PARAGRAPH, HEITI, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 32, True),
    "Heading 2": (WD_STYLE_TYPE.PARAGRAPH, KAITI, 16, False, WD_ALIGN_PARAGRAPH.LEFT, 32, True),
    "Heading 3": (WD_STYLE_TYPE.PARAGRAPH, FANGSONG, 16, True, WD_ALIGN_PARAGRAPH.LEFT, 32, True),
    "Caption": (WD_STYLE_TYPE.PARAGRAPH, FANGSONG, 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "注释": (WD_STYLE_TYPE.PARAGRAPH, FANGSONG, 12, False, WD_ALIGN_PARAGRAPH.LEFT, 0, False),
    TABLE_STYLE: (WD_STYLE_TYPE.PARAGRAPH, FANGSONG, 10.5, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    FIGURE_STYLE: (WD_STYLE_TYPE.PARAGRAPH, FANGSONG, 14, False, WD_ALIGN_PARAGRAPH.CENTER, 0, False),
    "Footer": (WD_STYLE_TYPE.PARAGRAPH, SONGTI, 14, False, WD_ALIGN_PARAGRAPH.RIGHT, 0, False),
}


def set_fonts(rpr_owner, east_asia: str, latin: str = LATIN) -> None:
    """Set w:rFonts on a style or run: Latin/digits in ``latin``, Chinese in ``east_asia``
    (w:eastAsia, hint eastAsia), theme-font attributes removed."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def east_asia_font(style) -> str | None:
    """The w:eastAsia font of a style (or None)."""
    rpr = style.element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def _style(doc: DocumentObject, name: str, spec: tuple) -> None:
    kind, font, size, bold, align, indent, exact = spec
    try:
        st = doc.styles[name]
    except KeyError:
        st = doc.styles.add_style(name, kind)
        st.base_style = doc.styles["Normal"] if name != "Normal" else None
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = RGBColor(0, 0, 0)
    set_fonts(st.element, font)
    pf = st.paragraph_format
    pf.alignment = align
    pf.first_line_indent = Pt(indent)
    pf.left_indent = Pt(0)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    if exact:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = LINE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    ppr = st.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between digits and Chinese: “2023年”
        el = ppr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            ppr.append(el)
        el.set(qn("w:val"), "0")
    if size != 16 or not exact:  # only the 3号 body lines sit on the 22-line grid; tables, captions, titles do not
        ppr = st.element.get_or_add_pPr()
        snap = ppr.find(qn("w:snapToGrid"))
        if snap is None:
            snap = OxmlElement("w:snapToGrid")
            ppr.append(snap)
        snap.set(qn("w:val"), "0")
    if size == 16:  # 28 characters a line (GB/T 9704 §5.2.2; see BODY_SPACING)
        rpr = st.element.get_or_add_rPr()
        sp = rpr.find(qn("w:spacing"))
        if sp is None:
            sp = OxmlElement("w:spacing")
            rpr.append(sp)
        sp.set(qn("w:val"), str(BODY_SPACING))
    if name.startswith("Heading") or name in ("Title", "Caption"):
        pf.keep_with_next = name != "Caption"
    if name == "Title":
        pf.space_after = LINE
    # theme colour / border of the stock heading styles
    rpr = st.element.rPr
    for tag in ("w:color",):
        el = rpr.find(qn(tag)) if rpr is not None else None
        if el is not None:
            for attr in ("w:themeColor", "w:themeShade"):
                el.attrib.pop(qn(attr), None)
    ppr = st.element.pPr
    if ppr is not None:
        for el in ppr.findall(qn("w:pBdr")):
            ppr.remove(el)


def _font_table(doc: DocumentObject) -> None:
    """Declare the official fonts with their alternatives in word/fontTable.xml."""
    part = next((p for p in doc.part.package.iter_parts() if p.partname == "/word/fontTable.xml"), None)
    if part is None:
        return
    from lxml import etree

    root = etree.fromstring(part.blob)
    for name, alt in ALT_NAMES.items():
        for el in root.findall(qn("w:font")):
            if el.get(qn("w:name")) == name:
                root.remove(el)
        f = etree.SubElement(root, qn("w:font"))
        f.set(qn("w:name"), name)
        a = etree.SubElement(f, qn("w:altName"))
        a.set(qn("w:val"), alt)
        cs = etree.SubElement(f, qn("w:charset"))
        cs.set(qn("w:val"), "86")  # GB2312
        fam = etree.SubElement(f, qn("w:family"))
        fam.set(qn("w:val"), "modern" if name in (FANGSONG, KAITI, HEITI) else "roman")
        pitch = etree.SubElement(f, qn("w:pitch"))
        pitch.set(qn("w:val"), "fixed" if name in (FANGSONG, KAITI, HEITI) else "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_field(paragraph) -> None:
    """“— PAGE —” with a PAGE field in the middle."""
    paragraph.add_run("— ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    paragraph.add_run(" —")


def _footers(doc: DocumentObject) -> None:
    """Page numbers in the footer: odd pages right, even pages left, one character (14 pt) in."""
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
            footer.is_linked_to_previous = False
            for p in list(footer.paragraphs)[1:]:
                p._p.getparent().remove(p._p)
            p = footer.paragraphs[0]
            p.text = ""
            p.style = doc.styles["Footer"]
            p.alignment = align
            if align == WD_ALIGN_PARAGRAPH.RIGHT:
                p.paragraph_format.right_indent = Pt(14)
            else:
                p.paragraph_format.left_indent = Pt(14)
            _page_field(p)


def apply_page(doc: DocumentObject) -> None:
    """A4 and the GB/T 9704 margins on every section."""
    for s in doc.sections:
        s.start_type = WD_SECTION.NEW_PAGE
        s.page_width, s.page_height = Mm(210), Mm(297)
        s.top_margin, s.bottom_margin = Mm(37), Mm(35)
        s.left_margin, s.right_margin = Mm(28), Mm(26)
        s.header_distance, s.footer_distance = Mm(15), Mm(25)
        _grid(s)


#: GB/T 9704 §5.2.2: 22 lines of 28 characters of 3号 text in the 156 × 225 mm text block. The
#: line grid (w:docGrid type "lines") holds the 22 lines: pitch 225 mm / 22 in twips. The 28
#: characters: 156 mm / 28 = 15.79 pt a character, i.e. 16 pt text with its character spacing
#: narrowed by 0.2 pt (BODY_SPACING, twentieths of a point, on the body styles). A character grid
#: (type "linesAndChars") would say the same to Word, but LibreOffice lays it out at about half
#: the characters a line, so the spacing is set on the text instead.
GRID_LINE_PITCH = round(225 / 25.4 * 1440 / 22)
BODY_SPACING = round((156 / 25.4 * 72 / 28 - 16) * 20)


def _grid(section) -> None:
    """The section's w:docGrid set to the 22-line grid (type lines)."""
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(GRID_LINE_PITCH))
    if grid.get(qn("w:charSpace")) is not None:
        del grid.attrib[qn("w:charSpace")]


def _default_size(doc: DocumentObject, half_points: int = 32) -> None:
    """The document default font size (w:docDefaults) set to 3号: Word and LibreOffice measure the
    character grid from it, so 28 characters fit a line only when it is the body size."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(half_points))




def apply_official_style(doc: DocumentObject) -> None:
    """Page, styles, font table and page-number footers of the official style (module doc)."""
    apply_page(doc)
    _default_size(doc)
    for name, spec in STYLES.items():
        _style(doc, name, spec)
    _font_table(doc)
    _footers(doc)


def ensure_styles(doc: DocumentObject) -> None:
    """Add the styles the report uses that ``doc`` (a user's template) lacks; keep the others."""
    names = {s.name for s in doc.styles}
    for name, spec in STYLES.items():
        if name not in names:
            _style(doc, name, spec)
