"""The self-evaluation report as ONE self-contained HTML page (same blocks as the Word report).

Styles sit in a <style> element of the page, charts are embedded as base64 PNG data URIs; the
page references no other file and nothing on the network, so it opens on an offline intranet PC
and can be mailed as one file. Text is HTML-escaped. Fonts: the official ones first (仿宋_GB2312,
黑体, 楷体_GB2312, 方正小标宋简体), then common alternatives, then the generic family.
"""
from __future__ import annotations

import base64
import html
from pathlib import Path

from ..narrative.blocks import FILL, Annex, Block, Figure, Heading, Para, Table, listlike

CSS = """
body{margin:0;background:#f2f2f2;color:#000}
main{max-width:160mm;margin:12px auto;padding:30mm 26mm 28mm 28mm;background:#fff;box-shadow:0 0 6px #bbb;
 font-family:"仿宋_GB2312","仿宋","FangSong","STFangsong","Noto Serif CJK SC",serif;font-size:16pt;line-height:28.95pt}
h1{font-family:"方正小标宋简体","FZXiaoBiaoSong-B05S","黑体","SimHei","Noto Sans CJK SC",sans-serif;font-weight:normal;
 font-size:22pt;line-height:1.5;text-align:center;margin:0 0 28.95pt;word-break:keep-all;text-wrap:balance}
.sub{font-family:"楷体_GB2312","楷体","KaiTi","STKaiti",serif;text-align:center;margin:0 0 28.95pt}
h2{font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif;font-weight:normal;font-size:16pt;margin:0;text-indent:2em}
h3{font-family:"楷体_GB2312","楷体","KaiTi","STKaiti",serif;font-weight:normal;font-size:16pt;margin:0;text-indent:2em}
h4{font-size:16pt;margin:0;text-indent:2em}
p{margin:0;text-indent:2em;text-align:justify}
p.list{text-align:left}
p.sign{text-indent:0;text-align:right;padding-right:4em;margin:0}
p.sign.first{margin-top:28.95pt}
p.annex{font-family:"黑体","SimHei","Noto Sans CJK SC",sans-serif;text-indent:0;margin-top:28.95pt;break-before:page}
mark{background:#ff0}
p.note{font-size:12pt;line-height:1.6;text-indent:0;margin-top:8pt;color:#333}
table{border-collapse:collapse;width:100%;font-size:10.5pt;line-height:1.4;margin:0 0 14pt}
th,td{border:1px solid #000;padding:2pt 4pt;text-align:center;overflow-wrap:anywhere}
th{white-space:nowrap;word-break:keep-all}
td.l{text-align:left}
td.s{white-space:nowrap}
tr.total td{font-weight:bold}
.bad{background:#d9d9d9;font-weight:bold}
.cap{font-size:14pt;text-align:center;text-indent:0;margin:6pt 0 2pt}
figure{margin:8pt 0 12pt;text-align:center}
figure img{max-width:100%}
figcaption{font-size:14pt}
@media print{body{background:#fff}main{box-shadow:none;margin:0;padding:0}}
"""

_H = {0: "h1", 1: "h2", 2: "h3", 3: "h4"}
#: Cells of at most this many characters never wrap (a value, a verdict, a year).
SHORT_CELL = 7


def _text(s: str) -> str:
    """Escaped text with line breaks and each 【请填写：…】 field marked."""
    out, k = [], 0
    for m in FILL.finditer(s):
        out.append(html.escape(s[k:m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        k = m.end()
    out.append(html.escape(s[k:]))
    return "".join(out).replace("\n", "<br>")




def _table(t: Table) -> str:
    e = html.escape
    out = [f'<p class="cap">{e(t.caption)}</p>' if t.caption else "", "<table>", "<thead><tr>"]
    out += [f"<th>{e(h).replace(chr(10), '<br>')}</th>" for h in t.header]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(t.rows):
        total = t.bold_last and i == len(t.rows) - 1
        out.append('<tr class="total">' if total else "<tr>")
        for j, cell in enumerate(row):
            short = "s" if len(cell) <= SHORT_CELL and "\n" not in cell else None  # “扣1分”, “2019年”: one line
            cls = [c for c in ("l" if j in t.left else None, t.marks[i][j] if t.marks else None, short) if c]
            attr = f' class="{" ".join(cls)}"' if cls else ""
            out.append(f"<td{attr}>{_text(cell)}</td>")  # line breaks in a cell
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def render_html(blocks: list[Block], *, title: str, signer: str | None = None, date: str | None = None) -> str:
    """The whole page as text (UTF-8, zh-Hans): the blocks, the 落款 (signer) and date after the
    body, then the annexes (blocks from the first Annex on)."""
    e = html.escape
    body = []
    cut = next((k for k, b in enumerate(blocks) if isinstance(b, Annex)), len(blocks))
    signed = False
    for k, b in enumerate(blocks):
        if k == cut and not signed:
            body.append(_signature(signer, date))
            signed = True
        if isinstance(b, Annex):
            body.append(f'<p class="annex">{e(b.label)}</p><h1>{e(b.title)}</h1>')
            continue
        if isinstance(b, Heading):
            if b.level == -1:
                body.append(f'<p class="sub">{e(b.text)}</p>')
            else:
                tag = _H.get(b.level, "h4")
                body.append(f"<{tag}>{_text(b.text)}</{tag}>")
        elif isinstance(b, Para):
            cls = "note" if b.note else "list" if listlike(b.text) else ""
            if b.hang:  # wrapped lines under the first character of the 附件 name
                body.append(f'<p class="list" style="padding-left:{2 + b.hang}em;text-indent:-{b.hang}em">'
                            f"{_text(b.text)}</p>")
            else:
                body.append(f'<p class="{cls}">{_text(b.text)}</p>' if cls else f"<p>{_text(b.text)}</p>")
        elif isinstance(b, Table):
            body.append(_table(b))
        elif isinstance(b, Figure):
            data = base64.b64encode(b.png).decode("ascii")
            body.append(f'<figure><img alt="{e(b.caption)}" src="data:image/png;base64,{data}">'
                        f"<figcaption>{e(b.caption)}</figcaption></figure>")
    if not signed:
        body.append(_signature(signer, date))
    return ("<!DOCTYPE html>\n<html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>\n"
            + "\n".join(body) + "\n</main></body></html>\n")


def _signature(signer: str | None, date: str | None) -> str:
    """The 落款 and date, right-aligned four characters in (the HTML counterpart of the Word
    template's signature block)."""
    lines = [x for x in (signer, date) if x]
    return "".join(f'<p class="sign{" first" if k == 0 else ""}">{html.escape(x)}</p>' for k, x in enumerate(lines))


def write_html(blocks: list[Block], path: str | Path, *, title: str, signer: str | None = None,
               date: str | None = None) -> Path:
    """Write the page to ``path`` (the caller makes it atomic). Returns the path."""
    Path(path).write_text(render_html(blocks, title=title, signer=signer, date=date), encoding="utf-8")
    return Path(path)
