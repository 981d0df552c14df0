"""The two document shapes every ledger export uses (one implementation each):

- :func:`table_xlsx`: one titled table on one sheet, through report/safe_xlsx.new_workbook (text stays
  text: no formula or link from a user's cell), bordered, wrapped, header repeated on print, landscape;
- :func:`blocks_docx`: blocks of report/narrative/blocks.py rendered by report/docx/writer.py on the
  default template (GB/T 9704 page, the report's fonts and styles), every text through
  report/safe_text.py.
"""
from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

from junheng.report.safe_text import xml_safe_blocks, xml_text
from junheng.report.safe_xlsx import new_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: the content type of a download by its file name's extension
CONTENT_TYPES = {".xlsx": XLSX, ".docx": DOCX}


def attachment(data: bytes, county, filename: str):
    """A download response of ``data`` named ``<county code>_<filename>`` (content type by extension)."""
    from django.http import HttpResponse

    r = HttpResponse(data, content_type=CONTENT_TYPES[Path(filename).suffix])
    r["Content-Disposition"] = f"attachment; filename*=UTF-8''{county.code}_{filename}"
    return r


def table_xlsx(title: str, sheet: str, header: list[str], widths: list[int], rows: list[list[str]]) -> bytes:
    """A workbook of one sheet ``sheet``: ``title`` merged over the first row, ``header`` on the
    second (frozen, repeated on every printed page), then ``rows``; column widths in characters."""
    with tempfile.TemporaryDirectory(prefix="junheng-ledger-") as tmp:
        path = Path(tmp) / "台账.xlsx"
        wb = new_workbook(path)
        ws = wb.add_worksheet(sheet)
        fmt_title = wb.add_format({"bold": True, "font_size": 14, "align": "center"})
        head = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "bg_color": "#F0F0F0",
                              "text_wrap": True})
        cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        ws.merge_range(0, 0, 0, len(header) - 1, title, fmt_title)
        ws.write_row(1, 0, header, head)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        for i, row in enumerate(rows, 2):
            ws.write_row(i, 0, row, cell)
        ws.freeze_panes(2, 0)
        ws.repeat_rows(1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        wb.close()
        return path.read_bytes()


def blocks_docx(blocks: list, title: str, county_name: str, kind: str, signer: str) -> bytes:
    """The .docx bytes of ``blocks`` under ``title``; ``kind`` names the document on the cover
    (the template's 规则 field), ``signer`` the 落款."""
    from junheng.report.docx.writer import build_docx

    values = {"{{标题}}": xml_text(title), "{{县区}}": xml_text(county_name), "{{规则}}": kind,
              "{{年度}}": str(dt.date.today().year), "{{落款}}": xml_text(signer)}
    doc = build_docx(xml_safe_blocks(blocks), values=values)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
