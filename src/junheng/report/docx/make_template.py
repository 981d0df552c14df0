"""Build the default Word template ``templates/self_evaluation.docx`` (reproducible; committed).

    python -m junheng.report.docx.make_template [OUT]

The template holds the official document style (docx/style.py: A4, GB/T 9704 margins, styles,
font fallbacks, page numbers “— 1 —”, the 22-line grid) and a body users can edit: the title
``{{标题}}`` (style Title), the marker paragraph ``{{报告正文}}`` where the generated report goes,
and the signature block (落款) ``{{落款}}`` / ``{{日期}}`` (docx/writer.py centres the 署名 over the
date, the date four characters in). Its document properties are blank (the writer sets title and
author; python-docx's defaults are removed). Because the template gives the title, the generated body starts at the preface. Users may copy
it, change the title, fonts, sizes, margins, header or footer in Word, add a cover page or a
preface before the marker, and use ``{{标题}}``, ``{{县区}}``, ``{{年度}}``, ``{{规则}}``,
``{{日期}}``, ``{{落款}}`` anywhere, headers and footers included (docx/template.py: the marker is required and
unknown placeholders are refused), then pass it with ``template=`` (CLI ``--template``). The file's
timestamps are fixed so a rebuild gives the same bytes apart from the zip's own member dates,
which are fixed too.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from .style import apply_official_style
from .template import MARKER
from ..files import write_atomic

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
    doc.add_paragraph(MARKER)
    doc.add_paragraph("")
    for text in ("{{落款}}", "{{日期}}"):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.right_indent = Pt(64)  # 右空四字 (3号 = 16 pt)
    cp = doc.core_properties
    cp.title = cp.author = cp.last_modified_by = cp.comments = ""   # set per report (docx/writer.py)
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
            data = zin.read(name)
            if name == "docProps/app.xml":  # python-docx's default names an application that did not write it
                data = re.sub(rb"<Application>[^<]*</Application>|<AppVersion>[^<]*</AppVersion>", b"", data)
            zout.writestr(info, data)
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
