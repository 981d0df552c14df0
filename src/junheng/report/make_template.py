"""Build the default Word template ``templates/self_evaluation.docx`` (reproducible; committed).

    python -m junheng.report.make_template [OUT]

The template holds the official document style only (docx_style.py: A4, GB/T 9704 margins,
styles, font fallbacks, page numbers “— 1 —”) and an empty body. Users may copy it, change fonts,
sizes, margins, header or footer in Word, add a cover page or a preface before the marker
paragraph ``{{报告正文}}`` (the generated report goes there; without a marker it goes at the end),
and use ``{{县区}}``, ``{{年度}}``, ``{{规则}}``, ``{{日期}}`` anywhere in the body, then pass it with
``template=`` (CLI ``--template``). The file's timestamps are fixed so a rebuild gives the same bytes
apart from the zip's own member dates, which are fixed too.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document

from .docx_style import apply_official_style
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
    p = doc.add_paragraph("{{报告正文}}")
    del p
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
