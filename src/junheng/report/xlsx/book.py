"""What every junheng workbook shares (made by report/safe_xlsx.new_workbook): the cell formats, the
number format of each kind of value, print setup, the 填报单位 / 填表人 / 审核人 / 日期 line and
row heights for wrapped text.

Every sheet function writes its rows strictly top to bottom and merges only within one row, so
the workbooks can be written in xlsxwriter's constant-memory mode (a province file of 200 000
units streams to disk).
"""
from __future__ import annotations

import math
import re
import unicodedata

import xlsxwriter

from ...rules.loader import Indicator

CV_FORMAT = "0.000"      # means, SDs and CVs as the Ministry prints them
THRESHOLD_FORMAT = "0.00"  # 0.65 / 0.55 / 0.50 / 0.45 printed alike
MONEY_FORMAT = "0.00"    # 元 per pupil: yuan and fen
LINE_HEIGHT = 14.25      # points per line of 10.5 pt 宋体 (19 px: heights stay whole pixels)
PAPER_A4 = 9
#: Marks print in black (a grey printer loses red and green): a shortfall or 未达标 is bold on grey,
#: 无法判定 italic on light grey, what meets stays plain.
SHORT = {"bold": True, "bg_color": "#BFBFBF"}
OPEN = {"italic": True, "bg_color": "#EDEDED"}


class Formats:
    """The cell formats of one workbook (宋体 10.5 pt, thin borders)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 10.5, "valign": "vcenter", "border": 1}
        f = lambda **kw: wb.add_format({**base, **kw})  # noqa: E731
        self.cell = f  # more cell formats on the same base (county.py)
        self.title = wb.add_format({"font_name": "黑体", "font_size": 16, "align": "center", "valign": "vcenter"})
        self.sub = wb.add_format({"font_name": "宋体", "font_size": 10, "align": "left", "valign": "vcenter",
                                  "text_wrap": True})
        self.sign = wb.add_format({"font_name": "宋体", "font_size": 10.5, "align": "left", "valign": "vcenter"})
        self.head = f(bold=True, align="center", bg_color="#DDEBF7", text_wrap=True)
        self.text = f(align="left", text_wrap=True)
        self.center = f(align="center")
        self.int = f(num_format="0", align="right")
        self.n3 = f(num_format=CV_FORMAT)
        self.gen = f(num_format="General")
        self.n2 = f(num_format="0.00")
        self.n4 = f(num_format="0.0000")
        self.n6 = f(num_format="0.000000")
        self.pct = f(num_format="0.0%")
        self.limit = f(num_format=THRESHOLD_FORMAT, align="center")
        # verdicts wrap (“待核实（省定办学基本标准）” in a 10-unit column); rows are set tall enough
        self.good = f(align="center", text_wrap=True)
        self.bad = f(align="center", text_wrap=True, **SHORT)
        self.undecided = f(align="center", text_wrap=True, **OPEN)
        self.bold3 = f(num_format=CV_FORMAT, bold=True)
        self.bold2 = f(num_format=MONEY_FORMAT, bold=True)
        self.boldtext = f(align="left", bold=True, text_wrap=True)
        self._values: dict[tuple[str, str], object] = {}

    def verdict(self, ok: bool | None):
        return self.undecided if ok is None else self.good if ok else self.bad

    def value(self, ind: Indicator, mark: str = "") -> object:
        """The format of a value of ``ind`` (0.00 for 元, else 0.000); mark: "good" (plain),
        "bad" (bold on grey, :data:`SHORT`), "bold" or ""."""
        key = (value_format(ind), mark)
        if key not in self._values:
            extra = {"good": {}, "bad": SHORT, "bold": {"bold": True}, "": {}}[mark]
            self._values[key] = self.cell(num_format=key[0], **extra)
        return self._values[key]


def value_format(ind: Indicator) -> str:
    """Number format of an indicator's values, means and SDs: 元 per pupil with 2 decimals, the
    rest with 3 (as the Ministry's tables)."""
    return MONEY_FORMAT if ind.unit == "元" else CV_FORMAT


def page_setup(ws, *, landscape: bool = True, repeat: tuple[int, int] | None = None) -> None:
    """A4, fit to one page wide, centred, page numbers in the footer; repeat: the header rows
    (first, last; 0-based) printed on every page."""
    ws.set_paper(PAPER_A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    if repeat is not None:
        ws.repeat_rows(*repeat)


def sign_line(bureau: str | None) -> str:
    """“填报单位（盖章）：均衡示例县教育局　填表人：______　审核人：______　日期：____年__月__日”;
    bureau None leaves the unit blank to fill in by hand."""
    blank = "＿" * 6
    return (f"填报单位（盖章）：{bureau or '＿' * 10}　　填表人：{blank}　　审核人：{blank}　　"
            "日期：＿＿＿＿年＿＿月＿＿日")


def basis_line(rules, year: int | None) -> str:
    """“依据：<办法>；<省>；统计年度：2024年” under a sheet's title (the year a blank “＿＿＿＿年”
    to fill in by hand when unknown; the input file is named in the 说明, not here)."""
    info = f"依据：{rules.document}" + (f"；{rules.province_name}" if rules.province_name else "")
    return info + (f"；统计年度：{year}年" if year else "；统计年度：＿＿＿＿年")


def bureau_of(county: str) -> str:
    """The default 填报单位 of a county: its education bureau (“均衡示例县教育局”)."""
    return f"{county}教育局"


def text_width(text: str) -> int:
    """Width of ``text`` in Excel column units: 2 for a CJK (wide) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


#: A header breaks preferably after these words and marks (where a reader breaks the indicator
#: names of the rule packs) …
HEADER_BREAK_AFTER = ("每百名学生", "拥有", "生均", "教学", "体育", "县级以上", "高于规定", "专业技术", "网络", "、", "）", "及")
#: … never before a closing mark nor after an opening one.
CLOSING, OPENING = "）》”、，。：；", "（《“"
_UNIT = re.compile(r"（[^（）]{1,8}）$")  # a bracketed unit ending a header line: “（元/生）”, “（人）”


def _header_tokens(line: str) -> list[str]:
    """The pieces a header line may break between: characters, an opening mark glued to the next,
    a closing mark to the one before, a bracketed unit at the end kept whole."""
    unit = _UNIT.search(line)
    body, tail = (line[:unit.start()], unit.group()) if unit else (line, "")
    out: list[str] = []
    glue = ""
    for ch in body:
        if ch in OPENING:
            glue += ch
        elif ch in CLOSING and out and not glue:
            out[-1] += ch
        else:
            out.append(glue + ch)
            glue = ""
    if glue:
        out.append(glue)
    return out + ([tail] if tail else [])


def _preferred(line: list[str], nxt: str, cap: float) -> int:
    """Where to end a full header line (``nxt`` the piece that does not fit): before “（”, or
    after a reader's word keeping the line at least a third full; else at the last piece."""
    for k in range(len(line), 0, -1):
        head, after = "".join(line[:k]), (line + [nxt])[k]
        if after.startswith("（") or (text_width(head) * 3 >= cap and head.endswith(HEADER_BREAK_AFTER)):
            return k
    return len(line)


def header_text(text: str, width: float) -> tuple[str, float]:
    """A header cell's text with explicit line breaks, each line fitting a column ``width`` Excel
    units wide (text_width: CJK 2 units, Excel's 宋体; 1 unit of padding), and the column width
    that needs: never inside a bracketed unit (“（元/生）” stays whole, the column grows if it
    must), no line starting with a closing mark (“）”, “、”) or ending with an opening one, no
    last line of one character, breaking before “（” or after a reader's word
    (:data:`HEADER_BREAK_AFTER`) when that keeps the line at least a third full. Explicit breaks in ``text`` are kept."""
    lines: list[str] = []
    for part in text.split("\n"):
        tokens = _header_tokens(part)
        width = max([width] + [text_width(t) + 1 for t in tokens])
        cap = width - 1
        rows: list[list[str]] = []
        line: list[str] = []
        for t in tokens:
            if line and text_width("".join(line) + t) > cap:
                k = _preferred(line, t, cap)
                rows.append(line[:k])
                line = line[k:]
                if line and text_width("".join(line) + t) > cap:  # the carried words alone are too long
                    rows.append(line)
                    line = []
            line.append(t)
        rows.append(line)
        if len(rows) > 1 and len("".join(rows[-1])) == 1 and len(rows[-2]) > 2:  # no lone last character
            rows[-1].insert(0, rows[-2].pop())
        lines += ["".join(r).strip() for r in rows]
    return "\n".join(lines), width


def write_head(ws, row: int, head: list[str], widths: list[float], fmt, col0: int = 0) -> list[float]:
    """Write a header row: each cell with a bracket broken by :func:`header_text` (the others
    wrap where Excel wraps them: there is nothing to keep whole), a column widened where a
    bracketed unit needs it, the row tall enough for the most lines. Returns the widths used."""
    cells = [header_text(h, w) if "（" in h else (h, w) for h, w in zip(head, widths)]  # others wrap freely
    out = [w for _, w in cells]
    for j, (w0, w) in enumerate(zip(widths, out)):
        if w != w0:
            ws.set_column(col0 + j, col0 + j, w)
    height = wrapped_height([(t, w) for t, w in cells])
    # bold header lines are taller in LibreOffice / WPS (Noto / 思源 CJK) than 宋体's 14.25 pt: 10 % to spare
    ws.set_row(row, height if height <= LINE_HEIGHT + 3 else math.ceil(height * 1.1))
    ws.write_row(row, col0, [t for t, _ in cells], fmt)
    return out


def wrapped_height(cells: list[tuple[str, float]], minimum: float = 15.0) -> float:
    """Row height (points) for wrapped text: cells are (text, column width in Excel units); the
    tallest wins; one line keeps ``minimum``. Wide (CJK) characters count 2 units, as 宋体 10.5 pt
    in Excel (LibreOffice's fallback fonts are narrower, so rows there have room to spare)."""
    lines = 1
    for text, width in cells:
        here = sum(max(1, math.ceil(text_width(part) / max(width - 0.5, 1))) for part in str(text).split("\n"))
        lines = max(lines, here)
    return minimum if lines == 1 else max(minimum, lines * LINE_HEIGHT + 3)  # + 4 px of padding
