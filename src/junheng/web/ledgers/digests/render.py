"""A digest as plain text (for a WeChat group), as report blocks and as a Word document."""
from __future__ import annotations

import io

from junheng.report.narrative.blocks import Heading, Para
from junheng.report.safe_text import xml_safe_blocks, xml_text

#: A WeChat message is cut by the client at about this many characters; longer texts get a note.
WECHAT_LIMIT = 2000


def as_text(title: str, period: str, sections) -> str:
    """【标题】 period, then each heading and its lines (numbered 1. 2. …), plain text without markup."""
    out = [f"【{title}】", f"统计时段：{period}"]
    for heading, lines in sections:
        out.append(heading)
        out += [f"{k}. {line}" for k, line in enumerate(lines, 1)] if len(lines) > 1 else list(lines)
    text = "\n".join(out)
    if len(text) > WECHAT_LIMIT:
        text += "\n（内容较长，详见平台“日报/周报”页面或 Word 版。）"
    return text


def as_blocks(title: str, period: str, sections) -> list:
    """Report blocks (report/narrative/blocks.py) of the digest."""
    blocks = [Heading(title, 0), Para(f"统计时段：{period}", note=True)]
    for heading, lines in sections:
        blocks.append(Heading(heading, 1))
        blocks += [Para(line) for line in lines]
    return blocks


def as_docx(title: str, period: str, sections, signer: str) -> bytes:
    """The digest as .docx bytes on the report template (report/docx/)."""
    import datetime as dt

    from junheng.report.docx.writer import build_docx

    values = {"{{标题}}": xml_text(title), "{{县区}}": xml_text(signer), "{{规则}}": "工作简报",
              "{{年度}}": str(dt.date.today().year), "{{落款}}": xml_text(signer)}
    doc = build_docx(xml_safe_blocks(as_blocks(title, period, sections)), values=values)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
