"""Placeholders of the Word template (模板占位符): checking a template and filling it in.

A template must have the marker paragraph ``{{报告正文}}`` on its own (the generated report goes
there). Other placeholders may stand anywhere: body paragraphs, tables, text boxes, headers and
footers (every section, first-page and even-page ones too), footnotes. A placeholder split over
several runs by Word's editing is still found. Known placeholders (:data:`PLACEHOLDERS`):

| placeholder | replaced by |
|---|---|
| ``{{标题}}`` | the report title, e.g. 均衡示例县县域义务教育基本均衡发展自评报告 |
| ``{{县区}}`` | the county name (else its code, else 本县) |
| ``{{年度}}`` | the statistics year given with ``--year``; without it the current calendar year (a bare number such as 2025; write “年” after it in the template) |
| ``{{规则}}`` | the rule pack's name, e.g. 县域义务教育基本均衡发展督导评估 |
| ``{{日期}}`` | the date of writing, e.g. 2025年3月8日 (GB/T 9704: no leading zeros) |

Any other ``{{…}}`` is an error (ValueError naming it and the known ones), so a typo does not
reach the printed report. When the template has its own title (``{{标题}}`` anywhere, or a
paragraph in style Title before the marker) the report body does not repeat its title block.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

MARKER = "{{报告正文}}"
#: Placeholder → what it stands for (for messages and docs).
PLACEHOLDERS = {
    "{{标题}}": "报告标题",
    "{{县区}}": "县区名称",
    "{{年度}}": "统计年度（--year；未指定时为县级数据表经费表的最近年度，都没有时为【请填写：统计年度】）",
    "{{规则}}": "评估办法名称",
    "{{日期}}": "成文日期",
    "{{落款}}": "落款单位（--signer；默认“县区名称+人民政府”）",
}
PATTERN = re.compile(r"\{\{[^{}]*\}\}")
#: Parts of the package whose text may hold placeholders.
_PARTS = re.compile(r"^/word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def cn_date(d: dt.date) -> str:
    """2025-03-08 → “2025年3月8日” (GB/T 9704: 月、日不编虚位)."""
    return f"{d.year}年{d.month}月{d.day}日"


def _paragraph_elements(doc) -> Iterator:
    """Every w:p of the document body (tables and text boxes included), headers, footers,
    footnotes and endnotes."""
    for part in doc.part.package.iter_parts():
        if _PARTS.match(str(part.partname)) and getattr(part, "element", None) is not None:
            yield from part.element.iter(qn("w:p"))


def _texts(p) -> list:
    return list(p.iter(qn("w:t")))


def placeholders(doc) -> set[str]:
    """The ``{{…}}`` placeholders used anywhere in the document."""
    found: set[str] = set()
    for p in _paragraph_elements(doc):
        found.update(PATTERN.findall("".join(t.text or "" for t in _texts(p))))
    return found


def marker_paragraph(doc) -> Paragraph | None:
    """The body paragraph that is exactly the marker (spaces aside), or None."""
    return next((p for p in doc.paragraphs if p.text.strip() == MARKER), None)


def check_template(doc) -> None:
    """Raise ValueError (Chinese) when the template has no marker paragraph, has the marker inside
    other text, or uses an unknown placeholder."""
    used = placeholders(doc)
    unknown = sorted(used - set(PLACEHOLDERS) - {MARKER})
    if unknown:
        known = "、".join(f"{k}（{v}）" for k, v in PLACEHOLDERS.items())
        raise ValueError(f"模板中有无法识别的占位符：{'、'.join(unknown)}；可用的占位符：{known}，"
                         f"以及单独成段的 {MARKER}")
    if marker_paragraph(doc) is None:
        if MARKER in used:
            raise ValueError(f"模板中的 {MARKER} 标记须单独成段（该段落不能有其他文字）")
        raise ValueError(f"模板中没有 {MARKER} 标记，不知道把报告正文放在哪里；"
                         f"请在模板中要放报告正文的位置单独输入一段 {MARKER}")


def has_title(doc) -> bool:
    """True when the template gives the title itself: ``{{标题}}`` anywhere, or a non-empty
    paragraph in style Title before the marker."""
    if "{{标题}}" in placeholders(doc):
        return True
    for p in doc.paragraphs:
        if p.text.strip() == MARKER:
            return False
        if p.style is not None and p.style.name == "Title" and p.text.strip():
            return True
    return False


def _replace_in(p, values: dict[str, str]) -> None:
    """Replace the placeholders of one w:p in place, keeping run formatting: the text of a
    placeholder spread over several w:t goes into the first of them. Matches are replaced from
    the last to the first, so the offsets of those before stay valid."""
    ts = _texts(p)
    text = "".join(t.text or "" for t in ts)
    if "{{" not in text:
        return
    for m in reversed([m for m in PATTERN.finditer(text) if m.group() in values]):
        start, end, pos, first = m.start(), m.end(), 0, True
        for t in ts:
            s = t.text or ""
            a = pos
            pos += len(s)
            if pos <= start or a >= end:
                continue
            t.text = s[:max(start - a, 0)] + (values[m.group()] if first else "") + s[max(end - a, 0):]
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            first = False


def fill(doc, values: dict[str, str]) -> None:
    """Replace the placeholders in ``values`` (``{"{{县区}}": "均衡示例县", …}``) everywhere
    (module doc); others, the marker among them, are left."""
    for p in _paragraph_elements(doc):
        _replace_in(p, values)
