"""Small pieces every section of the narrative shares: heading numerals, the county's display
name and the running numbers of tables and figures."""
from __future__ import annotations

from ...core.county_result import CountyChecks
from ...core.result import Assessment, CountyResult

CN_NUM = "一二三四五六七八九十"


def cn(k: int) -> str:
    """1 → 一 … 10 → 十 (headings)."""
    return CN_NUM[k - 1] if 1 <= k <= 10 else str(k)


def county_name(c: CountyResult) -> str:
    """The county's name, else its code, else “本县”."""
    return c.county or c.county_code or "本县"


def quote(text: str) -> str:
    """``text`` in Chinese quotes, quotes inside it made single (GB/T 15834 nested quotes):
    义务教育经费单列，实现“三个增长” → “义务教育经费单列，实现‘三个增长’”."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def name_list(names: list[str], sep: str = "、") -> str:
    """Names joined for prose: with 、 when none holds a 、 itself, else each in “” so that the
    list stays unambiguous (“每百名学生拥有体育、艺术（美术、音乐）专任教师数” is one name):
    ["生均图书册数", "师生比"] → “生均图书册数、师生比”."""
    return sep.join(name_items(names, sep))


def name_items(names: list[str], sep: str = "、") -> list[str]:
    """The names as :func:`name_list` writes them: all in “” when one holds a 、 (or ``sep``)."""
    if any("、" in n or sep in n for n in names):
        return [f"“{n}”" for n in names]
    return list(names)


#: The field a report shows when no statistics year is known (the CLI lists it among the fields).
YEAR_FIELD = "【请填写：统计年度】"


def statistics_year(a: Assessment, checks: CountyChecks | None) -> tuple[int | None, str]:
    """The statistics year (统计年度) of a county's documents and where it comes from: the
    assessment's year (``--year``) → (year, "year"); without it, the latest year of the county
    workbook's 经费 sheet (the county's data are of one year: the workbook's latest year is the
    year of its school statistics, docs/county-workbook.md) → (year, "finance"); else (None, "")
    and the documents carry :data:`YEAR_FIELD` (Word, HTML, the {{年度}} of a template) or a
    blank “＿＿＿＿年” (the Excel tables)."""
    if a.year:
        return a.year, "year"
    f = checks.funding if checks is not None else None
    if f is not None and f.years:
        return int(f.years[-1]), "finance"
    return None, ""


#: Characters of 2号 (22 pt) title text a 156 mm line holds (with the Title style's letter spacing).
TITLE_LINE = 19
#: Where a title may break, best first: before the document's name …
TITLE_HEADS = ("自评报告", "补足资源测算表", "年度监测复查报告", "整改情况报告", "县域义务教育", "义务教育")
#: … else after a word ending so (the county's name, “…发展”, “…工作”), the most even cut.
TITLE_TAILS = ("县", "区", "市", "旗", "发展", "教育", "工作", "情况", "年度")


def title_break(title: str) -> str:
    """The title with a line break at a word boundary when it is longer than a line (GB/T 9704
    §7.2: 标题回行时要做到词意完整): before the document's name (“自评报告”, “年度监测复查报告”,
    :data:`TITLE_HEADS`), else after a word ending (:data:`TITLE_TAILS`) with the most even lines;
    one line if it fits. Every title of the Word and HTML documents is broken here (docx/writer,
    narrative) — never a lone “报告” on the second line."""
    if len(title) <= TITLE_LINE or "\n" in title:
        return title

    def fits(k: int) -> bool:
        return 0 < k < len(title) and len(title[:k]) <= TITLE_LINE and len(title[k:]) <= TITLE_LINE

    for head in TITLE_HEADS:
        k = title.rfind(head)
        if fits(k):
            return title[:k] + "\n" + title[k:]
    cuts = [k for k in range(1, len(title)) if fits(k) and title[:k].endswith(TITLE_TAILS)]
    if cuts:
        k = min(cuts, key=lambda k: abs(len(title) - 2 * k))
        return title[:k] + "\n" + title[k:]
    return title


def default_signer(c: CountyResult) -> str:
    """The 落款 when none is given: “均衡示例县人民政府” — the 自评报告 is the county government's
    (CLI ``--signer`` sets another, e.g. “均衡示例县教育局”)."""
    return f"{county_name(c)}人民政府"


class Numbering:
    """Running numbers of tables and figures: ``t("…")`` → “表1  …”, ``f("…")`` → “图1  …”."""

    def __init__(self) -> None:
        self.table = 0
        self.figure = 0

    def t(self, caption: str) -> str:
        self.table += 1
        return f"表{self.table}  {caption}"

    def f(self, caption: str) -> str:
        self.figure += 1
        return f"图{self.figure}  {caption}"
