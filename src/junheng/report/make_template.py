"""Build the default Word template ``templates/self_evaluation.docx`` (reproducible; committed).

    python -m junheng.report.make_template [OUT]

The template holds the official document style (docx_style.py: A4, GB/T 9704 margins, styles,
font fallbacks, page numbers “— 1 —”) and a body users can edit: the title ``{{标题}}`` (style
Title) and “（初稿）” (Subtitle), the marker paragraph ``{{报告正文}}`` where the generated report
goes, and the signature block (落款) ``{{县区}}人民政府`` / ``{{日期}}``, right-aligned four characters
in. Because the template gives the title, the generated body starts at the preface. Users may copy
it, change the title, fonts, sizes, margins, header or footer in Word, add a cover page or a
preface before the marker, and use ``{{标题}}``, ``{{县区}}``, ``{{年度}}``, ``{{规则}}``,
``{{日期}}`` anywhere, headers and footers included (docx_template.py: the marker is required and
unknown placeholders are refused), then pass it with ``template=`` (CLI ``--template``). The file's
timestamps are fixed so a rebuild gives the same bytes apart from the zip's own member dates,
which are fixed too.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .docx_style import apply_official_style
from .docx_template import MARKER
from .files import write_atomic

#: Where the default template lives inside the package.
TEMPLATE = Path(__file__).resolve().parent / "templates" / "self_evaluation.docx"
_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
_ZIP_DATE = (2024, 1, 1, 0, 0, 0)


def build_template() -> bytes:
    """The default template as .docx bytes (deterministic)."""
    doc = Document()
    apply_official_style(doc)
    body = doc.element.body
    for el in list(body):
        if el.tag.endswith("}p") or el.tag.endswith("}tbl"):
            body.remove(el)
    doc.add_paragraph("{{标题}}", style="Title")
    doc.add_paragraph("（初稿）", style="Subtitle")
    doc.add_paragraph(MARKER)
    doc.add_paragraph("")
    for text in ("{{县区}}人民政府", "{{日期}}"):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(64)  # 右空四字 (3号 = 16 pt)
    cp = doc.core_properties
    cp.title, cp.author, cp.last_modified_by = "县域义务教育均衡发展自评报告", "junheng", "junheng"
    cp.created = cp.modified = _EPOCH
    cp.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    # rewrite the zip with fixed member dates and order
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in sorted(zin.namelist(), key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, zin.read(name))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else TEMPLATE
    data = build_template()
    write_atomic(target, lambda p: p.write_bytes(data))
    print(f"已写入 {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
